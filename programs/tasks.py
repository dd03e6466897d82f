import logging

from celery import shared_task

from programs import breaks

logger = logging.getLogger(__name__)


@shared_task
def send_welcome_backs():
    """Beat, daily: a welcome back to everyone whose break ends today, once however often this runs."""
    logger.info("breaks: %s welcome backs", breaks.breaks_welcome_back())
