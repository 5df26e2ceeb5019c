"""GDACS events in: the RSS feed (with its ``gdacs:`` fields) and the GeoJSON event API, read the
same way whether polled (``poll``, fetched like the CAP feeds: http(s) only, public addresses,
no redirect into a private network, a timeout and a size limit) or given to
``manage.py import_gdacs``.

A document is read whole before anything is written: a byte order mark, an HTML page where XML
or JSON was expected, a malformed date or level, or a broken geometry refuses the whole document
with its reasons (``GdacsError``).
"""

import json
import logging
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

GDACS = "http://www.gdacs.org"
GEORSS = "http://www.georss.org/georss"
MAX_BYTES = 20 * 1024 * 1024
TYPES = {"EQ", "TC", "FL", "VO", "DR", "WF", "TS"}
LEVELS = {"green": "Green", "orange": "Orange", "red": "Red"}


class GdacsError(Exception):
    """A document refused: ``messages`` are the translated reasons."""

    def __init__(self, messages):
        self.messages = list(messages)
        super().__init__("\n".join(self.messages))


@dataclass
class EventData:
    event_type: str
    event_id: int
    episode_id: int
    alert_level: str
    name: str = ""
    description: str = ""
    severity: str = ""
    population: str = ""
    countries: list = field(default_factory=list)
    from_date: datetime | None = None
    to_date: datetime | None = None
    bbox: list = field(default_factory=list)
    geometry: object = None  # shapely (Multi)Polygon, or None
    link: str = ""
    is_current: bool = True


def _check_bytes(data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_BYTES:
        raise GdacsError([_("The document is larger than %(max)s bytes.") % {"max": MAX_BYTES}])
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        raise GdacsError(
            [_("The document starts with a byte order mark (BOM); save it as UTF-8 without one.")]
        )
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:300]:
        raise GdacsError(
            [
                _(
                    "This is a web page (HTML), not a GDACS RSS or GeoJSON document: the server may have answered with an error page."
                )
            ]
        )
    return data


def parse(data):
    """Bytes of an RSS feed or a GeoJSON feature collection → [EventData], or GdacsError."""
    data = _check_bytes(data)
    if data.lstrip()[:1] in (b"{", b"["):
        return parse_geojson(data)
    return parse_rss(data)


# --- values --------------------------------------------------------------------------------------


def _number(value, what, integer=False):
    try:
        number = int(str(value).strip()) if integer else float(str(value).strip())
    except (TypeError, ValueError):
        raise ValueError(
            _("%(field)s “%(value)s” is not a number.") % {"field": what, "value": value}
        ) from None
    if not integer and not math.isfinite(number):
        raise ValueError(_("%(field)s “%(value)s” is not a number.") % {"field": what, "value": value})
    return number


def _date(value, what):
    text = str(value or "").strip()
    if not text:
        return None
    try:
        if re.match(r"^\d{4}-\d{2}-\d{2}", text):
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        else:
            parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        raise ValueError(_("%(field)s “%(value)s” is not a date.") % {"field": what, "value": text}) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _level(value):
    level = LEVELS.get(str(value or "").strip().lower())
    if level is None:
        raise ValueError(_("The alert level “%(value)s” is not Green, Orange or Red.") % {"value": value})
    return level


def _type(value):
    text = str(value or "").strip().upper()
    if text not in TYPES:
        raise ValueError(_("The event type “%(value)s” is not a GDACS hazard.") % {"value": value})
    return text


def _bbox(values):
    """[min lon, min lat, max lon, max lat], checked."""
    minx, miny, maxx, maxy = (float(v) for v in values)
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise ValueError(
            _("The bounding box %(value)s is outside the world or upside down.") % {"value": values}
        )
    return [minx, miny, maxx, maxy]


def _iso2(codes):
    import pycountry

    found = []
    for code in codes:
        code = str(code or "").strip().upper()
        country = None
        if len(code) == 3:
            country = pycountry.countries.get(alpha_3=code)
        elif len(code) == 2:
            country = pycountry.countries.get(alpha_2=code)
        if country is not None and country.alpha_2 not in found:
            found.append(country.alpha_2)
    return found


