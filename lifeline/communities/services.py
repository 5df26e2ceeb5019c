"""Reads and writes of community profiles shared by pages, API and commands."""

import copy
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.text import capfirst

from lifeline.communities.models import (
    CommunityProfile,
    Housing,
    Level,
    ProfileVersion,
    Sector,
    Vulnerability,
    choice_labels,
)
from lifeline.core.errors import Invalid
from lifeline.core.names import country_name, language_name, normalise_language

# Fields a user never edits: left out of version snapshots.
NOT_SNAPSHOT = ("id", "organisation", "created", "updated", "version")
# Related objects are kept in snapshots by a value that does not depend on the reader's language.
SNAPSHOT_KEYS = {"origin_countries": "code", "languages": "code"}
CHOICES = {
    "housing": Housing,
    "fear_of_enforcement": Level,
    "sectors": Sector,
    "vulnerabilities": Vulnerability,
}


def search_communities(queryset, q="", area=None, language="", origin=None, no_focal_point=False):
    if q:
        queryset = queryset.filter(
            Q(name__icontains=q) | Q(ethnicity__icontains=q) | Q(networks__icontains=q)
        )
    if area is not None:
        queryset = queryset.filter(areas=area)
    if language:
        queryset = queryset.filter(languages__code=normalise_language(language) or language)
    if origin is not None:
        queryset = queryset.filter(origin_countries=origin)
    if no_focal_point:
        queryset = without_focal_point(queryset)
    return queryset.distinct()


def without_focal_point(queryset):
    """Communities with no leader or focal point linked: a gap to fill before an emergency."""
    # Ordered again: a grouped query drops the model's default ordering.
    return queryset.annotate(_focal=Count("focal_points")).filter(_focal=0).order_by("name", "pk")


def edited_fields():
    """The profile's user-edited fields (plain and many-to-many) in the order the model declares them."""
    fields = [
        f for f in CommunityProfile._meta.get_fields() if not f.auto_created and f.name not in NOT_SNAPSHOT
    ]
    return sorted(fields, key=lambda f: f.creation_counter)


