"""What a form pre-fills: the one place that decides each default.

Pages, the API and the app ask these functions; no form guesses on its own.

- ``phone_region``: where a number typed in local format is read — the country of the
  organisation that holds the record (of the place of stay when the post is yet to be assigned),
  else the country of the staff member's own organisation, else the deployment's
  ``SMS_DEFAULT_REGION`` (``core/phones.default_region``).
- ``nationality``: the country of the ministry of foreign affairs the user works for or under
  (the home stream registers that ministry's nationals).
- ``post``: the user's own post, when it is one they may write for.
- ``residence_country``: the country a post covers, when it covers only one.
- ``only_country``: the one country the organisations work in (their jurisdiction), or, when
  they declare none, the one country of the whole deployment; None when there is a choice.
"""

from lifeline.core.models import Organisation, OrganisationKind
from lifeline.core.phones import default_region

HOLDING_POST = OrganisationKind.CONSULAR_POST


def user_organisation(user):
    """The organisation a staff member works for, or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    profile = getattr(user, "profile", None)
    return getattr(profile, "organisation", None)


def phone_region(user=None, organisation=None, country=None):
    """The ISO 3166 code a local phone number is read in (None: international numbers only).

    ``organisation``: the one that holds the record; when it is left to be assigned by the place
    of stay (a registration), that place's ``country`` stands for it; else the user's organisation."""
    if organisation is None and country is not None and getattr(country, "code", ""):
        return country.code.upper()
    return default_region(organisation or user_organisation(user))


def ministry(organisation):
    """The ministry of foreign affairs ``organisation`` is or belongs to, or None."""
    seen = set()
    while organisation is not None and organisation.pk not in seen:
        if organisation.kind == OrganisationKind.FOREIGN_AFFAIRS:
            return organisation
        seen.add(organisation.pk)
        organisation = organisation.parent
    return None


def nationality(user):
    """The nationality a new registration starts with: the ministry's country."""
    found = ministry(user_organisation(user))
    return found.country if found is not None else None


def post(user, organisations=None):
    """The user's own post, if it is a consular post among ``organisations`` (those they may write for)."""
    own = user_organisation(user)
    if own is None or own.kind != HOLDING_POST:
        return None
    if organisations is not None and not organisations.filter(pk=own.pk).exists():
        return None
    return own


def _covered_codes(organisations):
    """The ISO codes of the countries ``organisations`` (a queryset) cover: their jurisdiction."""
    countries = Organisation.jurisdiction_countries.through.objects.filter(organisation__in=organisations)
    areas = Organisation.jurisdiction_areas.through.objects.filter(organisation__in=organisations)
    return set(countries.values_list("country__code", flat=True)) | set(
        areas.values_list("adminarea__country__code", flat=True)
    )


def residence_country(post_organisation):
    """The country of residence a registration with ``post_organisation`` starts with: the one it covers."""
    from lifeline.geo.models import Country

    if post_organisation is None:
        return None
    codes = _covered_codes(Organisation.objects.filter(pk=post_organisation.pk))
    return Country.objects.filter(code=codes.pop()).first() if len(codes) == 1 else None


def deployment_country_codes():
    """The countries this deployment works in: where its organisations are and what they cover."""
    codes = set(Organisation.objects.exclude(country=None).values_list("country__code", flat=True))
    codes |= set(Organisation.jurisdiction_countries.through.objects.values_list("country__code", flat=True))
    return codes


def only_country(organisations=None, queryset=None):
    """The country to pre-select in a country choice, or None when there is a real choice.

    ``organisations``: those the user may write for; the countries they cover (their
    jurisdiction) count when they declare any, else the deployment's countries do.
    ``queryset``: the countries the field offers (the answer must be one of them)."""
    from lifeline.geo.models import Country

    codes = _covered_codes(organisations) if organisations is not None else set()
    if not codes:
        codes = deployment_country_codes()
    if len(codes) != 1:
        return None
    return (Country.objects.all() if queryset is None else queryset).filter(code__in=codes).first()
