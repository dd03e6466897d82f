import logging

from celery import shared_task

from matching import services

logger = logging.getLogger(__name__)


@shared_task
def run_matching(run_id):
    """A coordinator started a run: do it (a no-op if another worker already did)."""
    run = services.run_execute(run_id=run_id)
    if run is not None:
        logger.info("matching run %s: %s, %s pairs", run.pk, run.status, run.matched_count)


@shared_task
def nightly_suggestions():
    """Beat, nightly at 02:30: fresh suggestions where the pool changed."""
    for program, outcome in services.suggestions_sweep():
        logger.info("suggestions for program %s: %s", program.pk, outcome)
