import json

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from lifeline.alerts import hazards
from lifeline.alerts.cap import MAX_BYTES, check_circle, check_polygon
from lifeline.alerts.models import Alert, Category, FeedSubscription, InfoBlock, ResponseType, State, Status
from lifeline.core.forms import LanguageField, offer_organisations
from lifeline.core.names import language_name
from lifeline.core.versions import VersionedForm
from lifeline.geo.models import AdminArea

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
GEOJSON_MAX_BYTES = 1024 * 1024
MAX_POLYGONS = 100


def ui_languages():
    """The interface languages first (offered in the language list), then any tag may be typed."""
    return [(code, language_name(code)) for code, _name in settings.LANGUAGES]


def _no_separators(value):
    if any(ch in value for ch in " ,<&") or not value:
        raise ValidationError(_("Use no spaces, commas, < or & here."))


class AlertForm(forms.ModelForm):
    class Meta:
        model = Alert
        fields = [
            "organisation",
            "sender",
            "status",
            "scope",
            "restriction",
            "addresses",
            "source",
            "incidents",
            "note",
        ]
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
        self.fields["sender"].validators.append(_no_separators)

    def clean(self):
        data = super().clean()
        if data.get("scope") == "Restricted" and not data.get("restriction"):
            self.add_error("restriction", _("A restricted alert must say who may see it."))
        if data.get("scope") == "Private" and not data.get("addresses"):
            self.add_error("addresses", _("A private alert must name its recipients."))
        return data


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
        fields = [
            "language",
            "event",
            "headline",
            "description",
            "instruction",
            "categories",
            "response_types",
            "urgency",
            "severity",
            "certainty",
            "audience",
            "effective",
            "onset",
            "expires",
            "sender_name",
            "web",
            "contact",
        ]
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and "language" not in (kwargs.get("initial") or {}):
            self.initial["language"] = ""  # an empty block stays empty (CAP's en-US default is for imports)
        self.fields["headline"].required = True
        for name in ("effective", "onset", "expires"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]

    def clean(self):
        data = super().clean()
        start = data.get("onset") or data.get("effective")
        if start and data.get("expires") and data["expires"] <= start:
            self.add_error("expires", _("“Expires” must be after “effective” and “onset”."))
        return data


class BaseInfoFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            f for f in self.forms if f.has_changed() and not f.errors and not f.cleaned_data.get("DELETE")
        ]
        kept += [f for f in self.forms if f.instance.pk and not f.has_changed()]
        if not kept and not any(f.errors for f in self.forms):
            raise ValidationError(_("Write the alert in at least one language."))
        languages = [f.cleaned_data.get("language") for f in kept if f.cleaned_data.get("language")]
        if len(languages) != len(set(languages)):
            raise ValidationError(_("Each language may appear only once."))


InfoFormSet = forms.inlineformset_factory(
    Alert, InfoBlock, form=InfoBlockForm, formset=BaseInfoFormSet, extra=1, can_delete=True
)


def polygons_from_geojson(data):
    """GeoJSON (Polygon, MultiPolygon, Feature or FeatureCollection) → CAP polygon strings (outer rings)."""
    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationError(_("The file is not valid JSON.")) from exc
    geometries = []

    def collect(node):
        if not isinstance(node, dict):
            raise ValidationError(_("The file is not GeoJSON."))
        kind = node.get("type")
        if kind == "FeatureCollection":
            for feature in node.get("features") or []:
                collect(feature)
        elif kind == "Feature":
            collect(node.get("geometry") or {})
        elif kind in ("Polygon", "MultiPolygon"):
            geometries.append(node)
        else:
            raise ValidationError(
                _("Only polygons can be used as alert areas (found “%(kind)s”)."),
                params={"kind": str(kind)[:40]},
            )

    collect(doc)
    rings = []
    for geometry in geometries:
        coordinates = geometry.get("coordinates") or []
        polygons = coordinates if geometry["type"] == "MultiPolygon" else [coordinates]
        rings += [polygon[0] for polygon in polygons if polygon]
    if not rings:
        raise ValidationError(_("The file holds no polygon."))
    if len(rings) > MAX_POLYGONS:
        raise ValidationError(_("The file holds more than %(max)s polygons."), params={"max": MAX_POLYGONS})
    result = []
    for ring in rings:
        try:
            points = [(float(p[1]), float(p[0])) for p in ring]
        except (TypeError, ValueError, IndexError) as exc:
            raise ValidationError(_("A polygon has a point that is not [longitude, latitude].")) from exc
        if points and points[0] != points[-1]:
            points.append(points[0])
        text = " ".join(f"{lat:.6g},{lon:.6g}" for lat, lon in points)
        try:
            check_polygon(text)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        result.append(text)
    return result


class AreaForm(forms.Form):
    """The area of the alert (the same in every language): drawn, uploaded, or chosen by admin area."""

    area_desc = forms.CharField(
        label=_("Area description"),
        max_length=500,
        help_text=_("In words, for example “Amman, low-lying districts”."),
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
        help_text=_("Polygons from a GeoJSON file (at most 1 MB); added to those above."),
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
            return []
        if upload.size > GEOJSON_MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(mb)s MB."), params={"mb": GEOJSON_MAX_BYTES // (1024 * 1024)}
            )
        return polygons_from_geojson(upload.read())

    def clean(self):
        data = super().clean()
        if not self.errors and not (
            data["polygons"] or data["circles"] or data["geojson"] or data["admin_areas"]
        ):
            raise ValidationError(
                _("Say where: give a polygon, a circle, a GeoJSON file or administrative areas.")
            )
        return data

    def area(self):
        """Keyword arguments for ``services.set_area``."""
        data = self.cleaned_data
        return {
            "area_desc": data["area_desc"],
            "polygons": data["polygons"] + data["geojson"],
            "circles": data["circles"],
            "admin_areas": list(data["admin_areas"]),
        }

    @staticmethod
    def initial_for(area):
        if area is None:
            return {}
        return {
            "area_desc": area.area_desc,
            "polygons": "\n".join(area.polygons),
            "circles": "\n".join(area.circles),
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