def _geometry(obj):
    """A GeoJSON Polygon or MultiPolygon → a valid shapely geometry (ValueError with the reason)."""
    from shapely import validation
    from shapely.geometry import shape

    try:
        geometry = shape(obj)
        coords = [c for poly in getattr(geometry, "geoms", [geometry]) for c in poly.exterior.coords]
    except Exception as exc:  # shapely raises several kinds on malformed coordinates
        raise ValueError(
            _("Broken geometry: %(detail)s") % {"detail": str(exc)[:200] or type(exc).__name__}
        ) from None
    if geometry.is_empty or any(not (-180 <= x <= 180 and -90 <= y <= 90) for x, y, *_z in coords):
        raise ValueError(_("Broken geometry: %(detail)s") % {"detail": _("coordinates outside the world")})
    if not geometry.is_valid:
        raise ValueError(_("Broken geometry: %(detail)s") % {"detail": validation.explain_validity(geometry)})
    return geometry


# --- RSS -----------------------------------------------------------------------------------------


def parse_rss(data):
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        root = ElementTree.fromstring(data)
    except DefusedXmlException:
        raise GdacsError([_("A document type declaration (DOCTYPE) or entity is not allowed.")]) from None
    except ElementTree.ParseError as exc:
        raise GdacsError([_("This is not well-formed XML: %(detail)s") % {"detail": str(exc)}]) from None
    if root.tag != "rss" or root.find("channel") is None:
        raise GdacsError([_("This is neither a GDACS RSS feed nor a GeoJSON feature collection.")])
    events, errors = [], []
    for number, item in enumerate(root.find("channel").iterfind("item"), start=1):
        try:
            events.append(_rss_item(item))
        except ValueError as exc:
            errors.append(_("Event %(n)s: %(detail)s") % {"n": number, "detail": exc})
    if errors:
        raise GdacsError(errors)
    return events


def _g(item, name, ns=GDACS):
    found = item.find(f"{{{ns}}}{name}")
    return found


def _gtext(item, name, ns=GDACS):
    found = _g(item, name, ns)
    return (found.text or "").strip() if found is not None else ""


def _required(item, name):
    text = _gtext(item, name)
    if not text:
        raise ValueError(_("gdacs:%(name)s is missing.") % {"name": name})
    return text


def _rss_item(item):
    event = EventData(
        event_type=_type(_required(item, "eventtype")),
        event_id=_number(_required(item, "eventid"), "gdacs:eventid", integer=True),
        episode_id=_number(_required(item, "episodeid"), "gdacs:episodeid", integer=True),
        alert_level=_level(_required(item, "alertlevel")),
        name=(item.findtext("title") or "").strip()[:300],
        description=(item.findtext("description") or "").strip()[:5000],
        severity=_gtext(item, "severity")[:300],
        population=_gtext(item, "population")[:300],
        from_date=_date(_gtext(item, "fromdate"), "gdacs:fromdate"),
        to_date=_date(_gtext(item, "todate"), "gdacs:todate"),
        link=(item.findtext("link") or "").strip()[:500],
        is_current=_gtext(item, "iscurrent").lower() != "false",
    )
    iso3 = [
        c for part in item.iterfind(f"{{{GDACS}}}iso3") for c in re.split(r"[,;\s]+", part.text or "") if c
    ]
    event.countries = _iso2(iso3)
    text = _gtext(item, "bbox")
    if text:
        parts = text.split()
        if len(parts) != 4:
            raise ValueError(_("Broken geometry: %(detail)s") % {"detail": f"gdacs:bbox “{text}”"})
        lon_min, lon_max, lat_min, lat_max = (_number(p, "gdacs:bbox") for p in parts)
        event.bbox = _bbox([lon_min, lat_min, lon_max, lat_max])
    else:
        point = _gtext(item, "point", GEORSS).split()
        if len(point) == 2:
            lat, lon = (_number(p, "georss:point") for p in point)
            event.bbox = _bbox([lon, lat, lon, lat])
    return event


# --- GeoJSON -------------------------------------------------------------------------------------


def parse_geojson(data):
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise GdacsError([_("This is not valid JSON: %(detail)s") % {"detail": "UTF-8"}]) from None
    except ValueError as exc:
        raise GdacsError([_("This is not valid JSON: %(detail)s") % {"detail": str(exc)}]) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise GdacsError([_("This is neither a GDACS RSS feed nor a GeoJSON feature collection.")])
    features = document.get("features")
    if not isinstance(features, list):
        raise GdacsError([_("This is neither a GDACS RSS feed nor a GeoJSON feature collection.")])
    events, errors = {}, []
    for number, feature in enumerate(features, start=1):
        try:
            event, shape = _feature(feature)
        except ValueError as exc:
            errors.append(_("Event %(n)s: %(detail)s") % {"n": number, "detail": exc})
            continue
        key = (event.event_type, event.event_id)
        kept = events.setdefault(key, (event, []))
        if kept[0] is not event and event.episode_id > kept[0].episode_id:
            events[key] = kept = (event, kept[1])
        if shape is not None:
            kept[1].append(shape)
    if errors:
        raise GdacsError(errors)
    result = []
    for event, shapes in events.values():
        if shapes:
            from shapely.ops import unary_union

            event.geometry = unary_union(shapes)
            event.bbox = list(event.geometry.bounds)
        result.append(event)
    return result


