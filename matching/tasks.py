import logging

from celery import shared_task

from matching import runs

logger = logging.getLogger(__name__)


# Time limits of their own (not the project's defaults for every task): runs_recover takes a run
# for lost once the hard limit has passed, so both are read from matching/runs.py, in one place.
@shared_task(soft_time_limit=runs.RUN_SOFT_TIME_LIMIT, time_limit=runs.RUN_TIME_LIMIT)
def run_matching(run_id):
    """A coordinator started a run: do it (a no-op if another worker already did)."""
    run = runs.run_execute(run_id=run_id)
    if run is not None:
        logger.info("matching run %s: %s, %s pairs", run.pk, run.status, run.matched_count)


@shared_task
def nightly_suggestions():
    """Beat, nightly at 02:30: fresh suggestions where the pool changed."""
    for program, outcome in runs.suggestions_sweep():
        logger.info("suggestions for program %s: %s", program.pk, outcome)


@shared_task
def send_group_reminders():
    """Beat, hourly at minute 10: the day-before reminders of group sessions (each session once)."""
    from matching.group_reminders import group_reminders_send

    sessions, emails = group_reminders_send()
    logger.info("group session reminders: %s sessions, %s emails", sessions, emails)


@shared_task
def recover_runs():
    """Beat, every 5 minutes: runs whose task was lost or whose worker died are sent again (three tries)."""
    for run, outcome in runs.runs_recover():
        logger.info("matching run %s of program %s: %s", run.pk, run.program_id, outcome)


@shared_task
def send_board_digests():
    """Beat, daily at 07:30: each person's digest of new discussion-board posts (at most one a day)."""
    from matching.boards.digest import board_digests_send

    report = board_digests_send()
    logger.info("board digests: %s sent, %s with nothing new", report.sent, report.nothing_new)
