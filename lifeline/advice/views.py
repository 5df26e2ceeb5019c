from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import condition, require_POST

from lifeline.advice import services
from lifeline.advice.forms import (
    AdviceFilterForm,
    AdviceForm,
    AdviceTextFormSet,
    BriefingForm,
    BriefingTextFormSet,
    SubscribeForm,
    VersionForm,
)
from lifeline.advice.models import LEVEL_STYLE, AdviceVersion, Briefing, Level, State, TravelAdvice
from lifeline.core import approval, branding
from lifeline.core.errors import Invalid
from lifeline.core.forms import listed, show_invalid
from lifeline.core.http import client_ip, same_origin
from lifeline.core.languages import is_rtl, pick_language, ui_language
from lifeline.core.models import Action, Area
from lifeline.core.names import country_name, language_name
from lifeline.core.permissions import get_for_user, has_perm, require, writable_organisations
from lifeline.core.registry_views import is_id, paginate
from lifeline.core.versions import FIELD as VERSION_FIELD
from lifeline.geo.models import Country

AREA = Area.ADVICE
PUBLIC_MAX_AGE = 300


def _cacheable(request, response):
    """Public pages: shared caches may keep them a while, unless the reader is signed in (the header differs)."""
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, max_age=0)
    else:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


def _country(code):
    country = Country.objects.filter(code=code.upper()).first()
    if country is None:
        raise Http404
    return country


def _last_modified(request, code=None):
    country = Country.objects.filter(code=code.upper()).first() if code else None
    if code and country is None:
        return None
    return services.last_modified(country)


def _reader_languages(request):
    wanted = request.GET.get("lang", "")[:35]
    return [wanted, get_language()] if wanted else [get_language()]


def _languages(texts):
    return [(t.language, language_name(t.language, t.language)) for t in texts]


# Public pages ------------------------------------------------------------


@condition(last_modified_func=_last_modified)
def advice_index(request):
    form = AdviceFilterForm(request.GET or None)
    everything = services.public_advice()
    branding.show_for(request, {a.organisation_id for a in everything})  # the publishers' name and logo
    rows = [a for a in everything if a.is_whole_country]
    regional = {}
    for advice in everything:
        if not advice.is_whole_country:
            regional.setdefault(advice.country_id, []).append(advice)
    if form.is_valid():
        query, level = form.cleaned_data["q"].strip().casefold(), form.cleaned_data["level"]
        if query:
            rows = [
                a for a in rows if query in a.country.name.casefold() or query == a.country.code.casefold()
            ]
        if level:
            rows = [a for a in rows if a.current.level == level]
    rows.sort(key=lambda a: a.country.name)
    for advice in rows:
        advice.regions = regional.get(advice.country_id, [])
    context = {
        "form": form,
        "rows": rows,
        "levels": [(Level(v), LEVEL_STYLE[Level(v)]) for v in Level.values],
    }
    return _cacheable(request, render(request, "advice/index.html", context))


@condition(last_modified_func=_last_modified)
def advice_country(request, code):
    country = _country(code)
    advice = services.public_advice(country)
    if not advice:
        raise Http404
    whole = next((a for a in advice if a.is_whole_country), None)
    main = whole or advice[0]
    branding.show_for(request, {main.organisation_id})
    wanted = _reader_languages(request)
    text = services.pick_text(main.current.texts.all(), *wanted)
    regions = [(a, services.pick_text(a.current.texts.all(), *wanted)) for a in advice if a is not main]
    context = {
        "country": country,
        "advice": main,
        "version": main.current,
        "text": text,
        "rtl": is_rtl(text.language) if text else False,
        "fallback": text is not None and text.language != services.language_chain(*wanted)[0],
        "languages": _languages(main.current.texts.all()),
        "regions": regions,
        "posts": services.help_posts(main),
        "briefings": services.public_briefings(country).exists(),
        "subscribe_form": SubscribeForm(initial={"language": text.language if text else "en"}),
    }
    return _cacheable(request, render(request, "advice/country.html", context))


def _public_briefing(request, code):
    country = _country(code)
    briefing = services.public_briefing(country, request.GET.get("area", "")[:32])
    if briefing is None:
        raise Http404
    text = services.pick_text(briefing.texts.all(), *_reader_languages(request))
    if text is None:
        raise Http404
    return country, briefing, text


@condition(last_modified_func=_last_modified)
def briefing(request, code):
    country, found, text = _public_briefing(request, code)
    branding.show_for(request, {found.organisation_id})
    context = {
        "country": country,
        "briefing": found,
        "text": text,
        "rtl": is_rtl(text.language),
        "languages": _languages(found.texts.all()),
        "posts": services.help_posts(found),
    }
    return _cacheable(request, render(request, "advice/briefing.html", context))


