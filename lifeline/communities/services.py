"""Reads and writes of community profiles shared by pages, API and commands."""

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
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
