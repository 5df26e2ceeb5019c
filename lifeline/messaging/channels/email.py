"""Email over SMTP through Django's mail backend (settings ``EMAIL_*``).

Each message is multipart: plain text and HTML (escaped, right-to-left for
Arabic and other RTL languages), with the unsubscribe link in both and a
``List-Unsubscribe`` header. One connection serves the whole batch; a refused
recipient fails that message only, a dropped connection is reopened once and
otherwise leaves the rest retryable.
"""

import smtplib
from email.header import Header
from email.message import Message as PlainMessage

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.message import make_msgid
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import override

from lifeline.core import languages

from .base import Channel, SendResult, failed

CONNECTION_ERRORS = (OSError,)  # smtplib.SMTPException and socket timeouts are OSErrors


class _Email(EmailMultiAlternatives):
    def message(self, *args, **kwargs):
        msg = super().message(*args, **kwargs)
        # Fold a non-ASCII subject after "Subject: " (Django folds before it, which
        # readers decode with a stray leading space).
        del msg["Subject"]
        subject = (
            self.subject if self.subject.isascii() else Header(self.subject, "utf-8", header_name="Subject")
        )
        PlainMessage.__setitem__(msg, "Subject", subject)  # Django's __setitem__ would fold it again
        return msg


def build_message(message, from_email, connection=None):
    with override(languages.ui_language([message.language])):
        footer = (
            # Translators: migrants read this
            _("To stop receiving these messages: %(url)s") % {"url": message.unsubscribe_url}
            if message.unsubscribe_url
            else ""
        )
        change = (
            # Translators: migrants read this
            _("To change your places or languages: %(url)s") % {"url": message.change_url}
            if message.change_url
            else ""
        )
        # Translators: migrants read this
        change_text = _("Change my places or languages")
        # Translators: migrants read this
        link_text = _("Stop receiving these messages")
    subject = (
        (message.subject or message.short or message.body.split("\n", 1)[0])[:200]
        .replace("\r", " ")
        .replace("\n", " ")
    )
    text = message.body + (f"\n\n--\n{footer}\n" if footer else "\n") + (f"{change}\n" if change else "")
    direction = languages.direction(message.language)
    unsubscribe = (
        format_html('<p><small><a href="{}">{}</a></small></p>', message.unsubscribe_url, link_text)
        if footer
        else ""
    )
    if change:
        unsubscribe += format_html(
            '<p><small><a href="{}">{}</a></small></p>', message.change_url, change_text
        )
    html = format_html(
        '<!doctype html><html lang="{}" dir="{}"><head><meta charset="utf-8"><title>{}</title></head>'
        '<body style="font-family:sans-serif;line-height:1.5">{}<hr>{}</body></html>',
        message.language or settings.LANGUAGE_CODE,
        direction,
        subject,
        linebreaks_filter(message.body, autoescape=True),  # escaped, then marked safe
        unsubscribe,
    )
    headers = {"Message-ID": make_msgid(domain=settings.EMAIL_MESSAGE_ID_DOMAIN or None)}
    if message.language:
        headers["Content-Language"] = message.language
    if message.unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        if message.unsubscribe_url.startswith("https://"):  # RFC 8058 one-click: the page takes a POST
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email = _Email(subject, text, from_email, [message.address], headers=headers, connection=connection)
    email.attach_alternative(html, "text/html")
    return email


class EmailChannel(Channel):
    name = "email"

    def __init__(self):
        self.from_email = settings.MESSAGING_EMAIL_FROM or settings.DEFAULT_FROM_EMAIL
        self.max_batch = int(settings.EMAIL_BATCH_SIZE)

    def send_batch(self, messages):
        results = []
        connection = get_connection(fail_silently=False)
        opened = self._open(connection)
        try:
            for message in messages:
                if opened is not True:
                    results.append(failed(message, opened, retryable=True))
                    continue
                result, lost = self._send(connection, message)
                if lost:  # reconnect once; if that fails the rest stay retryable
                    self._close(connection)
                    opened = self._open(connection)
                    if opened is True:
                        result, _lost = self._send(connection, message)
                results.append(result)
        finally:
            self._close(connection)
        return results

    def _close(self, connection):
        try:
            connection.close()
        except CONNECTION_ERRORS:
            pass

    def _open(self, connection):
        try:
            connection.open()
        except CONNECTION_ERRORS as exc:
            return _("Mail server connection failed: %(reason)s") % {"reason": exc.__class__.__name__}
        return True

    def _send(self, connection, message):
        """(SendResult, connection lost?)"""
        if "@" not in message.address or "\n" in message.address or "\r" in message.address:
            return failed(message, _("The address is not an email address.")), False
        try:
            email = build_message(message, self.from_email, connection)
            sent = connection.send_messages([email])
        except smtplib.SMTPRecipientsRefused as exc:
            codes = ", ".join(f"{code}" for code, _msg in exc.recipients.values())
            return failed(
                message, _("The mail server refused the recipient (%(codes)s).") % {"codes": codes}
            ), False
        except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as exc:
            return failed(
                message,
                _("The mail server refused the message (%(code)s).") % {"code": exc.smtp_code},
                retryable=400 <= exc.smtp_code < 500,
            ), False
        except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError) as exc:
            return self._lost(message, exc)
        except smtplib.SMTPException as exc:
            return failed(
                message, _("Mail error: %(reason)s") % {"reason": exc.__class__.__name__}, retryable=True
            ), False
        except OSError as exc:  # socket errors and timeouts
            return self._lost(message, exc)
        except ValueError as exc:  # a malformed address the mail library cannot encode
            return failed(message, _("The message cannot be built: %(reason)s") % {"reason": exc}), False
        if not sent:
            return failed(message, _("The mail server did not take the message."), retryable=True), False
        return SendResult(
            message.delivery_id, ok=True, provider_id=email.extra_headers["Message-ID"].strip("<>")
        ), False

    def _lost(self, message, exc):
        return failed(
            message,
            _("Mail server connection lost: %(reason)s") % {"reason": exc.__class__.__name__},
            retryable=True,
        ), True
