import pytest
from django.core.exceptions import ValidationError

from lifeline.core.models import Language, Role, Scope
from lifeline.directory.models import KeyContact
from lifeline.interpreters.models import Interpreter, LanguagePair
from lifeline.messaging import audiences, services
from lifeline.messaging.models import AlertSubscriber, Delivery
from lifeline.nationals.models import Consent, Purpose

TEXTS = {"en": {"subject": "Check-in", "body": "Are you safe?", "short": "Are you safe?"}}


def _all(definition, limit=2):
    """Every recipient, page by page (the pages are small on purpose)."""
    found, after = [], ""
    while True:
        page = audiences.resolve(definition, after=after, limit=limit)
        found += page
        if len(page) < limit:
            return found
        after = page[-1].key


def _consent(registration, granted=True):
    Consent.objects.create(registration=registration, purpose=Purpose.CRISIS_MESSAGES, granted=granted)
    return registration


def test_nationals_are_those_who_consented_in_the_posts_and_areas(
    post_amman, post_beirut, areas, make_registration, make_user
):
    yes = _consent(make_registration(post_amman, area=areas["amman"], email="m@example.org"))
    _consent(make_registration(post_amman, area=areas["amman"]), granted=False)
    make_registration(post_amman, area=areas["amman"])  # never asked
    _consent(make_registration(post_amman, area=areas["irbid"]))
    _consent(make_registration(post_beirut))
    user = make_user(post_amman)
    definition = audiences.check({"kind": "nationals", "area_ids": [areas["amman"].pk]}, user)
    found = _all(definition)
    assert [r.key for r in found] == [audiences.key("registration", yes.pk)]
    assert found[0].addresses == {"sms": yes.phone, "email": "m@example.org"} and found[0].languages == [
        "fil",
        "en",
    ]


def test_another_post_cannot_send_to_a_posts_nationals(post_amman, post_beirut, make_user):
    user = make_user(post_beirut)
    with pytest.raises(ValidationError):
        audiences.check({"kind": "nationals", "organisation_ids": [post_amman.pk]}, user)
    assert audiences.check({"kind": "nationals"}, user)["organisation_ids"] == [post_beirut.pk]


def test_a_ministry_reaches_all_its_posts(ministry, post_amman, post_beirut, make_registration, make_user):
    for post in (post_amman, post_beirut):
        _consent(make_registration(post))
    user = make_user(ministry, role=Role.COORDINATOR, scope=Scope.CHILDREN)
    assert len(_all(audiences.check({"kind": "nationals"}, user))) == 2


def test_immigration_cannot_reach_nationals(immigration, make_user, post_amman, make_registration):
    _consent(make_registration(post_amman))
    officer = make_user(immigration, role=Role.ADMINISTRATOR, scope=Scope.DEPLOYMENT)
    with pytest.raises(ValidationError):
        audiences.check({"kind": "nationals"}, officer)
    with pytest.raises(ValidationError):
        services.preview_audience({"kind": "nationals"}, TEXTS, user=officer)


def test_subscribers_by_place_confirmed_only_whoever_holds_them(org_a, org_b, areas):
    def sub(org, area, confirmed=True, address="+962791000000"):
        s = AlertSubscriber.objects.create(
            organisation=org, channel="sms", address=address, languages=["ar"], confirmed=confirmed
        )
        s.areas.set([area])
        return s

    a = sub(org_a, areas["amman"], address="+962791000001")
    both = sub(org_a, areas["irbid"], address="+962791000002")
    both.areas.add(areas["amman"])
    sub(org_a, areas["amman"], confirmed=False, address="+962791000003")
    sub(org_a, areas["irbid"], address="+962791000004")
    other = sub(org_b, areas["amman"], address="+962791000005")
    found = _all({"kind": "subscribers", "organisation_ids": [org_a.pk], "area_ids": [areas["amman"].pk]})
    assert [r.key for r in found] == [
        audiences.key("subscriber", s.pk) for s in (a, both, other)
    ]  # places, not who holds the subscription
    assert found[0].addresses == {"sms": "+962791000001"}


