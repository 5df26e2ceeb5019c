"""How many SMS a text takes: the one function the send preview, the composers' counters
(``messaging:segments``) and the alert texts all call.

GSM 03.38: a text made only of the GSM 7-bit default alphabet goes as GSM-7, 160 septets in one
message, 153 per part when it is split (the rest of each part holds the concatenation header);
a character of the extension table (``€ [ ] { } ^ ~ | \\`` and form feed) takes two septets (an
escape and itself) and is never split across two parts. Any other character (Arabic, Cyrillic,
emoji...) sends the whole text as UCS-2: 70 UTF-16 units in one message, 67 per part, a surrogate
pair (an emoji) never split.
"""

from dataclasses import asdict, dataclass

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = set("\f^{}\\[~]|€")
LIMITS = {"GSM-7": (160, 153), "UCS-2": (70, 67)}


@dataclass(frozen=True)
class Segments:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2) the text takes
    segments: int  # messages the phone receives (0 for an empty text)
    per_segment: int  # units one part holds: 160/70 alone, 153/67 when split
    remaining: int  # units left in the last part

    def as_dict(self):
        return asdict(self)


def is_gsm7(text):
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)


def _unit_sizes(text, encoding):
    if encoding == "GSM-7":
        return [2 if ch in GSM7_EXTENSION else 1 for ch in text]
    return [2 if ord(ch) > 0xFFFF else 1 for ch in text]


def count(text):
    """The encoding, units and number of SMS parts ``text`` takes (see the module's note)."""
    text = str(text or "")
    encoding = "GSM-7" if is_gsm7(text) else "UCS-2"
    single, part = LIMITS[encoding]
    sizes = _unit_sizes(text, encoding)
    units = sum(sizes)
    if units == 0:
        return Segments(encoding, 0, 0, single, single)
    if units <= single:
        return Segments(encoding, units, 1, single, single - units)
    segments, used = 1, 0
    for size in sizes:  # a two-unit character is never split across two parts
        if used + size > part:
            segments, used = segments + 1, 0
        used += size
    return Segments(encoding, units, segments, part, part - used)
