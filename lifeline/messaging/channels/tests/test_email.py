import pytest

from lifeline.messaging.channels import get_channel
from tests.rigs.smtp import SmtpServer, free_port

from .conftest import message


@pytest.fixture
def smtp(settings):
    with SmtpServer(refuse={"gone@example.org"}) as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5
        settings.DEFAULT_FROM_EMAIL = "alerts@lifeline.example"
        yield server


def parts(received):
    plain = received.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = received.get_body(("html",)).get_content()
    return plain, html


def test_it_sends_plain_text_and_html_with_the_unsubscribe_link(smtp):
    [result] = get_channel("email").send_batch(
        [message(3, address="maria@example.org", body="Move to higher ground.\nAvoid the wadi.")]
    )
    assert result.ok and not result.delivered and not result.retryable
    [received] = smtp.messages
    assert received["To"] == "maria@example.org"
    assert received["From"] == "alerts@lifeline.example"
    assert received["Subject"] == "Flood warning"
    assert received["List-Unsubscribe"] == "<https://lifeline.example/u/abc>"
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert received["Content-Language"] == "en"
    assert received["Message-ID"].strip("<>") == result.provider_id
    assert received.get_content_type() == "multipart/alternative"
    plain, html = parts(received)
    assert "Move to higher ground.\nAvoid the wadi." in plain
    assert "https://lifeline.example/u/abc" in plain
    assert "<p>Move to higher ground.<br>Avoid the wadi.</p>" in html
    assert 'href="https://lifeline.example/u/abc"' in html
    assert 'dir="ltr"' in html


def test_arabic_arrives_intact_and_right_to_left(smtp):
    subject = "تحذير من الفيضانات في عمّان"
    body = "توجهوا فوراً إلى مكان مرتفع. ابتعدوا عن الأودية."
    [result] = get_channel("email").send_batch(
        [message(address="ahmad@example.org", language="ar", subject=subject, body=body)]
    )
    assert result.ok
    [received] = smtp.messages
    assert received["Subject"] == subject
    plain, html = parts(received)
    assert body in plain and body in html
    assert 'lang="ar" dir="rtl"' in html


def test_the_body_is_escaped_in_html(smtp):
    get_channel("email").send_batch(
        [message(address="a@example.org", body='<script>alert("x")</script> & more')]
    )
    _plain, html = parts(smtp.messages[0])
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_one_connection_serves_a_batch_and_a_refused_recipient_fails_alone(smtp):
    messages = [
        message(1, address="a@example.org"),
        message(2, address="gone@example.org"),
        message(3, address="not-an-address"),
        message(4, address="b@example.org"),
    ]
    results = get_channel("email").send_batch(messages)
    assert [r.ok for r in results] == [True, False, False, True]
    assert not results[1].retryable and "550" in results[1].error
    assert not results[2].retryable
    assert [to for _from, to in smtp.envelopes] == [["a@example.org"], ["b@example.org"]]
    assert smtp.sessions == 1


def test_no_server_is_retryable(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens
    settings.EMAIL_TIMEOUT = 2
    results = get_channel("email").send_batch(
        [message(1, address="a@example.org"), message(2, address="b@example.org")]
    )
    assert [(r.ok, r.retryable) for r in results] == [(False, True), (False, True)]
    assert "connection" in results[0].error.lower()
