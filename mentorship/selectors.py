"""Reads for the site and its people."""

from mentorship.models import Heartbeat


def heartbeat_last_seen(*, name):
    return Heartbeat.objects.filter(name=name).values_list("last_seen", flat=True).first()
