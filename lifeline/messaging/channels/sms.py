"""SMS through a configurable HTTP gateway.

Every gateway has its own JSON; the deployment describes it in settings:

- ``SMS_GATEWAY_URL``, ``SMS_GATEWAY_METHOD``, ``SMS_GATEWAY_HEADERS`` (JSON);
- ``SMS_GATEWAY_TEMPLATE``: the JSON body for one message, with the
  placeholders ``{to}``, ``{text}``, ``{id}``, ``{parts}`` (and ``{part}`` when
  the gateway wants each part as its own message). Placeholders are filled in
  the parsed JSON and the result serialised again, so a quote or a newline in a
  text can never break the JSON. A value that is exactly ``"{parts}"`` or
  ``"{part}"`` becomes a number;
- ``SMS_GATEWAY_BATCH``: optional JSON body for many messages, where the value
  ``"{messages}"`` is replaced by the list of single-message bodies;
- ``SMS_GATEWAY_RESPONSE_ID``: a dotted path to the provider's id in the reply
  to one message; for a batch, ``SMS_GATEWAY_BATCH_RESPONSE_ITEMS`` is the path
  to the list of per-message replies (in request order) and
  ``SMS_GATEWAY_BATCH_ITEM_ID`` / ``SMS_GATEWAY_BATCH_ITEM_ERROR`` the paths
  inside each.

A text longer than one SMS is sent once and the gateway concatenates it; the
result reports its parts. If the template has ``{part}``, each part is sent as
its own message and the first part's provider id stands for the whole.

Timeouts, dropped connections, 429 and 5xx are retryable; other 4xx are not.
"""

import json
import re

import httpx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from lifeline.core.phones import default_region, e164_or_none

from .base import Channel, SendResult, failed

# --- segments ------------------------------------------------------------------------

GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = set("\f^{}\\[~]|€")  # sent as escape + character: two septets each
SINGLE = {"gsm7": 160, "ucs2": 70}
MULTI = {"gsm7": 153, "ucs2": 67}


def encoding(text):
    """'gsm7' if every character is in the GSM 03.38 alphabet (with its extension), else 'ucs2'."""
    return "gsm7" if all(c in GSM_BASIC or c in GSM_EXTENSION for c in text) else "ucs2"


def _units(char, enc):
    if enc == "gsm7":
        return 2 if char in GSM_EXTENSION else 1
    return 2 if ord(char) > 0xFFFF else 1  # outside the BMP: a UTF-16 surrogate pair


def segments(text):
    """The parts a phone network splits ``text`` into, as a list of strings.

    GSM-7 holds 160 septets in one message, 153 per part when concatenated (the
    rest is the concatenation header); UCS-2 holds 70 / 67 code units. A
    two-unit character (GSM escape, UTF-16 surrogate pair) is never cut in half.
    """
    if not text:
        return []
    enc = encoding(text)
    if sum(_units(c, enc) for c in text) <= SINGLE[enc]:
        return [text]
    size, parts, current, used = MULTI[enc], [], [], 0
    for char in text:
        units = _units(char, enc)
        if used + units > size:
            parts.append("".join(current))
            current, used = [], 0
        current.append(char)
        used += units
    parts.append("".join(current))
    return parts


# --- templates -------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"\{(to|text|id|parts|part)\}")
NUMERIC = ("parts", "part")


def render(template, values):
    """Fill placeholders in a parsed JSON template (dicts, lists, strings), never in raw JSON text."""
    if isinstance(template, dict):
        return {key: render(value, values) for key, value in template.items()}
    if isinstance(template, list):
        return [render(value, values) for value in template]
    if isinstance(template, str):
        whole = PLACEHOLDER.fullmatch(template)
        if whole and whole.group(1) in NUMERIC:
            return int(values[whole.group(1)])
        return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), "")), template)
    return template


def render_batch(template, bodies):
    if isinstance(template, dict):
        return {key: render_batch(value, bodies) for key, value in template.items()}
    if isinstance(template, list):
        return [render_batch(value, bodies) for value in template]
    if template == "{messages}":
        return bodies
    return template


def lookup(data, path):
    """Values at a dotted path; ``*`` walks a list. Always a list (empty if absent)."""
    if not path:
        return []
    values = [data]
    for step in path.split("."):
        found = []
        for value in values:
            if step == "*" and isinstance(value, list):
                found.extend(value)
            elif isinstance(value, dict) and step in value:
                found.append(value[step])
            elif isinstance(value, list) and step.isdigit() and int(step) < len(value):
                found.append(value[int(step)])
        values = found
    return values


def _json_setting(name):
    """A setting that holds JSON text (its default is in settings.py), parsed; a bad value says which."""
    value = getattr(settings, name)
    if isinstance(value, str):
        value = value.strip()
        try:
            return json.loads(value) if value else None
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name} is not valid JSON: {exc}") from None
    return value


def normalise_phone(value, region=None):
    """E.164 form of a phone number, or None if it is not a valid number."""
    return e164_or_none(value, region or default_region())


# --- the channel -------------------------------------------------------------------------


