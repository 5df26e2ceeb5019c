"""What of a key contact is personal (see ``core/disclosure.py``): the contact channels."""

from lifeline.core.disclosure import Policy, register
from lifeline.core.models import Area

KEY_CONTACT = register(Policy("directory.keycontact", Area.CONTACTS, personal=("channels",)))
