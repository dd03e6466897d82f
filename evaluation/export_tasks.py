"""Exports built by a worker (big XLSX files, funder reports' PDFs): a thin task around
``exports.export_build``.

Its own module (not evaluation/tasks.py) so that exports and reminders are owned separately; the
worker must import it (CELERY_IMPORTS or an import in evaluation/tasks.py).
"""

import logging

from celery import shared_task

from evaluation import exports

logger = logging.getLogger(__name__)


@shared_task
def build_export(record_id):
    """Build the export ``record_id`` into MEDIA_ROOT/exports/ (a no-op if already claimed)."""
    record = exports.export_build(record_id=record_id)
    if record is None:
        logger.info("export %s: already taken by another worker", record_id)
    else:
        logger.info("export %s: %s, %s rows", record.pk, record.status, record.row_count)
