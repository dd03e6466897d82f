"""The site's middleware: request ids for the logs, private pages, and a 503 (the maintenance
page, not a 500) while the database cannot be reached."""

import logging
import re
import uuid

from django.conf import settings
from django.core.signals import request_finished
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

from mentorship import logs

logger = logging.getLogger(__name__)

# Seconds a browser or a client is asked to wait before trying again.
RETRY_AFTER_SECONDS = 60


class DatabaseUnavailableMiddleware:
    """Turns a database connection error raised by a view into 503 and the maintenance page.

    Only views: the health endpoints answer for themselves (/readyz reports the database as
    unreachable), and any other error still goes to the 500 page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        return database_unavailable(request, exception)


def database_unavailable(request, exception):
    """The 503 maintenance answer, for this middleware and for any middleware that reads the
    database before the view (the two-factor gate)."""
    # No path (consent and password-reset links carry tokens), no user, no query parameters:
    # the view's name and the kind of error are what an operator needs.
    match = request.resolver_match
    logger.error(
        "database unavailable: %s in %s; answered 503",
        type(exception).__name__,
        match.view_name if match else "an unresolved view",
    )
    # Rendered without the request: no context processor may query the database.
    html = render_to_string("503.html", {"SITE_NAME": settings.SITE_NAME})
    response = HttpResponse(html, status=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    # Django would log the 503 again, with the path; this line above stands for it.
    response._has_been_logged = True
    return response


class PrivatePagesMiddleware:
    """Every page answered to a signed-in person (anyone with a session), and every page under a
    token link (consent, guardian, invitation, calendar feed), is ``Cache-Control: private,
    no-store``: personal data is kept by neither the browser's history cache nor a proxy."""

    TOKEN_PREFIXES = ("/consent/", "/guardian/", "/invitations/", "/calendar/", "/feeds/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # A session cookie, not request.user: asking who the user is may need the database, which
        # may be the very thing that is down (and every signed-in person has the cookie).
        if settings.SESSION_COOKIE_NAME in request.COOKIES or request.path.startswith(self.TOKEN_PREFIXES):
            patch_cache_control(response, private=True, no_store=True)
        return response


# An id a proxy or load balancer already gave the request is kept (its lines and ours then match),
# but only a short, plain one: the header is the client's to set and ends up in every log line.
REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{8,64}")


class RequestIdMiddleware:
    """First in MIDDLEWARE: each request gets an id that every log line written while it runs
    carries (mentorship/logs.py), and that is returned as the X-Request-ID header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request.id = incoming if _SAFE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        # Not unbound on the way out: Django logs a 4xx or 5xx ("Not Found: ...") after the
        # middleware has returned. The request_finished signal unbinds it (below).
        logs.clear()
        logs.bind(request_id=request.id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request.id
        return response


class LogUserMiddleware:
    """Right after AuthenticationMiddleware: looks the user up, so that log lines carry their id
    (and follow a log-in or log-out during the request) without logging ever querying."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request.user.is_authenticated  # noqa: B018 (evaluates the lazy user)
        except (OperationalError, InterfaceError):
            pass  # no database: the two-factor gate or the view answers 503; lines carry no user
        else:
            logs.bind(request=request)
        return self.get_response(request)


request_finished.connect(logs.clear, dispatch_uid="mentorship.logs.clear_on_request_finished")
