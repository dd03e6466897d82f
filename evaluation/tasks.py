import logging

from celery import shared_task

from evaluation import digests, exports, invitations, reminders, retention

logger = logging.getLogger(__name__)


@shared_task
def send_reminders():
    """Beat, hourly: check-in reminders due or overdue, and meeting reminders a day ahead, each sent
    once however often this runs."""
    report = reminders.reminders_sweep()
    sent = report.sent
    logger.info(
        "reminders: recorded %s due, %s overdue, %s meeting; handled %s, %s emails, %s opted out, "
        "%s not needed",
        report.recorded["due"],
        report.recorded["overdue"],
        report.meetings_recorded,
        sent.reminders,
        sent.emails,
        sent.opted_out,
        sum(sent.skipped.values()),
    )


@shared_task
def send_survey_invitations():
    """Beat, hourly: one email per person for each survey whose window opened, however often this runs."""
    report = invitations.invitations_sweep()
    logger.info(
        "survey invitations: recorded %s; handled %s, %s emails, %s not needed",
        report.recorded,
        report.sent.invitations,
        report.sent.emails,
        report.sent.skipped,
    )


@shared_task
def send_story_invitations():
    """Beat, daily at 09:00: invitations to tell one's story at a match's closure and 3 and 12 months
    after it (evaluation/story_invitations.py), each person once per occasion however often this runs."""
    from evaluation.story_invitations import story_invitations_sweep

    report = story_invitations_sweep()
    logger.info(
        "story invitations: recorded %s; %s emails, %s not needed",
        report.recorded,
        report.sent.emails,
        report.sent.skipped,
    )


@shared_task
def send_coordinator_digests():
    """Beat, daily at 07:00: each coordinator's to-do list by email (once a day, when not empty)."""
    report = digests.coordinator_digests_send()
    logger.info("coordinator digests: %s sent, %s with nothing to say", report.sent, report.nothing_to_say)


@shared_task
def recover_exports():
    """Beat, every 5 minutes: worker-built exports whose worker was lost are queued again (or failed)."""
    requeued, failed = exports.exports_recover()
    if requeued or failed:
        logger.info("exports: %s queued again, %s failed for good", len(requeued), len(failed))


@shared_task
def apply_retention():
    """Beat, nightly at 03:15: people past the retention policy anonymised (each once)."""
    done = retention.retention_apply()
    if done:
        logger.info(
            "retention: %s anonymised (%s)", len(done), ", ".join(f"#{d.user_id} {d.stage}" for d in done)
        )


# Celery finds tasks in each app's tasks module; the export builder lives beside the exports.
from evaluation.export_tasks import build_export  # noqa: E402

__all__ = [
    "apply_retention",
    "build_export",
    "recover_exports",
    "send_coordinator_digests",
    "send_reminders",
    "send_story_invitations",
    "send_survey_invitations",
]
