"""The operators' guide and its executable form say the same commands (deploy/test-operators.sh runs them)."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
GUIDE = [ROOT / "docs" / "operators" / name for name in ("install.md", "backups.md", "upgrades.md")]
SCRIPT = (ROOT / "deploy" / "test-operators.sh").read_text()
WRAPPER = (ROOT / "deploy" / "lifeline").read_text()


def guide_commands():
    commands = set()
    for page in GUIDE:
        for block in re.findall(r"```sh\n(.*?)```", page.read_text(), re.S):
            commands |= {m.group(1) for m in re.finditer(r"^\s*(lifeline [a-z-]+)", block, re.M)}
    return commands


def test_every_lifeline_command_of_the_guide_is_run_by_the_test_script():
    commands = guide_commands()
    assert {"lifeline keys", "lifeline check", "lifeline restore", "lifeline upgrade"} <= commands
    missing = sorted(c for c in commands if not re.search(rf"(?:^\s*|\$\()(?:\S+=\S+ )*{c}\b", SCRIPT, re.M))
    assert not missing, f"in the guide, not in deploy/test-operators.sh: {missing}"


def test_every_command_the_guide_names_exists_in_the_wrapper():
    known = set(re.findall(r"^\s+([a-z-]+)\)", WRAPPER, re.M))
    unknown = sorted(c for c in guide_commands() if c.split()[1] not in known)
    assert not unknown, unknown


def test_the_units_run_the_wrapper_as_the_service_user_and_can_be_enabled():
    for name in ("web", "worker", "scheduler"):
        unit = (ROOT / "deploy" / "systemd" / f"lifeline-{name}.service").read_text()
        assert f"ExecStart=/srv/lifeline/deploy/lifeline {name}\n" in unit
        assert "User=lifeline\n" in unit and "[Install]\nWantedBy=multi-user.target" in unit
        assert "After=network-online.target postgresql.service redis-server.service" in unit
