"""Sending Celery tasks from web code.

Tasks go out only after the surrounding transaction commits (a worker must find the rows the task
is about), and sending never holds up or breaks a web request: if the broker is unreachable the
failure is logged and the request carries on. Work that must not be lost is therefore also
computed from the database by the periodic sweeps, which pick it up once Redis is back.
"""

import logging
from functools import partial

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(task, *args, **kwargs):
    """Send ``task(*args, **kwargs)`` after commit (at once when no transaction is open)."""
    transaction.on_commit(partial(_send, task, args, kwargs, {}), robust=True)


def enqueue_with_options(task, *, args=(), kwargs=None, **options):
    """As ``enqueue``, with Celery's apply_async options (queue, countdown, ...)."""
    transaction.on_commit(partial(_send, task, tuple(args), kwargs or {}, options), robust=True)


def _send(task, args, kwargs, options):
    # A connection of its own with no reconnect loop: kombu's default would retry for seconds.
    transport_options = {**task.app.conf.broker_transport_options, "max_retries": 0}
    try:
        with task.app.connection_for_write(transport_options=transport_options) as connection:
            task.apply_async(args=args, kwargs=kwargs, connection=connection, retry=False, **options)
    except Exception as exc:  # kombu raises several kinds; none may reach the user
        logger.warning("could not send task %s (%s); it was not queued", task.name, type(exc).__name__)
