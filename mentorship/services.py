"""Writes for the site and its people."""

from django.utils import timezone

from mentorship.models import Heartbeat


def heartbeat_record(*, name):
    """Record that the periodic job ``name`` ran now. Safe to run at once on many workers."""
    now = timezone.now()
    Heartbeat.objects.update_or_create(name=name, defaults={"last_seen": now})
    return now
