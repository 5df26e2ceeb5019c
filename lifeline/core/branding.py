"""Whose name, logo and colours a page shows: the one rule, for staff pages and public pages.

The deployment (``Branding``) gives the product's name, its languages and the default owner, logo
and colours. An organisation may have its own branding (a name for the header, a logo, colours): its
staff see it on every page, and so does the public on the pages it publishes (travel advice of a
ministry). An organisation without its own branding shows its nearest ancestor's that has one, so
a ministry's posts show the ministry's; with none up the tree, the deployment's.

A public page that shows what several organisations published is branded by them when they all
come to the same branding, and by the deployment otherwise.
"""

from dataclasses import dataclass

from lifeline.core.models import Branding, Organisation

# How far up the tree one query reaches; deeper trees cost one more query per three levels.
_DEPTH = ("parent", "parent__parent")


@dataclass(frozen=True)
class Brand:
    product_name: str
    owner_name: str
    logo_url: str
    primary_colour: str
    accent_colour: str
    languages: tuple
    streams: str
    organisation_id: int | None = None


def has_own(org):
    return bool(org.brand_name or org.brand_logo)


def _deployment_brand(deployment):
    return Brand(
        product_name=deployment.product_name,
        owner_name=deployment.owner_name,
        logo_url=deployment.logo.url if deployment.logo else "",
        primary_colour=deployment.primary_colour,
        accent_colour=deployment.accent_colour,
        languages=tuple(deployment.languages or ()),
        streams=deployment.streams,
    )


def branded_ancestor(org_id):
    """The organisation itself or its nearest ancestor with its own branding, or None."""
    seen = set()
    while org_id is not None:
        org = Organisation.objects.select_related(*_DEPTH).filter(pk=org_id).first()
        for level in range(len(_DEPTH) + 1):
            if org is None or org.pk in seen:
                return None
            seen.add(org.pk)
            if has_own(org):
                return org
            org_id = org.parent_id
            if org_id is None:
                return None
            org = org.parent if level < len(_DEPTH) else None
    return None


def brand_of(org, deployment=None):
    """The brand shown for the organisation ``org`` (already its branded ancestor, or None)."""
    deployment = deployment or Branding.current()
    base = _deployment_brand(deployment)
    if org is None:
        return base
    return Brand(
        product_name=base.product_name,
        owner_name=org.brand_name or org.name,
        logo_url=org.brand_logo.url if org.brand_logo else "",
        primary_colour=org.brand_primary_colour or base.primary_colour,
        accent_colour=org.brand_accent_colour or base.accent_colour,
        languages=base.languages,
        streams=base.streams,
        organisation_id=org.pk,
    )


def show_for(request, organisation_ids):
    """Brand this public page by the organisations whose content it shows (see the module's rule)."""
    request.brand_organisation_ids = {pk for pk in organisation_ids if pk is not None}


def for_request(request):
    """The brand of the page being rendered: the publisher's on a public page that says so, else the
    signed-in user's organisation's, else the deployment's."""
    deployment = Branding.current()
    wanted = getattr(request, "brand_organisation_ids", None)
    if wanted:
        brands = {pk: branded_ancestor(pk) for pk in sorted(wanted)}
        owners = {getattr(org, "pk", None) for org in brands.values()}
        return brand_of(next(iter(brands.values())) if len(owners) == 1 else None, deployment)
    user = getattr(request, "user", None)
    profile = getattr(user, "profile", None) if user is not None and user.is_authenticated else None
    if profile is None:
        return brand_of(None, deployment)
    return brand_of(branded_ancestor(profile.organisation_id), deployment)