def _feature(feature):
    if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
        raise ValueError(_("A feature without properties."))
    props = feature["properties"]

    def need(name):
        value = props.get(name)
        if value in (None, ""):
            raise ValueError(_("%(name)s is missing.") % {"name": name})
        return value

    event = EventData(
        event_type=_type(need("eventtype")),
        event_id=_number(need("eventid"), "eventid", integer=True),
        episode_id=_number(need("episodeid"), "episodeid", integer=True),
        alert_level=_level(need("alertlevel")),
        name=str(props.get("name") or props.get("eventname") or "")[:300],
        description=str(props.get("description") or "")[:5000],
        from_date=_date(props.get("fromdate"), "fromdate"),
        to_date=_date(props.get("todate"), "todate"),
        is_current=str(props.get("iscurrent", "true")).lower() != "false",
    )
    severity = props.get("severitydata")
    if isinstance(severity, dict):
        event.severity = str(severity.get("severitytext") or "")[:300]
    url = props.get("url")
    if isinstance(url, dict):
        event.link = str(url.get("report") or "")[:500]
    affected = props.get("affectedcountries")
    codes = []
    if isinstance(affected, list):
        codes = [c.get("iso2") or c.get("iso3") for c in affected if isinstance(c, dict)]
    if not codes and props.get("iso3"):
        codes = re.split(r"[,;\s]+", str(props["iso3"]))
    event.countries = _iso2(codes)
    bbox = feature.get("bbox") or props.get("bbox")
    if bbox is not None:
        if not isinstance(bbox, list) or len(bbox) != 4:
            raise ValueError(_("Broken geometry: %(detail)s") % {"detail": "bbox"})
        event.bbox = _bbox([_number(v, "bbox") for v in bbox])
    geometry = feature.get("geometry")
    shape = None
    if not isinstance(geometry, dict) or "type" not in geometry:
        raise ValueError(_("Broken geometry: %(detail)s") % {"detail": _("no geometry")})
    if geometry["type"] == "Point":
        coords = geometry.get("coordinates")
        if not isinstance(coords, list) or len(coords) < 2:
            raise ValueError(_("Broken geometry: %(detail)s") % {"detail": "Point"})
        lon, lat = _number(coords[0], "Point"), _number(coords[1], "Point")
        if not event.bbox:
            event.bbox = _bbox([lon, lat, lon, lat])
    elif geometry["type"] in ("Polygon", "MultiPolygon"):
        shape = _geometry(geometry)
    else:
        raise ValueError(_("Broken geometry: %(detail)s") % {"detail": str(geometry["type"])[:40]})
    return event, shape


# --- polling -------------------------------------------------------------------------------------


def fetch_document(url):
    """The bytes at ``url``, fetched like a CAP feed (alerts/feeds.fetch); GdacsError when refused."""
    from lifeline.alerts.feeds import FetchError, fetch

    try:
        response = fetch(
            url, max_bytes=MAX_BYTES, headers={"Accept": "application/rss+xml, application/json"}
        )
    except FetchError as exc:
        raise GdacsError([str(exc)]) from None
    return response.content


def poll(urls=None):
    """Fetch and import every configured GDACS document; one bad document never stops the others."""
    from lifeline.risk.services import import_gdacs

    totals = {"documents": 0, "created": 0, "updated": 0, "unchanged": 0, "proposals": 0, "errors": 0}
    for url in settings.RISK_GDACS_URLS if urls is None else urls:
        totals["documents"] += 1
        try:
            report = import_gdacs(fetch_document(url))
        except GdacsError as exc:
            totals["errors"] += 1
            logger.warning("GDACS document %s refused: %s", url[:200], exc)
            continue
        for key in ("created", "updated", "unchanged", "proposals"):
            totals[key] += report[key]
    return totals
