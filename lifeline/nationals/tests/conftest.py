import email
import socket

import pytest
from aiosmtpd.controller import Controller

from lifeline.core.models import Role, Scope


class Inbox:
    """Keeps every message the loopback SMTP server receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content)))
        return "250 OK"

    def bodies(self):
        return [message.get_payload(decode=True).decode() for _to, message in self.messages]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(settings, db):
    """A real SMTP server on loopback; Django sends to it with the SMTP backend."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", controller.port, False
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def consul(make_user, post_amman):
    return make_user(post_amman, Role.OFFICER)


@pytest.fixture
def ministry_coordinator(make_user, ministry):
    return make_user(ministry, Role.COORDINATOR, Scope.CHILDREN)


@pytest.fixture
def api(client):
    """A test client that calls the staff API with a fresh bearer token of ``user`` (as lifeline/api/tests)."""
    from lifeline.core.models import ApiToken

    def as_user(user):
        _token, raw = ApiToken.issue(user, "test")
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        return client

    return as_user
