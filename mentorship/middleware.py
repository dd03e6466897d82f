"""While the database cannot be reached, pages answer 503 with the maintenance page, not a 500."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

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
