import json

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from lifeline.alerts import hazards
from lifeline.alerts.areas import geojson_from_shapes, merged, shapes_from_geojson
from lifeline.alerts.cap import MAX_BYTES, check_circle, check_polygon
from lifeline.alerts.models import Alert, Category, FeedSubscription, InfoBlock, ResponseType, State, Status
from lifeline.alerts.services import ALERT_FIELDS, INFO_FIELDS
from lifeline.core.forms import LanguageField, offer_organisations
from lifeline.core.names import language_name
from lifeline.core.versions import VersionedForm
from lifeline.geo.models import AdminArea

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
GEOJSON_MAX_BYTES = 1024 * 1024


def ui_languages():
    """The interface languages first (offered in the language list), then any tag may be typed."""
    return [(code, language_name(code)) for code, _name in settings.LANGUAGES]


class AlertForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Alert
        fields = list(ALERT_FIELDS)  # what the write service takes: one list
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "sender": _(
                "Who issues the alert, as CAP names it: an e-mail address or a domain, without spaces or commas."
            ),
            "status": _("“Exercise” and “Test” alerts are not acted upon by the public."),
            "restriction": _("Only for restricted scope: who may see it."),
            "addresses": _("Only for private scope: recipients, separated by spaces."),
        }

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        offer_organisations(self.fields["organisation"], organisations, _("Issued by"))


