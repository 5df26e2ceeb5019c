"""The advice subscription form (CSRF-exempt, on a cached page): same-site browsers only, and limited."""

import pytest
from django.core import mail
from django.urls import reverse

from lifeline.advice import services
from lifeline.advice.models import AdviceSubscription, State, TravelAdvice
from lifeline.advice.tests.conftest import add_version


@pytest.fixture
def advice(ministry, jordan, writer, approver):
    advice = TravelAdvice.objects.create(organisation=ministry, country=jordan)
    services.approve(
        add_version(advice, level=1, author=writer, state=State.AWAITING, texts={"en": "Normal caution."}),
        approver,
    )
    return advice


def _post(client, email, **headers):
    return client.post(
        reverse("advice:subscribe", args=["jo"]), {"email": email, "language": "en"}, **headers
    )


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_REFERER": "https://evil.example/page.html"},
    ],
)
def test_a_form_posted_from_another_site_sends_nothing(client, advice, headers):
    response = _post(client, "victim@example.org", **headers)
    assert response.status_code == 403
    assert "this site" in response.content.decode()
    assert not AdviceSubscription.objects.exists() and mail.outbox == []


def test_the_sites_own_page_may_post(client, advice):
    response = _post(client, "reader@example.org", HTTP_ORIGIN="http://testserver")
    assert response.status_code == 302 and len(mail.outbox) == 1
    response = _post(client, "other@example.org", HTTP_REFERER="http://testserver/advice/jo/")
    assert response.status_code == 302 and len(mail.outbox) == 2


def test_one_client_cannot_mail_many_addresses(client, advice, settings):
    settings.PUBLIC_SENDS_PER_CLIENT = 2
    for n in range(2):
        assert _post(client, f"a{n}@example.org").status_code == 302
    refused = _post(client, "a9@example.org")
    assert refused.status_code == 429 and "Too many" in refused.content.decode()
    assert len(mail.outbox) == 2 and AdviceSubscription.objects.count() == 2
