"""Public travel advice and briefings for the nationals' app (and anyone else): no token needed.

Subscribing a registered national to changes needs the device token and the
``advice_updates`` consent.
"""

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from ninja import Router, Schema, Status

from lifeline.advice import services
from lifeline.api.common import ErrorOut, ShortText
from lifeline.core.languages import is_rtl
from lifeline.geo.models import Country
from lifeline.geo.names import area_name
from lifeline.nationals.auth import RegisteredDeviceAuth

router = Router(tags=["App for nationals"], auth=None)
MAX_AGE = 300


class PostOut(Schema):
    name: str
    address: str
    phone: str
    email: str


class SectionOut(Schema):
    key: str
    heading: str
    text: str


class AdviceTextOut(Schema):
    language: str
    rtl: bool
    summary: str
    sections: list[SectionOut]


class PlaceAdviceOut(Schema):
    place: str  # "" for the whole country
    level: int
    level_label: str
    last_reviewed: datetime.date
    published_at: datetime.datetime
    text: AdviceTextOut | None


class CountryAdviceOut(Schema):
    country: str
    name: str
    advice: list[PlaceAdviceOut]  # the whole country first
    languages: list[str]
    posts: list[PostOut]


class ChecklistOut(Schema):
    key: str
    heading: str
    items: list[str]


class BriefingOut(Schema):
    country: str
    place: str
    language: str
    rtl: bool
    title: str
    hazards: str
    checklist: list[ChecklistOut]
    during_alerts: str
    emergency_numbers: str
    last_reviewed: datetime.date
    languages: list[str]
    posts: list[PostOut]


class SubscribedOut(Schema):
    country: str
    subscribed: bool


def _country(code):
    country = Country.objects.filter(code=code.upper()).first() if len(code) == 2 else None
    if country is None:
        raise Http404
    return country


def _wanted(lang):
    """The asked language, else the request's (Accept-Language); the fallback chain follows."""
    return [lang, get_language()] if lang else [get_language()]


def _posts(place):
    return [
        {"name": p.name, "address": p.address, "phone": p.phone, "email": p.email}
        for p in services.help_posts(place)
    ]


def _text_out(text):
    if text is None:
        return None
    return {
        "language": text.language,
        "rtl": is_rtl(text.language),
        "summary": text.summary,
        "sections": [{"key": k, "heading": str(h), "text": t} for k, h, t in text.sections()],
    }


@router.get(
    "/{code}", response={200: CountryAdviceOut, 404: ErrorOut}, summary="Current travel advice for a country"
)
def country_advice(request, code: str, response: HttpResponse, lang: ShortText = ""):
    country = _country(code)
    advice = sorted(services.public_advice(country), key=lambda a: (not a.is_whole_country, a.place))
    if not advice:
        raise Http404
    wanted = _wanted(lang)
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return {
        "country": country.code,
        "name": country.name,
        "advice": [
            {
                "place": a.place,
                "level": a.current.level,
                "level_label": a.current.get_level_display(),
                "last_reviewed": a.current.last_reviewed,
                "published_at": a.current.published_at,
                "text": _text_out(services.pick_text(a.current.texts.all(), *wanted)),
            }
            for a in advice
        ],
        "languages": [t.language for t in advice[0].current.texts.all()],
        "posts": _posts(advice[0]),
    }


@router.get(
    "/{code}/briefing",
    response={200: BriefingOut, 404: ErrorOut},
    summary="Destination briefing for a country",
)
def country_briefing(request, code: str, response: HttpResponse, lang: ShortText = "", area: ShortText = ""):
    """The briefing for the admin area (P-code) when there is one, else the whole country's."""
    country = _country(code)
    briefing = services.public_briefing(country, area)
    text = services.pick_text(briefing.texts.all(), *_wanted(lang)) if briefing else None
    if text is None:
        raise Http404
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return {
        "country": country.code,
        "place": area_name(briefing.area, text.language) if briefing.area_id else "",
        "language": text.language,
        "rtl": is_rtl(text.language),
        "title": text.title,
        "hazards": text.hazards,
        "checklist": [{"key": k, "heading": str(h), "items": items} for k, h, items in text.checklist()],
        "during_alerts": text.during_alerts,
        "emergency_numbers": text.emergency_numbers,
        "last_reviewed": briefing.last_reviewed,
        "languages": [t.language for t in briefing.texts.all()],
        "posts": _posts(briefing),
    }


@router.post(
    "/{code}/subscription",
    auth=RegisteredDeviceAuth(),
    response={200: SubscribedOut, 404: ErrorOut, 409: ErrorOut},
    summary="Tell me when the advice for this country changes",
)
def subscribe(request, code: str):
    country = _country(code)
    try:
        services.subscribe_registration(request.registration, country)
    except ValidationError as exc:
        return Status(409, {"detail": " ".join(exc.messages)})
    return {"country": country.code, "subscribed": True}


@router.delete(
    "/{code}/subscription", auth=RegisteredDeviceAuth(), response={200: SubscribedOut, 404: ErrorOut}
)
def unsubscribe(request, code: str):
    country = _country(code)
    for sub in request.registration.advice_subscriptions.filter(country=country):
        sub.delete()
    return {"country": country.code, "subscribed": False}
