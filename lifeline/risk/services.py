"""Writes of the risk app: the table of languages of origin groups, GDACS documents, and acting on
a GDACS proposal. Each takes the acting user (None for the poller) and plain values."""

import json
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from shapely.geometry import mapping

from lifeline.core.errors import Invalid
from lifeline.core.models import Action, Area
from lifeline.core.names import normalise_language
from lifeline.core.permissions import get_for_user, require
from lifeline.risk import gdacs, hazards, presence
from lifeline.risk.models import GdacsEvent, GdacsProposal, OfficialStatus, OriginLanguage

# --- the table of languages of origin groups -----------------------------------------------------


def save_origin_language(user, values, row=None):
    """Add or change one row (country, language, share, status, source); the audit log keeps who
    changed what. ``Invalid`` when a value is refused, nothing saved."""
    require(user, Area.RISK, Action.CHANGE)
    errors = {}
    country = str(values.get("country") or "").upper()
    if len(country) != 2 or not country.isalpha():
        errors["country"] = [_("Pick a country.")]
    language = normalise_language(values.get("language") or "")
    if not language:
        errors["language"] = [_("Pick a language.")]
    share = values.get("share")
    if share in ("", None):
        share = None
    else:
        try:
            share = Decimal(str(share)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            share = Decimal(-1)
        if not (0 <= share <= 100):
            errors["share"] = [_("A share is a percentage between 0 and 100.")]
    status = values.get("status") or ""
    if status not in OfficialStatus.values:
        errors["status"] = [_("Pick an official status.")]
    source = str(values.get("source") or "").strip()[:200]
    if not source:
        errors["source"] = [_("Say where this comes from.")]
    if not errors:
        clash = OriginLanguage.objects.filter(country=country, language=language)
        if row is not None:
            clash = clash.exclude(pk=row.pk)
        if clash.exists():
            errors["language"] = [_("This language is already in the table for this country.")]
    if errors:
        raise Invalid(errors)
    row = row or OriginLanguage()
    row.country, row.language, row.share, row.status, row.source = country, language, share, status, source
    with transaction.atomic():
        row.save()
    return row


def delete_origin_language(user, row):
    require(user, Area.RISK, Action.CHANGE)
    with transaction.atomic():
        row.delete()


# --- GDACS ----------------------------------------------------------------------------------------


def _values(data):
    return {
        "episode_id": data.episode_id,
        "alert_level": data.alert_level,
        "name": data.name or f"{data.event_type} {data.event_id}",
        "description": data.description,
        "severity": data.severity,
        "population": data.population,
        "countries": data.countries,
        "from_date": data.from_date,
        "to_date": data.to_date,
        "bbox": data.bbox,
        "link": data.link,
        "is_current": data.is_current,
    }


def import_gdacs(document):
    """Read one GDACS RSS or GeoJSON document whole (``gdacs.GdacsError`` when refused, nothing
    written), store new events, update those with a new episode (or a shape for the same episode),
    and relay each stored or updated event to the posts. Returns the counts."""
    from lifeline.risk.proposals import relay

    events = gdacs.parse(document)
    report = {"events": len(events), "created": 0, "updated": 0, "unchanged": 0, "proposals": 0}
    with transaction.atomic():
        changed = []
        for data in events:
            values = _values(data)
            geometry = json.dumps(mapping(data.geometry)) if data.geometry is not None else ""
            event = GdacsEvent.objects.filter(event_type=data.event_type, event_id=data.event_id).first()
            if event is None:
                event = GdacsEvent.objects.create(
                    event_type=data.event_type, event_id=data.event_id, geometry=geometry, **values
                )
                report["created"] += 1
                changed.append(event)
            elif data.episode_id > event.episode_id or (
                data.episode_id == event.episode_id and geometry and not event.geometry
            ):
                for key, value in values.items():
                    setattr(event, key, value)
                if geometry:
                    event.geometry = geometry
                elif data.episode_id > event.episode_id and not data.geometry:
                    pass  # an RSS episode keeps the shape the GeoJSON API gave
                event.save()
                report["updated"] += 1
                changed.append(event)
            else:
                report["unchanged"] += 1
        for event in changed:
            report["proposals"] += len(relay(event))
    return report


def current_events():
    return GdacsEvent.objects.filter(is_current=True)


def open_checkin(user, proposal):
    """Declare a crisis over the event's shape, led by the proposal's post (then the post asks the
    people inside from the crisis page); a proposal already acted on gives its crisis back."""
    from lifeline.crises.models import Crisis, CrisisType
    from lifeline.crises.services import materialise
    from lifeline.geo.models import Country
    from lifeline.risk.proposals import event_shape

    require(user, Area.CRISES, Action.CHANGE)
    proposal = get_for_user(GdacsProposal, user, proposal.pk, Action.CHANGE)
    if proposal.crisis_id:
        return proposal.crisis
    event = proposal.event
    geometry = event_shape(event)
    country = Country.objects.filter(code__in=event.countries).first()
    with transaction.atomic():
        crisis = Crisis.objects.create(
            organisation=proposal.organisation,
            name=proposal.headline[:200],
            type=CrisisType.NATURAL_HAZARD,
            country_id=country.pk if country else proposal.organisation.country_id,
            geometry=json.dumps(mapping(geometry)) if geometry is not None else "",
            description=f"GDACS {event.event_type} {event.event_id}, episode {event.episode_id}",
        )
        proposal.crisis = crisis
        proposal.save(update_fields=["crisis", "updated"])
    materialise(crisis)
    return crisis


def dismiss_proposal(user, proposal):
    require(user, Area.CRISES, Action.CHANGE)
    proposal = get_for_user(GdacsProposal, user, proposal.pk, Action.CHANGE)
    proposal.dismissed = True
    proposal.save(update_fields=["dismissed", "updated"])
    return proposal


# --- imports of presence tables, migrant stock and hazard layers ----------------------------------


def _check(user):
    if user is not None:
        require(user, Area.RISK, Action.CHANGE)


def import_presence(user, data, filename, organisation, country_code, source="", date=None, dry_run=False):
    _check(user)
    return presence.import_presence(data, filename, organisation, country_code, source, date, dry_run, user)


def import_migrant_stock(user, data, filename, organisation, year=None, source="", dry_run=False):
    _check(user)
    return presence.import_migrant_stock(data, filename, organisation, year, source, dry_run, user)


def import_hazard_layer(
    user, data, organisation, name, source, date=None, country=None, hazard="", dry_run=False
):
    _check(user)
    return hazards.import_hazard_layer(data, organisation, name, source, date, country, hazard, dry_run, user)
