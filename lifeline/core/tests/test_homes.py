"""Each stream has its own home (a consul's, a planner's), its own branding along the organisation
tree, and a menu grouped by stream (issue 15 §5)."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from lifeline.alerts.models import Alert
from lifeline.cases.services import create_case
from lifeline.core import branding
from lifeline.core.models import Branding, Organisation, OrganisationKind, Role, Scope
from lifeline.crises.models import CheckInCampaign, CheckInRequest, CheckInStatus, Crisis
from lifeline.directory.models import KeyContact


@pytest.fixture
def consul(make_user, post_amman):
    return make_user(post_amman, Role.OFFICER)


@pytest.fixture
def crisis_with_answers(post_amman, post_beirut, jordan, make_registration):
    """An active crisis of the Amman post: four asked there, two answered (one needs help), and one
    asked of a Beirut registration that the Amman consul must not count."""
    crisis = Crisis.objects.create(organisation=post_amman, name="Flash floods", country=jordan)
    campaign = CheckInCampaign.objects.create(crisis=crisis, messages={"en": "Are you safe?"})
    statuses = [CheckInStatus.SAFE, CheckInStatus.NEED_HELP, CheckInStatus.NO_ANSWER, CheckInStatus.NO_ANSWER]
    for status in statuses:
        CheckInRequest.objects.create(
            campaign=campaign, registration=make_registration(post_amman), status=status
        )
    CheckInRequest.objects.create(
        campaign=campaign, registration=make_registration(post_beirut), status=CheckInStatus.SAFE
    )
    return crisis, campaign


def _cases(post_amman, post_beirut, make_registration):
    now = timezone.now()
    for post, due in [
        (post_amman, now - datetime.timedelta(days=1)),
        (post_amman, now + datetime.timedelta(days=3)),
    ]:
        case, _ = create_case(
            category="documents", summary="Passport kept.", registration=make_registration(post)
        )
        case.due_at = due
        case.save(update_fields=["due_at"])
    create_case(category="documents", summary="Elsewhere.", registration=make_registration(post_beirut))


def test_a_consul_home_shows_crises_answer_rates_cases_expiring_and_approvals(
    login, consul, crisis_with_answers, post_amman, post_beirut, make_registration
):
    crisis, campaign = crisis_with_answers
    _cases(post_amman, post_beirut, make_registration)
    make_registration(post_amman, expires_on=timezone.localdate() + datetime.timedelta(days=5))
    make_registration(post_beirut, expires_on=timezone.localdate() + datetime.timedelta(days=5))
    response = login(consul).get(reverse("home"))
    page = response.content.decode()
    figures = response.context
    assert figures["stream"] == "home"
    assert [c.pk for c in figures["crises"]] == [crisis.pk]
    row = figures["crises"][0]
    # Only the post's own people are counted: 2 of 4, not 3 of 5.
    assert (row.asked, row.answered, row.need_help, row.answer_rate) == (4, 2, 1, 50)
    assert figures["cases"] == {"open": 2, "overdue": 1}
    assert figures["expiring"] == 1
    # Every figure links to the work behind it.
    assert reverse("crises:board", args=[campaign.pk]) + "?status=need_help" in page
    assert reverse("cases:list") + "?status=open&amp;overdue=on" in page
    assert reverse("nationals:list") + "?expiring=on" in page
    assert "Gaps to close before an emergency" not in page


def test_the_home_links_lead_to_lists_of_the_same_length(
    login, consul, crisis_with_answers, post_amman, post_beirut, make_registration
):
    _cases(post_amman, post_beirut, make_registration)
    client = login(consul)
    overdue = client.get(reverse("cases:list") + "?status=open&overdue=on")
    assert overdue.status_code == 200 and overdue.context["page_obj"].paginator.count == 1


def test_a_consul_home_needs_few_queries_however_many_crises(
    login, consul, post_amman, jordan, make_registration, django_assert_max_num_queries
):
    client = login(consul)
    client.get(reverse("home"))  # sessions, caches and the like warm up
    for n in range(8):
        crisis = Crisis.objects.create(organisation=post_amman, name=f"Crisis {n}", country=jordan)
        campaign = CheckInCampaign.objects.create(crisis=crisis, messages={"en": "Safe?"})
        CheckInRequest.objects.create(campaign=campaign, registration=make_registration(post_amman))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    for n in range(8, 10):
        Crisis.objects.create(organisation=post_amman, name=f"Crisis {n}", country=jordan)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("home"))
    assert len(response.context["crises"]) == 10
    assert len(few.captured_queries) <= 30


def test_a_planner_home_shows_gaps_alerts_waiting_and_contacts_to_reverify(
    login, make_user, org_a, org_b, django_assert_max_num_queries
):
    planner = make_user(org_a, Role.COORDINATOR)
    KeyContact.objects.create(organisation=org_a, name="Governor's office")
    KeyContact.objects.create(organisation=org_b, name="Someone else's")
    Alert.objects.create(organisation=org_a, state="awaiting")
    Alert.objects.create(organisation=org_b, state="awaiting")
    client = login(planner)
    client.get(reverse("home"))
    with django_assert_max_num_queries(32):  # a query per panel, my actions and plans due among them
        response = client.get(reverse("home"))
    page = response.content.decode()
    assert response.context["stream"] == "host"
    assert response.context["alerts_waiting"] == 1  # the other organisation's is not counted
    assert response.context["counts"]["contacts_stale"] == 1
    assert reverse("alerts:list") + "?state=awaiting" in page
    assert reverse("contacts:reverify") in page
    assert "Gaps to close before an emergency" in page and "Active crises" not in page


def test_the_menu_is_grouped_by_stream_with_the_users_first(login, consul, make_user, org_a):
    page = login(consul).get(reverse("home")).content.decode()
    assert 'id="menu-home"' in page and page.index('id="menu-home"') < page.index(
        'id="menu-admin"' if 'id="menu-admin"' in page else "</nav>"
    )
    assert 'aria-controls="main-menu"' in page and "menu.js" in page
    assert "<script>" not in page  # the fold is a static file: the CSP forbids inline scripts
    planner = make_user(org_a, Role.COORDINATOR)
    page = login(planner).get(reverse("home")).content.decode()
    assert 'id="menu-host"' in page
    if 'id="menu-home"' in page:
        assert page.index('id="menu-host"') < page.index('id="menu-home"')


def test_a_deployment_with_one_stream_shows_its_home_to_everyone(login, make_user, org_a):
    deployment = Branding.current()
    deployment.streams = "home"
    deployment.save()
    planner = make_user(org_a, Role.COORDINATOR)
    assert login(planner).get(reverse("home")).context["stream"] == "home"


# --- branding along the organisation tree ----------------------------------------------------------


def _logo():
    data = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(data, "PNG")
    return ContentFile(data.getvalue(), name="logo.png")


@pytest.fixture
def branded_ministry(ministry):
    Branding.objects.create(owner_name="Civil Defence Directorate")
    ministry.brand_name = "Department of Foreign Affairs"
    ministry.brand_primary_colour = "#0038a8"
    ministry.brand_logo.save("logo.png", _logo(), save=False)
    ministry.save()
    return ministry


def test_a_post_without_branding_shows_its_ministrys_on_staff_pages(login, consul, branded_ministry):
    page = login(consul).get(reverse("home")).content.decode()
    assert "Department of Foreign Affairs" in page and "Civil Defence Directorate" not in page
    assert branded_ministry.brand_logo.url in page
    assert "--primary: #0038a8" in page


def test_a_consuls_error_page_shows_the_ministrys_branding_too(login, consul, branded_ministry):
    response = login(consul).get("/no-such-page/")
    assert response.status_code == 404
    assert "Department of Foreign Affairs" in response.content.decode()


def test_a_post_with_its_own_branding_shows_its_own(login, consul, branded_ministry, post_amman):
    post_amman.brand_name = "Embassy in Amman"
    post_amman.save()
    page = login(consul).get(reverse("home")).content.decode()
    assert "Embassy in Amman" in page and "Department of Foreign Affairs" not in page


def test_host_staff_keep_the_deployments_branding(login, make_user, org_a, branded_ministry):
    page = login(make_user(org_a, Role.OFFICER)).get(reverse("home")).content.decode()
    assert "Civil Defence Directorate" in page and "Department of Foreign Affairs" not in page


def test_the_public_advice_pages_show_the_ministrys_branding(client, branded_ministry, philippines, jordan):
    from lifeline.advice.models import AdviceText, AdviceVersion, State, TravelAdvice

    advice = TravelAdvice.objects.create(organisation=branded_ministry, country=jordan)
    version = AdviceVersion.objects.create(
        advice=advice,
        number=1,
        state=State.PUBLISHED,
        published_at=timezone.now(),
        last_reviewed="2026-11-01",
    )
    AdviceText.objects.create(version=version, language="en", summary="Take care.")
    for url in (reverse("advice:index"), reverse("advice:country", args=["jo"])):
        page = client.get(url).content.decode()
        assert "Department of Foreign Affairs" in page, url
        assert "Civil Defence Directorate" not in page, url


def test_a_public_page_of_several_publishers_keeps_the_deployments(branded_ministry, org_a, rf):
    request = rf.get("/")
    branding.show_for(request, {branded_ministry.pk, org_a.pk})
    assert branding.for_request(request).owner_name == "Civil Defence Directorate"
    branding.show_for(request, {branded_ministry.pk})
    assert branding.for_request(request).owner_name == "Department of Foreign Affairs"


def test_branding_is_found_up_a_deep_tree_in_few_queries(
    branded_ministry, philippines, django_assert_max_num_queries
):
    parent = branded_ministry
    for n in range(5):
        parent = Organisation.objects.create(
            name=f"Level {n}", kind=OrganisationKind.CONSULAR_POST, country=philippines, parent=parent
        )
    with django_assert_max_num_queries(2):
        assert branding.branded_ancestor(parent.pk) == branded_ministry


def test_an_organisation_form_refuses_a_file_that_is_not_an_image(login, make_user, org_a):
    admin = make_user(org_a, Role.ADMINISTRATOR, Scope.DEPLOYMENT)
    bad = ContentFile(b"<script>alert(1)</script>", name="logo.png")
    response = login(admin).post(
        reverse("organisation-edit", args=[org_a.pk]),
        {"name": org_a.name, "kind": org_a.kind, "country": "JO", "brand_name": "X", "brand_logo": bad},
    )
    assert response.status_code == 200
    assert "The logo must be a PNG or JPEG image." in response.content.decode()
    org_a.refresh_from_db()
    assert org_a.brand_name == "" and not org_a.brand_logo


# --- each app gives the home its panel (core imports none of them) ---------------------------------


def test_each_app_gives_its_streams_home_its_panel_in_order():
    from lifeline.core.dashboard import panels

    # Plans' "my actions" card comes first on both homes; plan documents due for review, then training events, last.
    assert [p.app for p in panels("home")] == [
        "plans",
        "cases",
        "nationals",
        "crises",
        "plans-documents",
        "training",
    ]
    assert [p.app for p in panels("host")] == [
        "plans",
        "alerts",
        "directory",
        "communities",
        "interpreters",
        "plans-documents",
        "training",
    ]
    for panel in panels("home") + panels("host"):
        assert panel.cards or panel.section, panel.app


def test_a_registered_panel_shows_on_its_streams_home_only(login, consul, make_user, org_a, monkeypatch):
    from lifeline.core import dashboard

    monkeypatch.setattr(dashboard, "_PANELS", list(dashboard._PANELS))
    dashboard.register_panel("demo", "home", 15, lambda home: {"cases": {"open": 7, "overdue": 0}})
    # The same app's panel registered again replaces the first (AppConfig.ready may run twice).
    dashboard.register_panel(
        "demo", "home", 15, lambda home: {"cases": {"open": 41, "overdue": 0}}, cards="cases/home_cards.html"
    )
    assert [p.app for p in dashboard.panels("home")] == [
        "plans",
        "cases",
        "demo",
        "nationals",
        "crises",
        "plans-documents",
        "training",
    ]
    page = login(consul).get(reverse("home")).content.decode()
    assert '<span class="n">41</span>' in page
    assert (
        '<span class="n">41</span>'
        not in login(make_user(org_a, Role.COORDINATOR)).get(reverse("home")).content.decode()
    )
