import datetime
import socket
import time

import pytest

from lifeline.advice.models import AdviceText, AdviceVersion, Briefing, BriefingText, State, TravelAdvice
from lifeline.api.tests.conftest import api  # noqa: F401  (the staff API client fixture)
from lifeline.core.models import Organisation, OrganisationKind, Role, Scope


@pytest.fixture
def kuwait(db):
    from lifeline.geo.models import Country

    return Country.objects.get_or_create(code="KW", defaults={"iso3": "KWT"})[0]


@pytest.fixture
def other_ministry(jordan):
    from lifeline.geo.models import Country

    home = Country.objects.get_or_create(code="ID", defaults={"iso3": "IDN"})[0]
    return Organisation.objects.create(
        name="Other Foreign Ministry", kind=OrganisationKind.FOREIGN_AFFAIRS, country=home
    )


@pytest.fixture
def writer(make_user, ministry):
    return make_user(ministry, Role.OFFICER)


@pytest.fixture
def approver(make_user, ministry):
    return make_user(ministry, Role.COORDINATOR, Scope.CHILDREN)


def add_version(advice, level=2, state=State.DRAFT, author=None, texts=None, number=None):
    version = AdviceVersion.objects.create(
        advice=advice,
        number=number or advice.versions.count() + 1,
        level=level,
        state=state,
        author=author,
        last_reviewed=datetime.date(2026, 11, 1),
    )
    for language, summary in (texts or {"en": "Take care."}).items():
        AdviceText.objects.create(
            version=version, language=language, summary=summary, safety=f"Safety {language}."
        )
    return version


@pytest.fixture
def make_advice(ministry):
    def make(country, level=2, texts=None, author=None, region="", organisation=None):
        """Published advice for ``country``: one version, published now."""
        from django.utils import timezone

        advice = TravelAdvice.objects.create(
            organisation=organisation or ministry, country=country, region=region
        )
        version = add_version(advice, level, State.PUBLISHED, author, texts)
        version.published_at = timezone.now()
        version.save()
        return advice

    return make


@pytest.fixture
def jordan_briefing(ministry, jordan):
    briefing = Briefing.objects.create(
        organisation=ministry, country=jordan, published=True, last_reviewed=datetime.date(2026, 11, 2)
    )
    BriefingText.objects.create(
        briefing=briefing,
        language="en",
        title="Be ready in Jordan",
        hazards="Flash floods in wadis.",
        kit="Water for three days\nTorch",
        documents="Passport copy",
        during_alerts="Move to high ground.",
        emergency_numbers="Police: 911",
    )
    BriefingText.objects.create(
        briefing=briefing,
        language="ar",
        title="كن مستعداً في الأردن",
        hazards="سيول مفاجئة في الأودية",
        kit="ماء يكفي ثلاثة أيام",
        during_alerts="انتقل إلى مكان مرتفع",
        emergency_numbers="الشرطة: 911",
    )
    return briefing


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """Messages a real SMTP server on loopback received, as email.message objects."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def wait(self, count, timeout=5):
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages


@pytest.fixture
def smtp(settings):
    """An aiosmtpd server in a thread; Django's SMTP backend sends to it."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL = "https://lifeline.example"
    try:
        yield inbox
    finally:
        controller.stop()


def body(message, subtype="plain"):
    part = message.get_body(preferencelist=(subtype,))
    return part.get_content() if part is not None else ""