@condition(last_modified_func=_last_modified)
def briefing_pdf(request, code):
    from lifeline.advice.pdf import briefing_pdf as render_pdf

    country, found, text = _public_briefing(request, code)
    data = render_pdf(found, text, services.help_posts(found), ui_language([text.language]))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="briefing-{country.code.lower()}-{text.language}.pdf"'
    )
    return _cacheable(request, response)


# The form sits on a public page that shared caches keep, so it cannot carry a CSRF token (one
# reader's token would be served to the next). Instead a browser's request must come from this site
# (``same_origin``), and the public sending limits bound what anyone can make it send.
@csrf_exempt
@require_POST
def subscribe(request, code):
    country = _country(code)
    form = SubscribeForm(request.POST)
    if not same_origin(request):
        form.is_valid()
        # Translators: migrants read this
        form.add_error(None, _("This form can only be sent from this site's own page."))
        return render(request, "advice/subscribe.html", {"country": country, "form": form}, status=403)
    if form.is_valid():
        try:
            services.subscribe_email(
                form.cleaned_data["email"],
                country,
                form.cleaned_data["language"],
                base_url=request.build_absolute_uri("/"),
                client=client_ip(request),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return render(request, "advice/subscribe.html", {"country": country, "form": form}, status=429)
        # Translators: migrants read this
        messages.success(request, _("Check your inbox: we sent you a link to confirm."))
        return redirect("advice:country", code=code.lower())
    return render(request, "advice/subscribe.html", {"country": country, "form": form}, status=400)


def confirm(request, token):
    sub = services.confirm(token)
    if sub is None:
        return render(request, "advice/subscribed.html", {"ok": False}, status=400)
    return render(request, "advice/subscribed.html", {"ok": True, "country": sub.country})


def unsubscribe(request, token):
    """GET asks (link checkers follow links); POST deletes."""
    if request.method == "POST":
        ok = services.unsubscribe(token)
        return render(
            request, "advice/unsubscribe.html", {"done": ok, "bad": not ok}, status=200 if ok else 400
        )
    return render(request, "advice/unsubscribe.html", {"token": token})


# Staff pages -------------------------------------------------------------


def _version_for(user, pk, action=Action.VIEW):
    return get_object_or_404(
        AdviceVersion.objects.filter(advice__in=TravelAdvice.objects.for_user(user, action)).select_related(
            "advice__country", "advice__area", "author", "approver"
        ),
        pk=pk,
    )


@login_required
def manage(request):
    require(request.user, AREA, Action.VIEW)
    advice = TravelAdvice.objects.for_user(request.user).select_related("country", "area", "organisation")
    context = {
        "can_change": has_perm(request.user, AREA, Action.CHANGE),
        "briefings": Briefing.objects.for_user(request.user).select_related("country", "area"),
        **paginate(request, advice),
    }
    for item in context["object_list"]:
        item.latest = item.versions.order_by("-number").first()
    return render(request, "advice/manage.html", context)


@login_required
def advice_create(request):
    require(request.user, AREA, Action.CHANGE)
    form = AdviceForm(request.POST or None, organisations=writable_organisations(request.user))
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data.get(name) for name in services.PLACE_FIELDS}
        try:
            draft = services.save_advice(request.user, values)
        except Invalid as exc:
            show_invalid(exc.errors, form)
        else:
            messages.success(request, _("Advice created. Write its first version."))
            return redirect("advice:version_edit", pk=draft.pk)
    return render(request, "advice/advice_form.html", {"form": form})


@login_required
def advice_detail(request, pk):
    advice = get_for_user(TravelAdvice, request.user, pk)
    versions = advice.versions.select_related("author", "approver").prefetch_related("texts")
    context = {
        "advice": advice,
        "versions": versions,
        "can_change": has_perm(request.user, AREA, Action.CHANGE),
        "pending": versions.filter(state__in=(State.DRAFT, State.AWAITING)).exists(),
    }
    return render(request, "advice/advice_detail.html", context)


