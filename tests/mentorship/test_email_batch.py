"""Batching emails is explicit at the call: only the emails given the batch join it."""

import pytest

from mentorship.models import OutboundEmail
from mentorship.services import email_batch, email_queue

pytestmark = pytest.mark.django_db


def _queue(to, **kwargs):
    return email_queue(to=to, template="reminder_due", context={"name": "Sam"}, **kwargs)


def test_only_the_calls_given_the_batch_join_it_and_it_is_inserted_in_bulk_at_the_end():
    with email_batch() as batch:
        alone = _queue("alone@example.org")
        joined = [_queue(f"joined{i}@example.org", batch=batch) for i in range(3)]
        # An email queued without the batch is saved at once, as anywhere else.
        assert alone.pk is not None and OutboundEmail.objects.count() == 1
        assert all(email.pk is None for email in joined)
    assert OutboundEmail.objects.count() == 4
    assert all(email.pk is not None for email in joined)


def test_a_block_that_fails_inserts_none_of_its_batch():
    with pytest.raises(RuntimeError), email_batch() as batch:
        _queue("lost@example.org", batch=batch)
        raise RuntimeError("the import failed")
    assert not OutboundEmail.objects.exists()
