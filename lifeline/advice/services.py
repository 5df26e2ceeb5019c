"""Rules about travel advice that pages, API, commands and tasks all call.

Drafting, approval and publishing; which text a reader gets (the language
fallback chain); who is told of a change (``recipients``, the one place that
resolves them) and the email they get.
"""

import datetime
import difflib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lifeline.advice.models import (
    SECTIONS,
    AdviceSubscription,
    AdviceText,
    AdviceVersion,
    Briefing,
    State,
    TravelAdvice,
)
from lifeline.core import approval, languages
from lifeline.core.errors import model_errors
from lifeline.nationals.services import posts_for

log = logging.getLogger(__name__)

TEXT_FIELDS = ("summary",) + tuple(key for key, _heading in SECTIONS)
# Reading -----------------------------------------------------------------


def published_versions():
    return AdviceVersion.objects.filter(state=State.PUBLISHED)


def public_advice(country=None):
    """Advice with a published version, each with ``current`` (the published version) attached."""
    queryset = (
        TravelAdvice.objects.filter(versions__state=State.PUBLISHED)
        .select_related("country", "area")
        .prefetch_related(
            Prefetch("versions", queryset=published_versions().prefetch_related("texts"), to_attr="published")
        )
    )
    if country is not None:
        queryset = queryset.filter(country=country)
    advice = list(queryset.distinct())
    for item in advice:
        item.current = item.published[0]
    return advice


def public_briefings(country):
    return (
        Briefing.objects.filter(country=country, published=True)
        .select_related("country", "area")
        .prefetch_related("texts")
    )


def public_briefing(country, pcode=None):
    """The published briefing for an admin area (by P-code) if there is one, else the whole country's."""
    briefings = public_briefings(country)
    if pcode:
        found = briefings.filter(area__pcode=pcode).first()
        if found is not None:
            return found
    return briefings.filter(area__isnull=True).order_by("id").first()


def language_chain(*wanted):
    """The languages to try, in order (``lifeline.core.languages.chain``)."""
    return languages.chain(list(wanted))


def pick_text(texts, *wanted):
    """The text for a reader of ``wanted`` (``lifeline.core.languages.pick``), or None if there is none."""
    return languages.pick(texts, list(wanted))


def help_posts(place):
    """The posts whose jurisdiction covers the advice's (or briefing's) country or area."""
    return posts_for(place.country, place.area).order_by("name")


def last_modified(country=None):
    """When the public advice (of a country) last changed: for Last-Modified and 304 answers."""
    published = (
        published_versions().aggregate(at=Max("published_at"))["at"]
        if country is None
        else (published_versions().filter(advice__country=country).aggregate(at=Max("published_at"))["at"])
    )
    briefings = Briefing.objects.filter(published=True)
    if country is not None:
        briefings = briefings.filter(country=country)
    briefed = briefings.aggregate(at=Max("updated"))["at"]
    return max((t for t in (published, briefed) if t), default=None)


# Writing -----------------------------------------------------------------