class LanguageTagField(LanguageField):
    """Any BCP 47 tag, picked by name or typed as a code, normalised (``tl`` → ``fil``, ``EN-us`` → ``en-US``)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 35 + 200)
        super().__init__(*args, **kwargs)


class InfoBlockForm(forms.ModelForm):
    language = LanguageTagField(label=_("Language"))
    categories = forms.MultipleChoiceField(
        label=_("Categories"), choices=Category.choices, widget=forms.CheckboxSelectMultiple
    )
    web = forms.URLField(
        label=_("Web page"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
    )
    response_types = forms.MultipleChoiceField(
        label=_("What people should do"),
        choices=ResponseType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = InfoBlock
        fields = list(INFO_FIELDS)
        # Text in the block's language, whatever the page's direction: let the browser find its direction.
        widgets = {
            "event": forms.TextInput(attrs={"dir": "auto"}),
            "headline": forms.TextInput(attrs={"dir": "auto"}),
            "audience": forms.TextInput(attrs={"dir": "auto"}),
            "sender_name": forms.TextInput(attrs={"dir": "auto"}),
            "contact": forms.TextInput(attrs={"dir": "auto"}),
            "description": forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
            "instruction": forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
            "effective": DATETIME,
            "onset": DATETIME,
            "expires": DATETIME,
        }
        help_texts = {
            "headline": _("Short: it is the subject of e-mails and the start of text messages."),
            "instruction": _("What to do, in plain words. It goes into text messages."),
        }

    area_desc = forms.CharField(
        label=_("Where, in this language"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"dir": "auto"}),
        help_text=_(
            "The area in words for the people who read this language; empty: the description under “Where”."
        ),
    )

    # Plain words first (what, where, what to do, until when); CAP's own fields are folded away.
    PLAIN = ("language", "event", "headline", "description", "instruction", "area_desc", "expires")
    SMS_FIELDS = ("headline", "description", "instruction")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].label = _("What is happening")
        self.fields["instruction"].label = _("What to do")
        self.fields["expires"].label = _("Until when (expires)")
        self.fields["expires"].help_text = _(
            "Empty: %(hours)s hours after it takes effect. No alert stays current for ever."
        ) % {"hours": settings.ALERT_DEFAULT_HOURS}
        for name in self.SMS_FIELDS:
            self.fields[name].widget.attrs["data-sms-count"] = "1"
            self.fields[name].widget.attrs["data-sms-label"] = _(
                "Characters: {chars} · text messages: {sms} ({encoding})"
            )
        if self.instance.pk and "area_desc" not in self.initial:
            area = self.instance.areas.first()
            self.initial["area_desc"] = area.area_desc if area else ""
        if self.instance.pk is None and "language" not in (kwargs.get("initial") or {}):
            self.initial["language"] = ""  # an empty block stays empty (CAP's en-US default is for imports)
        self.fields["headline"].required = True
        for name in ("effective", "onset", "expires"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]

    def has_changed(self):
        """A new block with no words in it is not written (a language offered and left empty)."""
        if self.instance.pk is None and self.is_bound:
            texts = ("event", "headline", "description", "instruction")
            if not any(str(self.data.get(self.add_prefix(name), "")).strip() for name in texts):
                return False
        return super().has_changed()

    def _group(self, names):
        return [self[name] for name in names if name in self.fields]

    @property
    def plain_fields(self):
        return self._group(self.PLAIN)

    @property
    def cap_fields(self):
        return self._group(n for n in self.fields if n not in self.PLAIN and n != "DELETE")

    @property
    def delete_fields(self):
        return self._group(["DELETE"])

    @property
    def cap_errors(self):
        return any(self[f.name].errors for f in self.cap_fields)


# Which blocks an alert needs, and in which languages: ``alerts/services.alert_errors``.
InfoFormSet = forms.inlineformset_factory(Alert, InfoBlock, form=InfoBlockForm, extra=1, can_delete=True)


class AreaForm(forms.Form):
    """The area of the alert (the same in every language): drawn, uploaded, or chosen by admin area."""

    area_desc = forms.CharField(
        label=_("Area description"),
        max_length=500,
        help_text=_("In words, for example “Amman, low-lying districts”."),
    )
    shapes = forms.CharField(
        label=_("Shapes on the map (GeoJSON)"),
        required=False,
        max_length=GEOJSON_MAX_BYTES,
        widget=forms.Textarea(
            attrs={"rows": 3, "dir": "ltr", "spellcheck": "false", "data-area-map": "alert"}
        ),
        help_text=_(
            "Draw polygons and circles on the map, or paste GeoJSON here: polygons, and points with "
            "a “radius” in metres for circles."
        ),
    )
    admin_areas = forms.ModelMultipleChoiceField(
        label=_("Administrative areas"),
        queryset=AdminArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    polygons = forms.CharField(
        label=_("Polygons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "ltr"}),
        help_text=_(
            "One per line, as CAP writes them: “lat,lon lat,lon …”, the first point repeated at the end."
        ),
    )
    circles = forms.CharField(
        label=_("Circles"),
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
        help_text=_("One per line: “lat,lon radius_km”, for example “31.95,35.91 10”."),
    )
    geojson = forms.FileField(
        label=_("GeoJSON file"),
        required=False,
        help_text=_("Polygons and circles from a GeoJSON file (at most 1 MB); added to those above."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["admin_areas"].queryset = AdminArea.objects.filter(level__lte=1).order_by("pcode")
        self.fields["circles"].widget = forms.Textarea(attrs={"rows": 2, "dir": "ltr"})

    def _lines(self, name, check):
        values = [" ".join(line.split()) for line in self.cleaned_data[name].splitlines() if line.strip()]
        for number, value in enumerate(values, start=1):
            try:
                check(value)
            except ValueError as exc:
                raise ValidationError(
                    _("Line %(n)s: %(reason)s"), params={"n": number, "reason": str(exc)}
                ) from exc
        return values

    def clean_polygons(self):
        return self._lines("polygons", check_polygon)

    def clean_circles(self):
        return self._lines("circles", check_circle)

    def clean_geojson(self):
        upload = self.cleaned_data.get("geojson")
        if not upload:
            return [], []
        if upload.size > GEOJSON_MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(mb)s MB."), params={"mb": GEOJSON_MAX_BYTES // (1024 * 1024)}
            )
        return shapes_from_geojson(upload.read())

    def clean_shapes(self):
        text = self.cleaned_data["shapes"].strip()
        if not text or text in ("{}", "null"):
            return [], []
        return shapes_from_geojson(text)

    def area(self):
        """The area as ``services.save_alert`` takes it (what was read of it, when not all was)."""
        data = getattr(self, "cleaned_data", None) or {}
        shapes, upload = data.get("shapes") or ([], []), data.get("geojson") or ([], [])
        return {
            "area_desc": data.get("area_desc", ""),
            "polygons": merged(shapes[0], data.get("polygons") or [], upload[0]),
            "circles": merged(shapes[1], data.get("circles") or [], upload[1]),
            "admin_areas": list(data.get("admin_areas") or []),
        }

    @staticmethod
    def initial_for(area):
        if area is None:
            return {}
        # Drawn, pasted or typed before, the shapes come back on the map (one place to change them).
        shapes = geojson_from_shapes(area.polygons, area.circles)
        return {
            "area_desc": area.area_desc,
            "shapes": json.dumps(shapes) if shapes else "",
            "admin_areas": list(area.admin_areas.all()),
        }


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why can this not wait for approval?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded in the audit log and shown on the alert."),
    )


class TemplateForm(forms.Form):
    template = forms.ChoiceField(label=_("Hazard"), choices=hazards.choices)
    areas = forms.ModelMultipleChoiceField(
        label=_("Where (for the languages)"),
        queryset=AdminArea.objects.none(),
        required=False,
        to_field_name="pcode",
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_("The template's languages are those spoken there, as the community profiles say."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = AdminArea.objects.filter(level__lte=1).order_by("pcode")


class AlertFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("Any"))] + State.choices)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any"))] + Status.choices)
    origin = forms.ChoiceField(
        label=_("Origin"),
        required=False,
        choices=[("", _("Any")), ("authored", _("Authored here")), ("imported", _("Imported"))],
    )


class CapUploadForm(forms.Form):
    file = forms.FileField(label=_("CAP file (XML)"))
    organisation = forms.ModelChoiceField(queryset=None, label=_("Import into"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        offer_organisations(self.fields["organisation"], organisations)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(mb)s MB."), params={"mb": MAX_BYTES // (1024 * 1024)}
            )
        return upload


class FeedForm(VersionedForm, forms.ModelForm):
    url = forms.URLField(label=_("Feed URL"), max_length=1000, assume_scheme="https")

    class Meta:
        model = FeedSubscription
        fields = ["organisation", "name", "url", "kind", "active"]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        offer_organisations(self.fields["organisation"], organisations, _("Kept by"))
        self.fields["url"].validators = [URLValidator(schemes=["http", "https"])]
