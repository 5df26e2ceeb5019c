"""What of an alert subscriber is personal (see ``core/disclosure.py``): the address, never shown to staff."""

from lifeline.core.disclosure import Policy, register
from lifeline.core.models import Area

ALERT_SUBSCRIBER = register(Policy("messaging.alertsubscriber", Area.MESSAGING, personal=("address",)))
