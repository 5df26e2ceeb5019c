"""Readiness of a deployment: one function that /readyz, ``manage.py status`` and the staff banner read.

/healthz stays trivial (the process answers). Readiness asks more: the database answers; with a
broker, Redis answers, the scheduler published its heartbeat recently and a worker ran it; and how
much work waits (sends not finished, messages in the broker's queue, dead letters).

The heartbeat is the periodic task ``core.heartbeat`` (every LIFELINE_HEARTBEAT_SECONDS, 60 by default): the
scheduler stamps ``lifeline:scheduler`` when it publishes it, the worker ``lifeline:worker`` when it
runs it. Both stamps live in the broker's Redis, so every web node sees the same ones.

``core`` knows no registry: the apps whose work can wait tell it how to count it
(``register_waiting_work``, called from their ``AppConfig.ready``; messaging counts its sends).
"""

import logging
import time

from django.conf import settings
from django.db import connection

log = logging.getLogger(__name__)

SCHEDULER_KEY = "lifeline:scheduler"
WORKER_KEY = "lifeline:worker"


def stale_after():
    """Seconds without a heartbeat after which the scheduler or the workers count as down: three missed."""
    return 3 * settings.HEARTBEAT_SECONDS


def broker_redis():
    """A Redis client on the broker, or None without a Redis broker."""
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return None
    import redis

    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def stamp(key, client=None):
    """Record now under ``key`` (scheduler or worker heartbeat); never raises."""
    try:
        client = client or broker_redis()
        if client is not None:
            client.set(key, str(time.time()), ex=24 * 3600)
    except Exception:  # a heartbeat must never break the process that stamps it
        log.warning("could not record the heartbeat %s", key, exc_info=True)


def _age(client, key, now):
    value = client.get(key)
    return None if value is None else round(now - float(value), 1)


_COUNTERS = []  # functions returning {name: count} of work that waits for a worker
_PENDING = []  # functions returning True when work waits for a worker


def register_waiting_work(counts, pending):
    """An app tells readiness what of its work waits: ``counts()`` -> {name: number} for /readyz and
    ``lifeline status``; ``pending()`` -> bool for the staff banner when no worker runs."""
    if counts not in _COUNTERS:
        _COUNTERS.append(counts)
    if pending not in _PENDING:
        _PENDING.append(pending)


def waiting_work():
    """Every app's waiting work (for messaging: sends not finished, deliveries queued, dead letters)."""
    found = {}
    for counts in _COUNTERS:
        found.update(counts())
    return found


def readiness():
    """{"ready": bool, "checks": {...}, "problems": [...]}; every check is bounded by a short timeout."""
    checks, problems = {}, []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
        checks.update(waiting_work())
    except Exception as exc:  # reported, not raised
        checks["database"] = "error"
        problems.append(f"database: {exc.__class__.__name__}: {exc}")
    if not settings.CELERY_BROKER_URL:
        checks["broker"] = "none (tasks run inside the web process)"
        return {"ready": not problems, "checks": checks, "problems": problems}
    client = broker_redis()
    if client is None:
        checks["broker"] = "not Redis: not checked"
        return {"ready": not problems, "checks": checks, "problems": problems}
    try:
        client.ping()
        checks["broker"] = "ok"
        now = time.time()
        checks["scheduler_seconds_ago"] = _age(client, SCHEDULER_KEY, now)
        checks["worker_seconds_ago"] = _age(client, WORKER_KEY, now)
        queues = {"celery", settings.MESSAGING_QUEUE}
        checks["broker_queue"] = sum(client.llen(q) for q in sorted(queues))
        for name in ("scheduler", "worker"):
            age = checks[f"{name}_seconds_ago"]
            if age is None or age > stale_after():
                problems.append(f"{name}: no heartbeat in the last {stale_after()} s")
    except Exception as exc:
        checks["broker"] = "error"
        problems.append(f"broker: {exc.__class__.__name__}: {exc}")
    return {"ready": not problems, "checks": checks, "problems": problems}


def sends_stuck():
    """True when sends wait and no worker has run a heartbeat lately: staff are told (base template)."""
    if not settings.CELERY_BROKER_URL:
        return False
    try:
        client = broker_redis()
        if client is None:
            return False
        age = _age(client, WORKER_KEY, time.time())
        if age is not None and age <= stale_after():
            return False
        return any(pending() for pending in _PENDING)
    except Exception:  # the banner must never break a page
        log.warning("could not check the workers", exc_info=True)
        return True
