"""Defaults are written once, in settings.py: code reads ``settings.X``, never
``getattr(settings, "X", default)`` with a second default that can drift from the first."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Django's own optional setting (the file e-mail backend's folder), only named in the demo's message.
ALLOWED = {"core/management/commands/load_demo.py": {"EMAIL_FILE_PATH"}}
DEFAULTED = re.compile(r"getattr\(\s*settings\s*,\s*[\"'](\w+)[\"']\s*,")


def test_no_code_reads_a_setting_with_its_own_default():
    found = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if "/tests/" in f"/{relative}" or "/migrations/" in f"/{relative}":
            continue
        for name in DEFAULTED.findall(path.read_text(encoding="utf-8")):
            if name not in ALLOWED.get(relative, set()):
                found.append(f"{relative}: {name}")
    assert not found, found
