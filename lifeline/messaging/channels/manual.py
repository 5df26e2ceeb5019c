"""The manual channel: radio, loudspeaker and door-to-door teams.

"Sending" hands the messages to a team: each result is ok but not delivered
(the team reports back through the dashboard). ``manual_script`` gives the text
to read out, once per language; ``manual_list`` the list for the team as CSV or
XLSX (cells guarded against spreadsheet formulas); ``manual_export_response``
wraps it as a download and writes the export to the audit log.
"""

import csv
import io
import re

import openpyxl
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.core import audit
from lifeline.core.models import AuditAction
from lifeline.core.names import language_name
from lifeline.core.registry_views import CONTENT_TYPES
from lifeline.core.tabular import safe_cell

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
    return header, [[safe_cell(str(cell)) for cell in row] for row in rows]


def manual_list(messages, fmt="csv"):
    """The team's list as bytes (CSV with a BOM for spreadsheet programs, or XLSX)."""
    header, rows = _rows(messages)
    if fmt == "xlsx":
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet(_("Messages"))
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


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
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", name)[:60] or "manual"
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{fmt}"'
    return response
