"""What of an interpreter is personal (see ``core/disclosure.py``): how to reach them."""

from lifeline.core.disclosure import Policy, register
from lifeline.core.models import Area

# Organisations whose jurisdiction covers an interpreter's area read the record, never how to reach them.
INTERPRETER = register(
    Policy(
        "interpreters.interpreter",
        Area.INTERPRETERS,
        personal=("phone", "email", "messaging"),
        own_scope_only=True,
    )
)
