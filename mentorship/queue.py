"""Sending Celery tasks from web code.

Tasks go out only after the surrounding transaction commits (a worker must find the rows the task
is about), and sending never holds up or breaks a web request: if the broker is unreachable the
failure is logged and the request carries on. Work that must not be lost is therefore also
computed from the database by the periodic sweeps, which pick it up once Redis is back.

A hung broker (accepts, never answers) costs a request one short wait at most: each send has
settings.BROKER_PUBLISH_TIMEOUT to connect and to get each reply, and once a send failed, the
later ones of the same request (or Celery task, or command) are skipped and logged without
touching the broker.
"""

import logging
import threading
from functools import partial

from celery.signals import task_prerun
from django.conf import settings
from django.core.signals import request_started
from django.db import transaction

logger = logging.getLogger(__name__)

# Whether a send failed in what this thread is doing now (a request, a task).
_thread = threading.local()


def enqueue(task, *args, **kwargs):
    """Send ``task(*args, **kwargs)`` after commit (at once when no transaction is open)."""
    transaction.on_commit(partial(_send, task, args, kwargs, {}), robust=True)


def enqueue_with_options(task, *, args=(), kwargs=None, **options):
    """As ``enqueue``, with Celery's apply_async options (queue, countdown, ...)."""
    transaction.on_commit(partial(_send, task, tuple(args), kwargs or {}, options), robust=True)


def broker_failure_forget(**kwargs):
    """Each request and each task may try the broker again."""
    _thread.failed = False


request_started.connect(broker_failure_forget, dispatch_uid="mentorship.queue.forget_on_request")
task_prerun.connect(broker_failure_forget, dispatch_uid="mentorship.queue.forget_on_task")


def _send(task, args, kwargs, options):
    if getattr(_thread, "failed", False):
        logger.warning(
            "task %s not queued: the broker did not answer earlier in this request or task", task.name
        )
        return
    timeout = settings.BROKER_PUBLISH_TIMEOUT
    # A connection of its own with no reconnect loop (kombu's default would retry for seconds) and
    # a short timeout (the worker's own, for its long-lived connection, is 5 s).
    transport_options = {
        **task.app.conf.broker_transport_options,
        "max_retries": 0,
        "socket_connect_timeout": timeout,
        "socket_timeout": timeout,
    }
    try:
        with task.app.connection_for_write(transport_options=transport_options) as connection:
            task.apply_async(args=args, kwargs=kwargs, connection=connection, retry=False, **options)
    except Exception as exc:  # kombu raises several kinds; none may reach the user
        _thread.failed = True
        logger.warning("could not send task %s (%s); it was not queued", task.name, type(exc).__name__)
