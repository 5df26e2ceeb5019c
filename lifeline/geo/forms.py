"""Picking admin areas by name: the picker pattern of ``core.forms`` (a text box with a list)."""

from django.utils.translation import gettext_lazy as _

from lifeline.core.forms import _PickerField
from lifeline.geo.names import area_label


class AdminAreaField(_PickerField):
    """One admin area or several, typed by name (English or local), by label or by P-code;
    returns ``AdminArea`` rows. Governorates first, then smaller areas, by name."""

    unknown_message = _(
        "“%(value)s” is not an area we know. Type its name, for example Amman, or its P-code."
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("model", True)
        super().__init__(*args, **kwargs)

    @staticmethod
    def _areas():
        from lifeline.geo.models import AdminArea

        return AdminArea.objects.select_related("country").order_by("level", "name")

    def _label_of(self, item):
        from lifeline.geo.models import AdminArea

        if isinstance(item, AdminArea):
            return area_label(item)
        return self.label_of(item)

    @classmethod
    def find(cls, text):
        from django.db.models import Q

        from lifeline.geo.models import AdminArea

        text = (text or "").strip()
        if not text:
            return None
        if text.endswith(")") and "(" in text:  # a label picked from the list: its P-code
            code = text.rsplit("(", 1)[1].rstrip(")").strip()
            if AdminArea.objects.filter(pcode__iexact=code).exists():
                return AdminArea.objects.get(pcode__iexact=code).pcode
        match = (
            AdminArea.objects.filter(
                Q(pcode__iexact=text) | Q(name__iexact=text) | Q(name_local__iexact=text)
            )
            .order_by("level", "pcode")
            .first()
        )
        if match is None:  # a name in another language ("Zarka" for a French reader)
            wanted = text.casefold()
            for area in AdminArea.objects.only("pcode", "names", "level").order_by("level", "pcode"):
                if any(str(name).casefold() == wanted for name in (area.names or {}).values()):
                    return area.pcode
        return match.pcode if match else None

    @staticmethod
    def label_of(code):
        from lifeline.geo.models import AdminArea

        area = AdminArea.objects.filter(pcode=code).first()
        return area_label(area) if area else code

    @classmethod
    def options(cls):
        labels = [area_label(a) for a in cls._areas()]
        return [(label, label) for label in labels]

    @staticmethod
    def to_object(code):
        from lifeline.geo.models import AdminArea

        return AdminArea.objects.get(pcode=code)
