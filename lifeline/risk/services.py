"""Writes with side effects in risk analysis: imports of presence tables, migrant stock and hazard
layers, each by an acting user (or the system, from a command) for an organisation, all or nothing.
Pages and commands call these; the reading and checking lives in ``presence`` and ``hazards``."""

from lifeline.core.models import Action, Area
from lifeline.core.permissions import require
from lifeline.risk import hazards, presence


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
