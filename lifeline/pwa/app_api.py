"""What the nationals' app needs besides the other apps' endpoints: its settings and push subscriptions."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from lifeline.api.common import ShortText
from lifeline.core.fields import blind_index
from lifeline.core.names import country_name, language_label, language_options
from lifeline.geo.models import AdminArea, Country
from lifeline.nationals.auth import DeviceAuth, RegisteredDeviceAuth, forget_on_device
from lifeline.nationals.models import Relation, SpecialNeed, StayType
from lifeline.pwa.models import PushSubscription
from lifeline.pwa.services import vapid_public_key

router = Router(tags=["App for nationals"])


@router.get("/config", auth=None)
def config(request):
    """Languages, countries, admin areas, relations and needs for the app's forms, and the key for Web Push."""
    lang = get_language()
    areas = {}
    for area in AdminArea.objects.filter(level=1).order_by("name").values("pcode", "name", "country__code"):
        areas.setdefault(area["country__code"], []).append({"pcode": area["pcode"], "name": area["name"]})
    countries = sorted(
        (
            {"code": code, "name": country_name(code, lang)}
            for code in Country.objects.values_list("code", flat=True)
        ),
        key=lambda c: c["name"],
    )
    return {
        "languages": [{"code": code, "name": str(name)} for code, name in settings.LANGUAGES],
        "countries": countries,
        "areas": areas,
        "stay_types": [[value, str(label)] for value, label in StayType.choices],
        # Languages chosen by name: "Name (code)" in the reader's language, as the staff pickers offer.
        "language_options": [language_label(code, lang) for _name, code in language_options(lang)],
        "relations": [[value, str(label)] for value, label in Relation.choices],
        "special_needs": [[value, str(label)] for value, label in SpecialNeed.choices],
        "case_categories": case_categories(),
        "vapid_public_key": vapid_public_key(),
    }


def case_categories():
    try:
        from lifeline.cases.models import Category
    except ImportError:
        return []
    return [[value, str(label)] for value, label in Category.choices]


@router.post("/signout", auth=DeviceAuth())
def sign_out(request, response: HttpResponse):
    """Revoke the token of the device that asks (its other devices stay signed in)."""
    request.device.revoked = True
    request.device.save(update_fields=["revoked"])
    forget_on_device(response)
    return {"signed_out": True}


class Keys(Schema):
    p256dh: ShortText = Field(min_length=20)
    auth: ShortText = Field(min_length=8)


class PushIn(Schema):
    endpoint: ShortText
    keys: Keys


def _check_endpoint(endpoint):
    parts = urlsplit(endpoint)
    allowed_http = settings.DEBUG or settings.PUSH_ALLOW_HTTP
    if parts.scheme not in (("https", "http") if allowed_http else ("https",)) or not parts.netloc:
        raise HttpError(400, _("The push endpoint must be an https URL."))


@router.post("/push", auth=RegisteredDeviceAuth(), response={201: dict})
def push_subscribe(request, payload: PushIn):
    """Register this browser for alerts by Web Push (replaces an earlier subscription of the same endpoint)."""
    _check_endpoint(payload.endpoint)
    data = payload.dict()
    sub = (
        PushSubscription.objects.filter(endpoint_index=blind_index(payload.endpoint)).first()
        or PushSubscription()
    )
    sub.registration = request.registration
    sub.device = request.device
    sub.subscription = data
    sub.gone = False
    sub.save()
    return Status(201, {"id": sub.pk})


class PushOut(Schema):
    endpoint: ShortText


@router.post("/push/remove", auth=RegisteredDeviceAuth())
def push_unsubscribe(request, payload: PushOut):
    removed, _ = PushSubscription.objects.filter(
        registration=request.registration, endpoint_index=blind_index(payload.endpoint)
    ).delete()
    return {"removed": bool(removed)}


def _block_for(alert, lang):
    from lifeline.core.languages import pick

    return pick(list(alert.info.all()), [lang])


@router.get("/alerts", auth=None)
def current_alerts(request, country: ShortText = "", lang: ShortText = ""):
    """Current public alerts (all, or those with an admin area in ``country``), each in the reader's language if it has it."""
    from django.db.models import Q
    from django.urls import reverse

    from lifeline.alerts.views import current_public_alerts

    alerts = current_public_alerts()
    if country:
        alerts = alerts.filter(
            Q(info__areas__admin_areas__country__code=country.upper())
            | Q(info__areas__admin_areas__isnull=True)
        ).distinct()
    lang = (lang or get_language() or "en").lower()
    out = []
    for alert in alerts[:20]:
        block = _block_for(alert, lang)
        if block is None:
            continue
        out.append(
            {
                "id": alert.pk,
                "headline": block.headline or block.event,
                "instruction": block.instruction,
                "severity": block.severity,
                "lang": block.language,
                "dir": block.direction,
                "sent": alert.sent.isoformat() if alert.sent else None,
                "url": reverse("alerts:public", args=[alert.pk]) + f"?lang={block.language}",
            }
        )
    return out
