"""What of a national is personal (see ``core/disclosure.py``): everything that says who or where they are.

Unlocked by "See personal data" on Nationals abroad, wherever it is shown: the registration
pages and API, the check-in board and its follow-up list, evacuation lists, manifests and
children's checklists. Only the post, country, admin area, stay type, languages and document
status are shown without it.
"""

from lifeline.core.disclosure import Policy, register
from lifeline.core.models import Area

REGISTRATION = register(
    Policy(
        "nationals.registration",
        Area.NATIONALS,
        personal=(
            "given_names",
            "family_name",
            "date_of_birth",
            "sex",
            "document_number",
            "phone",
            "email",
            "messaging",
            "city",
            "address",
            "location",
            "special_needs",
            "needs_details",
            "emergency_contact",
            "employer",
            "recruiter",
        ),
        derived={
            "full_name": ("given_names", "family_name"),
            "age": ("date_of_birth",),
            "need_labels": ("special_needs",),
            "sex_label": ("sex",),
        },
        named=True,
    )
)

# What a list of registrations shows of each person (names, town, special needs): audited per page.
LISTED = ("given_names", "family_name", "city", "special_needs")

MEMBER = register(
    Policy(
        "nationals.householdmember",
        Area.NATIONALS,
        personal=("name", "date_of_birth", "sex", "document_number", "special_needs"),
        derived={"age": ("date_of_birth",), "need_labels": ("special_needs",), "sex_label": ("sex",)},
        named=True,
    )
)
