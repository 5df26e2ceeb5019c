"""Published CAP messages are signed with the organisation's key; imported signatures are checked."""

import shutil
import stat
import subprocess

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from lxml import etree

from conftest import verified_client
from lifeline.alerts import signing
from lifeline.alerts.cap import DSIG, parse_xml, schema
from lifeline.alerts.models import Alert
from lifeline.alerts.services import approve, import_cap, submit
from lifeline.alerts.tests.conftest import make_draft, sample
from lifeline.core.models import Organisation, Role


@pytest.fixture
def keys_dir(settings, tmp_path):
    settings.CAP_SIGNING_KEYS_DIR = str(tmp_path / "cap-keys")
    return tmp_path / "cap-keys"


@pytest.fixture
def published(make_user, org_a, draft):
    submit(draft, draft.created_by)
    approve(draft, make_user(org_a, role=Role.COORDINATOR))
    return Alert.objects.get(pk=draft.pk)


def test_the_command_makes_a_private_key_only_the_service_reads(keys_dir, org_a):
    call_command("cap_signing_key", str(org_a.pk), "--generate")
    key, cert = signing.key_paths(org_a.pk)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert b"BEGIN CERTIFICATE" in cert.read_bytes()


def test_a_key_and_a_certificate_that_do_not_match_are_refused(keys_dir, org_a, tmp_path):
    key_one, _cert_one = signing.make_self_signed("One")
    _key_two, cert_two = signing.make_self_signed("Two")
    (tmp_path / "k.pem").write_bytes(key_one)
    (tmp_path / "c.pem").write_bytes(cert_two)
    with pytest.raises(CommandError, match="do not belong together"):
        call_command(
            "cap_signing_key",
            str(org_a.pk),
            "--key",
            str(tmp_path / "k.pem"),
            "--cert",
            str(tmp_path / "c.pem"),
        )
    assert not signing.key_paths(org_a.pk)[0].exists()


def test_a_published_alert_goes_out_signed_and_valid(keys_dir, org_a, published, client):
    call_command("cap_signing_key", str(org_a.pk), "--generate")
    xml = client.get(reverse("alerts:cap_by_id", args=[published.pk])).content
    root = parse_xml(xml)
    assert root[-1].tag == f"{{{DSIG}}}Signature"  # enveloped: the last child of <alert>
    assert schema().validate(root), schema().error_log  # CAP 1.2 allows the signature there
    verdict = signing.signature_of(xml)
    assert verdict.valid and verdict.signer == org_a.name
    # The same message every time: RSA signatures are deterministic, so caches and ETags hold.
    assert client.get(reverse("alerts:cap_by_id", args=[published.pk])).content == xml


def _xmlsec_verify(cert, path):
    """xmlsec1's own verdict on the signature of ``path`` with the certificate ``cert``."""
    return subprocess.run(
        [
            "xmlsec1",
            "--verify",
            "--enabled-reference-uris",
            "empty",
            "--pubkey-cert-pem",
            str(cert),
            str(path),
        ],
        capture_output=True,
        text=True,
    )


@pytest.mark.skipif(shutil.which("xmlsec1") is None, reason="xmlsec1 (Debian package) is not installed")
def test_an_independent_reader_verifies_the_signature(keys_dir, org_a, published, tmp_path):
    call_command("cap_signing_key", str(org_a.pk), "--generate")
    path = tmp_path / "alert.xml"
    path.write_bytes(signing.cap_message(published))
    _key, cert = signing.key_paths(org_a.pk)
    checked = _xmlsec_verify(cert, path)
    assert checked.returncode == 0, checked.stderr
    path.write_bytes(path.read_bytes().replace(b"<headline>", b"<headline>Changed: "))
    tampered = _xmlsec_verify(cert, path)
    assert tampered.returncode != 0


def test_a_branch_signs_with_its_parents_key(keys_dir, org_a):
    branch = Organisation.objects.create(name="Branch", short_name="BR", parent=org_a, country=org_a.country)
    call_command("cap_signing_key", str(org_a.pk), "--generate")
    assert signing.signing_pair(branch) == signing.signing_pair(org_a) is not None


def test_drafts_and_organisations_without_a_key_go_out_unsigned(keys_dir, org_a, published):
    assert etree.fromstring(signing.cap_message(published)).find(f"{{{DSIG}}}Signature") is None
    call_command("cap_signing_key", str(org_a.pk), "--generate")
    draft = make_draft(org_a)
    assert etree.fromstring(signing.cap_message(draft)).find(f"{{{DSIG}}}Signature") is None


def test_an_imported_signature_is_checked_and_shown(org_a, client, make_user):
    result = import_cap(sample("cap12_ipaws_nv_cancel_signed.xml"), org_a)
    verdict = signing.signature_of(result.alert.raw_xml)
    assert verdict.valid and verdict.signer == "IPAWSOPEN_200302" and not verdict.trusted
    verified_client(client, make_user(org_a, role=Role.COORDINATOR))
    page = client.get(reverse("alerts:detail", args=[result.alert.pk])).content.decode()
    assert "Signed by IPAWSOPEN_200302" in page


def test_a_changed_signed_message_is_shown_as_broken(org_a):
    raw = sample("cap12_ipaws_nv_cancel_signed.xml").replace(
        b"<status>Actual</status>", b"<status>Exercise</status>"
    )
    verdict = signing.signature_of(raw)
    assert verdict.present and not verdict.valid
    assert "does not hold" in verdict.summary


def test_a_trusted_certificate_is_named_trusted(settings, tmp_path, org_a):
    raw = sample("cap12_ipaws_nv_cancel_signed.xml")
    root = etree.fromstring(raw)
    embedded = "".join(root.find(f"{{{DSIG}}}Signature").findtext(f".//{{{DSIG}}}X509Certificate").split())
    bundle = tmp_path / "trusted.pem"
    bundle.write_text(f"-----BEGIN CERTIFICATE-----\n{embedded}\n-----END CERTIFICATE-----\n")
    settings.CAP_TRUSTED_CERTIFICATES = str(bundle)
    assert signing.signature_of(raw).trusted


def test_unsigned_and_unreadable_messages(org_a):
    assert not signing.signature_of(sample("cap12_oasis_earthquake_update_circle.xml")).present
    assert not signing.signature_of(b"<not xml").present
