import logging

from celery import shared_task

from programs import breaks

logger = logging.getLogger(__name__)


@shared_task
def send_welcome_backs():
    """Beat, daily: a welcome back to everyone whose break ends today, once however often this runs."""
    logger.info("breaks: %s welcome backs", breaks.breaks_welcome_back())


@shared_task
def send_event_reminders():
    """Beat, hourly: the day-before reminder for each person going to an event, once each."""
    from programs.event_followups import event_reminders_send

    logger.info("events: %s reminders", event_reminders_send())


@shared_task
def send_event_feedback_requests():
    """Beat, hourly: those who came to an event that is over are asked for feedback, once each."""
    from programs.event_followups import event_feedback_requests_send

    logger.info("events: %s feedback requests", event_feedback_requests_send())
