"""CAP 1.2 in and out: ``parse`` reads a message (1.2 or 1.1) safely, ``to_cap_xml`` writes one.

Parsing never resolves entities, never loads a DTD or anything from the network,
and refuses any DOCTYPE. CAP 1.2 is validated against the OASIS schema (an
enveloped XML signature is set aside for validation, the raw message is kept);
CAP 1.1 is checked for its required elements and mapped to 1.2 values. Both then
pass the checks the schema cannot make: dates, closed polygons, circles.
"""

import copy
import datetime
import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from lifeline.core.http import web_link

CAP12 = "urn:oasis:names:tc:emergency:cap:1.2"
CAP11 = "urn:oasis:names:tc:emergency:cap:1.1"
DSIG = "http://www.w3.org/2000/09/xmldsig#"
MAX_BYTES = 2 * 1024 * 1024
DEFAULT_LANGUAGE = "en-US"

TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[-+]\d\d:\d\d)$")
POINT = re.compile(r"^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$")

ALERT_REQUIRED = ("identifier", "sender", "sent", "status", "msgType", "scope")
INFO_REQUIRED = ("category", "event", "urgency", "severity", "certainty")
# CAP 1.1 values that CAP 1.2 renamed.
CAP11_VALUES = {"certainty": {"Very Likely": "Likely"}}
ENUMS = {
    "status": ("Actual", "Exercise", "System", "Test", "Draft"),
    "msgType": ("Alert", "Update", "Cancel", "Ack", "Error"),
    "scope": ("Public", "Restricted", "Private"),
    "category": (
        "Geo",
        "Met",
        "Safety",
        "Security",
        "Rescue",
        "Fire",
        "Health",
        "Env",
        "Transport",
        "Infra",
        "CBRNE",
        "Other",
    ),
    "responseType": (
        "Shelter",
        "Evacuate",
        "Prepare",
        "Execute",
        "Avoid",
        "Monitor",
        "Assess",
        "AllClear",
        "None",
    ),
    "urgency": ("Immediate", "Expected", "Future", "Past", "Unknown"),
    "severity": ("Extreme", "Severe", "Moderate", "Minor", "Unknown"),
    "certainty": ("Observed", "Likely", "Possible", "Unlikely", "Unknown"),
}


class CapError(Exception):
    """A message that is not acceptable CAP; ``errors`` is a list of (line or None, translated reason)."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("; ".join(self.messages()))

    def messages(self):
        return [f"{line}: {message}" if line else message for line, message in self.errors]


def schema_path():
    """The OASIS CAP 1.2 schema: ``settings.CAP_SCHEMA`` or the shared reference data beside the project."""
    configured = settings.CAP_SCHEMA
    return (
        Path(configured)
        if configured
        else Path(settings.BASE_DIR).parent / "shared" / "data" / "cap" / "CAP-v1.2.xsd"
    )


@lru_cache(maxsize=1)
def _schema(path):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(path), parser))


def schema():
    path = schema_path()
    return _schema(str(path)) if path.exists() else None


def _parser():
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        dtd_validation=False,
        remove_comments=True,
    )


def parse_xml(data: bytes):
    """Bytes → root element, refusing what is not XML or carries a DOCTYPE. Shared with the feed reader."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_BYTES:
        raise CapError([(None, _("The message is larger than %(max)s bytes.") % {"max": MAX_BYTES})])
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if re.search(rb"<!\s*(DOCTYPE|ENTITY)", data, re.IGNORECASE):
        raise CapError([(None, _("A document type declaration (DOCTYPE) is not allowed."))])
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise CapError(
            [(exc.lineno, _("This is not well-formed XML: %(detail)s") % {"detail": exc.msg})]
        ) from exc
    if root is None:
        raise CapError([(None, _("This is not XML."))])
    if root.getroottree().docinfo.doctype:
        raise CapError([(None, _("A document type declaration (DOCTYPE) is not allowed."))])
    return root


