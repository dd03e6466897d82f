import logging

from celery import shared_task

from mentorship import services

logger = logging.getLogger(__name__)


@shared_task
def heartbeat():
    """Run by beat every 30 s; /readyz checks that it ran recently."""
    services.heartbeat_record(name="beat")


@shared_task
def send_queued_emails(email_ids):
    """Send emails from the outbox (each claimed on its own, so a re-delivery sends nothing twice)."""
    for email_id in email_ids:
        services.email_send(email_id=email_id)


@shared_task
def send_pending_emails():
    """Beat, every 5 minutes: what a lost task or an outage left unsent."""
    sent = services.email_send_pending(older_than_seconds=60)
    if sent:
        logger.info("sent %s delayed emails", sent)
