import logging

from celery import shared_task

from mentorship import services

logger = logging.getLogger(__name__)


@shared_task
def heartbeat():
    """Sent by beat every 30 s (beat records "beat" as it sends it, see mentorship/celery.py); the
    worker that runs it records "worker". /readyz checks that both are recent."""
    services.heartbeat_record(name="worker")


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


@shared_task
def prune_form_tokens():
    """Beat, daily at 04:00: one-time form tokens older than a day are forgotten."""
    from mentorship.once import form_tokens_prune

    logger.info("form tokens: %s pruned", form_tokens_prune())
