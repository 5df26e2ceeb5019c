import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_POST

from lifeline.alerts import hazards, signing
from lifeline.alerts.feeds import poll_feed
from lifeline.alerts.forms import (
    AlertFilterForm,
    AlertForm,
    AreaForm,
    CapUploadForm,
    FeedForm,
    InfoFormSet,
    OverrideForm,
    TemplateForm,
    ui_languages,
)
from lifeline.alerts.models import (
    EDITABLE,
    Alert,
    CapScope,
    FeedSubscription,
    MsgType,
    Origin,
    Outcome,
    State,
)
from lifeline.alerts.services import (
    ALERT_FIELDS,
    AREA_KEY,
    INFO,
    INFO_FIELDS,
    alert_area,
    alert_errors,
    approve,
    area_languages,
    default_sender,
    delete_draft,
    followup,
    import_cap,
    publish_override,
    return_to_draft,
    save_alert,
    submit,
)
from lifeline.core import approval, branding
from lifeline.core.errors import Invalid
from lifeline.core.forms import listed, show_invalid
from lifeline.core.languages import pick
from lifeline.core.models import Action, Area
from lifeline.core.names import language_name
from lifeline.core.permissions import get_for_user, has_perm, require, writable_organisations
from lifeline.core.registry_views import paginate
from lifeline.core.versions import FIELD as VERSION_FIELD
from lifeline.geo.services import map_config

AREA = Area.ALERTS
CAP_TYPE = "application/cap+xml"
PUBLIC_MAX_AGE = 60


def _filtered(request):
    queryset = Alert.objects.for_user(request.user).prefetch_related("info")
    form = AlertFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        if data["state"]:
            queryset = queryset.filter(state=data["state"])
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["origin"] == "authored":
            queryset = queryset.filter(origin=Origin.AUTHORED)
        elif data["origin"] == "imported":
            queryset = queryset.exclude(origin=Origin.AUTHORED)
    return form, queryset


@login_required
def alert_list(request):
    require(request.user, AREA, Action.VIEW)
    form, queryset = _filtered(request)
    context = {
        "filter_form": form,
        "template_form": TemplateForm(),
        "total": queryset.count(),
        "can_change": has_perm(request.user, AREA, Action.CHANGE),
        **paginate(request, queryset),
    }
    return render(request, "alerts/list.html", context)


