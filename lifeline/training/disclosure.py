"""What of a participant is personal (see ``core/disclosure.py``): who they are, how to reach them,
their sex and their access needs. Roles without ``Action.PERSONAL`` on training see them masked."""

from lifeline.core.disclosure import Policy, register
from lifeline.core.models import Area

PARTICIPANT = register(
    Policy(
        "training.participant",
        Area.TRAINING,
        personal=("name", "email", "phone", "sex", "access_needs"),
        named=True,
    )
)
