# The Celery app is loaded with Django so that tasks bind to it (shared_task).
from mentorship.celery import app as celery_app

__all__ = ["celery_app"]
