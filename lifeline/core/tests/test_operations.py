"""What operators run: readiness (/readyz, `status`), the staff banner, first administrator, keys, key checks."""

import io
import json
import time

import pytest
import redis
from cryptography.fernet import Fernet
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection

from lifeline.core import health, keys
from lifeline.core.models import Role, Scope, StaffProfile
from lifeline.directory.models import KeyContact
from lifeline.messaging.models import Delivery, Send

# A Redis database of its own on the local Redis, so that other suites' keys never meet these.
BROKER = "redis://127.0.0.1:6379/13"


@pytest.fixture
def broker(settings, db):
    client = redis.Redis.from_url(BROKER)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    client.delete(health.SCHEDULER_KEY, health.WORKER_KEY)
    settings.CELERY_BROKER_URL = BROKER
    yield client
    client.delete(health.SCHEDULER_KEY, health.WORKER_KEY)


def test_healthz_stays_trivial(client):
    # No database fixture: any query would raise.
    assert client.get("/healthz").content == b"ok\n"


def test_readyz_without_a_broker_checks_the_database(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


def test_readyz_is_not_ready_until_the_scheduler_and_a_worker_beat(client, broker):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert {p.split(":")[0] for p in response.json()["problems"]} == {"scheduler", "worker"}
    health.stamp(health.SCHEDULER_KEY)
    health.stamp(health.WORKER_KEY)
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["worker_seconds_ago"] < 5


def test_an_old_heartbeat_is_not_ready(client, broker, settings):
    settings.HEARTBEAT_SECONDS = 10
    broker.set(health.SCHEDULER_KEY, str(time.time()))
    broker.set(health.WORKER_KEY, str(time.time() - 31))
    report = client.get("/readyz").json()
    assert not report["ready"] and report["problems"] == ["worker: no heartbeat in the last 30 s"]


def test_readyz_reports_an_unreachable_broker_without_hanging(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # discard port: nothing listens
    started = time.monotonic()
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["broker"] == "error"
    assert time.monotonic() - started < 5


def test_the_heartbeat_task_stamps_the_worker_and_publishing_it_the_scheduler(broker, settings):
    from celery.signals import before_task_publish

    import lifeline.celery  # noqa: F401 - connects the publishing hook
    from lifeline.core.tasks import heartbeat

    heartbeat.run()
    assert broker.get(health.WORKER_KEY)
    assert broker.get(health.SCHEDULER_KEY) is None
    before_task_publish.send(sender="messaging.sweep", body=(), exchange="", routing_key="celery")
    assert broker.get(health.SCHEDULER_KEY) is None
    before_task_publish.send(sender="core.heartbeat", body=(), exchange="", routing_key="celery")
    assert broker.get(health.SCHEDULER_KEY)
    assert settings.CELERY_BEAT_SCHEDULE["core-heartbeat"]["task"] == "core.heartbeat"


def test_status_counts_waiting_work_and_fails_when_not_ready(broker, org_a):
    Send.objects.create(organisation=org_a, name="x", audience={}, texts={}, channels=["email"])
    out = io.StringIO()
    with pytest.raises(CommandError, match="worker"):
        call_command("status", stdout=out)
    report = json.loads(out.getvalue())
    assert report["checks"]["sends_waiting"] == 1 and report["checks"]["dead_letters"] == 0


def test_staff_who_send_see_a_banner_when_sends_wait_without_a_worker(broker, org_a, make_user, login):
    Send.objects.create(organisation=org_a, name="x", audience={}, texts={}, channels=["email"])
    client = login(make_user(org_a, role=Role.COORDINATOR))
    banner = "no background worker is running"
    assert banner in client.get("/").content.decode()
    health.stamp(health.WORKER_KEY)
    assert banner not in client.get("/").content.decode()


def test_no_banner_without_sends_waiting(broker, org_a, make_user, login):
    client = login(make_user(org_a, role=Role.COORDINATOR))
    assert "no background worker" not in client.get("/").content.decode()


def test_first_admin_makes_the_organisation_and_an_administrator(db, monkeypatch):
    monkeypatch.setenv("LIFELINE_ADMIN_PASSWORD", "A-long-enough-passphrase-42")
    out = io.StringIO()
    call_command(
        "first_admin",
        "--organisation=Civil Defence",
        "--country=jo",
        "--username=alice",
        "--email=alice@example.org",
        stdout=out,
    )
    profile = StaffProfile.objects.get(user__username="alice")
    assert (profile.role, profile.scope, profile.organisation.country.code) == (
        Role.ADMINISTRATOR,
        Scope.DEPLOYMENT,
        "JO",
    )
    assert profile.user.is_superuser and "authenticator app" in out.getvalue()
    with pytest.raises(CommandError, match="exists already"):
        call_command("first_admin", "--organisation=X", "--country=JO", "--username=alice", "--email=a@b.org")


def test_first_admin_refuses_a_weak_password_and_changes_nothing(db, monkeypatch):
    monkeypatch.setenv("LIFELINE_ADMIN_PASSWORD", "short")
    with pytest.raises(CommandError):
        call_command(
            "first_admin", "--organisation=X", "--country=JO", "--username=bob", "--email=b@example.org"
        )
    assert not StaffProfile.objects.exists()


def test_send_test_message_goes_through_the_engine(org_a, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_test_message", "ops@example.org", "--copies=3", stdout=io.StringIO())
    assert sorted(m.to[0] for m in mail.outbox) == [f"ops+{i}@example.org" for i in (1, 2, 3)]
    assert set(Delivery.objects.values_list("state", flat=True)) <= {"sent", "delivered"}


def test_send_test_message_without_an_organisation_says_what_to_do(db):
    with pytest.raises(CommandError, match="no organisation"):
        call_command("send_test_message", "ops@example.org")


def test_keys_prints_every_key_the_product_needs(capsys):
    keys.main([])
    lines = dict(line.split("=", 1) for line in capsys.readouterr().out.splitlines())
    assert set(lines) == {
        "SECRET_KEY",
        "LIFELINE_ENCRYPTION_KEYS",
        "LIFELINE_INDEX_KEY",
        "VAPID_PRIVATE_KEY",
        "VAPID_PUBLIC_KEY",
    }
    Fernet(lines["LIFELINE_ENCRYPTION_KEYS"].encode())
    assert len(lines["LIFELINE_INDEX_KEY"]) >= 40


def test_check_keys_fails_on_a_value_no_configured_key_reads(org_a, settings):
    contact = KeyContact.objects.create(
        organisation=org_a, name="A", channels=[{"type": "email", "value": "a@b.org"}]
    )
    call_command("check_keys", stdout=io.StringIO())
    foreign = Fernet(Fernet.generate_key()).encrypt(b"[]").decode()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE directory_keycontact SET channels = %s WHERE id = %s", [foreign, contact.pk])
    with pytest.raises(CommandError, match="1 encrypted values cannot be read"):
        call_command("check_keys", stdout=io.StringIO())
