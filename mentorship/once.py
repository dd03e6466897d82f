"""Forms that create a row do it once per rendered form.

The form carries a hidden one-time token; the view claims it in the same transaction as the write
(``submit_once``). A second POST of the same form (a double click, a resend after a slow answer)
finds the token taken and writes nothing; if the first write failed and was rolled back, the token
is free again and the person can send the form once more. Tokens are pruned after a day.
"""

import datetime as dt
import uuid

from django import forms
from django.db import IntegrityError, transaction
from django.utils import timezone

from mentorship.models import FormSubmission

TOKEN_FIELD = "once"
KEEP_FOR = dt.timedelta(days=1)


class AlreadySubmitted(Exception):
    """This form was sent before: what it asked for is done (once)."""


EXPIRED = "This page had expired: please check and send it again."


class OnceFormMixin(forms.Form):
    once = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)

    def clean(self):
        data = super().clean()
        # The token is the view's business, not the service's: it leaves cleaned_data here.
        self.once_token = data.pop(TOKEN_FIELD, None)
        if self.once_token is None:
            # A page from before tokens, or a tampered one: shown again with a fresh token, so
            # that sending it once more works.
            self.data = self.data.copy()
            self.data[self.add_prefix(TOKEN_FIELD)] = str(uuid.uuid4())
            raise forms.ValidationError(EXPIRED)
        return data


def form_claim(*, token, user):
    """Claim ``token`` in the caller's transaction; False if it is already taken. A concurrent
    claim of the same token waits on the unique index for the first transaction to end."""
    try:
        with transaction.atomic():
            FormSubmission.objects.create(token=token, user=user if user.is_authenticated else None)
    except IntegrityError:
        return False
    return True


def submit_once(form, user, action):
    """Run ``action()`` (a service call) once for this rendered form; AlreadySubmitted otherwise."""
    with transaction.atomic():
        if form.once_token is None or not form_claim(token=form.once_token, user=user):
            raise AlreadySubmitted
        return action()


def form_tokens_prune(*, now=None):
    """Forget tokens older than a day (a resend that late is a new submission)."""
    now = now or timezone.now()
    deleted, _ = FormSubmission.objects.filter(created_at__lt=now - KEEP_FOR).delete()
    return deleted
