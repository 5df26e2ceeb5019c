"""Registrations as a table: the columns of the CSV/XLSX export (personal columns: nationals/disclosure.py)."""

from lifeline.core.tabular import Column, TableSchema, choice, date, multi_choice, render_plain, text
from lifeline.nationals.models import DocumentStatus, DocumentType, Registration, SpecialNeed, StayType


def render_code(value):
    return getattr(value, "code", None) or getattr(value, "pcode", None) or ""


def render_json(value):
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(f"{v['type']}:{v['value']}" if isinstance(v, dict) else str(v) for v in value)
    return render_plain(value)


class RegistrationSchema(TableSchema):
    key = "registrations"
    model = Registration
    natural_key = ("id",)
    columns = [
        Column("id", "#id", text(20), render_plain),
        Column("post", "#org+name", text(200), render_plain, attr="organisation"),  # the post's name
        Column("given_names", "#contact+name+given", text(120), render_plain, required=True),
        Column("family_name", "#contact+name+family", text(120), render_plain),
        Column("date_of_birth", "#date+birth", date, render_plain),
        Column("nationality", "#country+code+nationality", text(2), render_code),
        Column("document_type", "#doc+type", choice(DocumentType), render_plain),
        Column("document_number", "#doc+id", text(80), render_plain),
        Column("document_status", "#doc+status", choice(DocumentStatus), render_plain),
        Column("phone", "#contact+phone", text(40), render_plain),
        Column("email", "#contact+email", text(200), render_plain),
        Column("messaging", "#contact+messaging", text(500), render_json),
        Column("languages", "#language+code", text(200), render_plain),
        Column("country", "#country+code", text(2), render_code),
        Column("area", "#adm1+code", text(32), render_code),
        Column("city", "#loc+name", text(120), render_plain),
        Column("address", "#loc+address", text(500), render_plain),
        Column("location", "#geo+coord", text(60), render_plain),
        Column("stay_type", "#status+stay", choice(StayType), render_plain),
        Column("arrival", "#date+arrival", date, render_plain),
        Column("departure", "#date+departure", date, render_plain),
        Column("employer", "#org+employer", text(200), render_plain),
        Column("recruiter", "#org+recruiter", text(200), render_plain),
        Column("special_needs", "#indicator+needs", multi_choice(SpecialNeed), render_plain),
        Column("needs_details", "#description+needs", text(2000), render_plain),
        Column("emergency_contact", "#contact+emergency", text(500), render_json),
        Column("household", "#affected+household", text(10), render_plain, extra=True),
        Column("expires_on", "#date+expiry", date, render_plain),
    ]

    def export_queryset(self, queryset):
        from django.db.models import Count

        return queryset.select_related("organisation", "nationality", "country", "area").annotate(
            household_count=Count("members")
        )

    def read_extra(self, obj, name):
        return getattr(obj, "household_count", None) if name == "household" else None
