"""Whose name, logo and colours a page shows: the one rule, for staff pages and public pages.

The deployment (``Branding``) gives the product's name, its languages and the default owner, logo
and colours. An organisation may have its own branding (a name for the header, a logo, colours): its
staff see it on every page, and so does the public on the pages it publishes (travel advice of a
ministry). An organisation without its own branding shows its nearest ancestor's that has one, so
a ministry's posts show the ministry's; with none up the tree, the deployment's.

A public page that shows what several organisations published is branded by them when they all
come to the same branding, and by the deployment otherwise; each thing on it still shows its own
publisher's brand (``show_for`` returns them; the page's frame colours them through ``css_class``).

A national in the nationals' app sees the brand of the organisation they registered with (their
post, so their ministry's), whoever else is signed in on the device: the app's authentication puts
the person's registration on the request (``request.registration``).
"""

import re
from dataclasses import dataclass

from lifeline.core.models import Branding, Organisation

# How far up the tree one query reaches; deeper trees cost one more query per three levels.
_DEPTH = ("parent", "parent__parent")
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


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

    @property
    def css_class(self):
        """The class that gives an element this brand's colours (``--brand-primary``,
        ``--brand-accent``), set by the page's nonce'd style (``publisher_brands``)."""
        return f"brand-{self.organisation_id or 0}"


def has_own(org):
    return bool(org.brand_name or org.brand_logo)


def _colour(value, fallback):
    """A colour as #RRGGBB (it goes into a style sheet), else the fallback."""
    return value if COLOUR.match(value or "") else fallback


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
        primary_colour=_colour(org.brand_primary_colour, base.primary_colour),
        accent_colour=_colour(org.brand_accent_colour, base.accent_colour),
        languages=base.languages,
        streams=base.streams,
        organisation_id=org.pk,
    )


def logo_of(org, deployment=None):
    """The stored logo file (a ``FieldFile``) of the brand ``brand_of(org)`` shows, or None: what a
    document embeds (DOCX, PDF) where a page links ``logo_url``."""
    if org is None:
        deployment = deployment or Branding.current()
        return deployment.logo or None
    return org.brand_logo or None


def show_for(request, organisation_ids):
    """Brand this public page by the organisations whose content it shows (see the module's rule).
    Returns {organisation id: Brand}: the brand each publisher's content shows on the page."""
    wanted = sorted({pk for pk in organisation_ids if pk is not None})
    request.brand_organisation_ids = set(wanted)
    deployment = Branding.current()
    brands = {pk: brand_of(branded_ancestor(pk), deployment) for pk in wanted}
    request.publisher_brands = brands
    return brands


def publisher_brands(request):
    """The distinct brands of the publishers of a public page, when they are more than one (the
    page's own frame has the brand when there is one): each needs its colours in the page's style."""
    brands = {brand.organisation_id: brand for brand in getattr(request, "publisher_brands", {}).values()}
    return sorted(brands.values(), key=lambda b: b.organisation_id or 0) if len(brands) > 1 else []


def for_request(request):
    """The brand of the page being rendered: the publisher's on a public page that says so, else the
    organisation a national in the app registered with, else the signed-in user's organisation's,
    else the deployment's."""
    deployment = Branding.current()
    wanted = getattr(request, "brand_organisation_ids", None)
    if wanted:
        brands = getattr(request, "publisher_brands", None) or show_for(request, wanted)
        owners = {brand.organisation_id for brand in brands.values()}
        return next(iter(brands.values())) if len(owners) == 1 else brand_of(None, deployment)
    registration = getattr(request, "registration", None)
    if registration is not None:
        return brand_of(branded_ancestor(registration.organisation_id), deployment)
    user = getattr(request, "user", None)
    profile = getattr(user, "profile", None) if user is not None and user.is_authenticated else None
    if profile is None:
        return brand_of(None, deployment)
    return brand_of(branded_ancestor(profile.organisation_id), deployment)
