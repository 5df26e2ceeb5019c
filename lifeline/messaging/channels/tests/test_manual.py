import csv
import io

import openpyxl
import pytest

from lifeline.core.models import AuditAction, AuditEntry
from lifeline.messaging.channels import get_channel
from lifeline.messaging.channels.manual import manual_export_response, manual_list, manual_script

from .conftest import message

FLOOD_EN = "Flood in Amman. Go to higher ground now."
FLOOD_AR = "فيضان في عمّان. اصعدوا إلى مكان مرتفع الآن."


def team_messages():
    return [
        message(1, address="Building 4, Jabal Al-Weibdeh", body=FLOOD_EN),
        message(2, address="Building 6, Jabal Al-Weibdeh", body=FLOOD_EN),
        message(3, address='=HYPERLINK("http://evil")', language="ar", subject="تحذير", body=FLOOD_AR),
    ]


def test_sending_hands_messages_to_the_team():
    results = get_channel("manual").send_batch(team_messages())
    assert [(r.delivery_id, r.ok, r.delivered) for r in results] == [
        (1, True, False),
        (2, True, False),
        (3, True, False),
    ]


def test_the_script_has_each_text_once_per_language():
    script = manual_script(team_messages())
    assert script.count(FLOOD_EN) == 1
    assert script.count(FLOOD_AR) == 1
    assert "2 recipient(s)" in script and "1 recipient(s)" in script
    assert script.index("(ar)") < script.index("(en)")
    assert manual_script([]) == ""


def test_the_csv_list_guards_against_formulas():
    rows = list(csv.reader(io.StringIO(manual_list(team_messages()).decode("utf-8-sig"))))
    assert rows[0] == ["Delivery", "Address", "Language", "Subject", "Message", "Done"]
    assert rows[1][1] == "Building 4, Jabal Al-Weibdeh"
    assert rows[3][1] == '\'=HYPERLINK("http://evil")'
    assert rows[3][4] == FLOOD_AR


@pytest.mark.django_db  # the workbook carries the deployment's branding
def test_the_xlsx_list():
    book = openpyxl.load_workbook(io.BytesIO(manual_list(team_messages(), "xlsx")))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 4
    assert rows[3][1].startswith("'=")


@pytest.mark.django_db
def test_the_download_is_audited():
    response = manual_export_response(
        team_messages(), fmt="xlsx", name="amman flood/teams", reason="door-to-door"
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="amman-flood-teams-' in response["Content-Disposition"]
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.fields == ["address"] and entry.reason == "door-to-door"
    assert "3 messages" in entry.object_repr
