"""``core`` is what every app builds on: it imports none of them (apps register with it instead)."""

import ast
from pathlib import Path

import lifeline

APPS = {
    "advice",
    "alerts",
    "api",
    "cases",
    "communities",
    "crises",
    "directory",
    "evacuation",
    "interpreters",
    "messaging",
    "nationals",
    "pwa",
}


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def test_core_imports_no_app():
    core = Path(lifeline.__file__).parent / "core"
    found = []
    for path in core.rglob("*.py"):
        relative = path.relative_to(core)
        if relative.parts[0] in ("tests", "migrations"):
            continue
        for module in _imports(path):
            parts = module.split(".")
            if parts[0] == "lifeline" and len(parts) > 1 and parts[1] in APPS:
                found.append(f"{relative}: {module}")
    assert not found, "core imports apps: " + ", ".join(found)


def test_no_test_rig_in_the_product_package():
    package = Path(lifeline.__file__).parent
    rigs = [p for p in package.rglob("*.py") if "testing" in p.parts or p.name.startswith("loopback")]
    assert not rigs, f"loopback test servers belong in tests/rigs: {rigs}"
