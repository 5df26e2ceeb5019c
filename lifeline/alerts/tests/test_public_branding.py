"""Public alert pages carry the issuing organisation's brand (core.branding): on each alert of the
list, and in the frame of an alert's own page; a list of several issuers keeps the deployment's frame."""

import re

import pytest
from django.urls import reverse

from lifeline.alerts.services import publish_override
from lifeline.core.tests.test_homes import branded_ministry  # noqa: F401 (a fixture)

from .conftest import make_draft


def _header(page):
    return re.search(r'<header class="top">(.*?)</header>', page, re.S).group(1)


def _style(page):
    return re.search(r'<style nonce="[^"]+">(.*?)</style>', page, re.S).group(1)


def _card(page, pk):
    """The list's card of alert ``pk``."""
    for card in re.findall(r"<article (.*?)</article>", page, re.S):
        if reverse("alerts:public", args=[pk]) in card:
            return card
    raise AssertionError(f"no card for alert {pk}")


@pytest.fixture
def published(make_user, org_a, branded_ministry):  # noqa: F811
    """One alert issued by the host's civil defence (no branding of its own), one by the ministry."""
    alerts = {}
    for key, org in (("host", org_a), ("ministry", branded_ministry)):
        author = make_user(org)
        alert = make_draft(org, author)
        publish_override(alert, author, "urgent")
        alerts[key] = alert
    return alerts


def test_the_list_shows_each_issuers_brand_in_a_frame_of_the_deployments(client, published, branded_ministry):  # noqa: F811
    page = client.get(reverse("alerts:public_index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    header = _header(page)
    assert "Civil Defence Directorate" in header and "Department of Foreign Affairs" not in header

    ministry_card = _card(page, published["ministry"].pk)
    assert f"brand-{branded_ministry.pk}" in ministry_card
    assert (
        "Department of Foreign Affairs" in ministry_card and branded_ministry.brand_logo.url in ministry_card
    )
    host_card = _card(page, published["host"].pk)
    assert "brand-0" in host_card and "Civil Defence Directorate" in host_card
    assert "Department of Foreign Affairs" not in host_card

    # Each issuer's colours, in the page's one nonce'd style (no inline style attribute).
    css = _style(page)
    assert re.search(rf"\.brand-{branded_ministry.pk} \{{ --brand-primary: #0038a8;", css)
    assert re.search(r"\.brand-0 \{ --brand-primary: #0b5394;", css)
    assert " style=" not in page


def test_a_list_of_one_issuer_is_framed_by_its_brand(client, make_user, branded_ministry):  # noqa: F811
    author = make_user(branded_ministry)
    alert = make_draft(branded_ministry, author)
    publish_override(alert, author, "urgent")
    page = client.get(reverse("alerts:public_index")).content.decode()
    assert "Department of Foreign Affairs" in _header(page)
    assert "--primary: #0038a8" in _style(page)


def test_an_alerts_page_is_framed_by_its_issuers_brand(client, published, branded_ministry):  # noqa: F811
    page = client.get(reverse("alerts:public", args=[published["ministry"].pk])).content.decode()
    assert "Department of Foreign Affairs" in _header(page) and branded_ministry.brand_logo.url in _header(
        page
    )
    assert "--primary: #0038a8" in _style(page)
    other = client.get(reverse("alerts:public", args=[published["host"].pk])).content.decode()
    assert "Civil Defence Directorate" in _header(other) and "Department of Foreign Affairs" not in other


def test_the_list_brands_its_issuers_in_few_queries(client, published, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert client.get(reverse("alerts:public_index")).status_code == 200
