"""What every app's views share: how a refused action is told, and where a form sends people back.

Views stay thin: they load through access helpers, call a service, and on a refusal
(ValidationError, PermissionDenied) tell the person why with ``error_text``/``message_error``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def error_text(error):
    """The words of a refusal: a ValidationError's messages, or a PermissionDenied's text."""
    return " ".join(getattr(error, "messages", None) or [str(error)])


def form_errors(form, error):
    """A service's ValidationError on the form: on its field when the form has one, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def message_error(request, error, *, prefix=""):
    """Show a refusal at the top of the next page (a redirect after POST)."""
    messages.error(request, prefix + error_text(error))


def act(request, call, *, done):
    """A POST's one action: run ``call`` (a service), then say ``done`` or, if the service refused
    (ValidationError, PermissionDenied), why. Returns what ``call`` returned, or None if refused.
    The view redirects either way."""
    try:
        result = call()
    except (ValidationError, PermissionDenied) as error:
        message_error(request, error)
        return None
    messages.success(request, done(result) if callable(done) else done)
    return result


def safe_next(request):
    """The ``next`` the form (or link) carried if it is a page of this site (Django's own check:
    same host, no scheme change, no ``//evil.example``), else None."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def redirect_next(request, default):
    """Back to the ``next`` the form carried if it is a page of this site, else to ``default``."""
    return redirect(safe_next(request) or default)
