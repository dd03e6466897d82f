"""The site app's pages, one module per group (see mentorship/urls.py)."""