def parse(data: bytes) -> dict:
    """A CAP message → a dict of its contents (1.2 semantics), or CapError with every reason found."""
    root = parse_xml(data)
    qname = etree.QName(root)
    if qname.localname != "alert" or qname.namespace not in (CAP12, CAP11):
        raise CapError(
            [
                (
                    root.sourceline,
                    _("The root element is “%(name)s”, not a CAP 1.2 or 1.1 <alert>.")
                    % {"name": qname.localname},
                )
            ]
        )
    ns = qname.namespace
    errors = []
    if ns == CAP12:
        errors += validate12(root)
    else:
        errors += _check_required(root, ns)
    if errors:
        raise CapError(errors)
    alert = _read(root, ns, errors)
    if errors:
        raise CapError(errors)
    return alert


def validate12(root):
    """Reasons a CAP 1.2 tree breaks the schema (an enveloped signature set aside); empty if valid."""
    checked = copy.deepcopy(root)
    for signature in checked.findall(f"{{{DSIG}}}Signature"):
        checked.remove(signature)
    xsd = schema()
    if xsd is None:
        return _check_required(root, CAP12)
    if xsd.validate(checked):
        return []
    return [(e.line, _("Not valid CAP 1.2: %(detail)s") % {"detail": e.message}) for e in xsd.error_log]


def _check_required(root, ns):
    """The required elements and the enumerated values (what the schema would check, for CAP 1.1)."""
    errors = []
    for name in ALERT_REQUIRED:
        if root.find(f"{{{ns}}}{name}") is None:
            errors.append(
                (root.sourceline, _("The required element <%(name)s> is missing.") % {"name": name})
            )
    for info in root.findall(f"{{{ns}}}info"):
        for name in INFO_REQUIRED:
            if info.find(f"{{{ns}}}{name}") is None:
                errors.append(
                    (info.sourceline, _("The required element <%(name)s> is missing.") % {"name": name})
                )
        for area in info.findall(f"{{{ns}}}area"):
            if area.find(f"{{{ns}}}areaDesc") is None:
                errors.append(
                    (area.sourceline, _("The required element <%(name)s> is missing.") % {"name": "areaDesc"})
                )
    for name, allowed in ENUMS.items():
        for element in root.iter(f"{{{ns}}}{name}"):
            value = CAP11_VALUES.get(name, {}).get((element.text or "").strip(), (element.text or "").strip())
            if value not in allowed:
                errors.append(
                    (
                        element.sourceline,
                        _("“%(value)s” is not a valid <%(name)s>.")
                        % {"value": element.text or "", "name": name},
                    )
                )
    return errors


def _text(element, ns, name):
    child = element.find(f"{{{ns}}}{name}")
    return (child.text or "").strip() if child is not None else ""


def _texts(element, ns, name):
    return [(c.text or "").strip() for c in element.findall(f"{{{ns}}}{name}")]


def _pairs(element, ns, name):
    return [
        {"valueName": _text(p, ns, "valueName"), "value": _text(p, ns, "value")}
        for p in element.findall(f"{{{ns}}}{name}")
    ]


def _time(element, ns, name, errors, required=False):
    child = element.find(f"{{{ns}}}{name}")
    if child is None or not (child.text or "").strip():
        return None
    value = child.text.strip()
    parsed = None
    if TIME.match(value):
        try:
            parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            parsed = None
    if parsed is None:
        errors.append(
            (
                child.sourceline,
                _("<%(name)s> is not a valid date and time: “%(value)s”.") % {"name": name, "value": value},
            )
        )
    return parsed


def _value(ns, name, value):
    return CAP11_VALUES.get(name, {}).get(value, value) if ns == CAP11 else value


