"""A real Celery worker, killed in the middle of a send and restarted, loses and duplicates nothing.

PostgreSQL and Redis only: the worker is a separate process that must see the
test database, and the broker must keep what a dead worker held.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from lifeline.messaging.models import Delivery, Send, SendStatus, State
from tests.rigs.loopback import GatewayThread

BROKER = os.environ.get("CRASH_TEST_BROKER", "redis://127.0.0.1:6379/13")
ROOT = Path(settings.BASE_DIR)
RECIPIENTS = 3000
CHUNK = 50


def _redis_up():
    try:
        import redis

        return redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping()
    except Exception:
        return False


pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: the worker process must share the test database",
    ),
    pytest.mark.skipif(not _redis_up(), reason=f"needs Redis at {BROKER}"),
    pytest.mark.django_db,
]

# The worker cannot see rows inside the test's transaction, and a transactional test's flush is refused by
# the append-only audit log; so the drill's rows are written, and removed, by a helper process that commits
# them (without audit entries: Send rows are bulk-created, no one's personal data is involved).
SETUP = """
import django, json, sys
django.setup()
from lifeline.core.models import Organisation
from lifeline.geo.models import Country
from lifeline.messaging.models import Send
from lifeline.messaging import tasks, services
country, _ = Country.objects.get_or_create(code="ZZ", defaults={"iso3": "ZZZ"})
org = Organisation.objects.create(name="Crash drill", kind="civil_protection", country=country)
audience = {"kind": "static", "recipients": [{"key": f"r:{i:05d}", "languages": ["en"], "addresses": {"sms": f"+1555{i:07d}"}}
                                             for i in range(int(sys.argv[1]))]}
texts = {"en": {"subject": "Drill", "body": "This is a drill.", "short": "Drill"}}
(send,) = Send.objects.bulk_create([Send(organisation=org, name="Drill", audience=audience, texts=texts, channels=["sms"])])
tasks.resolve_send.apply_async((send.pk,), queue=services.queue())
print(json.dumps({"send": send.pk}))
"""
CLEANUP = """
import django, sys
django.setup()
from lifeline.core.models import Organisation
from lifeline.geo.models import Country
from lifeline.messaging.models import Send
send = Send.objects.filter(pk=int(sys.argv[1])).first()
if send is not None:
    org = send.organisation
    send.deliveries.all().delete()
    Send.objects.filter(pk=send.pk).delete()
    org.delete()
Country.objects.filter(code="ZZ").delete()
"""


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _worker(env):
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "lifeline",
            "worker",
            "-Q",
            env["MESSAGING_QUEUE"],
            "-c",
            "2",
            "-P",
            "prefork",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait(condition, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_a_worker_killed_mid_send_loses_and_duplicates_nothing():
    import json

    queue = f"crash-test-{os.getpid()}"
    port = _free_port()
    with GatewayThread(port, delay=0.25) as url:
        env = dict(
            os.environ,
            DJANGO_SETTINGS_MODULE="tests.rigs.loopback_settings",
            DATABASE_URL=_database_url(),
            BROKER_URL=BROKER,
            MESSAGING_QUEUE=queue,
            LOOPBACK_GATEWAY_URL=url,
            LOOPBACK_MAX_BATCH=str(CHUNK),
            MESSAGING_BATCH_SIZE="200",
            MESSAGING_SEND_CHUNK=str(CHUNK),
            BROKER_VISIBILITY_TIMEOUT="3",
        )
        stats = _stats_of(url)
        made = subprocess.run(
            [sys.executable, "-c", SETUP, str(RECIPIENTS)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        send_id = json.loads(made.stdout.strip().splitlines()[-1])["send"]
        first = _worker(env)
        killed_at = 0
        try:
            assert _wait(lambda: stats()["accepted"] >= RECIPIENTS // 3, 90), "the first worker sent nothing"
            os.killpg(first.pid, signal.SIGKILL)  # the worker and its pool, in the middle of the send
            first.wait(10)
            killed_at = stats()["accepted"]
            second = _worker(env)
            try:
                done = _wait(lambda: Send.objects.get(pk=send_id).status == SendStatus.DONE, 180)
            finally:
                os.killpg(second.pid, signal.SIGTERM)
                second.wait(30)
            final = stats()
            accepted_ids = set(_ids_of(url))
            expected = set(Delivery.objects.filter(send_id=send_id).values_list("pk", flat=True))
            states = set(Delivery.objects.filter(send_id=send_id).values_list("state", flat=True))
        finally:
            if first.poll() is None:
                os.killpg(first.pid, signal.SIGKILL)
            subprocess.run([sys.executable, "-c", CLEANUP, str(send_id)], cwd=ROOT, env=env, check=False)

    assert done, final
    assert killed_at < RECIPIENTS, "the worker was killed after the send had finished: nothing was tested"
    assert len(expected) == RECIPIENTS
    assert accepted_ids == expected  # none lost, none unexpected
    assert final["accepted"] == RECIPIENTS  # each recipient's message accepted once
    # Only the chunks in flight when the worker died may have been posted twice (with the same idempotency key).
    assert final["resends"] <= 2 * CHUNK
    assert states == {State.SENT}


def _stats_of(url):
    import httpx

    return lambda: httpx.get(f"{url}/stats").json()


def _ids_of(url):
    import httpx

    return httpx.get(f"{url}/ids").json()
