"""Logs: one JSON object per line, tied to a request id and a user id, with no personal data.

What a line may hold: time, level, logger, message, request_id, user_id (and task_id in a Celery
task). What it must not: names, email addresses, free text, or the secret part of a link (a
guardian's consent or manage link, an invitation, a calendar feed, a survey's emailed link, an
email confirmation or a password reset). The code logs ids, counts and kinds of error only; as a
backstop, every line the formatters write has token links redacted (``redact_path``) and anything
shaped like an email address masked. gunicorn's access log (mentorship/gunicorn_conf.py) uses the same rule.

Imported by the LOGGING setting in every process, so it imports nothing from the project and
nothing from Django that needs settings.
"""

import contextlib
import datetime as dt
import json
import logging
import re
from contextvars import ContextVar

REDACTED = "<redacted>"

# URL parts that let whoever holds them act as someone: each prefix is followed by the secret.
# tests/mentorship/test_logs.py reverses every URL whose arguments look like a token and fails
# when one is not covered here.
_TOKEN_IN_PATH = re.compile(
    # guardians' links (a minor's story's too), invitations, partner contacts' logins (programs)
    r"(?P<keep>/(?:consent|guardian|invitations|partner-access)/"
    r"|/surveys/answer/"  # a survey's emailed link (evaluation)
    r"|/events/feedback/"  # an event's emailed feedback link (programs)
    r"|/confirm-email/"  # allauth: email confirmation key
    r"|/password/reset/key/(?!done/))"  # allauth: password reset uid and key
    r"[^/?#\s\"']+"
)
# The calendar feed (evaluation): /calendar/<token>.ics; /calendar/new-address/ holds no secret.
_FEED_TOKEN = re.compile(r"(?P<keep>/calendar/)[^/?#\s\"']+(?=\.ics)")
# Any query parameter whose name ends in "token" or "key" (?token=..., ?key=..., ?api_key=...).
_TOKEN_IN_QUERY = re.compile(r"(?P<keep>[?&][^=&#\s\"']*(?:token|key)=)[^&#\s\"']*", re.IGNORECASE)
# Plain or percent-encoded in a URL (a%40b.org).
_EMAIL = re.compile(r"[\w.+-]+(?:@|%40)[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)


def redact_path(path):
    """``path`` (a path, a URL, a request line or any text holding them) with its secrets replaced."""
    for pattern in (_TOKEN_IN_PATH, _FEED_TOKEN, _TOKEN_IN_QUERY):
        path = pattern.sub(lambda m: m["keep"] + REDACTED, path)
    return path


def scrub(text):
    """The backstop applied to every line written: token links redacted, email addresses masked."""
    return _EMAIL.sub("<email>", redact_path(text))


# --- Who and what a line is about -----------------------------------------------------------------

# Set per request by mentorship.middleware (request id, then the request once its user is known) and
# per Celery task by mentorship.celery (task id); cleared when the request or the task ends.
_context: ContextVar[dict | None] = ContextVar("mentorship_log_context", default=None)


def bind(**values):
    context = _context.get()
    _context.set({**(context or {}), **values})


def clear(**kwargs):
    _context.set(None)


def current():
    return _context.get() or {}


class ContextFilter(logging.Filter):
    """Adds request_id, user_id and task_id to every record a handler writes."""

    def filter(self, record):
        context = current()
        record.request_id = context.get("request_id")
        record.task_id = context.get("task_id")
        record.user_id = _user_id(context.get("request"))
        return True


def _user_id(request):
    # The request is bound only once its user was looked up (after authentication), so this never
    # queries the database from inside logging; login() and logout() in the request are followed.
    try:
        user = getattr(request, "user", None)
        return user.pk if user is not None and user.is_authenticated else None
    except Exception:  # logging must never break a request
        return None


class RedactPathsFilter(logging.Filter):
    """For the loggers that write paths (django.request's "Not Found: /consent/...", runserver's
    request lines): the message is rendered with its token links redacted, whatever handler gets it."""

    def filter(self, record):
        # A malformed call is left as it is: the formatters' scrubbing still applies.
        with contextlib.suppress(Exception):
            record.msg, record.args = redact_path(record.getMessage()), None
        return True


# --- Formatters ---------------------------------------------------------------------------------


class JSONFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, user_id (task_id in a
    task, exc with a traceback), each line scrubbed."""

    def format(self, record):
        line = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
            "request_id": getattr(record, "request_id", None),
            "user_id": getattr(record, "user_id", None),
        }
        task_id = getattr(record, "task_id", None)
        if task_id:
            line["task_id"] = task_id
        if record.exc_info:
            line["exc"] = scrub(self.formatException(record.exc_info))
        elif record.exc_text:
            line["exc"] = scrub(record.exc_text)
        return json.dumps(line, ensure_ascii=False, default=str)


class PlainFormatter(logging.Formatter):
    """For a person reading a terminal (LOG_FORMAT=plain, the default in DEBUG); scrubbed alike."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s%(ids)s %(message)s")

    def format(self, record):
        ids = [
            f"{name}={value}"
            for name in ("request_id", "user_id", "task_id")
            if (value := getattr(record, name, None)) is not None
        ]
        record.ids = f" [{' '.join(ids)}]" if ids else ""
        return scrub(super().format(record))


FORMATTERS = {"json": JSONFormatter, "plain": PlainFormatter}
