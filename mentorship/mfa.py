"""Two-factor authentication is required for the people who see children's records.

Staff and coordinators (the coordinators group, or anyone who coordinates a program) who have not
set up an authenticator app reach only the two-factor pages (and logging out) until they do.
Everyone else may set it up from their account page; nobody is forced.
"""

import functools
import time

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.db import InterfaceError, OperationalError
from django.shortcuts import redirect
from django.urls import reverse

from mentorship.middleware import database_unavailable

# Pages a person who must set up two-factor authentication can still reach (URL names; every
# page under the two-factor pages' own prefix, and static files, too).
OPEN_URL_NAMES = ("account_logout", "account_reauthenticate", "healthz", "readyz")
# The answer is kept in the session for a minute: one or two small queries a minute, not a request.
SESSION_KEY = "mfa_gate"
RECHECK_SECONDS = 60


@functools.cache
def _open_paths():
    """(prefixes, exact paths) open to someone who must set up two-factor authentication."""
    prefixes = (reverse("mfa_index"), settings.STATIC_URL)
    return prefixes, frozenset(reverse(name) for name in OPEN_URL_NAMES)


def needs_mfa(user):
    """Staff and coordinators must use two-factor authentication."""
    return user.runs_programs()


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
        prefixes, paths = _open_paths()
        if request.path.startswith(prefixes) or request.path in paths:
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
