"""View helpers shared by the three registries: paging, import, export.

Each registry's views call these so that the rules (who may export, what is
audited, how an import fails) are written once.
"""

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from lifeline.core import audit, disclosure
from lifeline.core.forms import ImportForm
from lifeline.core.models import Action, AuditAction
from lifeline.core.permissions import has_perm, writable_organisations
from lifeline.core.tabular import (
    CONTENT_TYPES,
    TableError,
    export_table,
    import_table,
    personal_columns,
    table_response,
)

PAGE_SIZE = 25


def is_id(value):
    """A database id as typed in a URL or form: ASCII digits, not too many ("²".isdigit() is True)."""
    return bool(value) and re.fullmatch(r"[0-9]{1,18}", str(value)) is not None


def safe_next(request, default="home"):
    """The ``next`` the form asked for, if it stays on this site; else the default page."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def paginate(request, queryset, size=PAGE_SIZE):
    page = Paginator(queryset, size).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return {"page_obj": page, "object_list": page.object_list, "querystring_without_page": params.urlencode()}


def export_response(request, schema, queryset, area):
    """Export the (already scoped and filtered) queryset; audit it; personal columns only if allowed."""
    if not has_perm(request.user, area, Action.EXPORT):
        raise PermissionDenied
    fmt = request.GET.get("format", "csv")
    if fmt not in CONTENT_TYPES:
        fmt = "csv"
    hxl = request.GET.get("hxl") in ("1", "on", "true")
    personal = disclosure.may_see(request.user, schema.model)
    data = export_table(schema, queryset, fmt=fmt, hxl=hxl, include_personal=personal)
    shown = personal_columns(schema) if personal else []
    audit.record(
        AuditAction.EXPORT,
        object_type=f"{schema.model._meta.app_label}.{schema.model._meta.model_name}",
        object_repr=_("%(n)s records (%(fmt)s)") % {"n": queryset.count(), "fmt": fmt},
        fields=shown,
    )
    return table_response(data, fmt, schema.key)


def import_page(request, schema, area, list_url):
    if not has_perm(request.user, area, Action.CHANGE):
        raise PermissionDenied
    organisations = writable_organisations(request.user)
    report = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, organisations=organisations)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = import_table(
                    schema,
                    upload,
                    upload.name,
                    form.cleaned_data["organisation"],
                    user=request.user,
                    dry_run=form.cleaned_data["dry_run"],
                    include_personal=disclosure.may_see(request.user, schema.model),
                )
            except TableError as exc:
                form.add_error("file", str(exc))
            else:
                if report.ok and not report.dry_run:
                    messages.success(request, report.summary())
                    return redirect(list_url)
    else:
        form = ImportForm(organisations=organisations, initial={"dry_run": True})
    columns = schema.columns
    return render(
        request,
        "core/import.html",
        {
            "form": form,
            "report": report,
            "columns": columns,
            "title": schema.model._meta.verbose_name_plural,
            "list_url": list_url,
        },
    )