class SmsChannel(Channel):
    name = "sms"

    def __init__(self):
        self.url = settings.SMS_GATEWAY_URL
        self.method = settings.SMS_GATEWAY_METHOD.upper()
        self.headers = _json_setting("SMS_GATEWAY_HEADERS") or {}
        self.template = _json_setting("SMS_GATEWAY_TEMPLATE")
        self.batch_template = _json_setting("SMS_GATEWAY_BATCH")
        self.batch_url = settings.SMS_GATEWAY_BATCH_URL or self.url
        self.id_path = settings.SMS_GATEWAY_RESPONSE_ID
        self.items_path = settings.SMS_GATEWAY_BATCH_RESPONSE_ITEMS
        self.item_id_path = settings.SMS_GATEWAY_BATCH_ITEM_ID
        self.item_error_path = settings.SMS_GATEWAY_BATCH_ITEM_ERROR
        self.split = "{part}" in json.dumps(self.template)
        self.max_batch = int(settings.SMS_GATEWAY_BATCH_SIZE) if self.batch_template else 50
        self.concurrency = max(1, int(settings.SMS_GATEWAY_CONCURRENCY))
        self.client = httpx.Client(
            timeout=httpx.Timeout(float(settings.SMS_GATEWAY_TIMEOUT)),
            limits=httpx.Limits(
                max_connections=self.concurrency + 2, max_keepalive_connections=self.concurrency + 2
            ),
            headers={"Content-Type": "application/json", **self.headers},
        )

    def close(self):
        super().close()
        self.client.close()

    def send_batch(self, messages):
        results = [None] * len(messages)
        ready = []  # (index, message, phone, [(id, text, part, parts)])
        for index, message in enumerate(messages):
            phone = normalise_phone(message.address)
            text = (message.short or message.body or "").strip()
            if not self.url:
                results[index] = failed(message, _("No SMS gateway is configured."))
            elif phone is None:
                results[index] = failed(message, _("The address is not a valid phone number."))
            elif not text:
                results[index] = failed(message, _("The message has no text."))
            else:
                parts = segments(text)
                if self.split and len(parts) > 1:
                    pieces = [
                        (f"{message.delivery_id}-{n}", piece, n, len(parts))
                        for n, piece in enumerate(parts, start=1)
                    ]
                else:
                    pieces = [(str(message.delivery_id), text, 1, len(parts))]
                ready.append((index, message, phone, pieces))
        if ready:
            if self.batch_template:
                chunks = [
                    ready[start : start + self.max_batch] for start in range(0, len(ready), self.max_batch)
                ]
                self.map_ordered(lambda chunk: self._send_many(chunk, results), chunks)
            else:
                self.map_ordered(lambda item: self._send_one(item, results), ready)
        return results

    def _body(self, phone, piece):
        ident, text, part, parts = piece
        return render(self.template, {"to": phone, "text": text, "id": ident, "part": part, "parts": parts})

    def _request(self, url, body):
        """(response JSON or None, error SendResult kwargs or None)."""
        try:
            response = self.client.request(
                self.method, url, content=json.dumps(body, ensure_ascii=False).encode("utf-8")
            )
        except httpx.HTTPError as exc:
            return None, {
                "error": _("Gateway unreachable: %(reason)s") % {"reason": exc.__class__.__name__},
                "retryable": True,
            }
        if response.status_code >= 500 or response.status_code == 429:
            return None, {
                "error": _("Gateway error %(status)s.") % {"status": response.status_code},
                "retryable": True,
            }
        if response.status_code >= 400:
            detail = response.text[:200]
            return None, {
                "error": _("Gateway refused the message (%(status)s): %(detail)s")
                % {"status": response.status_code, "detail": detail}
            }
        try:
            return response.json(), None
        except ValueError:
            return {}, None

    def _send_one(self, item, results):
        index, message, phone, pieces = item
        ids = []
        for piece in pieces:
            data, error = self._request(self.url, self._body(phone, piece))
            if error:
                results[index] = failed(message, parts=pieces[0][3], **error)
                return
            found = lookup(data, self.id_path)
            ids.append(str(found[0]) if found else "")
        results[index] = SendResult(message.delivery_id, ok=True, provider_id=ids[0], parts=pieces[0][3])

    def _send_many(self, items, results):
        flat = [(index, message, phone, piece) for index, message, phone, pieces in items for piece in pieces]
        body = render_batch(self.batch_template, [self._body(phone, piece) for _i, _m, phone, piece in flat])
        data, error = self._request(self.batch_url, body)
        if error:
            for index, message, _phone, pieces in items:
                results[index] = failed(message, parts=pieces[0][3], **error)
            return
        replies = (lookup(data, self.items_path) or [[]])[0]
        replies = replies if isinstance(replies, list) else []
        per_message = {}
        for position, (index, message, _phone, piece) in enumerate(flat):
            entry = per_message.setdefault(
                index, {"message": message, "ids": [], "errors": [], "parts": piece[3]}
            )
            reply = replies[position] if position < len(replies) else {}
            error = (lookup(reply, self.item_error_path) or [""])[0]
            if error:
                entry["errors"].append(str(error))
            else:
                entry["ids"].extend(
                    str(v) for v in lookup(reply, self.item_id_path)[:1] if v not in (None, "")
                )
        for index, entry in per_message.items():
            message = entry["message"]
            if entry["errors"]:
                detail = "; ".join(entry["errors"])
                results[index] = failed(
                    message,
                    _("Gateway refused the message: %(detail)s") % {"detail": detail},
                    parts=entry["parts"],
                )
            else:
                results[index] = SendResult(
                    message.delivery_id, ok=True, provider_id=(entry["ids"] or [""])[0], parts=entry["parts"]
                )
