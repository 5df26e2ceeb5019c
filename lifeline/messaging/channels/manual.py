"""The manual channel: radio, loudspeaker and door-to-door teams.

"Sending" hands the messages to a team: each result is ok but not delivered
(the team reports back through the dashboard). ``manual_script`` gives the text
to read out, once per language; ``manual_list`` the list for the team as CSV or
XLSX (cells guarded against spreadsheet formulas); ``manual_export_response``
wraps it as a download and writes the export to the audit log.
"""

from django.utils.translation import gettext as _

from lifeline.core import audit
from lifeline.core.models import AuditAction
from lifeline.core.names import language_name
from lifeline.core.tabular import CONTENT_TYPES, table_response, write_table

from .base import Channel, SendResult


class ManualChannel(Channel):
    name = "manual"
    max_batch = 1000

    def send_batch(self, messages):
        return [
            SendResult(m.delivery_id, ok=True, provider_id=f"manual-{m.delivery_id}", delivered=False)
            for m in messages
        ]


def _by_language(messages):
    groups = {}
    for message in messages:
        groups.setdefault(message.language or "", []).append(message)
    return groups


def manual_script(messages):
    """The words to read out: per language, each distinct message once, with how many it is for."""
    sections = []
    for language, group in sorted(_by_language(messages).items()):
        texts = {}
        for message in group:
            key = (message.subject.strip(), message.body.strip())
            texts[key] = texts.get(key, 0) + 1
        name = language_name(language) if language else _("Language not set")
        lines = [
            _("== %(language)s (%(code)s): %(n)s recipient(s) ==")
            % {"language": name, "code": language or "-", "n": len(group)}
        ]
        for (subject, body), count in texts.items():
            if len(texts) > 1:
                lines.append(_("-- for %(n)s recipient(s) --") % {"n": count})
            if subject:
                lines.append(subject.upper() if subject.isascii() else subject)
            lines.append(body)
        sections.append("\n\n".join(lines))
    return "\n\n\n".join(sections) + "\n" if sections else ""


def _rows(messages):
    header = [_("Delivery"), _("Address"), _("Language"), _("Subject"), _("Message"), _("Done")]
    rows = [[str(m.delivery_id), m.address, m.language, m.subject, m.short or m.body, ""] for m in messages]
    return header, rows


def manual_list(messages, fmt="csv"):
    """The team's list as bytes (CSV with a BOM for spreadsheet programs, or XLSX)."""
    header, rows = _rows(messages)
    return write_table([header, *rows], fmt, sheet=_("Messages"), title=_("Messages"))


def manual_export_response(messages, fmt="csv", name="manual", reason=""):
    """A download of the team's list; the export is audited (it holds addresses)."""
    fmt = fmt if fmt in CONTENT_TYPES else "csv"
    messages = list(messages)
    data = manual_list(messages, fmt)
    audit.record(
        AuditAction.EXPORT,
        object_type="messaging.delivery",
        object_repr=_("%(n)s messages for a manual team (%(fmt)s)") % {"n": len(messages), "fmt": fmt},
        fields=["address"],
        reason=reason,
    )
    return table_response(data, fmt, name or "manual")