def snapshot(profile):
    """A JSON-ready dict of every user-edited field of the profile."""
    # Reread related objects: a prefetch made before the save would show the old ones.
    getattr(profile, "_prefetched_objects_cache", {}).clear()
    data = {}
    for field in edited_fields():
        if field.many_to_many:
            key = SNAPSHOT_KEYS.get(field.name)
            data[field.name] = sorted(
                getattr(obj, key) if key else str(obj) for obj in getattr(profile, field.name).all()
            )
        else:
            value = getattr(profile, field.attname)
            data[field.name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


@transaction.atomic
def record_version(profile, user=None, note=""):
    """Keep a numbered snapshot of the profile as it now stands (after m2m are saved)."""
    number = (profile.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    CommunityProfile.objects.filter(pk=profile.pk).update(version=number)
    profile.version = number
    if profile.__dict__.get("_loaded") is not None:
        profile._loaded["version"] = number
    return ProfileVersion.objects.create(
        profile=profile,
        number=number,
        data=snapshot(profile),
        created_by=user if user and user.is_authenticated else None,
        note=note[:300],
    )


def display(name, value):
    """A snapshot value as the reader should see it, in the reader's language."""
    if value in (None, "", []):
        return ""
    if name in CHOICES:
        return ", ".join(
            str(label)
            for label in choice_labels(CHOICES[name], value if isinstance(value, list) else [value])
        )
    if name == "origin_countries":
        return ", ".join(country_name(code) for code in value)
    if name == "languages":
        return ", ".join(language_name(code) for code in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


@dataclass
class FieldRow:
    name: str
    label: str
    old: str
    new: str
    changed: bool = False


def _label(name):
    try:
        return capfirst(CommunityProfile._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # kept in an old version, since removed from the model
        return name


def _names(*datas):
    return list(dict.fromkeys([f.name for f in edited_fields()] + [n for data in datas for n in data]))


def version_rows(version):
    """Rows (without an old value) describing one version."""
    return [FieldRow(n, _label(n), "", display(n, version.data.get(n))) for n in _names(version.data)]


def compare(older, newer):
    """Rows of field, label, old value, new value and whether it changed, for two versions."""
    return [
        FieldRow(
            n,
            _label(n),
            display(n, older.data.get(n)),
            display(n, newer.data.get(n)),
            older.data.get(n) != newer.data.get(n),
        )
        for n in _names(older.data, newer.data)
    ]


# What ``save_profile`` writes: plain values, rows for the many-to-many links (``Country``,
# ``Language``, ``AdminArea``, ``KeyContact``), lists of choice keys for sectors and vulnerabilities.
FIELDS = (
    "organisation",
    "name",
    "origin_countries",
    "ethnicity",
    "languages",
    "literacy_rate",
    "literacy_notes",
    "estimated_size",
    "size_source",
    "size_date",
    "female_pct",
    "children_pct",
    "elderly_pct",
    "areas",
    "locations_note",
    "sectors",
    "housing",
    "vulnerabilities",
    "vulnerability_notes",
    "networks",
    "focal_points",
    "reached_by",
    "trusted_channels",
    "media",
    "phone_use_pct",
    "smartphone_pct",
    "apps",
    "religious_needs",
    "dietary_needs",
    "cultural_needs",
    "fear_of_enforcement",
    "past_emergency_experience",
    "consular_presence",
)
MANY = ("origin_countries", "languages", "areas", "focal_points", "reached_by")


def check_writer(by, profile=None):
    """Refuse (PermissionDenied) a user who may not change community profiles, or this one."""
    from django.core.exceptions import PermissionDenied

    from lifeline.core.models import Action, Area
    from lifeline.core.permissions import has_perm

    if not has_perm(by, Area.COMMUNITIES, Action.CHANGE):
        raise PermissionDenied
    if (
        profile is not None
        and profile.pk is not None
        and not CommunityProfile.objects.for_user(by, Action.CHANGE).filter(pk=profile.pk).exists()
    ):
        raise PermissionDenied


def linkable_contacts(by, profile=None):
    """The key contacts a profile may name as focal points or as reaching it: those ``by`` can
    see, and those already linked (so that saving never drops a link silently)."""
    from lifeline.directory.models import KeyContact

    contacts = KeyContact.objects.for_user(by)
    if profile is not None and profile.pk:
        linked = Q(focal_point_of=profile) | Q(communities_reached=profile)
        contacts = KeyContact.objects.filter(Q(pk__in=contacts.values("pk")) | linked).distinct()
    return contacts


def profile_errors(by, profile, values):
    """The rules of a profile's values, {field: [messages]} ({} when they hold): a name, kept by an
    organisation ``by`` may write to, naming only contacts it may link, and the model's own rules
    (lengths, ranges, percentages that add up)."""
    from django.forms import ModelChoiceField, ModelMultipleChoiceField
    from django.utils.translation import gettext as _

    from lifeline.core.permissions import writable_organisations

    errors = {}
    if not str(values.get("name") or "").strip():
        errors["name"] = [_("This field is required.")]
    organisation = values.get("organisation")
    if organisation is None:
        errors["organisation"] = [_("This field is required.")]
    elif not writable_organisations(by).filter(pk=organisation.pk).exists():
        errors["organisation"] = [str(ModelChoiceField.default_error_messages["invalid_choice"])]
    allowed = None
    for name in ("focal_points", "reached_by"):
        contacts = values.get(name) or ()
        if not contacts:
            continue
        if allowed is None:
            allowed = set(linkable_contacts(by, profile).values_list("pk", flat=True))
        for contact in contacts:
            if contact.pk not in allowed:
                message = ModelMultipleChoiceField.default_error_messages["invalid_choice"]
                errors[name] = [str(message) % {"value": contact.pk}]
                break
    candidate = copy.copy(profile) if profile is not None else CommunityProfile()
    _apply(candidate, values)
    try:
        candidate.full_clean(exclude=list(errors), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for field, found in exc.message_dict.items():
            errors.setdefault(field, []).extend(str(m) for m in found)
    return errors


def _apply(profile, values):
    """Copy ``values`` onto ``profile`` (not its many-to-many links); sectors and vulnerabilities
    are kept sorted, each once."""
    for name in FIELDS:
        if name not in MANY and name in values:
            value = values[name]
            if name in ("sectors", "vulnerabilities"):
                value = sorted(set(value or ()))
            setattr(profile, name, value)


def save_profile(by, profile, values, *, note="", version=""):
    """Create (``profile`` None) or change a community profile, as ``by``: every rule checked before
    anything is saved, then the profile, its links and a new numbered version (with ``note``, what
    changed) saved in one transaction, audited as ``by``. ``version`` is the one its author read
    (``core/versions``: the page's form, the API's ``If-Match``): when the profile has changed
    since, ``ChangedMeanwhile`` and nothing changes. Refused input raises ``Invalid``."""
    from lifeline.core import audit
    from lifeline.core.versions import ChangedMeanwhile, current_fingerprint

    check_writer(by, profile)
    errors = profile_errors(by, profile, values)
    if errors:
        raise Invalid(errors)
    profile = profile if profile is not None else CommunityProfile()
    _apply(profile, values)
    current = audit.current_actor()
    with audit.acting_as(by, ip=current.ip, via=current.via), transaction.atomic():
        if version and profile.pk is not None and current_fingerprint(profile, lock=True) != version:
            raise ChangedMeanwhile(profile)
        profile.save()
        for name in MANY:
            if name in values:
                getattr(profile, name).set(values[name])
        record_version(profile, by, note)
    return profile


def delete_profile(by, profile):
    """Delete a community profile, as ``by`` (``core/deletion``: a ``ValidationError`` when
    something still needs it, and nothing is deleted)."""
    from lifeline.core import audit, deletion

    check_writer(by, profile)
    current = audit.current_actor()
    with audit.acting_as(by, ip=current.ip, via=current.via):
        deletion.delete(profile)
