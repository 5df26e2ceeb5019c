import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lifeline.core.forms import LanguageField, offer_countries
from lifeline.core.languages import direction, normalise
from lifeline.core.names import language_name
from lifeline.core.versions import VersionedForm
from lifeline.crises.models import CheckInStatus, Crisis
from lifeline.crises.services import CRISIS_FIELDS, MAX_GEOJSON_BYTES, read_geojson
from lifeline.geo.models import AdminArea, Country
from lifeline.nationals.models import SpecialNeed, coarse_point

MAX_LANGUAGES = 40  # text boxes on one composer


class CrisisForm(VersionedForm, forms.ModelForm):
    geojson_file = forms.FileField(
        label=_("or upload a GeoJSON file"),
        required=False,
        help_text=_(
            "Polygon, MultiPolygon, Feature or FeatureCollection; at most 5 MB. It replaces the text above."
        ),
    )

    class Meta:
        model = Crisis
        fields = [
            "name",
            "type",
            "phase",
            "organisation",
            "country",
            "description",
            "geometry",
            "circle_lat",
            "circle_lon",
            "circle_radius_km",
            "areas",
            "countries",
        ]
        labels = {"organisation": _("Lead post")}
        help_texts = {
            "geometry": _(
                "Draw polygons on the map, or paste GeoJSON (longitude, latitude), e.g. exported from a map tool."
            )
        }
        widgets = {
            "geometry": forms.Textarea(
                attrs={"rows": 4, "spellcheck": "false", "dir": "ltr", "data-area-map": "crisis"}
            ),
            "description": forms.Textarea(attrs={"rows": 3}),
            "areas": forms.CheckboxSelectMultiple,
            "countries": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["areas"].queryset = AdminArea.objects.filter(level=1).select_related("country")
        offer_countries(self.fields["country"], preselect=True, organisations=organisations)
        offer_countries(self.fields["countries"])
        self.fields["countries"].required = False
        self.fields["geometry"].required = False

    def clean_geojson_file(self):
        upload = self.cleaned_data.get("geojson_file")
        if upload is None:
            return None
        if upload.size > MAX_GEOJSON_BYTES:
            raise ValidationError(_("The file is larger than 5 MB."))
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("The file is not UTF-8 text.")) from None
        return read_geojson(text)

    def clean(self):
        """Only reads: the GeoJSON (the file's, else the text's) as JSON; the rules of a crisis are
        ``services.crisis_errors``, which ``services.save_crisis`` applies."""
        data = super().clean()
        self.geometry_from_file = data.get("geojson_file") is not None
        self.area_json = data.get("geojson_file")
        if self.area_json is None and data.get("geometry"):
            try:
                self.area_json = read_geojson(data["geometry"])
            except ValidationError as exc:
                self.add_error("geometry", exc)
        return data

    def values(self):
        """The plain values ``services.save_crisis`` takes."""
        data = self.cleaned_data
        values = {name: data.get(name) for name in CRISIS_FIELDS if name != "geometry"}
        values["geometry"] = self.area_json
        return values

    def field_of(self, name):
        """The field that shows a refusal of ``name`` (None: above the form)."""
        if name == "geometry" and self.geometry_from_file:
            return "geojson_file"
        return name if name in self.fields else None


class CampaignForm(forms.Form):
    """The check-in composer: a text box per language (those of the people inside, from
    ``services.composer_languages``, and any already written), and one more language to add."""

    language = LanguageField(label=_("Add a language"), required=False)
    message = forms.CharField(
        label=_("Message in the added language"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "data-sms-count": "1"}),
    )

    PREFIX = "text_"

    def __init__(self, *args, rows=(), written=None, **kwargs):
        super().__init__(*args, **kwargs)
        label = _("Characters: {chars} · text messages: {sms} ({encoding})")
        self.fields["message"].widget.attrs["data-sms-label"] = label
        written = written or {}
        codes = [row["code"] for row in rows if row["code"]]
        codes += [code for code in written if code not in codes]
        if self.is_bound:  # boxes the page was drawn with (a language added earlier stays)
            for key in self.data:
                code = normalise(key[len(self.PREFIX) :]) if key.startswith(self.PREFIX) else None
                if code and code not in codes:
                    codes.append(code)
        counts = {row["code"]: row for row in rows}
        self.boxes = []
        for code in codes[:MAX_LANGUAGES]:
            name = self.PREFIX + code
            row = counts.get(code)
            self.fields[name] = forms.CharField(
                label=language_name(code),
                max_length=1000,
                required=False,
                initial=written.get(code, ""),
                widget=forms.Textarea(
                    attrs={
                        "rows": 3,
                        "lang": code,
                        "dir": direction(code),
                        "data-sms-count": "1",
                        "data-sms-label": label,
                    }
                ),
            )
            self.boxes.append({"code": code, "name": name, "row": row})
        self.order_fields([box["name"] for box in self.boxes] + ["language", "message"])

    def box_fields(self):
        """(field, row of composer_languages or None) for each language's box, in order."""
        return [(self[box["name"]], box["row"]) for box in self.boxes]

    def clean(self):
        data = super().clean()
        messages = {}
        for box in self.boxes:
            text = (data.get(box["name"]) or "").strip()
            if text:
                messages[box["code"]] = text
        if data.get("language") and (data.get("message") or "").strip():
            messages[data["language"]] = data["message"].strip()
        elif (data.get("message") or "").strip() and not self.has_error("language"):
            self.add_error("language", _("Choose the language of this message."))
        data["messages"] = messages
        return data


class StaffAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("answer"), choices=[c for c in CheckInStatus.choices if c[0] != CheckInStatus.NO_ANSWER]
    )
    via = forms.ChoiceField(
        label=_("how"), choices=[("phone", _("Phone call")), ("staff", _("Staff"))], initial="phone"
    )
    note = forms.CharField(label=_("note"), max_length=1000, required=False)


class BoardFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + list(CheckInStatus.choices)
    )
    post = forms.ModelChoiceField(label=_("Post"), required=False, queryset=None, empty_label=_("All posts"))
    app_only = forms.BooleanField(label=_("Only those not messaged (app only)"), required=False)

    def __init__(self, *args, posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = posts


class JustInTimeForm(forms.Form):
    key = forms.UUIDField(widget=forms.HiddenInput)
    given_names = forms.CharField(label=_("given names"), max_length=120)
    family_name = forms.CharField(label=_("family name"), max_length=120, required=False)
    phone = forms.CharField(label=_("phone, with country code"), max_length=32, required=False)
    email = forms.EmailField(label=_("email"), required=False)
    nationality = forms.ModelChoiceField(label=_("nationality"), queryset=Country.objects.all())
    area = forms.ModelChoiceField(
        label=_("where you are now (area)"), queryset=AdminArea.objects.none(), required=False
    )
    city = forms.CharField(label=_("city, town or place"), max_length=120, required=False)
    location = forms.CharField(label=_("map point “lat,lon” (optional)"), max_length=40, required=False)
    household_size = forms.IntegerField(
        label=_("people with you, you included"), min_value=1, max_value=50, initial=1
    )
    children = forms.IntegerField(label=_("of whom children under 18"), min_value=0, max_value=50, initial=0)
    special_needs = forms.MultipleChoiceField(
        label=_("special needs"),
        choices=SpecialNeed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    need_help = forms.TypedChoiceField(
        label=_("do you need help now?"),
        choices=[("no", _("No")), ("yes", _("Yes"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="no",
    )

    def __init__(self, *args, crisis, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = AdminArea.objects.filter(country=crisis.country)
        self.region = crisis.country.code if crisis.country_id else None

    def clean_phone(self):
        from lifeline.core.phones import to_e164

        try:
            return to_e164(self.cleaned_data["phone"], self.region)
        except ValidationError:
            raise ValidationError(
                _("Write the phone number with its country code, e.g. +962 79 123 4567.")
            ) from None

    def clean_location(self):
        value = self.cleaned_data["location"].strip()
        if value and coarse_point(value) == (None, None):
            raise ValidationError(_("Write the point as latitude,longitude, e.g. 31.95,35.91."))
        return value

    def clean(self):
        data = super().clean()
        if self.has_error("key"):
            self.data = self.data.copy()
            self.data["key"] = str(uuid.uuid4())  # a fresh key, so that sending again works
            raise ValidationError(_("The form was damaged on the way. Please check it and send it again."))
        if (
            not data.get("phone")
            and not data.get("email")
            and not self.has_error("phone")
            and not self.has_error("email")
        ):
            raise ValidationError(_("Give a phone number or an email so that we can reach you."))
        if data.get("children") and data.get("household_size") and data["children"] > data["household_size"]:
            self.add_error("children", _("There are more children than people."))
        return data
