"""The one write of an interpreter (``interpreters/services.save_interpreter``) that the page and
the API both call: the same rules and messages, the same audit entries, nothing saved when refused,
a version its author did not see refused."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from lifeline.core.models import AuditEntry, Language, Role
from lifeline.core.versions import ChangedMeanwhile, fingerprint
from lifeline.interpreters import services
from lifeline.interpreters.models import AvailabilityWindow, Interpreter, LanguagePair

from .test_interpreter_pages import form_data


def _values(org, **extra):
    return {
        "organisation": org,
        "full_name": "Ana Reyes",
        "phone": "079 123 4567",
        "consent_stored": True,
        "consent_contact": True,
        "modalities": ["consecutive", "remote_video", "consecutive"],
        **extra,
    }


def _pair(source, target, **extra):
    return {"source": Language.lookup(source), "target": Language.lookup(target), **extra}


def _window(weekday, start, end):
    return {"weekday": weekday, "start": datetime.time(start), "end": datetime.time(end)}


@pytest.fixture
def spy(monkeypatch):
    """Every call of ``save_interpreter``, whoever makes it."""
    calls, real = [], services.save_interpreter

    def recording(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "save_interpreter", recording)
    return calls


def test_create_normalises_and_is_audited_as_the_actor(make_user, org_a):
    user = make_user(org_a, role=Role.COORDINATOR)
    saved = services.save_interpreter(
        user, None, _values(org_a), [_pair("tl", "es", both_directions=False)], [_window(0, 9, 17)]
    )
    saved.refresh_from_db()
    assert saved.phone == "+962791234567"  # dialled in Jordan, where its keeper is
    assert saved.modalities == ["consecutive", "remote_video"]
    assert [(p.source.code, p.target.code) for p in saved.pairs.all()] == [("fil", "es")]
    assert AuditEntry.objects.get(action="create", object_id=str(saved.pk)).actor_id == user.pk


def test_refused_input_names_every_field_and_saves_nothing(make_user, org_a, org_b):
    user = make_user(org_a, role=Role.COORDINATOR)
    with pytest.raises(services.Invalid) as refused:
        services.save_interpreter(
            user,
            None,
            _values(org_b, full_name=" ", phone="12", consent_stored=False, email="not-an-address"),
            [_pair("ar", "ar"), _pair("en", "fr", script="Xxxx"), {"source": None, "target": None}],
            [_window(3, 17, 9)],
        )
    errors = refused.value.errors
    assert list(errors)[:5] == ["organisation", "full_name", "phone", "email", "consent_stored"]
    assert errors["pairs[0]"] == ["A language pair needs two different languages."]
    assert "is not an ISO 15924 script code" in errors["pairs[1].script"][0]
    assert errors["pairs[2].source"] == errors["pairs[2].target"] == ["This field is required."]
    assert errors["availability[0]"] == ["“Until” must be after “from”."]
    assert not Interpreter.objects.exists() and not LanguagePair.objects.exists()
    assert not AvailabilityWindow.objects.exists() and not AuditEntry.objects.exists()


def test_a_role_that_may_not_change_interpreters_is_refused(make_user, org_a):
    with pytest.raises(PermissionDenied):
        services.save_interpreter(make_user(org_a, role=Role.VIEWER), None, _values(org_a))
    assert not Interpreter.objects.exists()


def test_a_change_over_a_version_its_author_did_not_see_is_refused(make_user, org_a):
    user = make_user(org_a, role=Role.COORDINATOR)
    saved = services.save_interpreter(user, None, _values(org_a), [_pair("ar", "en")])
    seen = fingerprint(saved)
    services.save_interpreter(user, Interpreter.objects.get(pk=saved.pk), _values(org_a, notes="first"))
    with pytest.raises(ChangedMeanwhile):
        services.save_interpreter(
            user,
            Interpreter.objects.get(pk=saved.pk),
            _values(org_a, notes="second"),
            [_pair("fr", "en")],
            version=seen,
        )
    kept = Interpreter.objects.get(pk=saved.pk)
    assert kept.notes == "first" and list(kept.pairs.values_list("source__code", flat=True)) == []


def test_the_page_and_the_api_write_through_it_with_the_same_answers(
    login, api, make_user, org_a, areas, spy
):
    user = make_user(org_a, role=Role.COORDINATOR)
    bad = {"phone": "12", "pair": ("ar", "ara")}
    page = login(user).post(
        reverse("interpreters:create"),
        form_data(
            org_a,
            phone=bad["phone"],
            **{
                "pairs-TOTAL_FORMS": "1",
                "pairs-0-source": bad["pair"][0],
                "pairs-0-target": bad["pair"][1],
                "pairs-0-proficiency": "3",
            },
        ),
    )
    answer = api(user).post(
        "/api/interpreters",
        {
            "full_name": "Ana Reyes",
            "phone": bad["phone"],
            "consent_stored": True,
            "pairs": [{"source": bad["pair"][0], "target": bad["pair"][1]}],
        },
        content_type="application/json",
    )
    assert page.status_code == 200 and answer.status_code == 422
    errors = answer.json()["errors"]
    page_errors = page.context["form"].errors
    assert page_errors["phone"] == errors["phone"]  # one rule, one message
    assert page.context["pairs"].forms[0].non_field_errors() == errors["pairs[0]"]
    assert not Interpreter.objects.exists()
    assert not AuditEntry.objects.filter(action__in=["create", "update"]).exists()

    # Good input: both save through the one write, and are audited alike.
    spy.clear()
    page = login(user).post(reverse("interpreters:create"), form_data(org_a, phone="0791234567"))
    answer = api(user).post(
        "/api/interpreters",
        {"full_name": "Ana Reyes", "phone": "0791234567", "consent_stored": True, "consent_contact": True},
        content_type="application/json",
    )
    assert page.status_code == 302 and answer.status_code == 201
    assert [by.pk for by in spy] == [user.pk, user.pk]
    by_page, by_api = Interpreter.objects.order_by("pk")
    assert by_page.phone == by_api.phone == "+962791234567"
    entries = [AuditEntry.objects.get(action="create", object_id=str(i.pk)) for i in (by_page, by_api)]
    assert [(e.actor_id, e.object_type) for e in entries] == [(user.pk, entries[0].object_type)] * 2
    assert entries[1].via == "api"


def test_a_stale_page_and_a_stale_put_are_refused(login, api, make_user, org_a, maria):
    user = make_user(org_a, role=Role.COORDINATOR)
    client = login(user)
    opened = client.get(reverse("interpreters:edit", args=[maria.pk])).context["form"]["edit_version"].value()
    etag = api(user).get(f"/api/interpreters/{maria.pk}")["ETag"]
    Interpreter.objects.filter(pk=maria.pk).update(notes="changed meanwhile")

    page = client.post(
        reverse("interpreters:edit", args=[maria.pk]),
        form_data(org_a, full_name="Renamed", edit_version=opened),
    )
    assert page.status_code == 200 and "changed this record" in page.content.decode().replace("\n", " ")
    put = api(user).put(
        f"/api/interpreters/{maria.pk}",
        {"full_name": "Renamed", "consent_stored": True},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
    )
    assert put.status_code == 412 and put.json()["detail"]
    assert Interpreter.objects.get(pk=maria.pk).full_name == "Maria Santos"


def test_a_window_with_a_time_zone_is_refused_not_a_crash(api, make_user, org_a):
    answer = api(make_user(org_a, role=Role.COORDINATOR)).post(
        "/api/interpreters",
        {
            "full_name": "Ana Reyes",
            "consent_stored": True,
            "availability": [{"weekday": 0, "start": "09:00:00+03:00", "end": "17:00"}],
        },
        content_type="application/json",
    )
    assert answer.status_code == 422 and answer.json()["errors"]["availability[0].start"] == [
        "Enter a valid time."
    ]
    assert not Interpreter.objects.exists()
