"""A loopback SMTP server (aiosmtpd) that keeps every message it receives.

with SmtpServer(refuse={"nobody@example.org"}) as smtp:
    EMAIL_HOST, EMAIL_PORT = "127.0.0.1", smtp.port
    smtp.messages  # [email.message.EmailMessage]
"""

import email
import email.policy
import socket
import threading

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Handler:
    def __init__(self, server):
        self.server = server

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        with self.server.lock:
            self.server.sessions += 1
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.server.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.server.lock:
            self.server.messages.append(message)
            self.server.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, refuse=()):
        self.refuse = set(refuse)
        self.messages = []
        self.envelopes = []
        self.sessions = 0  # EHLOs: one per connection
        self.lock = threading.Lock()

    def __enter__(self):
        self.port = free_port()
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()
