"""The Celery app: broker is Redis, configuration comes from Django settings (CELERY_*)."""

import os

from celery import Celery
from celery.signals import beat_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")

app = Celery("mentorship")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@beat_init.connect
def _heartbeat_at_start(sender, **kwargs):
    # Beat's first interval tick is 30 s after it starts; send one at once so that /readyz turns
    # green as soon as beat and a worker are really up.
    sender.app.send_task("mentorship.tasks.heartbeat")
