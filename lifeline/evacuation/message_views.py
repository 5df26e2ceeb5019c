"""The page that messages everyone at an assembly point (rules: ``evacuation.point_messages``)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from lifeline.core.forms import LanguageField
from lifeline.core.languages import ui_language
from lifeline.core.models import Action, Area
from lifeline.core.names import language_name
from lifeline.core.permissions import get_for_user, require
from lifeline.evacuation import point_messages
from lifeline.evacuation.models import AssemblyPoint
from lifeline.messaging.models import ChannelName, Send


class PointMessageForm(forms.Form):
    """Who at the point, and the message in each language of the people there (or another one)."""

    who = forms.ChoiceField(
        label=_lazy("Who receives it"),
        choices=[
            (
                "assigned",
                _lazy("Everyone assigned to this point who has not left, declined or failed to come"),
            ),
            ("present", _lazy("Only those checked in at the point")),
        ],
        initial="assigned",
        widget=forms.RadioSelect,
    )
    other_language = LanguageField(label=_lazy("Another language"), required=False)
    other_text = forms.CharField(
        label=_lazy("The message in that language"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, languages, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = languages
        fields = {}
        for code in languages:
            fields[f"text_{code}"] = forms.CharField(
                label=_("The message in %(language)s") % {"language": language_name(code)},
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 3, "lang": code}),
            )
        self.fields = {
            "who": self.fields["who"],
            **fields,
            **{k: v for k, v in self.fields.items() if k != "who"},
        }

    def clean(self):
        data = super().clean()
        if data.get("other_text", "").strip() and not data.get("other_language"):
            self.add_error("other_language", _("Name the language of this message."))
        return data

    def bodies(self):
        found = {code: self.cleaned_data.get(f"text_{code}", "") for code in self.languages}
        other = self.cleaned_data.get("other_language")
        if other and self.cleaned_data.get("other_text", "").strip():
            found[other] = self.cleaned_data["other_text"]
        return {code: text for code, text in found.items() if text and text.strip()}


def _named(preview):
    """The preview's languages and channels by name, in the reader's language (never a code)."""
    preview["languages_named"] = [
        (language_name(code) if code != "—" else _("No language given"), n)
        for code, n in preview["by_language"].items()
    ]
    preview["channels_named"] = [
        (str(ChannelName(c).label) if c in ChannelName.values else _("No address for any channel chosen"), n)
        for c, n in preview["by_channel"].items()
    ]
    return preview


@login_required
def point_message(request, pk):
    """GET: the form, with a text box for each first language of the people at the point. POST
    "preview": who would receive it, by language and channel (or why nobody would); POST "send":
    send it through the messaging engine, with the same audience the preview counted."""
    require(request.user, Area.CRISES, Action.CHANGE)
    point = get_for_user(AssemblyPoint, request.user, pk, Action.CHANGE)
    try:
        point_messages.refuse_if_closed(point)
    except ValidationError as exc:
        context = {"point": point, "crisis": point.crisis, "closed": exc.messages}
        return render(
            request, "evacuation/point_message.html", context, status=409 if request.method == "POST" else 200
        )
    who = request.POST.get("who") or request.GET.get("who") or "assigned"
    languages = point_messages.point_languages(point, request.user, who)
    mine = ui_language([get_language() or "en"])
    if mine not in languages:
        languages.append(mine)
    data = request.POST if request.method == "POST" else None
    form = PointMessageForm(data, languages=languages)
    preview = None
    if data is not None and form.is_valid():
        who, bodies = form.cleaned_data["who"], form.bodies()
        try:
            if not bodies:
                raise ValidationError(_("Write the message in at least one language."))
            if request.POST.get("action") == "send":
                with transaction.atomic():
                    send = point_messages.message_point(point, request.user, bodies, who)
                messages.success(
                    request, _("Sending the message to the people at “%(point)s”.") % {"point": point.name}
                )
                if Send.objects.for_user(request.user).filter(pk=send.pk).exists():
                    return redirect("messaging:detail", pk=send.pk)
                return redirect("evacuation:point", pk=point.pk)
            preview = _named(point_messages.preview_point_message(point, request.user, bodies, who))
        except ValidationError as exc:
            form.add_error(None, exc)
    context = {"point": point, "crisis": point.crisis, "form": form, "preview": preview}
    return render(request, "evacuation/point_message.html", context, status=400 if form.errors else 200)
