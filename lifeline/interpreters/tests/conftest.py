import datetime

import pytest

from lifeline.api.tests.conftest import api  # noqa: F401  (the staff API client fixture)
from lifeline.core.models import Language
from lifeline.interpreters.models import AvailabilityWindow, Interpreter, LanguagePair


def add_pair(interpreter, source, target, both=True, proficiency=3, certified=False):
    return LanguagePair.objects.create(
        interpreter=interpreter,
        source=Language.lookup(source),
        target=Language.lookup(target),
        both_directions=both,
        proficiency=proficiency,
        certified=certified,
    )


def make_interpreter(organisation, name, pairs=(), **fields):
    fields.setdefault("consent_stored", True)
    fields.setdefault("consent_contact", True)
    interpreter = Interpreter.objects.create(organisation=organisation, full_name=name, **fields)
    for pair in pairs:
        add_pair(interpreter, *pair)
    return interpreter


@pytest.fixture
def maria(org_a, areas):
    """A Filipino–Spanish medical interpreter in Amman, with contact details."""
    interpreter = make_interpreter(
        org_a,
        "Maria Santos",
        pairs=[("tl", "es", False, 4)],
        phone="+962791234567",
        email="maria@example.org",
        messaging=[{"type": "whatsapp", "value": "+962791234567"}],
        modalities=["consecutive"],
        specialisations=["medical"],
        home_area=areas["amman"],
        city="Amman",
        always_available=True,
    )
    AvailabilityWindow.objects.create(
        interpreter=interpreter, weekday=0, start=datetime.time(9), end=datetime.time(17)
    )
    return interpreter
