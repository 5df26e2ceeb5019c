"""The world the role matrix asks about: the demo deployment, plus a second object of each kind.

``core.demo.load`` builds the host country (a civil defence directorate with its Amman and
Irbid branches, a Red Crescent society, an NGO, an immigration department, an international
organisation) and the home country (a foreign ministry and posts in Amman and Beirut with
different jurisdictions), a user per role (see README, "A short tour") and one object of most
kinds. ``build`` adds what the demo lacks so that every page that takes an id can be asked
about two objects:

- "A", the Amman side: owned by the directorate's Amman branch (host registries) or the
  Philippine Embassy in Amman (people, crises, cases);
- "B", the other side: owned by the Workers' Rights Centre NGO (host registries) or the
  Philippine Embassy in Beirut (people, crises, cases). Crisis "B" is led by Beirut and also
  covers Jordan, so the Amman post sees it read-only: the shared-crisis case.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from lifeline.core.audit import acting_as
from lifeline.core.models import ApiToken, Organisation

# Columns of the table, in order. "anon" is nobody logged in.
ROLES = (
    "anon",
    "admin",
    "coordinator",
    "officer",
    "viewer",
    "partner",
    "trainer",
    "immigration",
    "consul",
    "ministry",
)


def _org(short):
    return Organisation.objects.get(short_name=short)


def build():
    """Load the demo, add the "B" objects; return (ids, users, tokens)."""
    from lifeline.core import demo

    demo.load()
    with acting_as(None, via="demo"):
        return _extras()


def _extras():
    from lifeline.advice.models import AdviceText, AdviceVersion, Briefing, TravelAdvice
    from lifeline.advice.models import State as AdviceState
    from lifeline.alerts.models import Alert, FeedSubscription
    from lifeline.alerts.services import default_sender
    from lifeline.cases.models import Case, CaseTeam
    from lifeline.communities.models import CommunityProfile
    from lifeline.communities.services import record_version
    from lifeline.crises import services as crisis_services
    from lifeline.crises.models import CheckInProposal, CheckInRequest, Crisis
    from lifeline.directory.models import KeyContact
    from lifeline.evacuation import services as evacuation_services
    from lifeline.evacuation.models import AssemblyPoint, ChildChecklist, Evacuee, Transport
    from lifeline.geo.models import AdminArea, Country
    from lifeline.interpreters.models import Interpreter
    from lifeline.messaging.models import Send
    from lifeline.nationals.models import Registration

    User = get_user_model()
    amman_branch, ngo = _org("JCD-AMM"), _org("WRC")
    jcd, mfa = _org("JCD"), _org("DFA-OMWA")
    post_a, post_b = _org("PE-AMM"), _org("PE-BEY")
    jordan, lebanon, philippines = (Country.objects.get(code=c) for c in ("JO", "LB", "PH"))

    ids = {}
    # Host registries.
    contact_a = KeyContact.objects.filter(organisation=amman_branch, kind="individual").first()
    if contact_a is None:
        contact_a = KeyContact.objects.create(
            organisation=amman_branch,
            name="Matrix individual",
            kind="individual",
            category="community_leader",
        )
    contact_b = KeyContact.objects.filter(organisation=ngo, kind="organisation").first()
    ids["contact"] = (contact_a.pk, contact_b.pk)

    communities = []
    for owner in (amman_branch, ngo):
        profile = CommunityProfile.objects.create(
            organisation=owner, name=f"Matrix community of {owner.short_name}"
        )
        record_version(profile, note="matrix")
        communities.append(profile.pk)
    ids["community"] = tuple(communities)
    interpreters = [
        Interpreter.objects.filter(organisation=owner).order_by("pk").first() for owner in (amman_branch, ngo)
    ]
    for interpreter in interpreters:
        # A known address: pages that may not show people's contact details must not show it.
        interpreter.email = f"matrix-interpreter-{interpreter.pk}@example.org"
        interpreter.save()
    ids["interpreter"] = tuple(interpreter.pk for interpreter in interpreters)

    # People: registrations, the B crisis with its campaign, evacuation and a child's checklist.
    reg_a = Registration.objects.filter(organisation=post_a).order_by("pk").first()
    reg_b = Registration.objects.create(
        organisation=post_b,
        given_names="Matrix",
        family_name="Beirutonly",
        nationality=philippines,
        country=lebanon,
        languages=["fil", "en"],
        phone="+9613123456",
        date_of_birth=timezone.localdate() - datetime.timedelta(days=365 * 15),
    )
    ids["registration"] = (reg_a.pk, reg_b.pk)
    # Another national of the Beirut post, left off the evacuation; first on the list of those
    # not yet assigned (ordered by area name), whatever the database does with empty areas.
    Registration.objects.create(
        organisation=post_b,
        given_names="Matrix",
        family_name="Aa Beirutonly",
        nationality=philippines,
        country=lebanon,
        area=AdminArea.objects.create(country=lebanon, pcode="LB-MATRIX", name="Aa Matrix district"),
        languages=["en"],
        phone="+9613123457",
    )

    # Likely duplicates: a second record for the side-by-side page, and a merge (to view and undo) of
    # two records made for it on each side, named to sort last.
    from lifeline.nationals import duplicates

    twin_b = Registration.objects.get(organisation=post_b, family_name="Aa Beirutonly")
    twin_a = Registration.objects.filter(organisation=post_a).exclude(pk=reg_a.pk).order_by("pk").first()
    ids["twin"] = (twin_a.pk, twin_b.pk)
    merges = []
    for post, country, phone in ((post_a, jordan, "+962790000999"), (post_b, lebanon, "+9613000999")):
        pair = [
            Registration.objects.create(
                organisation=post,
                given_names=f"Matrix twin {n}",
                family_name="Zz Merged",
                nationality=philippines,
                country=country,
                phone=phone,
            )
            for n in (1, 2)
        ]
        merges.append(duplicates.merge(pair[0], pair[1], None).pk)
    ids["merge"] = tuple(merges)

    crisis_a = Crisis.objects.filter(organisation=post_a).order_by("pk").first()
    crisis_b = Crisis.objects.create(name="Matrix crisis led by Beirut", organisation=post_b, country=lebanon)
    crisis_b.countries.set([lebanon, jordan])
    crisis_services.materialise(crisis_b)
    ids["crisis"] = (crisis_a.pk, crisis_b.pk)
    ids["crisis_token"] = (crisis_a.public_token, crisis_b.public_token)
    campaign_a = crisis_a.campaigns.order_by("pk").first()
    campaign_b = crisis_services.start_campaign(crisis_b, {"en": "Are you safe?"}, send=False)
    ids["campaign"] = (campaign_a.pk, campaign_b.pk)
    ids["checkin"] = (
        CheckInRequest.objects.filter(campaign=campaign_a, registration__organisation=post_a).first().pk,
        CheckInRequest.objects.get(campaign=campaign_b, registration=reg_b).pk,
    )
    proposals = []
    alert_a = Alert.objects.filter(organisation=amman_branch).order_by("pk").first()
    for post in (post_a, post_b):
        proposals.append(
            CheckInProposal.objects.create(
                organisation=post, alert=alert_a, headline="Matrix proposal", people=1
            ).pk
        )
    ids["proposal"] = tuple(proposals)
    from lifeline.risk.models import GdacsEvent, GdacsProposal, OriginLanguage

    event = GdacsEvent.objects.create(
        event_type="EQ", event_id=9000001, episode_id=1, alert_level="Red", name="Matrix GDACS event"
    )
    ids["gdacs_proposal"] = tuple(
        GdacsProposal.objects.create(
            organisation=post,
            event=event,
            kind="checkin",
            headline="Matrix GDACS",
            alert_level="Red",
            episode_id=1,
            people=1,
        ).pk
        for post in (post_a, post_b)
    )
    row = OriginLanguage.objects.get(country="PH", language="fil")
    ids["origin_language"] = (row.pk, row.pk)

    point_a = AssemblyPoint.objects.filter(crisis=crisis_a).order_by("pk").first()
    transport_a = Transport.objects.filter(crisis=crisis_a).order_by("pk").first()
    point_b = AssemblyPoint.objects.create(crisis=crisis_b, name="Beirut port, gate 1", capacity=50)
    transport_b = Transport.objects.create(
        crisis=crisis_b, name="Ferry 1", capacity=50, destination="Larnaca"
    )
    evacuation_services.assign(crisis_b, [reg_b.pk], point_b, transport_b)
    evacuee_b = Evacuee.objects.get(crisis=crisis_b, registration=reg_b)
    evacuation_services.ensure_checklists(Evacuee.objects.filter(pk=evacuee_b.pk))
    ids["point"] = (point_a.pk, point_b.pk)
    ids["transport"] = (transport_a.pk, transport_b.pk)
    ids["evacuee"] = (
        Evacuee.objects.filter(crisis=crisis_a, registration__organisation=post_a).order_by("pk").first().pk,
        evacuee_b.pk,
    )
    ids["checklist"] = (
        ChildChecklist.objects.filter(evacuee__crisis=crisis_a).order_by("pk").first().pk,
        ChildChecklist.objects.get(evacuee=evacuee_b).pk,
    )

    # Cases and teams.
    ids["case"] = tuple(
        Case.objects.filter(organisation=post).order_by("pk").first().pk for post in (post_a, post_b)
    )
    team_a = CaseTeam.objects.filter(organisation=post_a).first()
    team_b = CaseTeam.objects.create(organisation=post_b, name="Matrix team")
    ids["team"] = (team_a.pk, team_b.pk)

    # Travel advice: the ministry's Jordan advice, and an advice and briefing of the Beirut post.
    advice_a = TravelAdvice.objects.get(organisation=mfa, country=jordan, area=None, region="")
    advice_b = TravelAdvice.objects.create(organisation=post_b, country=lebanon, region="Matrix region")
    ministry = User.objects.get(username="ministry")
    version_b = AdviceVersion.objects.create(
        advice=advice_b,
        number=1,
        state=AdviceState.DRAFT,
        last_reviewed=timezone.localdate(),
        author=ministry,
    )
    AdviceText.objects.create(version=version_b, language="en", summary="Matrix summary")
    ids["advice"] = (advice_a.pk, advice_b.pk)
    ids["version"] = (advice_a.versions.order_by("-number").first().pk, version_b.pk)
    briefing_a = Briefing.objects.get(organisation=mfa, country=jordan)
    briefing_b = Briefing.objects.create(
        organisation=post_b, country=lebanon, last_reviewed=timezone.localdate()
    )
    ids["briefing"] = (briefing_a.pk, briefing_b.pk)

    # Alerts (A: the demo's published flood alert of the Amman branch; B: a draft of the NGO) and feeds.
    alert_b = Alert.objects.create(organisation=ngo, sender=default_sender(ngo), note="Matrix draft")
    ids["alert"] = (alert_a.pk, alert_b.pk)
    ids["alert_identifier"] = (alert_a.identifier, alert_a.identifier)
    ids["feed"] = tuple(
        FeedSubscription.objects.create(
            organisation=owner, name="Matrix feed", url=f"https://feeds.invalid/{n}"
        ).pk
        for n, owner in enumerate((amman_branch, ngo))
    )
    # An alert subscription's "change my places" link: public, the same for everyone who holds it.
    from lifeline.messaging.models import AlertSubscriber
    from lifeline.messaging.services import change_token

    subscriber = AlertSubscriber.objects.create(
        organisation=jcd,
        channel="email",
        address="matrix-subscriber@example.org",
        languages=["en"],
        confirmed=True,
    )
    subscriber.areas.set(
        [amman_branch.jurisdiction_areas.first()] if amman_branch.jurisdiction_areas.exists() else []
    )
    subscriber.whole_country = not subscriber.areas.exists()
    subscriber.save()
    ids["subscription_token"] = (change_token(subscriber), change_token(subscriber))
    # Sends: A of the directorate (the demo's), B of the Amman post.
    send_a = Send.objects.filter(organisation=jcd).order_by("pk").first()
    send_b = Send.objects.create(
        organisation=post_a,
        name="Matrix send",
        audience={"kind": "staff", "organisation_ids": [post_a.pk]},
        texts={"en": {"subject": "s", "body": "b", "short": "b"}},
        channels=["email"],
    )
    ids["send"] = (send_a.pk, send_b.pk)

    # Plans: A the demo's flood plan of the Amman branch (assessed twice), B a plan of the NGO.
    from lifeline.plans.models import AnswerRecord, Assessment, ChecklistTemplate, Item, Plan

    version = ChecklistTemplate.objects.get(key="contingency-plan-accounts-for-migrants").published()
    ids["checklist_template"] = (version.template_id, version.template_id)
    plan_a = Plan.objects.filter(organisation=amman_branch).order_by("pk").first()
    plan_b = Plan.objects.create(organisation=ngo, title="Matrix plan of the NGO")
    ids["plan"] = (plan_a.pk, plan_b.pk)
    assessment_a = Assessment.objects.filter(plan=plan_a).order_by("-assessed_on").first()
    assessment_b = Assessment.objects.create(
        organisation=ngo, version=version, plan=plan_b, assessed_on=timezone.localdate()
    )
    item = Item.objects.filter(section__version=version).order_by("section__position", "position").first()
    answer_b = AnswerRecord.objects.create(
        assessment=assessment_b, item=item, answer="yes", evidence_link="https://example.org/minutes"
    )
    ids["assessment"] = (assessment_a.pk, assessment_b.pk)
    ids["answer"] = (assessment_a.answers.order_by("pk").first().pk, answer_b.pk)

    # Core: organisations, staff profiles and API tokens of the officer and the partner.
    ids["organisation"] = (amman_branch.pk, ngo.pk)
    ids["post"] = (post_a.pk, post_b.pk)
    ids["beirut"] = (post_b.pk, post_b.pk)
    users = {name: User.objects.get(username=name) for name in ROLES if name != "anon"}
    ids["staff"] = (users["officer"].profile.pk, users["partner"].profile.pk)
    tokens = {}
    for name, user in users.items():
        token, raw = ApiToken.issue(user, "matrix")
        tokens[name] = (token.pk, raw)
    ids["token"] = (tokens["officer"][0], tokens["partner"][0])
    return ids, users, {name: raw for name, (_pk, raw) in tokens.items()}


def log_in(client, user):
    """Log the client in with a verified second factor (as conftest.verified_client), whether or not
    the role needs one, so that the answers below are about permissions only."""
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="matrix", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
