"""Lost updates are refused: every edit page and API PUT holds its save to the version it was opened on.

The page test is generic: for each edit page it opens the form, lets a colleague change the record
in between, and sends back exactly what the form showed. The save must be refused with the
"changed meanwhile" answer, the colleague's change must survive, and sending the form again (it
now carries the new version) must save.
"""

import lxml.html
import pytest
from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.test import Client

from lifeline.core.tests.rolematrix.world import build, log_in
from lifeline.core.versions import ChangedMeanwhile, fingerprint

# (edit page, the model it edits, which object of the world, the model's field naming it)
EDIT_PAGES = [
    ("/contacts/{}/edit/", "directory.KeyContact", "contact"),
    ("/communities/{}/edit/", "communities.CommunityProfile", "community"),
    ("/interpreters/{}/edit/", "interpreters.Interpreter", "interpreter"),
    ("/nationals/{}/edit/", "nationals.Registration", "registration"),
    ("/nationals/posts/{}/edit/", "nationals.PostDetails", "post", "organisation_id"),
    ("/crises/{}/edit/", "crises.Crisis", "crisis"),
    ("/evacuation/points/{}/edit/", "evacuation.AssemblyPoint", "point"),
    ("/evacuation/transports/{}/edit/", "evacuation.Transport", "transport"),
    ("/cases/teams/{}/", "cases.CaseTeam", "team"),
    ("/organisations/{}/", "core.Organisation", "organisation"),
]
COLLEAGUE = "Changed by a colleague"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            ids, users, _tokens = build()
            yield ids, users
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _text_field(model):
    """A plain text field of ``model`` that a colleague might change."""
    for field in model._meta.concrete_fields:
        if (
            type(field) in (models.CharField, models.TextField)
            and not field.choices
            and not field.unique
            and not field.primary_key
            and field.editable
            and (field.max_length or len(COLLEAGUE)) >= len(COLLEAGUE)
        ):
            return field.name
    raise AssertionError(f"no plain text field on {model}")


def _form(html):
    document = lxml.html.fromstring(html)
    for form in document.forms:
        if any(name.endswith("edit_version") for name in form.fields):
            values = list(form.form_values())
            button = form.xpath(".//button[@type='submit' and @name] | .//input[@type='submit' and @name]")
            if button:
                values.append((button[0].get("name"), button[0].get("value", "")))
            return values
    raise AssertionError("no form with a version field on the page")


def _post(client, url, values):
    data = {}
    for name, value in values:
        data.setdefault(name, []).append(value)
    return client.post(url, data)


@pytest.mark.parametrize("page", EDIT_PAGES, ids=[page[0] for page in EDIT_PAGES])
def test_an_edit_over_a_colleagues_change_is_refused_then_can_be_made_knowingly(world, db, page):
    ids, users = world
    url, label, kind, key = (*page, "pk")[:4]
    model = apps.get_model(label)
    url = url.format(ids[kind][0])
    if key != "pk":  # a record kept beside another (a post's details): make sure it exists
        model._base_manager.get_or_create(**{key: ids[kind][0]})
    pk = model._base_manager.get(**{key: ids[kind][0]}).pk
    client = log_in(Client(), users["admin"])
    opened = client.get(url)
    assert opened.status_code == 200
    values = _form(opened.content.decode())

    field = _text_field(model)
    obj = model._base_manager.get(pk=pk)
    setattr(obj, field, COLLEAGUE)
    obj.save()

    refused = client.post(url, {k: [v for n, v in values if n == k] for k, _ in values})
    body = refused.content.decode()
    assert refused.status_code in (200, 400), (url, refused.status_code)  # the form again
    assert "changed this record" in body and "after you opened it" in body
    assert getattr(model._base_manager.get(pk=pk), field) == COLLEAGUE

    again = _post(client, url, _form(body))
    assert again.status_code == 302, (url, again.status_code)


def test_a_form_saved_under_the_row_lock_after_a_late_change_is_refused(world, db):
    from django import forms

    from lifeline.core.versions import VersionedForm
    from lifeline.directory.models import KeyContact

    class NameForm(VersionedForm, forms.ModelForm):
        class Meta:
            model = KeyContact
            fields = ["name"]

    ids, users = world
    contact = KeyContact.objects.get(pk=ids["contact"][0])
    seen = NameForm(instance=contact).initial["edit_version"]
    assert seen == fingerprint(contact)
    form = NameForm({"name": "Renamed", "edit_version": seen}, instance=contact)
    assert form.is_valid()
    # A colleague saves between this form's validation and its write.
    KeyContact.objects.filter(pk=contact.pk).update(capacity=COLLEAGUE)
    with pytest.raises(ChangedMeanwhile):
        form.save()
    assert KeyContact.objects.get(pk=contact.pk).name != "Renamed"


def test_the_409_page_names_who_changed_it(world, db, rf):
    from lifeline.core.errors import changed_meanwhile
    from lifeline.directory.models import KeyContact

    ids, users = world
    contact = KeyContact.objects.get(pk=ids["contact"][0])
    page = changed_meanwhile(rf.get("/contacts/1/edit/"), ChangedMeanwhile(contact))
    assert page.status_code == 409
    api = changed_meanwhile(rf.get("/api/contacts/1"), ChangedMeanwhile(contact))
    assert api.status_code == 409 and b"after you opened it" in api.content


@pytest.mark.parametrize(
    "kind, path", [("contact", "contacts"), ("community", "communities"), ("interpreter", "interpreters")]
)
def test_the_api_holds_a_put_to_the_version_it_read(world, db, kind, path):
    ids, users = world
    from lifeline.core.models import ApiToken

    _token, secret = ApiToken.issue(users["admin"], "versions")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    client = Client()
    url = f"/api/{path}/{ids[kind][0]}"
    read = client.get(url, **headers)
    etag = read.headers["ETag"]
    body = {k: v for k, v in read.json().items() if v is not None}
    model = {
        "contact": "directory.KeyContact",
        "community": "communities.CommunityProfile",
        "interpreter": "interpreters.Interpreter",
    }[kind]
    model = apps.get_model(model)
    obj = model._base_manager.get(pk=ids[kind][0])
    setattr(obj, _text_field(model), COLLEAGUE)
    obj.save()

    stale = client.put(url, body, content_type="application/json", HTTP_IF_MATCH=etag, **headers)
    assert stale.status_code == 412, stale.content
    assert "after you opened it" in stale.json()["detail"]
    assert getattr(model._base_manager.get(pk=obj.pk), _text_field(model)) == COLLEAGUE

    fresh = client.get(url, **headers).headers["ETag"]
    saved = client.put(url, body, content_type="application/json", HTTP_IF_MATCH=fresh, **headers)
    assert saved.status_code == 200, saved.content
    assert saved.headers["ETag"] and saved.headers["ETag"] != fresh
    # Without If-Match the PUT overwrites, as before.
    assert client.put(url, body, content_type="application/json", **headers).status_code == 200


def test_unsaved_records_have_no_version():
    from lifeline.directory.models import KeyContact

    assert fingerprint(KeyContact()) == ""
    assert settings.SECRET_KEY  # the fingerprint is keyed
