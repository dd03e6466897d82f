"""Two-factor authentication is required for the people who see children's records.

Staff and coordinators (the coordinators group, or anyone who coordinates a program) who have not
set up an authenticator app reach only the two-factor pages (and logging out) until they do.
Everyone else may set it up from their account page; nobody is forced.
"""

import time

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.db import InterfaceError, OperationalError
from django.shortcuts import redirect

from mentorship.middleware import database_unavailable

COORDINATORS_GROUP = "coordinators"
# Paths a person who must set up two-factor authentication can still reach.
OPEN_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/accounts/reauthenticate/", "/static/")
OPEN_PATHS = ("/healthz", "/readyz")
# The answer is kept in the session for a minute: one or two small queries a minute, not a request.
SESSION_KEY = "mfa_gate"
RECHECK_SECONDS = 60


def needs_mfa(user):
    """Staff and coordinators must use two-factor authentication."""
    return (
        user.is_staff
        or user.groups.filter(name=COORDINATORS_GROUP).exists()
        or user.coordinated_programs.exists()
    )


def has_mfa(user):
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def must_set_up_mfa(user):
    return needs_mfa(user) and not has_mfa(user)


class RequireMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            blocked = self._blocked(request)
        except (OperationalError, InterfaceError) as exc:  # the session or the user: no database
            return database_unavailable(request, exc)
        if blocked:
            messages.warning(
                request,
                "Coordinators and staff see children's records, so they sign in with two factors: "
                "set up an authenticator app to go on.",
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    def _blocked(self, request):
        user = request.user
        if not settings.MFA_REQUIRED_FOR_STAFF or not user.is_authenticated:
            return False
        if request.path.startswith(OPEN_PREFIXES) or request.path in OPEN_PATHS:
            return False
        cached = request.session.get(SESSION_KEY)
        if (
            cached
            and cached["user"] == user.pk
            and cached["ok"]
            and time.time() - cached["at"] < RECHECK_SECONDS
        ):
            return False
        blocked = must_set_up_mfa(user)
        request.session[SESSION_KEY] = {"user": user.pk, "ok": not blocked, "at": time.time()}
        return blocked