def test_contacts_interpreters_and_staff(org_a, org_b, areas, make_user):
    arabic, english = Language.lookup("ar"), Language.lookup("en")
    contact = KeyContact.objects.create(
        organisation=org_a,
        name="Leader",
        kind="individual",
        channels=[{"type": "phone", "value": "+962790000001"}, {"type": "email", "value": "l@example.org"}],
    )
    contact.languages.set([arabic])
    KeyContact.objects.create(
        organisation=org_b, name="Other", channels=[{"type": "sms", "value": "+962790000002"}]
    )
    person = Interpreter.objects.create(
        organisation=org_a, full_name="Rana", phone="+962790000003", consent_stored=True, consent_contact=True
    )
    LanguagePair.objects.create(interpreter=person, source=english, target=arabic)
    Interpreter.objects.create(
        organisation=org_a,
        full_name="Quiet",
        phone="+962790000004",
        consent_stored=True,
        consent_contact=False,
    )
    user = make_user(org_a, role=Role.COORDINATOR)

    (c,) = _all(audiences.check({"kind": "contacts"}, user))
    assert c.addresses == {"sms": "+962790000001", "email": "l@example.org"} and c.languages == ["ar"]
    (i,) = _all(audiences.check({"kind": "interpreters"}, user))
    assert i.addresses == {"sms": "+962790000003"} and i.languages == ["ar", "en"]
    staff = _all(audiences.check({"kind": "staff"}, user))
    assert [r.addresses["email"] for r in staff] == [user.email]


def test_immigration_reaches_organisations_among_contacts_never_individuals(immigration, make_user):
    KeyContact.objects.create(
        organisation=immigration,
        name="Leader",
        kind="individual",
        channels=[{"type": "sms", "value": "+962790000001"}],
    )
    KeyContact.objects.create(
        organisation=immigration,
        name="NGO",
        kind="organisation",
        channels=[{"type": "sms", "value": "+962790000002"}],
    )
    officer = make_user(immigration, role=Role.COORDINATOR)
    assert [r.addresses["sms"] for r in _all(audiences.check({"kind": "contacts"}, officer))] == [
        "+962790000002"
    ]


def test_bad_definitions_are_refused(org_a, make_user):
    user = make_user(org_a)
    for definition in (
        "subscribers",
        {"kind": "nope"},
        {"kind": "subscribers", "area_ids": "1"},
        {"kind": "nationals", "countries": ["Jordan"]},
        {"kind": "static", "recipients": [{"no": "key"}]},
    ):
        with pytest.raises(ValidationError):
            audiences.check(definition, user)


def test_unsubscribing_a_national_withdraws_their_consent(post_amman, make_registration, run):
    registration = _consent(make_registration(post_amman))
    send = run(
        services.start_send,
        organisation=post_amman,
        user=None,
        name="Check-in",
        audience={"kind": "nationals", "organisation_ids": [post_amman.pk]},
        texts=TEXTS,
        channels=["sms"],
    )
    delivery = Delivery.objects.get(send=send)
    assert services.handle_unsubscribe(services.unsubscribe_token(delivery.recipient_key))
    assert Consent.objects.get(registration=registration, purpose=Purpose.CRISIS_MESSAGES).granted is False
    assert audiences.resolve({"kind": "nationals", "organisation_ids": [post_amman.pk]}) == []


def test_preview_names_interpreters_for_missing_languages(org_a, areas, make_user):
    s = AlertSubscriber.objects.create(
        organisation=org_a, channel="sms", address="+962791000001", languages=["so"], confirmed=True
    )
    s.areas.set([areas["amman"]])
    person = Interpreter.objects.create(
        organisation=org_a,
        full_name="Ayaan",
        consent_stored=True,
        consent_contact=True,
        modalities=["written"],
    )
    LanguagePair.objects.create(
        interpreter=person, source=Language.lookup("en"), target=Language.lookup("so")
    )
    user = make_user(org_a, role=Role.COORDINATOR)
    preview = services.preview_audience({"kind": "subscribers"}, TEXTS, user=user)
    assert preview["by_language"] == {"en": 1} and preview["missing_languages"] == {"so": 1}
    assert [(m["name"], m["language"]) for m in preview["interpreters"]] == [("Ayaan", "so")]
