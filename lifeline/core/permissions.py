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
        Area.PLANS: {Action.VIEW, Action.CHANGE, Action.EXPORT},
        Area.TRAINING: {Action.VIEW, Action.CHANGE, Action.EXPORT, Action.PERSONAL},
        Area.LEARNING: {Action.VIEW, Action.CHANGE, Action.EXPORT},
        Area.RISK: {Action.VIEW, Action.CHANGE, Action.EXPORT},
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
        Area.PLANS: {Action.VIEW, Action.CHANGE},
        Area.TRAINING: {Action.VIEW},
        Area.LEARNING: {Action.VIEW},
        Area.RISK: {Action.VIEW},
        Area.ORGANISATIONS: {Action.VIEW},
    },
    Role.PARTNER: {Area.CONTACTS: {Action.VIEW}, Area.INTERPRETERS: {Action.VIEW}},
    Role.TRAINER: {
        Area.CONTACTS: {Action.VIEW},
        Area.COMMUNITIES: {Action.VIEW, Action.EXPORT},
        Area.ADVICE: {Action.VIEW},
        Area.PLANS: {Action.VIEW},
        # Trainers run events: their participants, attendance, certificates and courses are theirs.
        Area.TRAINING: {Action.VIEW, Action.CHANGE, Action.EXPORT, Action.PERSONAL},
        Area.LEARNING: {Action.VIEW, Action.CHANGE, Action.EXPORT},
        Area.RISK: {Action.VIEW},
    },
    Role.VIEWER: {
        area: {Action.VIEW}
        for area in (*REGISTRIES, *PEOPLE, *PUBLISHING, Area.PLANS, Area.TRAINING, Area.LEARNING, Area.RISK)
    },
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
            granted = {(area, action) for area, action in granted if _immigration_may(area, action)}
    user._lifeline_granted = granted
    return granted


# Areas that are a home country's consular and foreign service business: an immigration authority of the
# host country reads them, never changes them (people's records; travel advice and its briefings, whose
# drafting, submission and approval all ask for ``Action.CHANGE``).
IMMIGRATION_READ_ONLY = (*PEOPLE, Area.ADVICE)


def _immigration_may(area, action):
    """What an immigration authority may hold of the matrix: never individual people's data, and never a
    change to the consular records of people (registrations and posts' details, crises and their
    evacuation, cases and case teams) nor to the foreign service's travel advice (drafting, submitting,
    approving), whatever the matrix says. It still lists and exports them: its scope over people
    (``IMMIGRATION_OWN_ONLY``) holds no one."""
    if action == Action.PERSONAL:
        return False
    return not (area in IMMIGRATION_READ_ONLY and action == Action.CHANGE)


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


# Areas in which an immigration authority reaches only its own organisation's records, whatever its
# scope: other organisations' audit log, messaging and case teams are their own business.
IMMIGRATION_OWN_ONLY = (Area.AUDIT, Area.MESSAGING, Area.CASES, Area.NATIONALS, Area.CRISES)


def organisation_ids_for(user, area):
    """Ids of the organisations whose records in ``area`` the user may read, or None for all.

    The user's scope (``visible_organisation_ids``), narrowed for an immigration
    authority to its own organisation and branches in ``IMMIGRATION_OWN_ONLY``."""
    ids = visible_organisation_ids(user)
    if area in IMMIGRATION_OWN_ONLY and _is_immigration_user(user):
        own = descendants_and_self(user.profile.organisation_id)
        ids = own if ids is None else set(ids) & own
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


def jurisdiction(user):
    """(admin area ids, country ids) that the organisations in the user's scope cover; None for everywhere.

    An organisation covers its jurisdiction areas and every area inside them, and
    its jurisdiction countries; one with no jurisdiction recorded covers its own
    country (a national agency, an NGO working across the host country)."""
    from lifeline.geo.models import AdminArea

    ids = visible_organisation_ids(user)
    if ids is None:
        return None
    area_ids, country_ids = set(), set()
    for org in Organisation.objects.filter(id__in=ids).prefetch_related(
        "jurisdiction_areas", "jurisdiction_countries"
    ):
        areas = {a.pk for a in org.jurisdiction_areas.all()}
        countries = {c.pk for c in org.jurisdiction_countries.all()}
        area_ids |= areas
        country_ids |= countries
        if not areas and not countries:
            country_ids.add(org.country_id)
    frontier = set(area_ids)
    while frontier:
        frontier = (
            set(AdminArea.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - area_ids
        )
        area_ids |= frontier
    return area_ids, country_ids


class ScopedQuerySet(models.QuerySet):
    """Querysets of organisation-owned models: always read through ``for_user``."""

    def readable_by(self, user):
        """What the user may read: ``for_user``, plus shared knowledge of other organisations.

        Models that set ``shared_area_path`` (the admin area field of a collective
        record: community profiles, interpreters' languages and availability) are read
        by every organisation whose jurisdiction covers that area. Changing them stays
        with ``for_user(user, Action.CHANGE)``, and personal details (contact channels)
        with ``for_user``. An immigration authority reads only its own."""
        own = self.for_user(user)
        path = getattr(self.model, "shared_area_path", None)
        if path is None or not has_perm(user, self.model.permission_area, Action.VIEW):
            return own
        ids = visible_organisation_ids(user)
        if ids is None or _is_immigration_user(user):
            return own
        area_ids, country_ids = jurisdiction(user)
        covered = models.Q(**{f"{path}__in": area_ids}) | models.Q(**{f"{path}__country_id__in": country_ids})
        shared = self.model.objects.filter(covered).values("pk")
        return self.filter(models.Q(organisation_id__in=ids) | models.Q(pk__in=shared))

    def for_user(self, user, action=Action.VIEW):
        area = self.model.permission_area
        if not has_perm(user, area, action):
            return self.none()
        ids = organisation_ids_for(user, area)
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


def may_change(user, obj):
    """Whether the user may change this organisation-owned record (it is in their scope and role)."""
    return type(obj).objects.for_user(user, Action.CHANGE).filter(pk=obj.pk).exists()


def writable_organisations(user, area=None):
    """The organisations the user may create records for (in ``area``, if given: see ``organisation_ids_for``)."""
    ids = visible_organisation_ids(user) if area is None else organisation_ids_for(user, area)
    qs = Organisation.objects.all()
    return qs if ids is None else qs.filter(id__in=ids)
