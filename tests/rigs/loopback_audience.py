"""Registers the synthetic "numbered" audience of the loopback setup (see loopback.py)."""

from tests.rigs.loopback import register_numbered

register_numbered()
