"""One answer, two ways of writing it: ``record_answer`` through the ORM, and the one statement the
check-in fast lane runs on PostgreSQL. Every test runs both ways and holds both to the same rows: the
answer, its audit entry, the request's status, the delivery "answered", duplicates and refusals.

The statement is PostgreSQL's (a data-modifying ``WITH``); on SQLite its half is skipped and the
ORM half still runs, since the ORM is then the only way an answer is written."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lifeline.core.audit import acting_as
from lifeline.core.models import AuditEntry
from lifeline.crises import services
from lifeline.crises.models import CheckInAnswer, CheckInRequest
from lifeline.messaging.audiences import key
from lifeline.messaging.models import Delivery
from lifeline.nationals.models import Consent, DeviceToken, Purpose

PATHS = ["orm", "statement"]


@pytest.fixture(params=PATHS)
def path(request, settings):
    if request.param == "statement" and connection.vendor != "postgresql":
        pytest.skip("the one statement is PostgreSQL's; SQLite writes every answer through the ORM")
    settings.CHECKIN_ONE_STATEMENT = request.param == "statement"
    return request.param


@pytest.fixture
def asked(django_capture_on_commit_callbacks, make_crisis, people, officer):
    """A campaign sent to two people who agreed to crisis messages (so each has a delivery)."""
    for n, person in enumerate(people["inside"][:2]):
        person.email = f"person{n}@example.org"
        person.save()
        Consent.objects.create(registration=person, purpose=Purpose.CRISIS_MESSAGES)
    with django_capture_on_commit_callbacks(execute=True):
        campaign = services.start_campaign(make_crisis(), {"en": "Are you safe?"}, officer)
    campaign.refresh_from_db()
    return campaign


def record(path, answer, **who):
    """``record_answer`` as the app calls it. The ORM inserts through Django's cursor; the statement
    runs on the prepared cursor, so Django sees no INSERT: which shows which path did the work."""
    with acting_as(None, ip="192.0.2.7", via="app"), CaptureQueriesContext(connection) as queries:
        done = services.record_answer(answer, "app", **who)
    inserts = [q["sql"] for q in queries if q["sql"].startswith("INSERT")]
    assert bool(inserts) == (path == "orm" and done.created)
    return done


def rows(campaign, person):
    """Everything an answer of ``person`` wrote, without ids and times (but whether times agree)."""
    answers = []
    for answer in CheckInAnswer.objects.filter(registration=person).order_by("at", "id"):
        entry = AuditEntry.objects.get(object_type="crises.checkinanswer", object_id=str(answer.pk))
        answers.append(
            {
                "answer": (answer.answer, answer.via, answer.note, answer.location, answer.by_id),
                "request": answer.request.campaign_id,
                "audit": (
                    entry.action,
                    entry.fields,
                    entry.ip,
                    entry.via,
                    entry.actor_id,
                    entry.actor_name,
                    entry.organisation_id,
                    entry.object_repr == answer.audit_repr(),
                    entry.reason,
                ),
            }
        )
    request = CheckInRequest.objects.get(campaign=campaign, registration=person)
    newest = CheckInAnswer.objects.filter(request=request).order_by("-at", "-id").first()
    delivery = Delivery.objects.filter(
        send=campaign.send, recipient_key=key("registration", person.pk)
    ).first()
    return {
        "answers": answers,
        "request": (
            request.status,
            request.via,
            request.note,
            newest is not None and request.answered_at == newest.at,
        ),
        "delivery": delivery and (delivery.state, newest is not None and delivery.done_at == newest.at),
    }


AUDIT = (
    "create",
    ["answer", "at", "by_id", "idempotency_key", "location", "note", "registration_id", "request_id", "via"],
    "192.0.2.7",
    "app",
    None,
    "",
    None,
    True,
    "",
)


def test_an_answer_by_the_person_writes_the_answer_its_audit_the_status_and_the_delivery(path, asked, people):
    person = people["inside"][0]
    done = record(
        path,
        "need_help",
        registration_id=person.pk,
        idempotency_key=uuid.uuid4(),
        note="Water inside",
        location="31.95,35.91",
    )
    assert done.created and done.device is None
    assert done.answer == CheckInAnswer.objects.get(registration=person)
    assert done.answer.request_id == asked.requests.get(registration=person).pk
    assert rows(asked, person) == {
        "answers": [
            {
                "answer": ("need_help", "app", "Water inside", "31.95,35.91", None),
                "request": asked.pk,
                "audit": AUDIT,
            }
        ],
        "request": ("need_help", "app", "Water inside", True),
        "delivery": ("answered", True),
    }


def test_an_answer_by_a_device_token_finds_the_device_and_writes_the_same(path, asked, people):
    person = people["inside"][1]
    device, raw = DeviceToken.issue(person, label="phone")
    done = record(path, "safe", token=raw, idempotency_key=uuid.uuid4(), note="Fine")
    assert done.created and done.device.pk == device.pk and done.device.registration_id == person.pk
    assert rows(asked, person) == {
        "answers": [{"answer": ("safe", "app", "Fine", "", None), "request": asked.pk, "audit": AUDIT}],
        "request": ("safe", "app", "Fine", True),
        "delivery": ("answered", True),
    }


def test_a_retry_returns_the_first_answer_and_changes_nothing_even_once_closed(path, asked, people):
    person = people["inside"][0]
    key_ = uuid.uuid4()
    first = record(path, "safe", registration_id=person.pk, idempotency_key=key_)
    before = rows(asked, person)
    again = record(path, "need_help", registration_id=person.pk, idempotency_key=key_, note="Changed")
    assert (again.answer.pk, again.answer.answer, again.created) == (first.answer.pk, "safe", False)
    assert rows(asked, person) == before
    services.close_crisis(asked.crisis)
    late = record(path, "need_help", registration_id=person.pk, idempotency_key=key_)
    assert (late.answer.pk, late.created) == (first.answer.pk, False)
    assert rows(asked, person) == before


def test_a_newer_answer_is_the_status_and_each_is_kept(path, asked, people):
    person = people["inside"][0]
    record(path, "need_help", registration_id=person.pk, idempotency_key=uuid.uuid4())
    record(path, "safe", registration_id=person.pk, idempotency_key=uuid.uuid4())
    found = rows(asked, person)
    assert [a["answer"][0] for a in found["answers"]] == ["need_help", "safe"]
    assert found["request"] == ("safe", "app", "", True) and found["delivery"] == ("answered", True)


def test_an_answer_to_a_named_request_of_an_older_campaign_goes_there(
    path, asked, make_crisis, people, officer
):
    person = people["inside"][0]
    newer = services.start_campaign(make_crisis(), {"en": "Still safe?"}, officer)
    older_request = asked.requests.get(registration=person)
    done = record(
        path, "safe", registration_id=person.pk, idempotency_key=uuid.uuid4(), request_id=older_request.pk
    )
    assert done.answer.request_id == older_request.pk
    done = record(
        path, "need_help", registration_id=person.pk, idempotency_key=uuid.uuid4(), campaign_id=asked.pk
    )
    assert done.answer.request_id == older_request.pk
    done = record(path, "safe", registration_id=person.pk, idempotency_key=uuid.uuid4())
    assert done.answer.request_id == newer.requests.get(registration=person).pk


def test_refusals_write_nothing(path, asked, people):
    person = people["inside"][0]
    device, raw = DeviceToken.issue(person, label="phone")
    with pytest.raises(ValidationError):
        record(path, "no_answer", registration_id=person.pk, idempotency_key=uuid.uuid4())
    with pytest.raises(ValidationError):
        record(path, "maybe", token=raw, idempotency_key=uuid.uuid4())
    # Nobody's token: unknown, too long to be one, revoked, of a merged registration, not registered.
    assert record(path, "safe", token="x" * 64, idempotency_key=uuid.uuid4()) == (None, False, None)
    assert record(path, "safe", token="x" * 300, idempotency_key=uuid.uuid4()) == (None, False, None)
    _unregistered, unregistered_raw = DeviceToken.issue(None, label="new phone")
    assert record(path, "safe", token=unregistered_raw, idempotency_key=uuid.uuid4()) == (None, False, None)
    merged_person = people["inside"][1]
    _merged, merged_raw = DeviceToken.issue(merged_person)
    merged_person.merged_into = person
    merged_person.save()
    assert record(path, "safe", token=merged_raw, idempotency_key=uuid.uuid4()) == (None, False, None)
    device.revoked = True
    device.save()
    assert record(path, "safe", token=raw, idempotency_key=uuid.uuid4()) == (None, False, None)
    # Nothing open to answer: outside the crisis, or the crisis closed.
    outside = people["outside"]
    assert record(path, "safe", registration_id=outside.pk, idempotency_key=uuid.uuid4()) == (
        None,
        False,
        None,
    )
    services.close_crisis(asked.crisis)
    assert record(path, "safe", registration_id=person.pk, idempotency_key=uuid.uuid4()) == (
        None,
        False,
        None,
    )
    assert not CheckInAnswer.objects.exists()
    assert not AuditEntry.objects.filter(object_type="crises.checkinanswer").exists()
    assert set(Delivery.objects.filter(send=asked.send).values_list("state", flat=True)) != {"answered"}
    assert set(asked.requests.values_list("status", flat=True)) == {"no_answer"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the one statement is PostgreSQL's")
def test_both_paths_side_by_side_write_identical_rows(asked, people, settings):
    """The same answers, one person through each path, in one database: the same rows."""
    by_path = {}
    for path, person in zip(PATHS, people["inside"][:2], strict=True):
        settings.CHECKIN_ONE_STATEMENT = path == "statement"
        _device, raw = DeviceToken.issue(person, label="phone")
        retried = uuid.uuid4()
        record(path, "need_help", token=raw, idempotency_key=retried, note="Roof", location="31.95,35.91")
        record(path, "safe", token=raw, idempotency_key=retried)
        record(path, "safe", registration_id=person.pk, idempotency_key=uuid.uuid4(), campaign_id=asked.pk)
        by_path[path] = rows(asked, person)
    assert by_path["orm"] == by_path["statement"]
    assert len(by_path["orm"]["answers"]) == 2


def test_no_table_of_the_statement_is_written_by_hand():
    """The statement and its parts name tables only through the models (``_meta.db_table``): no
    model's table name appears in the modules that build it, so a renamed table cannot go stale."""
    import inspect

    from django.apps import apps

    from lifeline.core import audit
    from lifeline.crises import answering
    from lifeline.messaging import services as messaging
    from lifeline.nationals import auth

    sources = {m.__name__: inspect.getsource(m) for m in (services, answering, audit, messaging, auth)}
    tables = {model._meta.db_table for model in apps.get_models()}
    written = {(name, table) for name, source in sources.items() for table in tables if table in source}
    assert not written
    # and the statement touches exactly these models' tables
    statement = services._build_statement(answering.finder("device"), "campaign")
    touched = {table for table in tables if f" {table} " in statement or f" {table}." in statement}
    assert touched == {
        model._meta.db_table for model in (CheckInAnswer, CheckInRequest, AuditEntry, Delivery, DeviceToken)
    } | {
        apps.get_model(name)._meta.db_table
        for name in ("crises.CheckInCampaign", "crises.Crisis", "nationals.Registration")
    }
