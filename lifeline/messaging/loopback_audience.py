"""Registers the synthetic "numbered" audience of the loopback setup (see loopback.py)."""

from lifeline.messaging.loopback import register_numbered

register_numbered()
