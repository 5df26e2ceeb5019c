"""Reads and writes of community profiles shared by pages, API and commands."""

from django.db import transaction
from django.db.models import Count, Q

from lifeline.communities.models import CommunityProfile, ProfileVersion

# Fields captured in each version snapshot (everything a user edits).
SNAPSHOT_M2M = ("origin_countries", "languages", "areas", "focal_points", "reached_by")


def search_communities(queryset, q="", area=None, language="", origin=None, no_focal_point=False):
    from lifeline.core.names import normalise_language

    if q:
        queryset = queryset.filter(Q(name__icontains=q) | Q(ethnicity__icontains=q) | Q(networks__icontains=q))
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
    return queryset.annotate(_focal=Count("focal_points")).filter(_focal=0)


def snapshot(profile):
    """A JSON-ready dict of every user-edited field of the profile."""
    data = {}
    for field in profile._meta.concrete_fields:
        if field.name in ("id", "organisation", "created", "updated", "version"):
            continue
        value = getattr(profile, field.attname)
        data[field.name] = value.isoformat() if hasattr(value, "isoformat") else value
    for name in SNAPSHOT_M2M:
        data[name] = sorted(str(obj) for obj in getattr(profile, name).all())
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
        profile=profile, number=number, data=snapshot(profile), created_by=user if user and user.is_authenticated else None, note=note
    )


def compare(older, newer):
    """Rows of (field, old value, new value, changed) for two versions."""
    fields = list(dict.fromkeys(list(older.data) + list(newer.data)))
    return [(name, older.data.get(name), newer.data.get(name), older.data.get(name) != newer.data.get(name)) for name in fields]
