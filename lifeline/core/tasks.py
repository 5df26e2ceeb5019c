"""Periodic task that proves the scheduler and a worker run (see core/health.py)."""

from celery import shared_task

from lifeline.core import health


@shared_task(name="core.heartbeat", ignore_result=True)
def heartbeat():
    health.stamp(health.WORKER_KEY)
