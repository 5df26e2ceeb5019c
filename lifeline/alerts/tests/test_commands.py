import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lifeline.alerts.models import Alert, State

from .conftest import CAP_DIR, EXAMPLES, VALID_SAMPLES

pytestmark = pytest.mark.skipif(not CAP_DIR.exists(), reason="the shared CAP data is not beside the project")


def test_cap_validate_passes_valid_files(capsys):
    call_command("cap_validate", *[str(EXAMPLES / n) for n in VALID_SAMPLES])
    out = capsys.readouterr().out
    assert out.count(": OK") == len(VALID_SAMPLES)


def test_cap_validate_reports_file_line_message_and_fails(capsys):
    bad = str(EXAMPLES / "invalid_cap12_missing_scope.xml")
    with pytest.raises(CommandError) as caught:
        call_command("cap_validate", str(EXAMPLES / VALID_SAMPLES[0]), bad)
    assert caught.value.returncode == 1
    err = capsys.readouterr().err
    assert f"{bad}:9: " in err and "scope" in err


def test_cap_import_imports_skips_duplicates_and_applies_cancel(org_a, capsys, tmp_path):
    original = tmp_path / "original.xml"
    original.write_text(
        '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>AS-NV-e18921c7-1b35-4a81-9705-42d25c265ddd</identifier>'
        "<sender>bbrundage@dps.state.nv.us</sender><sent>2019-04-18T12:02:32-06:00</sent><status>Actual</status>"
        "<msgType>Alert</msgType><scope>Public</scope></alert>"
    )
    cancel = str(EXAMPLES / "cap12_ipaws_nv_cancel_signed.xml")
    call_command("cap_import", str(original), cancel, cancel, "--org", str(org_a.pk))
    out = capsys.readouterr().out
    assert "Imported" in out and "Already imported" in out
    assert Alert.objects.count() == 2
    assert Alert.objects.get(identifier__startswith="AS-NV-e18").state == State.CANCELLED
    signed = Alert.objects.get(identifier__startswith="AS-NV-58d")
    assert signed.raw_xml == (EXAMPLES / "cap12_ipaws_nv_cancel_signed.xml").read_text(
        encoding="utf-8"
    )  # kept as received


def test_cap_import_reports_bad_files(org_a, capsys, tmp_path):
    with pytest.raises(CommandError):
        call_command(
            "cap_import",
            str(EXAMPLES / "invalid_cap12_missing_scope.xml"),
            str(tmp_path / "none.xml"),
            "--org",
            str(org_a.pk),
        )
    err = capsys.readouterr().err
    assert "scope" in err and "No such file" in err
    assert not Alert.objects.exists()
