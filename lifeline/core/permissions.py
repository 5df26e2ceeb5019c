"""Who may do what, on which organisations' data. The one place these rules live.

Views, the API, commands and tasks all ask ``has_perm`` and read through
``ScopedQuerySet.for_user``; templates only reflect the answers.
"""

from django.core.exceptions import PermissionDenied
from django.db import models

from lifeline.core.models import Action, Area, Organisation, OrganisationKind, Role, RolePermission, Scope

REGISTRIES = (Area.CONTACTS, Area.COMMUNITIES, Area.INTERPRETERS)
# Areas holding people's records (nationals abroad and their cases and check-ins).
PEOPLE = (Area.NATIONALS, Area.CRISES, Area.CASES)
# Areas of published information (advice, alerts) and the messaging that sends it.
PUBLISHING = (Area.ADVICE, Area.ALERTS, Area.MESSAGING)

# The matrix a new deployment starts with; administrators tune it on the Roles page.
DEFAULT_MATRIX = {
    Role.ADMINISTRATOR: {area: set(Action.values) for area in Area.values},
    Role.COORDINATOR: {
        **{
            area: {Action.VIEW, Action.CHANGE, Action.EXPORT, Action.PERSONAL} for area in REGISTRIES + PEOPLE
        },
        **{area: {Action.VIEW, Action.CHANGE, Action.EXPORT} for area in PUBLISHING},
        Area.ORGANISATIONS: {Action.VIEW},
        Area.AUDIT: {Action.VIEW},
    },
    Role.OFFICER: {
        **{area: {Action.VIEW, Action.CHANGE, Action.PERSONAL} for area in REGISTRIES + PEOPLE},
        Area.CRISES: {
            Action.VIEW,
            Action.CHANGE,
            Action.PERSONAL,
            Action.EXPORT,
        },  # manifests at the assembly point
        **{area: {Action.VIEW, Action.CHANGE} for area in PUBLISHING},
        Area.ORGANISATIONS: {Action.VIEW},
    },
    Role.PARTNER: {Area.CONTACTS: {Action.VIEW}, Area.INTERPRETERS: {Action.VIEW}},
    Role.TRAINER: {
        Area.CONTACTS: {Action.VIEW},
        Area.COMMUNITIES: {Action.VIEW, Action.EXPORT},
        Area.ADVICE: {Action.VIEW},
    },
    Role.VIEWER: {area: {Action.VIEW} for area in REGISTRIES + PEOPLE + PUBLISHING},
}


def default_rows():
    for role in Role.values:
        for area in Area.values:
            for action in Action.values:
                allowed = action in DEFAULT_MATRIX.get(role, {}).get(area, set())
                yield RolePermission(role=role, area=area, action=action, allowed=allowed)


def seed_matrix():
    """Create any missing cell of the matrix with its default; keep tuned cells."""
    existing = set(RolePermission.objects.values_list("role", "area", "action"))
    RolePermission.objects.bulk_create(
        r for r in default_rows() if (r.role, r.area, r.action) not in existing
    )


def _profile(user):
    if user is None or not user.is_authenticated:
        return None
    return getattr(user, "profile", None)


def _granted(user):
    """The set of (area, action) the user's role grants, cached on the user object."""
    cached = getattr(user, "_lifeline_granted", None)
    if cached is not None:
        return cached
    profile = _profile(user)
    if profile is None:
        granted = set()
    else:
        granted = set(
            RolePermission.objects.filter(role=profile.role, allowed=True).values_list("area", "action")
        )
        if is_immigration(profile.organisation):
            # An immigration authority never sees individual people's data, whatever the matrix says.
            granted = {(area, action) for area, action in granted if action != Action.PERSONAL}
    user._lifeline_granted = granted
    return granted


def is_immigration(organisation):
    """An immigration authority, or any branch under one, whatever its own type says."""
    seen = set()
    while organisation is not None and organisation.pk not in seen:
        if organisation.kind == OrganisationKind.IMMIGRATION:
            return True
        seen.add(organisation.pk)
        organisation = organisation.parent
    return False


def _is_immigration_user(user):
    profile = _profile(user)
    return profile is not None and is_immigration(profile.organisation)


def has_perm(user, area, action):
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser and _profile(user) is None:
        return True
    return (area, action) in _granted(user)


def require(user, area, action):
    if not has_perm(user, area, action):
        raise PermissionDenied


def can_see_personal_data(user):
    return any(has_perm(user, area, Action.PERSONAL) for area in Area.values)


def needs_second_factor(user):
    """Every account that can see personal data must log in with a second factor."""
    return bool(user and user.is_authenticated and (user.is_superuser or can_see_personal_data(user)))


def visible_organisation_ids(user):
    """Ids of the organisations whose data the user may read, or None for all."""
    cached = getattr(user, "_lifeline_orgs", False)
    if cached is not False:
        return cached
    profile = _profile(user)
    if profile is None:
        ids = None if (user and user.is_superuser) else set()
    elif profile.scope == Scope.DEPLOYMENT:
        ids = None
    elif profile.scope == Scope.CHILDREN:
        ids = descendants_and_self(profile.organisation_id)
    else:
        ids = {profile.organisation_id}
    user._lifeline_orgs = ids
    return ids


def people_organisation_ids(user, area=Area.NATIONALS):
    """The posts whose registered people the user may see or message in ``area``; None for all.

    The one rule for people (registrations of nationals, their check-in answers,
    their places on an evacuation, and any audience made of them): a user reaches
    the people registered with the organisations their scope covers, so a consul
    reaches their own post's people and a ministry with the tree scope reaches all
    of its posts'. A crisis shared with a post never widens it, and an immigration
    authority reaches nobody.
    """
    if not has_perm(user, area, Action.VIEW) or _is_immigration_user(user):
        return set()
    return visible_organisation_ids(user)


def people_q(user, area=Area.NATIONALS, path="organisation"):
    """``people_organisation_ids`` as a filter on the organisation at ``path`` (e.g. "registration__organisation")."""
    ids = people_organisation_ids(user, area)
    return models.Q() if ids is None else models.Q(**{f"{path}_id__in": ids})


def descendants_and_self(org_id):
    ids, frontier = {org_id}, {org_id}
    while frontier:
        frontier = set(Organisation.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - ids
        ids |= frontier
    return ids


class ScopedQuerySet(models.QuerySet):
    """Querysets of organisation-owned models: always read through ``for_user``."""

    def for_user(self, user, action=Action.VIEW):
        area = self.model.permission_area
        if not has_perm(user, area, action):
            return self.none()
        ids = visible_organisation_ids(user)
        queryset = self if ids is None else self.filter(organisation_id__in=ids)
        hidden = getattr(self.model, "hidden_from_immigration", None)
        if hidden is not None and _is_immigration_user(user):
            queryset = queryset.exclude(hidden)
        return queryset


class OwnedModel(models.Model):
    """An organisation's record. Subclasses set ``permission_area``."""

    permission_area = None
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True


def get_for_user(model, user, pk, action=Action.VIEW):
    """The object if the user may ``action`` it, else 404 (never reveal that it exists)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(model.objects.for_user(user, action), pk=pk)


def writable_organisations(user):
    ids = visible_organisation_ids(user)
    qs = Organisation.objects.all()
    return qs if ids is None else qs.filter(id__in=ids)