def next_number(advice):
    return (advice.versions.aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def new_draft(advice, user):
    """A draft copying the latest version (its level and texts), or an empty first draft."""
    if advice.versions.filter(state__in=(State.DRAFT, State.AWAITING)).exists():
        raise ValidationError(_("This advice already has a version being drafted or approved."))
    latest = advice.versions.order_by("-number").first()
    draft = AdviceVersion.objects.create(
        advice=advice,
        number=next_number(advice),
        level=latest.level if latest else 1,
        last_reviewed=timezone.localdate(),
        author=user,
    )
    if latest is not None:
        for text in latest.texts.all():
            AdviceText.objects.create(
                version=draft, language=text.language, **{f: getattr(text, f) for f in TEXT_FIELDS}
            )
    return draft


# What ``save_advice`` and ``save_draft`` write: the place (``organisation``, ``country``, ``area``
# rows, ``region``); a draft's own values; its texts, one per language ({language, summary, …}).
PLACE_FIELDS = ("organisation", "country", "area", "region")
DRAFT_FIELDS = ("level", "summary_confirmed", "last_reviewed", "note")
TEXTS = "texts"  # errors of the texts are named ``texts[1].language``


def _required():
    return [_("This field is required.")]


def check_writer(by, advice=None):
    """Refuse (PermissionDenied) a user who may not write travel advice, or this advice."""
    from django.core.exceptions import PermissionDenied

    from lifeline.core.models import Action, Area
    from lifeline.core.permissions import has_perm

    if not has_perm(by, Area.ADVICE, Action.CHANGE):
        raise PermissionDenied
    stored = advice is not None and advice.pk is not None
    if stored and not TravelAdvice.objects.for_user(by, Action.CHANGE).filter(pk=advice.pk).exists():
        raise PermissionDenied


def advice_errors(by, values):
    """The rules of a new advice's place, {field: [messages]}: kept by an organisation ``by`` may
    write to; an admin area in the country, or a named region, not both; no other advice for it."""
    from django.forms import ModelChoiceField

    from lifeline.core.permissions import writable_organisations

    errors = {}
    organisation, country, area = values.get("organisation"), values.get("country"), values.get("area")
    if organisation is None:
        errors["organisation"] = _required()
    elif not writable_organisations(by).filter(pk=organisation.pk).exists():
        errors["organisation"] = [str(ModelChoiceField.default_error_messages["invalid_choice"])]
    if country is None:
        errors["country"] = _required()
    if country and area and area.country_id != country.pk:
        errors["area"] = [_("This admin area is not in the chosen country.")]
    if area and values.get("region"):
        errors["region"] = [_("Choose an admin area or name a region, not both.")]
    candidate = TravelAdvice(**{name: values.get(name) for name in PLACE_FIELDS if values.get(name)})
    errors.update(model_errors(candidate, ("region",), errors))
    if not errors and twin(country, area, values.get("region")) is not None:
        errors["__all__"] = [_("There is already advice for this place: open it and draft a new version.")]
    return errors


def twin(country, area, region):
    """The advice already kept for this place, or None."""
    return TravelAdvice.objects.filter(country=country, area=area, region__iexact=region or "").first()


def save_advice(by, values):
    """Create the advice for a place, with its first draft, as ``by``: every rule checked first
    (``advice_errors``: refused input raises ``Invalid``), then both in one transaction, audited as
    ``by``. Returns the draft."""
    from lifeline.core import audit
    from lifeline.core.errors import Invalid

    check_writer(by)
    errors = advice_errors(by, values)
    if errors:
        raise Invalid(errors)
    current = audit.current_actor()
    with audit.acting_as(by, ip=current.ip, via=current.via), transaction.atomic():
        advice = TravelAdvice.objects.create(**{name: values.get(name) for name in PLACE_FIELDS})
        return new_draft(advice, by)


def draft_errors(version, values, texts, kept=()):
    """The rules of a draft's values and texts, {field: [messages]}: the model's (a level among the
    four, lengths); each text a language and a summary, each language once; and a level change
    needs its summary rewritten, or confirmed (``check_level_summary``). ``kept``: the languages of
    stored texts left as they are (a page that did not carry them), which count as written."""
    import copy

    errors = {}
    if values.get("last_reviewed") is None:
        errors["last_reviewed"] = _required()
    candidate = copy.copy(version)
    for name in DRAFT_FIELDS:
        if name in values and name not in errors:
            setattr(candidate, name, values[name])
    errors.update(model_errors(candidate, DRAFT_FIELDS, errors))
    seen = set(kept)
    summaries = {t.language: t.summary for t in version.texts.all() if t.language in seen}
    for index, text in enumerate(texts):
        prefix, found = f"{TEXTS}[{index}]", {}
        for name in ("language", "summary"):
            if not str(text.get(name) or "").strip():
                found[f"{prefix}.{name}"] = _required()
        language = text.get("language")
        if language and language in seen:
            found[f"{prefix}.language"] = [_("Each language may be written only once.")]
        seen.add(language)
        candidate = AdviceText(**{name: text.get(name) or "" for name in ("language", *TEXT_FIELDS)})
        found.update(model_errors(candidate, ("language", *TEXT_FIELDS), found, prefix))
        errors.update(found)
        if language:
            summaries.setdefault(language, text.get("summary") or "")
    if "level" not in errors and values.get("level") is not None:
        try:
            check_level_summary(version, values["level"], summaries, values.get("summary_confirmed"))
        except ValidationError as exc:
            errors["summary_confirmed"] = list(exc.messages)
    return errors


def save_draft(by, draft, values, texts, kept=(), *, version=""):
    """Change a draft (or a version awaiting approval: the change withdraws it, ``core/approval``)
    as ``by``: every rule checked first (``draft_errors``; refused input raises ``Invalid``), then its
    values and texts (a stored text in the same language is kept and updated, the others deleted,
    but for the languages in ``kept``, left as they are) in one transaction, audited as ``by``, who
    becomes one of its contributors. ``version`` is the one its author read (``core/versions``: the
    page's form): when the draft has changed since, ``ChangedMeanwhile`` and nothing changes.
    Returns whether the change withdrew a submission."""
    from lifeline.core import audit
    from lifeline.core.errors import Invalid
    from lifeline.core.versions import ChangedMeanwhile, current_fingerprint

    check_writer(by, draft.advice)
    errors = draft_errors(draft, values, texts, kept)
    if errors:
        raise Invalid(errors)
    current = audit.current_actor()
    with audit.acting_as(by, ip=current.ip, via=current.via), transaction.atomic():
        if version and current_fingerprint(draft, lock=True) != version:
            raise ChangedMeanwhile(draft)
        withdrawn = record_change(draft, by)  # before the content
        for name in DRAFT_FIELDS:
            if name in values:
                setattr(draft, name, values[name])
        draft.save()
        remaining = {text.language: text for text in draft.texts.all() if text.language not in kept}
        for text in texts:
            stored = remaining.pop(text["language"], None) or AdviceText(version=draft)
            wanted = {name: text.get(name) or "" for name in ("language", *TEXT_FIELDS)}
            if stored.pk is None or any(getattr(stored, k) != v for k, v in wanted.items()):
                for name, value in wanted.items():
                    setattr(stored, name, value)
                stored.save()
        for text in remaining.values():
            text.delete()
    return withdrawn


def _has_text(version):
    if not version.texts.exists():
        raise ValidationError(_("Write the advice in at least one language before sending it for approval."))


def same_text(a, b):
    """Whether two texts say the same: line endings (CRLF, CR, LF) and spacing do not count."""
    return " ".join(normalise_newlines(a).split()) == " ".join(normalise_newlines(b).split())


def normalise_newlines(text):
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def published_version(advice, exclude=None):
    """The version of ``advice`` published now (None before the first publication)."""
    found = advice.versions.filter(state=State.PUBLISHED)
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return found.order_by("-number").first()


def unchanged_summaries(version, level, summaries):
    """The languages whose summary is still the published one's although ``level`` differs from its level.

    ``summaries`` is {language: summary} as the version will be saved. The one rule for "a level change
    needs its summary reviewed": the page's form, the API and the submission all ask it."""
    published = published_version(version.advice, exclude=version)
    if published is None or int(level) == published.level:
        return []
    before = {text.language: text.summary for text in published.texts.all()}
    return sorted(
        language
        for language, summary in summaries.items()
        if language in before and same_text(before[language], summary)
    )


def check_level_summary(version, level, summaries, confirmed):
    """Refuse a level change whose summary was not reviewed, unless the editor confirms it still holds."""
    stale = unchanged_summaries(version, level, summaries)
    if stale and not confirmed:
        published = published_version(version.advice, exclude=version)
        raise ValidationError(
            _(
                "The level changes from %(old)s to %(new)s, but the summary (%(languages)s) is the one written "
                "for level %(old)s. Rewrite the summary for the new level, or tick “the summary still holds”."
            )
            % {"old": published.level, "new": level, "languages": ", ".join(stale)},
            code="summary",
        )


def _ready(version):
    """What a version needs before it is sent for approval."""
    _has_text(version)
    check_level_summary(
        version,
        version.level,
        {text.language: text.summary for text in version.texts.all()},
        version.summary_confirmed,
    )


def record_change(version, user):
    """Call before saving a change of a version's content: records the editor; a submitted version goes back
    to draft (``core/approval.py``). Returns whether a submission was withdrawn."""
    return approval.record_change(version, user)


def submit(version, user):
    """Send a draft for approval: it needs a text in at least one language, and a level change needs its
    summary reviewed (``check_level_summary``)."""
    return approval.submit(version, user, check=_ready)


def return_to_draft(version, user):
    return approval.return_to_draft(version, user)


def _supersede(version):
    """Publishing a version supersedes the one published before (inside the approval's transaction)."""
    previous = list(
        AdviceVersion.objects.select_for_update()
        .filter(advice_id=version.advice_id, state=State.PUBLISHED)
        .exclude(pk=version.pk)
    )
    for old in previous:
        old.state = State.SUPERSEDED
        old.save()
    version._superseded = previous


def approve(version, user, notify=True):
    """Approve and publish (``core/approval.py``: a second person, who neither wrote, changed nor submitted it);
    supersedes the last published version. Subscribers are told once the transaction has committed
    (a task: in-process without a broker)."""
    approval.approve(version, user, publish=_supersede)
    if notify:
        from lifeline.advice.tasks import notify_subscribers as task

        previous = version._superseded
        previous_id = previous[0].pk if previous else None
        transaction.on_commit(lambda: task.delay(version.pk, previous_id), robust=True)
    return version


# Comparing ---------------------------------------------------------------


@dataclass
class SectionDiff:
    label: str
    segments: list  # (op, text): op is "same", "del" or "ins"
    changed: bool


def _word_diff(old, new):
    a, b = normalise_newlines(old).split(" "), normalise_newlines(new).split(" ")
    segments = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(("same", " ".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            segments.append(("del", " ".join(a[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(("ins", " ".join(b[j1:j2])))
    return segments


def compare(older, newer, language):
    """Word-by-word differences between two versions' texts in one language, section by section
    (line endings do not count: a browser sends CRLF, a file or the API often LF)."""
    old = older.texts.filter(language=language).first()
    new = newer.texts.filter(language=language).first()
    rows = [
        SectionDiff(
            _("Level"),
            _word_diff(older.get_level_display(), newer.get_level_display()),
            older.level != newer.level,
        )
    ]
    labels = {"summary": AdviceText._meta.get_field("summary").verbose_name, **dict(SECTIONS)}
    for field in TEXT_FIELDS:
        before, after = getattr(old, field, "") or "", getattr(new, field, "") or ""
        rows.append(
            SectionDiff(
                str(labels[field]).capitalize(), _word_diff(before, after), not same_text(before, after)
            )
        )
    return rows


# Subscribers -------------------------------------------------------------

CONFIRM_SALT = "lifeline.advice.confirm"
UNSUBSCRIBE_SALT = "lifeline.advice.unsubscribe"
CONFIRM_DAYS = 7
RESEND_AFTER = datetime.timedelta(minutes=15)


@dataclass
class Recipient:
    subscription: AdviceSubscription
    email: str
    languages: list


def recipients(country):
    """Who is told of a change to the advice for ``country``: the one place that decides.

    Confirmed email subscriptions, and registered nationals who subscribed and still
    grant the ``advice_updates`` consent and have an email address. One message per address.
    """
    from lifeline.nationals.models import Purpose

    consented = Q(
        registration__consents__purpose=Purpose.ADVICE_UPDATES,
        registration__consents__granted=True,
        registration__merged_into__isnull=True,
    )
    subscriptions = (
        AdviceSubscription.objects.filter(country=country)
        .filter(Q(registration__isnull=True, confirmed_at__isnull=False) | consented)
        .select_related("registration")
    )
    found, seen = [], set()
    for sub in subscriptions.order_by("id"):
        if sub.registration_id:
            email, languages = sub.registration.email, [*sub.registration.languages, sub.language]
        else:
            email, languages = sub.email, [sub.language]
        key = email.strip().casefold()
        if email and key not in seen:
            seen.add(key)
            found.append(Recipient(sub, email, languages))
    return found


def _absolute(path, base=None):
    """A full link for an email: from settings.SITE_URL, else the base of the request being served."""
    base = settings.SITE_URL or base or ""
    if not base:
        log.warning("SITE_URL is not set: links in advice emails are relative")
    return base.rstrip("/") + path


def unsubscribe_url(subscription):
    token = signing.dumps(subscription.pk, salt=UNSUBSCRIBE_SALT)
    return _absolute(reverse("advice:unsubscribe", args=[token]))


def _email(template, context, to, language):
    with translation.override(language):
        subject = render_to_string(f"advice/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"advice/email/{template}.txt", context)
        html = render_to_string(f"advice/email/{template}.html", context)
    message = mail.EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    return message


def notify_subscribers(version, previous=None):
    """Email every recipient the level change and the summary, in their language where there is one."""
    advice = version.advice
    texts = list(version.texts.all())
    messages = []
    for recipient in recipients(advice.country):
        text = pick_text(texts, *recipient.languages)
        language = languages.ui_language([text.language] if text else recipient.languages)
        context = {
            "advice": advice,
            "version": version,
            "previous": previous,
            "text": text,
            "rtl": languages.is_rtl(text.language if text else language),
            "url": _absolute(reverse("advice:country", args=[advice.country.code.lower()])),
            "unsubscribe": unsubscribe_url(recipient.subscription),
        }
        messages.append(_email("update", context, recipient.email, language))
    if messages:
        with mail.get_connection() as connection:
            sent = connection.send_messages(messages)
        log.info("advice %s v%s: %s notifications sent", advice.pk, version.number, sent)
    return len(messages)


def subscribe_email(email, country, language, base_url=None, client=None):
    """Record an email subscription (unconfirmed) and send the confirmation link.

    Asking again re-sends the link, at most once every ``RESEND_AFTER``. ``client`` is the address
    of whoever asked (``core.http.client_ip``); the public sending limits refuse with ValidationError."""
    from lifeline.core.fields import blind_index
    from lifeline.core.http import public_send_refused

    if public_send_refused("advice-subscribe", client, email):
        raise ValidationError(
            _(
                # Translators: migrants read this
                "Too many subscriptions were asked for, from here or for this address. Please try again in an hour."
            )
        )
    sub = AdviceSubscription.objects.filter(
        country=country, registration__isnull=True, email_index=blind_index(email)
    ).first()
    if sub is not None and (sub.confirmed_at or timezone.now() - sub.created < RESEND_AFTER):
        return sub  # confirmed already, or a link went out a moment ago: no mail bombing through this form
    if sub is None:
        sub = AdviceSubscription.objects.create(country=country, email=email, language=language)
    token = signing.dumps(sub.pk, salt=CONFIRM_SALT)
    context = {
        "country": country,
        "url": _absolute(reverse("advice:confirm", args=[token]), base_url),
        "days": CONFIRM_DAYS,
    }
    _email("confirm", context, email, languages.ui_language([language])).send()
    return sub


def subscribe_registration(registration, country):
    """A registered national asks to be told: needs the ``advice_updates`` consent."""
    from lifeline.nationals.models import Purpose

    if not registration.consents.filter(purpose=Purpose.ADVICE_UPDATES, granted=True).exists():
        # Translators: migrants read this
        raise ValidationError(_("Agree to receive travel advice updates first."))
    language = (registration.languages or ["en"])[0]
    sub, _created = AdviceSubscription.objects.get_or_create(
        country=country,
        registration=registration,
        defaults={"language": language, "confirmed_at": timezone.now()},
    )
    return sub


def confirm(token):
    """Confirm an email subscription from its signed link; None if the link is bad or too old."""
    try:
        pk = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_DAYS * 86400)
    except signing.BadSignature:
        return None
    sub = AdviceSubscription.objects.filter(pk=pk).first()
    if sub is not None and sub.confirmed_at is None:
        sub.confirmed_at = timezone.now()
        sub.save()
    return sub


def purge_unconfirmed():
    """Delete email subscriptions never confirmed within the link's lifetime; returns how many."""
    cutoff = timezone.now() - datetime.timedelta(days=CONFIRM_DAYS)
    stale = AdviceSubscription.objects.filter(
        registration__isnull=True, confirmed_at__isnull=True, created__lt=cutoff
    )
    count = 0
    for sub in stale:
        sub.delete()
        count += 1
    return count


def unsubscribe(token):
    """Delete the subscription a signed unsubscribe link names; False if the link is bad."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return False
    for sub in AdviceSubscription.objects.filter(pk=pk):
        sub.delete()
    return True
