"""Community profiles as a table: the columns of the CSV/XLSX import and export.

Profiles hold aggregates only, so no column is personal. Focal points and the
contacts who reach a community are written as key-contact names and matched,
exactly but ignoring case, among the key contacts of the organisation the file
is imported into.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lifeline.communities.models import (
    PERCENT_RANGE,
    CommunityProfile,
    Housing,
    Level,
    Sector,
    Vulnerability,
    share_problems,
)
from lifeline.communities.services import record_version
from lifeline.core.tabular import (
    Column,
    TableSchema,
    areas,
    choice,
    countries,
    date,
    integer,
    languages,
    multi_choice,
    render_plain,
    split_multi,
    text,
)
from lifeline.directory.models import KeyContact
from lifeline.directory.tabular import render_codes


def contact_names(value, ctx):
    """``Name one; Name two`` → sorted ids of the organisation's key contacts with those names."""
    names = split_multi(value)
    if not names:
        return []
    contacts = ctx.extra.get("contacts")
    if contacts is None:
        raise ValidationError(_("Key contacts can only be matched when importing into one organisation."))
    ids = set()
    for name in names:
        found = contacts.get(name.casefold(), [])
        if not found:
            raise ValidationError(
                _("No key contact of this organisation is named “%(name)s”.") % {"name": name}
            )
        if len(found) > 1:
            raise ValidationError(
                _("Several key contacts are named “%(name)s”; rename one of them.") % {"name": name}
            )
        ids.add(found[0])
    return sorted(ids)


percent = integer(*PERCENT_RANGE)


def column(name, hxl, parse, render=render_plain, **kwargs):
    return Column(name, hxl, parse, render, **kwargs)


class CommunitySchema(TableSchema):
    key = "communities"
    model = CommunityProfile
    natural_key = ("name",)
    columns = [
        column("name", "#group+name", text(200), required=True),
        column("origin_countries", "#country+code", countries, render_codes("code"), m2m=True),
        column("ethnicity", "#group+ethnicity", text(200)),
        column("languages", "#language+code", languages, render_codes("code"), m2m=True),
        column("literacy_rate", "#indicator+literacy+pct", percent),
        column("literacy_notes", "#description+literacy", text(300)),
        column("estimated_size", "#population", integer()),
        column("size_source", "#meta+source", text(200)),
        column("size_date", "#date+estimate", date),
        column("female_pct", "#population+f+pct", percent),
        column("children_pct", "#population+children+pct", percent),
        column("elderly_pct", "#population+elderly+pct", percent),
        column("areas", "#adm1+code", areas, render_codes("pcode"), m2m=True),
        column("locations_note", "#loc+name", text(300)),
        column("sectors", "#sector", multi_choice(Sector)),
        column("housing", "#indicator+housing", choice(Housing, default="")),
        column("vulnerabilities", "#indicator+vulnerability", multi_choice(Vulnerability)),
        column("vulnerability_notes", "#description+vulnerability", text(5000)),
        column("networks", "#description+networks", text(5000)),
        column("focal_points", "#contact+focal", contact_names, render_codes("name"), m2m=True),
        column("reached_by", "#contact+reach", contact_names, render_codes("name"), m2m=True),
        column("trusted_channels", "#meta+channels", text(300)),
        column("media", "#meta+media", text(300)),
        column("phone_use_pct", "#indicator+phone+pct", percent),
        column("smartphone_pct", "#indicator+smartphone+pct", percent),
        column("apps", "#meta+apps", text(200)),
        column("religious_needs", "#description+religion", text(300)),
        column("dietary_needs", "#description+diet", text(300)),
        column("cultural_needs", "#description+culture", text(300)),
        column("fear_of_enforcement", "#severity+enforcement", choice(Level, default=Level.UNKNOWN)),
        column("past_emergency_experience", "#description+emergencies", text(5000)),
        column("consular_presence", "#org+consulate", text(300)),
    ]

    def __init__(self, organisation=None, version_note=""):
        # The organisation to match contact names in when no import passes one to context().
        self.organisation = organisation
        self.version_note = version_note

    def context(self, organisation=None):
        ctx = super().context(organisation)
        organisation = organisation or self.organisation
        if organisation is not None:
            contacts = {}
            for pk, name in KeyContact.objects.filter(organisation=organisation).values_list("pk", "name"):
                contacts.setdefault(name.strip().casefold(), []).append(pk)
            ctx.extra["contacts"] = contacts
        return ctx

    def validate_row(self, values):
        return share_problems(values)

    def after_write(self, created, updated, user):
        note = self.version_note or _("Imported from a file")
        for obj, _values in created:
            record_version(obj, user, note)
        for obj, _values, _changed in updated:
            record_version(obj, user, note)
