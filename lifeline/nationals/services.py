"""Rules about nationals abroad that pages, API, commands and tasks all call."""

from django.db.models import Q

from lifeline.core.models import Organisation, OrganisationKind


def assign_post(country, area=None, within=None):
    """The consular post responsible for someone staying in ``country`` (and ``area``).

    A post whose jurisdiction names the admin area wins over one that names the
    whole country; without either, the foreign ministry (or crisis cell) at the
    top of the tree keeps the registration. ``within`` limits the search to one
    ministry's tree (an organisation id set), for deployments shared by several.
    """
    posts = Organisation.objects.filter(kind=OrganisationKind.CONSULAR_POST)
    if within is not None:
        posts = posts.filter(id__in=within)
    if area is not None:
        post = posts.filter(jurisdiction_areas=area).order_by("id").first()
        if post:
            return post
    post = posts.filter(jurisdiction_countries=country).order_by("id").first()
    if post:
        return post
    ministries = Organisation.objects.filter(kind=OrganisationKind.FOREIGN_AFFAIRS, parent__isnull=True)
    if within is not None:
        ministries = ministries.filter(id__in=within)
    return ministries.order_by("id").first()


def posts_for(country=None, area=None):
    """Posts whose jurisdiction covers a country or an admin area (for "nearest post" lists)."""
    query = Q()
    if country is not None:
        query |= Q(jurisdiction_countries=country)
    if area is not None:
        query |= Q(jurisdiction_areas=area)
    if not query:
        return Organisation.objects.none()
    return Organisation.objects.filter(query, kind=OrganisationKind.CONSULAR_POST).distinct()
