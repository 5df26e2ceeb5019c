"""The migrant languages are offered where migrants read, not on staff pages; the app and the
public pages speak them, Urdu right to left."""

import json
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from lifeline.core.models import Role

STAFF_CODES = {code for code, _name in settings.STAFF_LANGUAGES}
MIGRANT_CODES = {code for code, _name in settings.MIGRANT_LANGUAGES}


def offered(response):
    return set(re.findall(r'<option value="([\w-]+)" lang=', response.content.decode()))


@pytest.mark.django_db
def test_public_pages_offer_the_migrant_languages_too(client):
    response = client.get(reverse("alerts:public_index"))
    assert MIGRANT_CODES | {"en", "ar"} <= offered(response)


def test_staff_pages_offer_the_staff_languages_only(login, make_user, org_a):
    client = login(make_user(org_a, role=Role.OFFICER))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert offered(response) == STAFF_CODES


@pytest.mark.django_db
@pytest.mark.parametrize("code", sorted(MIGRANT_CODES))
def test_the_app_speaks_each_migrant_language(client, code):
    response = client.get(reverse("pwa:shell"), HTTP_ACCEPT_LANGUAGE=code)
    html = response.content.decode()
    assert f'<html lang="{code}" dir="{"rtl" if code == "ur" else "ltr"}">' in html
    with translation.override(code):
        words = translation.gettext("Help when you are abroad")
    assert words != "Help when you are abroad"
    assert json.dumps(words)[1:-1] in html or words in html


@pytest.mark.django_db
def test_an_error_page_for_a_migrant_reads_in_urdu(client):
    response = client.get("/alerts/public/999999/", HTTP_ACCEPT_LANGUAGE="ur")
    html = response.content.decode()
    assert response.status_code == 404
    assert 'lang="ur"' in html and 'dir="rtl"' in html
    assert "صفحہ نہیں ملا" in html  # "Page not found"
