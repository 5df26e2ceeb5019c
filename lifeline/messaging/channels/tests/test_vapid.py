import base64
import json
import stat
from io import StringIO

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management import call_command

from lifeline.messaging.channels import vapid
from lifeline.messaging.channels.management.commands.vapid_keys import Command


@pytest.fixture
def keys_file(settings, tmp_path):
    settings.VAPID_PRIVATE_KEY = settings.VAPID_PUBLIC_KEY = ""
    settings.VAPID_KEYS_FILE = str(tmp_path / "var" / "vapid.json")
    return tmp_path / "var" / "vapid.json"


def run():
    out, err = StringIO(), StringIO()
    call_command(Command(), stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_the_command_creates_keys_once_and_prints_the_public_key(keys_file):
    public, err = run()
    assert "Created" in err
    stored = json.loads(keys_file.read_text())
    assert stored["public_key"] == public == vapid.public_key()
    assert stat.S_IMODE(keys_file.stat().st_mode) == 0o600
    point = base64.urlsafe_b64decode(public + "=" * (-len(public) % 4))
    assert len(point) == 65 and point[0] == 4  # uncompressed P-256 point, as browsers take it
    ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    again, err = run()
    assert again == public and "Kept" in err


def test_keys_from_the_environment_win(settings, keys_file):
    pair = vapid.generate()
    settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY = pair["private_key"], pair["public_key"]
    public, _err = run()
    assert public == pair["public_key"] == vapid.public_key()
    assert not keys_file.exists()


def test_no_keys_means_no_public_key(keys_file):
    assert vapid.public_key() == ""