@login_required
def alert_send(request, pk):
    """GET: before sending, who the alert would reach (by language and channel), the languages without
    text, SMS parts and why it would be refused; POST: send it through the messaging engine.
    Both use ``alerts.services.alert_audience`` and the messaging resolver."""
    from lifeline.alerts.services import SEND_AUDIENCES, preview_alert, send_alert

    require(request.user, Area.MESSAGING, Action.CHANGE)
    alert = get_for_user(Alert, request.user, pk)
    if request.method == "POST":
        try:
            send = send_alert(alert, request.user, request.POST.get("audience", "subscribers"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("alerts:detail", pk=alert.pk)
        messages.success(request, _("The alert is being sent."))
        return redirect("messaging:detail", pk=send.pk)
    audience = request.GET.get("audience", "subscribers")
    audience = audience if audience in SEND_AUDIENCES else "subscribers"
    preview, problem = None, ""
    try:
        preview = preview_alert(alert, request.user, audience)
    except ValidationError as exc:
        problem = " ".join(exc.messages)
    return render(
        request,
        "alerts/send.html",
        {"alert": alert, "audience": audience, "preview": preview, "problem": problem},
    )


def _detail_context(request, alert, override_form=None):
    can_change = has_perm(request.user, AREA, Action.CHANGE) and alert.organisation_id in set(
        writable_organisations(request.user).values_list("id", flat=True)
    )
    return {
        "alert": alert,
        "infos": alert.info.prefetch_related("areas__admin_areas"),
        "can_change": can_change,
        "can_approve": can_change and approval.may_approve(alert, request.user),
        "override_form": override_form or OverrideForm(),
        "followups": alert.followups.all(),
        "can_send": alert.is_current and has_perm(request.user, Area.MESSAGING, Action.CHANGE),
        "signature": signing.status_for(alert),
    }


@login_required
def alert_detail(request, pk):
    alert = get_for_user(Alert, request.user, pk)
    return render(request, "alerts/detail.html", _detail_context(request, alert))


def _template_initial(request):
    """A hazard template's blocks, in the languages spoken where the author says (``area_languages``)."""
    form = TemplateForm(request.GET)
    if not request.GET.get("template") or not form.is_valid():
        return []
    hazard = hazards.HAZARDS[form.cleaned_data["template"]]
    spoken = area_languages(request.user, list(form.cleaned_data["areas"]))
    return hazard.blocks([code.split("-")[0] for code in spoken], blank=True)


@login_required
def alert_edit(request, pk=None):
    require(request.user, AREA, Action.CHANGE)
    alert = get_for_user(Alert, request.user, pk, Action.CHANGE) if pk else None
    if alert is not None and alert.state not in EDITABLE:
        messages.error(request, _("Only a draft can be edited. Publish an update instead."))
        return redirect("alerts:detail", pk=alert.pk)
    organisations = writable_organisations(request.user)
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    profile = getattr(request.user, "profile", None)
    initial = {}
    if alert is None and profile is not None:
        initial = {"organisation": profile.organisation, "sender": default_sender(profile.organisation)}
    form = AlertForm(data, instance=alert, organisations=organisations, initial=initial)
    blocks = _template_initial(request) if data is None and alert is None else []
    InfoSet = InfoFormSet
    if blocks:
        InfoSet = type("TemplateInfoFormSet", (InfoFormSet,), {"extra": len(blocks)})
    infos = InfoSet(data, instance=alert or Alert(), prefix="info", initial=blocks or None)
    area_form = AreaForm(
        data, files, initial=AreaForm.initial_for(alert_area(alert) if alert else None), prefix="area"
    )
    if data is not None:
        parsed = all([form.is_valid(), infos.is_valid(), area_form.is_valid()])
        values = {name: form.cleaned_data[name] for name in ALERT_FIELDS if name in form.cleaned_data}
        info_forms, info_values = listed(infos, INFO_FIELDS + ("area_desc",))
        shown = {"nested": {INFO: (infos, info_forms)}, "parts": {AREA_KEY: area_form}}
        if not parsed:  # with the rules' answers on the rest, all at once
            found = alert_errors(request.user, alert, values, info_values, area_form.area())
            show_invalid(found, form, **shown)
        else:
            try:
                saved, withdrawn = save_alert(
                    request.user,
                    alert,
                    values,
                    info_values,
                    area_form.area(),
                    version=form.cleaned_data.get(VERSION_FIELD),
                )
            except Invalid as exc:
                show_invalid(exc.errors, form, **shown)
            except ValidationError as exc:  # the two-person workflow refused the change
                messages.error(request, " ".join(exc.messages))
                return redirect("alerts:detail", pk=alert.pk) if alert else redirect("alerts:list")
            else:
                if withdrawn:
                    messages.warning(
                        request, _("Saved. The change withdrew the submission: submit the alert again.")
                    )
                else:
                    messages.success(request, _("Saved the draft alert."))
                return redirect("alerts:detail", pk=saved.pk)
    context = {
        "form": form,
        "infos": infos,
        "area_form": area_form,
        "alert": alert,
        "languages": ui_languages(),
        "template_form": TemplateForm(request.GET if request.GET.get("template") else None),
        "map_config": map_config(),
    }
    return render(request, "alerts/form.html", context)


def _workflow(request, pk, step):
    alert = get_for_user(Alert, request.user, pk, Action.CHANGE)
    try:
        result = step(alert)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("alerts:detail", pk=alert.pk)
    return result if result is not None else redirect("alerts:detail", pk=alert.pk)


@login_required
@require_POST
def alert_submit(request, pk):
    require(request.user, AREA, Action.CHANGE)

    def step(alert):
        submit(alert, request.user)
        messages.success(request, _("Submitted: another person must now approve it."))

    return _workflow(request, pk, step)


@login_required
@require_POST
def alert_approve(request, pk):
    require(request.user, AREA, Action.CHANGE)

    def step(alert):
        approve(alert, request.user)
        messages.success(request, _("Approved and published."))

    return _workflow(request, pk, step)


@login_required
@require_POST
def alert_return(request, pk):
    require(request.user, AREA, Action.CHANGE)

    def step(alert):
        return_to_draft(alert, request.user)
        messages.success(request, _("Sent back to draft."))

    return _workflow(request, pk, step)


@login_required
@require_POST
def alert_delete(request, pk):
    require(request.user, AREA, Action.CHANGE)

    def step(alert):
        delete_draft(alert, request.user)
        messages.success(request, _("Draft deleted."))
        return redirect("alerts:list")

    return _workflow(request, pk, step)


@login_required
@require_POST
def alert_override(request, pk):
    require(request.user, AREA, Action.CHANGE)
    form = OverrideForm(request.POST)

    def step(alert):
        if not form.is_valid():
            messages.error(request, _("Give the reason for publishing without approval."))
            return render(
                request, "alerts/detail.html", _detail_context(request, alert, override_form=form), status=400
            )
        publish_override(alert, request.user, form.cleaned_data["reason"])
        messages.warning(request, _("Published without approval. The reason is recorded."))

    return _workflow(request, pk, step)


@login_required
@require_POST
def alert_followup(request, pk, kind):
    require(request.user, AREA, Action.CHANGE)
    msg_type = {"update": MsgType.UPDATE, "cancel": MsgType.CANCEL}.get(kind)
    if msg_type is None:
        raise Http404

    def step(alert):
        draft = followup(alert, msg_type, request.user)
        messages.success(
            request, _("A draft %(kind)s was created: check it, then submit it.") % {"kind": msg_type.label}
        )
        return redirect("alerts:edit", pk=draft.pk)

    return _workflow(request, pk, step)


@login_required
def alert_cap(request, pk):
    """The CAP XML of any alert the user may see: as received for imported ones, as it would be sent for drafts."""
    alert = get_for_user(Alert, request.user, pk)
    return HttpResponse(signing.cap_message(alert), content_type=f"{CAP_TYPE}; charset=utf-8")


@login_required
def cap_upload(request):
    require(request.user, AREA, Action.CHANGE)
    organisations = writable_organisations(request.user)
    result = None
    if request.method == "POST":
        form = CapUploadForm(request.POST, request.FILES, organisations=organisations)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            result = import_cap(
                upload.read(), form.cleaned_data["organisation"], origin=Origin.FILE, url=upload.name
            )
            if result.outcome == Outcome.IMPORTED:
                messages.success(request, _("Imported “%(identifier)s”.") % {"identifier": result.identifier})
                return redirect("alerts:detail", pk=result.alert.pk)
    else:
        form = CapUploadForm(organisations=organisations)
    return render(
        request,
        "alerts/upload.html",
        {"form": form, "result": result},
        status=400 if result and not result.ok else 200,
    )


# --- feeds in ------------------------------------------------------------------------


@login_required
def feed_list(request):
    require(request.user, AREA, Action.VIEW)
    can_change = has_perm(request.user, AREA, Action.CHANGE)
    form = None
    if can_change:
        form = FeedForm(request.POST or None, organisations=writable_organisations(request.user))
        if request.method == "POST" and form.is_valid():
            feed = form.save()
            messages.success(request, _("Subscribed to “%(name)s”.") % {"name": feed.name})
            return redirect("alerts:feed", pk=feed.pk)
    elif request.method == "POST":
        require(request.user, AREA, Action.CHANGE)
    feeds = FeedSubscription.objects.for_user(request.user)
    return render(request, "alerts/feeds.html", {"feeds": feeds, "form": form, "can_change": can_change})


@login_required
def feed_detail(request, pk):
    feed = get_for_user(FeedSubscription, request.user, pk)
    context = {
        "feed": feed,
        "can_change": has_perm(request.user, AREA, Action.CHANGE),
        **paginate(request, feed.logs.select_related("alert")),
    }
    return render(request, "alerts/feed.html", context)


@login_required
@require_POST
def feed_poll(request, pk):
    require(request.user, AREA, Action.CHANGE)
    feed = get_for_user(FeedSubscription, request.user, pk, Action.CHANGE)
    report = poll_feed(feed)
    if report.error:
        messages.error(request, report.error)
    else:
        messages.success(
            request,
            _("Polled: %(imported)s imported, %(duplicates)s already known, %(rejected)s rejected.")
            % {
                "imported": report.imported,
                "duplicates": report.duplicates + report.skipped,
                "rejected": report.rejected,
            },
        )
    return redirect("alerts:feed", pk=feed.pk)


# --- public: no login, cacheable ---------------------------------------------------------


def public_alerts():
    return Alert.objects.filter(origin=Origin.AUTHORED, published_at__isnull=False, scope=CapScope.PUBLIC)


def current_public_alerts():
    now = timezone.now()
    return (
        public_alerts()
        .filter(state=State.PUBLISHED)
        .exclude(expires__lte=now)
        .order_by("-sent", "-id")
        .prefetch_related("info")
    )


def _etag(alert):
    return hashlib.sha256(f"{alert.pk}:{alert.updated.isoformat()}:{alert.state}".encode()).hexdigest()[:32]


def _public(pk=None, identifier=None):
    queryset = public_alerts()
    found = (
        queryset.filter(pk=pk).first()
        if pk is not None
        else queryset.filter(identifier=identifier).order_by("pk").first()
    )
    if found is None:
        raise Http404
    return found


def _public_etag(request, pk=None, identifier=None):
    alert = (
        public_alerts().filter(pk=pk) if pk is not None else public_alerts().filter(identifier=identifier)
    ).first()
    return _etag(alert) if alert else None


def _public_modified(request, pk=None, identifier=None):
    alert = (
        public_alerts().filter(pk=pk) if pk is not None else public_alerts().filter(identifier=identifier)
    ).first()
    return alert.updated if alert else None


@cache_control(public=True, max_age=PUBLIC_MAX_AGE)
@condition(etag_func=_public_etag, last_modified_func=_public_modified)
def public_cap(request, pk=None, identifier=None):
    alert = _public(pk=pk, identifier=identifier)
    return HttpResponse(signing.cap_message(alert), content_type=f"{CAP_TYPE}; charset=utf-8")


class CapAtomFeed(Atom1Feed):
    """An Atom feed whose entries each link to their CAP message."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("link", "", {"rel": "alternate", "type": CAP_TYPE, "href": item["cap_url"]})


def _feed_modified(request):
    latest = public_alerts().order_by("-updated").values_list("updated", flat=True).first()
    return latest


@cache_control(public=True, max_age=PUBLIC_MAX_AGE)
@condition(last_modified_func=_feed_modified)
def public_feed(request):
    alerts = list(current_public_alerts()[:200])
    feed = CapAtomFeed(
        title=_("Current alerts"),
        link=request.build_absolute_uri(reverse("alerts:feed_atom")),
        description=_("Alerts in force, each with its CAP 1.2 message."),
        feed_url=request.build_absolute_uri(reverse("alerts:feed_atom")),
        language=get_language(),
    )
    for alert in alerts:
        info = alert.info_for([get_language()])
        cap_url = request.build_absolute_uri(reverse("alerts:cap_by_id", args=[alert.pk]))
        feed.add_item(
            title=(info.headline or info.event) if info else alert.identifier,
            link=request.build_absolute_uri(reverse("alerts:public", args=[alert.pk])),
            description=info.description if info else "",
            unique_id=cap_url,
            pubdate=alert.sent,
            updateddate=alert.updated,
            author_name=(info.sender_name if info else "") or alert.sender,
            cap_url=cap_url,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


def _pick_language(infos, wanted):
    """The info block for a reader of ``wanted``, else of the page's language (``lifeline.core.languages.pick``)."""
    return pick(infos, [wanted, get_language()])


# The HTML pages carry the language switcher's CSRF token (base.html): browsers may keep them, shared caches may not.
@cache_control(private=True, max_age=PUBLIC_MAX_AGE)
def public_page(request, pk):
    alert = _public(pk=pk)
    infos = list(alert.info.prefetch_related("areas__admin_areas"))
    info = _pick_language(infos, request.GET.get("lang", "")[:35])
    switcher = [(i.language, language_name(i.language, i.language), i is info) for i in infos]
    branding.show_for(request, {alert.organisation_id})  # the issuer's name, logo and colours
    context = {"alert": alert, "info": info, "switcher": switcher, "current": alert.is_current}
    return render(request, "alerts/public.html", context)


@cache_control(private=True, max_age=PUBLIC_MAX_AGE)
def public_index(request):
    """Alerts in force, each in the reader's language where it has one, with what tells two apart:
    severity, area, who issued it and when, until when."""
    wanted = [get_language()]
    alerts = list(
        current_public_alerts()
        .select_related("organisation")
        .prefetch_related("info__areas__admin_areas__country")[:100]
    )
    brands = branding.show_for(request, {alert.organisation_id for alert in alerts})  # each issuer's
    rows = []
    for alert in alerts:
        infos = list(alert.info.all())
        info = alert.info_for(wanted)
        rows.append(
            {
                "alert": alert,
                "info": info,
                "brand": brands[alert.organisation_id],
                "areas": [area.area_desc for area in info.areas.all()] if info else [],
                # The admin areas named, in the reader's language (geo/names.area_name).
                "places": sorted(
                    {admin.shown_name for area in info.areas.all() for admin in area.admin_areas.all()}
                )
                if info
                else [],
                "languages": [
                    (i.language, language_name(i.language, i.language)) for i in infos if i is not info
                ],
            }
        )
    return render(request, "alerts/public_index.html", {"rows": rows})
