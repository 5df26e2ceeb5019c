"""Key contacts as a table: the columns of the CSV/XLSX import and export."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from lifeline.core.phones import to_e164
from lifeline.core.tabular import (
    MULTI_SEPARATOR,
    Column,
    TableSchema,
    areas,
    boolean,
    choice,
    date,
    languages,
    render_plain,
    safe_cell,
    split_multi,
    text,
)
from lifeline.directory.models import (
    ChannelType,
    ContactCategory,
    ContactKind,
    KeyContact,
    TrustLevel,
)

CHANNEL_TYPES = frozenset(ChannelType.values)
PHONE_CHANNELS = frozenset(
    {ChannelType.PHONE, ChannelType.SMS, ChannelType.WHATSAPP, ChannelType.SIGNAL, ChannelType.VIBER}
)


def normalise_channel(kind, value, region=None):
    """Validate one channel; phones become E.164. Raises ValidationError."""
    value = value.strip()
    if kind not in CHANNEL_TYPES:
        raise ValidationError(_("“%(kind)s” is not a channel type.") % {"kind": kind})
    if not value:
        raise ValidationError(_("The %(kind)s channel has no value.") % {"kind": kind})
    if kind in PHONE_CHANNELS:
        return to_e164(value, region)
    if kind == ChannelType.EMAIL:
        validate_email(value)
    return value


def parse_channels(value, ctx=None):
    """``phone:+962 7 9012 3456; email:x@example.org`` → list of {type, value}; local numbers are
    read in the importing organisation's country (``ctx.region``)."""
    region = getattr(ctx, "region", None)
    channels = []
    for item in split_multi(value):
        kind, sep, rest = item.partition(":")
        if not sep:
            raise ValidationError(_("Write each channel as type:value, for example phone:+962790123456."))
        channels.append(
            {"type": kind.strip().lower(), "value": normalise_channel(kind.strip().lower(), rest, region)}
        )
    return channels


def render_channels(channels):
    return f"{MULTI_SEPARATOR} ".join(f"{c['type']}:{c['value']}" for c in channels or [])


def render_codes(attr):
    def render(objs):
        return f"{MULTI_SEPARATOR} ".join(sorted(getattr(o, attr) for o in objs))

    return render


# The agreement columns are a reading of the contact's agreements: an import leaves them as they are.
DERIVED = ("agreement_status", "agreement_date")
_UNCHANGED = object()


def derived(value, ctx=None):
    return _UNCHANGED


class ContactSchema(TableSchema):
    key = "contacts"
    model = KeyContact
    natural_key = ("name", "affiliation")
    columns = [
        Column("name", "#contact+name", text(200), render_plain, required=True),
        Column("kind", "#contact+type", choice(ContactKind), render_plain, required=True),
        Column("category", "#org+type", choice(ContactCategory), render_plain, required=True),
        Column("affiliation", "#org+name", text(200), render_plain),
        Column("role_title", "#contact+role", text(120), render_plain),
        Column("languages", "#language+code", languages, render_codes("code"), m2m=True),
        Column("channels", "#contact+channels", parse_channels, render_channels),
        Column("coverage_areas", "#adm1+code", areas, render_codes("pcode"), m2m=True),
        Column("coverage_note", "#meta+coverage", text(300), render_plain),
        Column("available_24_7", "#indicator+h24", boolean, render_plain),
        Column(
            "trust_level", "#indicator+trust", choice(TrustLevel, default=TrustLevel.UNKNOWN), render_plain
        ),
        Column("capacity", "#capacity", text(300), render_plain),
        # Read from the agreements that name the contact (plans/coordination.py): exported, never imported.
        Column("agreement_status", "#status+agreement", derived, render_plain, extra=True),
        Column("agreement_date", "#date+agreement", derived, render_plain, extra=True),
        Column("last_verified", "#date+verified", date, render_plain),
        Column("notes", "#description", text(5000), render_plain),
    ]

    def read_extra(self, obj, name):
        return _UNCHANGED  # compared with what ``derived`` parsed: never a change

    def render_value(self, column, obj):
        if column.target in DERIVED:
            return safe_cell(column.render(getattr(obj, column.target)))
        return super().render_value(column, obj)
