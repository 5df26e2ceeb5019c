"""The sentinel: a marker in every personal field, every GET of the role matrix as every role.

The role-matrix world (``rolematrix/world.py``) is built, then every personal field that a
disclosure policy declares (``core/disclosure.py`` and the apps' ``disclosure.py``) is
overwritten with a marker naming its model. Every page, API operation, export, manifest and
preview that the role matrix asks with GET is asked again as every role, for both objects, and:

- a model's marker appears only in answers to roles its policy allows;
- where it appears, the request wrote an audit entry (a view or an export) naming personal fields;
- roles that must never see a national's details (written by hand below) never do.
"""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.test import Client

from lifeline.core import disclosure
from lifeline.core.fields import EncryptedJSONField
from lifeline.core.models import Action, Area, AuditAction, AuditEntry, Role, RolePermission
from lifeline.core.tests.rolematrix.table import API, PAGES
from lifeline.core.tests.rolematrix.test_matrix import PLACEHOLDER
from lifeline.core.tests.rolematrix.world import ROLES, build, log_in

# Lists of choice values, dates and files cannot hold a marker; they are covered by their neighbours.
UNMARKABLE = (models.DateField, models.FileField, models.BooleanField, models.IntegerField)
CHOICE_LISTS = {"special_needs"}

# Written by hand from the README: who may see a national's details (names, contact, documents).
# The viewer, partner, trainer and immigration (never people's data) do not; and in this world
# coordinators are tuned to lose "See personal data" on Nationals abroad (but keep it on crises
# and cases), so the ministry reads its posts' people, boards, evacuation lists and cases
# without seeing who they are: the masking paths are asked too, not only the refusals.
NATIONALS_SEERS = {"admin", "officer", "consul"}


def marker(label):
    return "Sntl" + label.split(".")[1].capitalize()


def _mark_everything():
    """Put the marker of each policy's model in every personal field of every stored record."""
    from django.apps import apps

    marked = {}
    for label, policy in disclosure.policies().items():
        model = apps.get_model(label)
        text = marker(label)
        values = {}
        for name in policy.personal:
            field = model._meta.get_field(name)
            if isinstance(field, UNMARKABLE) or name in CHOICE_LISTS:
                continue
            if isinstance(field, (models.JSONField, EncryptedJSONField)):
                values[name] = None  # set per record below: the shape of what it holds
            elif field.max_length:
                values[name] = text[: field.max_length]
            else:
                values[name] = text
        records = list(model._base_manager.all())
        for record in records:
            for name, value in values.items():
                if value is None:
                    current = getattr(record, name)
                    value = (
                        {"name": text, "phone": text, "email": text, "relation": text}
                        if isinstance(current, dict) or name == "emergency_contact"
                        else [{"type": "whatsapp", "value": text}]
                    )
                setattr(record, name, value)
            # Straight to the table: no signal, no derived index; only what is shown changes.
            model._base_manager.filter(pk=record.pk).update(
                **{name: getattr(record, name) for name in values}
            )
        if records and values:
            marked[label] = text
    return marked


@pytest.fixture(scope="module")
def sentinel_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            ids, users, tokens = build()
            RolePermission.objects.filter(
                role=Role.COORDINATOR, area=Area.NATIONALS, action=Action.PERSONAL
            ).update(allowed=False)
            for user in users.values():
                user.__dict__.pop("_lifeline_granted", None)
            marked = _mark_everything()
            sessions = {}
            for role, user in users.items():
                client = log_in(Client(), user)
                sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
            yield ids, users, sessions, tokens, marked
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _requests():
    """(row, api) for every GET the role matrix knows."""
    for rows, api in ((PAGES, False), (API, True)):
        for row in rows:
            if row.method == "GET":
                yield row, api


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def _get(world, row, role, index, api):
    ids, _users, sessions, tokens, _marked = world
    url = PLACEHOLDER.sub(lambda m: str(ids[m.group(1)][index]), row.url)
    client = Client()
    headers = {}
    if role != "anon":
        if api:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {tokens[role]}"
        else:
            client.cookies[settings.SESSION_COOKIE_NAME] = sessions[role]
    return url, client.get(url, **headers)


def test_the_world_holds_every_marker(sentinel_world):
    marked = sentinel_world[4]
    for label in (
        "nationals.registration",
        "nationals.householdmember",
        "cases.case",
        "directory.keycontact",
    ):
        assert label in marked, f"{label}: no record to mark in the world"


def test_personal_fields_show_only_where_the_policy_allows_and_are_audited(sentinel_world, db):
    _ids, users, _sessions, _tokens, marked = sentinel_world
    allowed = {
        role: {
            label for label in marked if role != "anon" and disclosure.policy_for(label).allowed(users[role])
        }
        for role in ROLES
    }
    # The policies say what the README says about nationals.
    for role in ROLES:
        assert ("nationals.registration" in allowed[role]) == (role in NATIONALS_SEERS), role

    leaks, unaudited, seen = [], [], set()
    for row, api in _requests():
        sides = (0, 1) if PLACEHOLDER.search(row.url) else (0,)
        for role in ROLES:
            if row.only and role not in row.only:
                continue
            for index in sides:
                cache.clear()  # rate limits count per address
                last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
                url, response = _get(sentinel_world, row, role, index, api)
                if response.status_code >= 300:
                    continue
                body = _body(response)
                shown = {label for label, text in marked.items() if text.encode() in body}
                for label in shown - allowed[role]:
                    leaks.append(f"{role} GET {url}: {label}")
                if not shown:
                    continue
                seen |= shown
                entries = AuditEntry.objects.filter(
                    id__gt=last, action__in=(AuditAction.VIEW, AuditAction.EXPORT)
                ).values_list("fields", flat=True)
                if not any(fields for fields in entries):
                    unaudited.append(f"{role} GET {url}: {', '.join(sorted(shown))}")
    assert not leaks, "Personal data shown to roles the policy refuses:\n" + "\n".join(leaks)
    assert not unaudited, "Personal data shown without an audit entry:\n" + "\n".join(unaudited)
    # The sentinel proves something only if the markers were seen where they are allowed.
    for label in ("nationals.registration", "cases.case", "directory.keycontact", "interpreters.interpreter"):
        assert label in seen, f"the marker of {label} was never shown to anyone"