def check_polygon(text):
    """A CAP polygon string → list of (lat, lon), or ValueError with a translated reason."""
    points = []
    for token in text.split():
        match = POINT.match(token)
        if not match:
            raise ValueError(_("“%(point)s” is not a “latitude,longitude” pair.") % {"point": token[:40]})
        lat, lon = float(match[1]), float(match[2])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(
                _("“%(point)s” is outside the range of latitudes and longitudes.") % {"point": token[:40]}
            )
        points.append((lat, lon))
    if len(points) < 4:
        raise ValueError(_("A polygon needs at least four points (the first repeated at the end)."))
    if points[0] != points[-1]:
        raise ValueError(_("A polygon must be closed: its last point must repeat its first."))
    return points


def check_circle(text):
    """A CAP circle “lat,lon radius_km” → (lat, lon, radius), or ValueError with a translated reason."""
    parts = text.split()
    match = POINT.match(parts[0]) if len(parts) == 2 else None
    try:
        radius = float(parts[1]) if match else -1
    except ValueError:
        radius = -1
    if not match or radius < 0:
        raise ValueError(
            _("“%(circle)s” is not a circle written as “latitude,longitude radius_km”.")
            % {"circle": text[:60]}
        )
    lat, lon = float(match[1]), float(match[2])
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(
            _("“%(circle)s” is outside the range of latitudes and longitudes.") % {"circle": text[:60]}
        )
    return lat, lon, radius


def _read(root, ns, errors):
    alert = {
        "version": "1.2" if ns == CAP12 else "1.1",
        "identifier": _text(root, ns, "identifier"),
        "sender": _text(root, ns, "sender"),
        "sent": _time(root, ns, "sent", errors),
        "status": _text(root, ns, "status"),
        "msg_type": _text(root, ns, "msgType"),
        "source": _text(root, ns, "source"),
        "scope": _text(root, ns, "scope"),
        "restriction": _text(root, ns, "restriction"),
        "addresses": _text(root, ns, "addresses"),
        "codes": _texts(root, ns, "code"),
        "note": _text(root, ns, "note"),
        "references": " ".join(_text(root, ns, "references").split()),
        "incidents": _text(root, ns, "incidents"),
        "signed": root.find(f"{{{DSIG}}}Signature") is not None,
        "info": [],
    }
    for name in ("identifier", "sender"):
        if re.search(r"[\s,<&]", alert[name]):
            errors.append(
                (root.sourceline, _("<%(name)s> may not contain spaces, commas, < or &.") % {"name": name})
            )
    for info in root.findall(f"{{{ns}}}info"):
        block = {
            "language": _text(info, ns, "language") or DEFAULT_LANGUAGE,
            "categories": _texts(info, ns, "category"),
            "event": _text(info, ns, "event"),
            "response_types": _texts(info, ns, "responseType"),
            "urgency": _text(info, ns, "urgency"),
            "severity": _text(info, ns, "severity"),
            "certainty": _value(ns, "certainty", _text(info, ns, "certainty")),
            "audience": _text(info, ns, "audience"),
            "event_codes": _pairs(info, ns, "eventCode"),
            "effective": _time(info, ns, "effective", errors),
            "onset": _time(info, ns, "onset", errors),
            "expires": _time(info, ns, "expires", errors),
            "sender_name": _text(info, ns, "senderName"),
            "headline": _text(info, ns, "headline"),
            "description": _text(info, ns, "description"),
            "instruction": _text(info, ns, "instruction"),
            "web": web_link(_text(info, ns, "web")),  # only http(s) addresses are kept
            "contact": _text(info, ns, "contact"),
            "parameters": _pairs(info, ns, "parameter"),
            "areas": [],
        }
        for area in info.findall(f"{{{ns}}}area"):
            entry = {
                "area_desc": _text(area, ns, "areaDesc"),
                "polygons": [" ".join(p.split()) for p in _texts(area, ns, "polygon")],
                "circles": [" ".join(c.split()) for c in _texts(area, ns, "circle")],
                "geocodes": _pairs(area, ns, "geocode"),
                "altitude": _float(_text(area, ns, "altitude")),
                "ceiling": _float(_text(area, ns, "ceiling")),
            }
            for element, polygon in zip(area.findall(f"{{{ns}}}polygon"), entry["polygons"], strict=True):
                try:
                    check_polygon(polygon)
                except ValueError as exc:
                    errors.append((element.sourceline, str(exc)))
            for element, circle in zip(area.findall(f"{{{ns}}}circle"), entry["circles"], strict=True):
                try:
                    check_circle(circle)
                except ValueError as exc:
                    errors.append((element.sourceline, str(exc)))
            block["areas"].append(entry)
        alert["info"].append(block)
    return alert


