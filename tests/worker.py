"""Helpers for tests that start real worker processes."""

from urllib.parse import quote

from django.db import connection


def database_url_of_test_database():
    """A DATABASE_URL for the test database this session created (so a subprocess uses it too)."""
    db = connection.settings_dict
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    if db["HOST"].startswith("/"):  # a socket directory (the embedded server)
        return f"postgresql://{credentials}@/{db['NAME']}?host={db['HOST']}"
    return f"postgresql://{credentials}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
