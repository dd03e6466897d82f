"""The Celery app: broker is Redis, configuration comes from Django settings (CELERY_*)."""

import logging
import os

from celery import Celery
from celery.signals import beat_init, before_task_publish, setup_logging, task_postrun, task_prerun

from mentorship import logs

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")

logger = logging.getLogger(__name__)

app = Celery("mentorship")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

HEARTBEAT_TASK = "mentorship.tasks.heartbeat"


@setup_logging.connect
def _keep_django_logging(loglevel=None, **kwargs):
    # Django's LOGGING (JSON lines with request and task ids, scrubbed: mentorship/logs.py) is the
    # worker's and beat's too. Answering this signal stops Celery from replacing the root handler
    # with its own format and from turning print() output into log lines (the development email
    # backend prints whole messages); only the level given on the command line is applied.
    if loglevel:
        logging.getLogger().setLevel(loglevel)


@task_prerun.connect
def _bind_task_id(task_id=None, **kwargs):
    logs.clear()
    logs.bind(task_id=task_id)


@task_postrun.connect
def _unbind_task_id(**kwargs):
    logs.clear()


@beat_init.connect
def _beat_started(sender, **kwargs):
    # Connected here, so only the beat process records "beat": each heartbeat it sends says that
    # beat is alive, whether or not a worker runs it (the worker records "worker").
    before_task_publish.connect(_beat_sends_heartbeat, sender=HEARTBEAT_TASK, weak=False)
    # Beat's first interval tick is 30 s after it starts; send one at once so that /readyz turns
    # green as soon as beat and a worker are really up.
    sender.app.send_task(HEARTBEAT_TASK)


def _beat_sends_heartbeat(sender, **kwargs):
    from django.db import DatabaseError, close_old_connections

    from mentorship import services

    # Beat has no requests to close its connection after: drop one that a database restart broke
    # before writing, and keep none open between the 30 s ticks.
    close_old_connections()
    try:
        services.heartbeat_record(name="beat")
    except DatabaseError as exc:
        logger.warning("beat could not record its heartbeat (%s)", type(exc).__name__)
    finally:
        close_old_connections()
