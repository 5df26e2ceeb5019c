"""A key contact that a referral names cannot be deleted: a clear message, nothing deleted."""

from django.urls import reverse

from lifeline.cases import services
from lifeline.core.models import ApiToken
from lifeline.directory.models import KeyContact

NAME = "O'Brien <Shelter> & Co"


def _referred(case, officer, post_amman):
    partner = KeyContact.objects.create(organisation=post_amman, name=NAME, kind="organisation")
    services.triage(case, "high")
    services.refer(case, partner, officer, consent_asked=True)
    return partner


def test_the_page_explains_and_keeps_the_contact(login, officer, case, post_amman):
    partner = _referred(case, officer, post_amman)
    client = login(officer)
    client.raise_request_exception = False
    response = client.post(reverse("contacts:delete", args=[partner.pk]), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "cannot be deleted: 1 record still refers to it (Referrals)" in page
    # The name is escaped once: the apostrophe and the angle brackets read as typed.
    assert "O&#x27;Brien &lt;Shelter&gt; &amp; Co" in page
    assert "&amp;#x27;" not in page and "&amp;lt;" not in page
    assert KeyContact.objects.filter(pk=partner.pk).exists()
    assert case.referrals.count() == 1


def test_the_api_answers_409_and_keeps_the_contact(client, officer, case, post_amman):
    partner = _referred(case, officer, post_amman)
    _token, raw = ApiToken.issue(officer, "test")
    client.raise_request_exception = False
    response = client.delete(f"/api/contacts/{partner.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 409
    assert "cannot be deleted" in response.json()["detail"] and NAME in response.json()["detail"]
    assert KeyContact.objects.filter(pk=partner.pk).exists()


def test_the_message_is_translated(login, officer, case, post_amman):
    partner = _referred(case, officer, post_amman)
    client = login(officer)
    response = client.post(
        reverse("contacts:delete", args=[partner.pk]), follow=True, HTTP_ACCEPT_LANGUAGE="es"
    )
    assert "no se puede eliminar" in response.content.decode()
