"""What of an assistance case is personal (see ``core/disclosure.py``): unlocked by "See personal data" on cases."""

from lifeline.core.disclosure import Policy, register
from lifeline.core.models import Area

CASE = register(
    Policy(
        "cases.case",
        Area.CASES,
        personal=("summary", "location", "contact_name", "contact_phone", "photo"),
        derived={"person_label": ("contact_name",)},
    )
)
NOTE = register(Policy("cases.internalnote", Area.CASES, personal=("text",)))
MESSAGE = register(Policy("cases.casemessage", Area.CASES, personal=("text",)))
