from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from lifeline.core import audit
from lifeline.core.http import client_ip
from lifeline.core.models import Action, Area, AuditAction
from lifeline.core.permissions import get_for_user, has_perm, require, writable_organisations
from lifeline.core.registry_views import is_id, paginate
from lifeline.messaging import services
from lifeline.messaging.forms import ConfirmForm, PlacesForm, SendForm, SubscribeForm, TextFormSet
from lifeline.messaging.models import AlertSubscriber, DeadLetter, Send, SendStatus, State

AREA = Area.MESSAGING


@login_required
def send_list(request):
    require(request.user, AREA, Action.VIEW)
    queryset = Send.objects.for_user(request.user).select_related("organisation")
    context = {"can_change": has_perm(request.user, AREA, Action.CHANGE), **paginate(request, queryset)}
    return render(request, "messaging/list.html", context)


@login_required
def compose(request):
    """Write a send; "Preview" shows recipients per language, missing languages and interpreters; "Send" starts it."""
    require(request.user, AREA, Action.CHANGE)
    organisations = writable_organisations(request.user, AREA)
    data = request.POST if request.method == "POST" else None
    form = SendForm(data, organisations=organisations, initial={"channel_1": "sms", "channel_2": "email"})
    texts = TextFormSet(data, prefix="texts")
    preview = None
    if data is not None and all([form.is_valid(), texts.is_valid()]):  # both, so that every error shows
        try:
            if request.POST.get("action") == "send":
                with transaction.atomic():
                    send = services.start_send(
                        organisation=form.cleaned_data["organisation"],
                        user=request.user,
                        name=form.cleaned_data["name"],
                        audience=form.audience(),
                        texts=texts.texts(),
                        channels=form.cleaned_data["channels"],
                    )
                messages.success(request, _("Sending “%(name)s”.") % {"name": send.name})
                return redirect("messaging:detail", pk=send.pk)
            preview = services.preview_audience(
                form.audience(), texts.texts(), user=request.user, channels=form.cleaned_data["channels"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "messaging/compose.html", {"form": form, "texts": texts, "preview": preview})


@login_required
def send_detail(request, pk):
    """The sending dashboard: progress, per channel and language, failures and reasons, answers."""
    send = get_for_user(Send, request.user, pk)
    counts = services.counts(send)

    def rows(table):
        return [(name, [row.get(state, 0) for state in State.values]) for name, row in table.items()]

    context = {
        "send": send,
        "counts": counts,
        "channel_rows": rows(counts["channels"]),
        "language_rows": rows(counts["languages"]),
        "reasons": services.failure_reasons(send),
        "states": State,
        "refresh": send.status != SendStatus.DONE,
    }
    return render(request, "messaging/detail.html", context)


@login_required
def send_counts(request, pk):
    send = get_for_user(Send, request.user, pk)
    return JsonResponse(services.counts(send))


@login_required
def segments(request):
    """How many SMS a text takes (``messaging.segments.count``), for the composers' counters."""
    from lifeline.messaging.segments import count

    return JsonResponse(count(request.GET.get("text", "")[:5000]).as_dict())


@login_required
def dead_letters(request):
    require(request.user, AREA, Action.VIEW)
    sends = Send.objects.for_user(request.user)
    queryset = DeadLetter.objects.filter(send__in=sends).select_related("send", "delivery")
    if is_id(request.GET.get("send")):
        queryset = queryset.filter(send_id=int(request.GET["send"]))
    context = paginate(request, queryset)
    if context["object_list"]:
        # The list names recipients (by pseudonymous key): that is a view of people's records.
        audit.record(
            AuditAction.VIEW,
            object_type="messaging.deadletter",
            object_repr=_("%(n)s dead letters") % {"n": len(context["object_list"])},
        )
    return render(request, "messaging/dead_letters.html", context)


# Public pages: no login ------------------------------------------------------------


def subscribe(request):
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                subscriber, code = services.subscribe(
                    channel=data["channel"],
                    address=data["address"],
                    languages=data["languages"],
                    areas=data["areas"],
                    whole_country=data["whole_country"],
                    point=data["point"],
                    client=client_ip(request),
                )
                confirm_url = request.build_absolute_uri(
                    reverse("messaging:confirm", args=[subscriber.token])
                )
                services.send_confirmation(subscriber, code, confirm_url)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("messaging:confirm", token=subscriber.token)
    return render(request, "messaging/subscribe.html", {"form": form})


def confirm(request, token):
    subscriber = AlertSubscriber.objects.filter(token=token).first()
    if subscriber is None:
        return render(
            request,
            "messaging/public_message.html",
            {
                # Translators: migrants read this
                "title": _("Link not valid"),
                # Translators: migrants read this
                "text": _("This link is not valid any more. Please subscribe again."),
            },
            status=404,
        )
    form = ConfirmForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        if services.confirm_subscription(token, form.cleaned_data["code"]):
            return render(
                request,
                "messaging/public_message.html",
                {
                    # Translators: migrants read this
                    "title": _("Subscription confirmed"),
                    # Translators: migrants read this
                    "text": _(
                        "You will receive alerts for the places you chose, whoever sends them. Every message has a link to stop them."
                    ),
                },
            )
        # Translators: migrants read this
        form.add_error("code", _("That code is not right. Check the message we sent you."))
    return render(request, "messaging/confirm.html", {"form": form, "subscriber": subscriber})


@csrf_exempt  # a one-click unsubscribe (RFC 8058) comes from a mail client, with no session; it only stops messages
def unsubscribe(request, token):
    """One step, no login: the button on this page (or a one-click POST from a mail client) stops the messages."""
    if request.method == "POST":
        if services.handle_unsubscribe(token):
            return render(
                request,
                "messaging/public_message.html",
                {
                    # Translators: migrants read this
                    "title": _("Unsubscribed"),
                    # Translators: migrants read this
                    "text": _("You will not receive these messages any more."),
                },
            )
        return render(
            request,
            "messaging/public_message.html",
            {
                # Translators: migrants read this
                "title": _("Link not valid"),
                # Translators: migrants read this
                "text": _("This link is not valid."),
            },
            status=404,
        )
    return render(request, "messaging/unsubscribe.html", {"token": token})


def change_subscription(request, token):
    """ "Change my places": the link in the confirmation and in every alert opens the subscriber's places,
    languages and channel; saving goes through ``services.set_places`` like the subscribe page."""
    from lifeline.geo.names import area_name
    from lifeline.messaging.audiences import key

    subscriber = services.subscriber_for_change_token(token)
    if subscriber is None:
        return render(
            request,
            "messaging/public_message.html",
            {
                # Translators: migrants read this
                "title": _("Link not valid"),
                "text": _(
                    # Translators: migrants read this
                    "This link is not valid any more. Use the link in the latest message we sent you, or subscribe again."
                ),
            },
            status=404,
        )
    initial = {
        "areas": list(subscriber.areas.all()),
        "whole_country": subscriber.whole_country,
        "lat": subscriber.lat,
        "lon": subscriber.lon,
        "languages": subscriber.languages,
    }
    form = PlacesForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_places(
                subscriber,
                languages=data["languages"],
                areas=data["areas"],
                whole_country=data["whole_country"],
                point=data["point"],
                via="change-subscription",
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return render(
                request,
                "messaging/public_message.html",
                {
                    # Translators: migrants read this
                    "title": _("Subscription changed"),
                    # Translators: migrants read this
                    "text": _("You will receive alerts for the places and in the languages you chose now."),
                },
            )
    places = [area_name(area) for area in subscriber.areas.select_related("country").order_by("pcode")]
    context = {
        "form": form,
        "places": places,
        "subscriber": subscriber,
        "unsubscribe_url": services.unsubscribe_url(key("subscriber", subscriber.pk)),
    }
    return render(request, "messaging/change.html", context)