@login_required
@require_POST
def draft_create(request, pk):
    require(request.user, AREA, Action.CHANGE)
    advice = get_for_user(TravelAdvice, request.user, pk, Action.CHANGE)
    try:
        draft = services.new_draft(advice, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("advice:detail", pk=advice.pk)
    return redirect("advice:version_edit", pk=draft.pk)


@login_required
def version_detail(request, pk):
    version = _version_for(request.user, pk)
    context = {
        "version": version,
        "advice": version.advice,
        "texts": version.texts.all(),
        "posts": services.help_posts(version.advice),
        "can_change": has_perm(request.user, AREA, Action.CHANGE),
        "can_approve": approval.may_approve(version, request.user),
    }
    return render(request, "advice/version_detail.html", context)


@login_required
def version_edit(request, pk):
    require(request.user, AREA, Action.CHANGE)
    version = _version_for(request.user, pk, Action.CHANGE)
    if not version.editable:
        messages.error(request, _("Only a draft can be edited. Draft a new version instead."))
        return redirect("advice:version", pk=version.pk)
    data = request.POST if request.method == "POST" else None
    form = VersionForm(data, instance=version)
    texts = AdviceTextFormSet(data, instance=version, prefix="texts")
    if data is not None:
        parsed = all([form.is_valid(), texts.is_valid()])
        values = {
            name: form.cleaned_data[name] for name in services.DRAFT_FIELDS if name in form.cleaned_data
        }
        text_forms, text_values = listed(texts, ("language", *services.TEXT_FIELDS))
        nested = {services.TEXTS: (texts, text_forms)}
        # Texts saved meanwhile that this (stale) form does not carry stay as they are.
        carried = {each.instance.pk for each in texts.initial_forms}
        kept = [t.language for t in version.texts.all() if t.pk not in carried]
        if not parsed:  # with the rules' answers on the rest, all at once
            show_invalid(services.draft_errors(version, values, text_values, kept), form, nested)
        else:
            try:
                withdrawn = services.save_draft(
                    request.user,
                    version,
                    values,
                    text_values,
                    kept,
                    version=form.cleaned_data.get(VERSION_FIELD),
                )
            except Invalid as exc:
                show_invalid(exc.errors, form, nested)
            except ValidationError as exc:  # the two-person workflow refused the change
                messages.error(request, " ".join(exc.messages))
                return redirect("advice:version", pk=version.pk)
            else:
                if withdrawn:
                    messages.warning(
                        request, _("Saved. The change withdrew the submission: send it for approval again.")
                    )
                else:
                    messages.success(request, _("Draft saved."))
                return redirect("advice:version", pk=version.pk)
    return render(request, "advice/version_form.html", {"form": form, "texts": texts, "version": version})


ACTIONS = {"submit": services.submit, "approve": services.approve, "return": services.return_to_draft}


@login_required
@require_POST
def version_action(request, pk, action):
    require(request.user, AREA, Action.CHANGE)
    version = _version_for(request.user, pk, Action.CHANGE)
    if action not in ACTIONS:
        raise Http404
    try:
        ACTIONS[action](version, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        done = {
            "submit": _("Sent for approval."),
            "approve": _("Approved and published. Subscribers are being told."),
            "return": _("Sent back to draft."),
        }
        messages.success(request, done[action])
    return redirect("advice:version", pk=version.pk)


@login_required
def compare(request, pk):
    advice = get_for_user(TravelAdvice, request.user, pk)
    numbers = sorted(int(n) for n in (request.GET.get("a", ""), request.GET.get("b", "")) if is_id(n))
    if len(numbers) != 2:  # by default, the latest change
        numbers = sorted(advice.versions.order_by("-number").values_list("number", flat=True)[:2])
    if len(numbers) != 2:
        messages.info(request, _("This advice needs two versions to compare."))
        return redirect("advice:detail", pk=advice.pk)
    older = get_object_or_404(advice.versions, number=numbers[0])
    newer = get_object_or_404(advice.versions, number=numbers[1])
    languages = sorted(
        set(older.texts.values_list("language", flat=True))
        | set(newer.texts.values_list("language", flat=True))
    )
    language = pick_language(languages, [request.GET.get("lang", "")[:35], get_language()]) or "en"
    rows = services.compare(older, newer, language)
    context = {
        "advice": advice,
        "older": older,
        "newer": newer,
        "rows": rows,
        "language": language,
        "languages": [(code, language_name(code)) for code in languages],
        "changes": sum(r.changed for r in rows),
        "rtl": is_rtl(language),
        "numbers": advice.versions.order_by("number").values_list("number", flat=True),
    }
    return render(request, "advice/compare.html", context)


@login_required
def briefing_edit(request, pk=None):
    require(request.user, AREA, Action.CHANGE)
    found = get_for_user(Briefing, request.user, pk, Action.CHANGE) if pk else None
    data = request.POST if request.method == "POST" else None
    form = BriefingForm(data, instance=found, organisations=writable_organisations(request.user))
    texts = BriefingTextFormSet(data, instance=found, prefix="texts")
    if data is not None and form.is_valid() and texts.is_valid():
        with transaction.atomic():
            saved = form.save()
            texts.instance = saved
            texts.save()
        messages.success(request, _("Briefing saved."))
        return redirect("advice:briefing_edit", pk=saved.pk)
    context = {
        "form": form,
        "texts": texts,
        "briefing": found,
        "country_name": country_name(found.country.code) if found else "",
    }
    return render(request, "advice/briefing_form.html", context)
