import logging

from celery import shared_task

from mentorship import services

logger = logging.getLogger(__name__)


@shared_task
def heartbeat():
    """Run by beat every 30 s; /readyz checks that it ran recently."""
    services.heartbeat_record(name="beat")