def _float(text):
    try:
        return float(text) if text else None
    except ValueError:
        return None


def parse_references(text):
    """“sender,identifier,sent sender,identifier,sent” → [(sender, identifier, sent)]."""
    found = []
    for token in (text or "").split():
        parts = token.split(",")
        if len(parts) == 3:
            found.append(tuple(parts))
    return found


# --- out ----------------------------------------------------------------------------


def format_time(value):
    """A datetime as CAP writes it: seconds and a numeric offset, never “Z”."""
    if value is None:
        return ""
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value.astimezone(datetime.UTC).replace(microsecond=0).isoformat()


def _add(parent, name, value):
    if value in (None, ""):
        return None
    element = etree.SubElement(parent, f"{{{CAP12}}}{name}")
    element.text = (
        value
        if isinstance(value, str)
        else (format_time(value) if isinstance(value, datetime.datetime) else str(value))
    )
    return element


def _add_pairs(parent, name, pairs):
    for pair in pairs or []:
        element = etree.SubElement(parent, f"{{{CAP12}}}{name}")
        _add(element, "valueName", pair.get("valueName", ""))
        etree.SubElement(element, f"{{{CAP12}}}value").text = pair.get("value", "")


def to_cap_xml(alert) -> bytes:
    """The alert as a CAP 1.2 message (UTF-8 bytes), elements in the schema's order."""
    root = etree.Element(f"{{{CAP12}}}alert", nsmap={None: CAP12})
    _add(root, "identifier", alert.identifier)
    _add(root, "sender", alert.sender)
    _add(root, "sent", alert.sent)
    for name, value in (
        ("status", alert.status),
        ("msgType", alert.msg_type),
        ("source", alert.source),
        ("scope", alert.scope),
        ("restriction", alert.restriction),
        ("addresses", alert.addresses),
    ):
        _add(root, name, value)
    for code in alert.codes or []:
        _add(root, "code", code)
    _add(root, "note", alert.note)
    _add(root, "references", alert.references)
    _add(root, "incidents", alert.incidents)
    for info in alert.info.all():
        element = etree.SubElement(root, f"{{{CAP12}}}info")
        _add(element, "language", info.language)
        for category in info.categories:
            _add(element, "category", category)
        _add(element, "event", info.event)
        for response in info.response_types:
            _add(element, "responseType", response)
        for name in ("urgency", "severity", "certainty", "audience"):
            _add(element, name, getattr(info, name))
        _add_pairs(element, "eventCode", info.event_codes)
        for name, value in (
            ("effective", info.effective),
            ("onset", info.onset),
            ("expires", info.expires),
            ("senderName", info.sender_name),
            ("headline", info.headline),
            ("description", info.description),
            ("instruction", info.instruction),
            ("web", info.web),
            ("contact", info.contact),
        ):
            _add(element, name, value)
        _add_pairs(element, "parameter", info.parameters)
        for area in info.areas.all():
            area_element = etree.SubElement(element, f"{{{CAP12}}}area")
            _add(area_element, "areaDesc", area.area_desc)
            for polygon in area.polygons:
                _add(area_element, "polygon", polygon)
            for circle in area.circles:
                _add(area_element, "circle", circle)
            _add_pairs(area_element, "geocode", area.geocodes)
            _add(area_element, "altitude", area.altitude)
            if area.altitude is not None:
                _add(area_element, "ceiling", area.ceiling)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
