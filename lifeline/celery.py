"""Celery application: workers run the same task code that the embedded default runs in-process."""

import os

from celery import Celery
from celery.signals import before_task_publish

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lifeline.settings")

app = Celery("lifeline")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@before_task_publish.connect
def _scheduler_heartbeat(sender=None, **kwargs):
    """The scheduler stamps its heartbeat when it publishes ``core.heartbeat`` (core/health.py)."""
    if sender == "core.heartbeat":
        from lifeline.core import health

        health.stamp(health.SCHEDULER_KEY)
