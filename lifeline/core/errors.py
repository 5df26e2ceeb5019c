"""The pages a person sees when something goes wrong: 400, 403, 404, 500 and a refused form (CSRF).

Each is in the reader's language, looks like the product, offers a way home and shows no technical
detail. Under /api/ the answer is JSON, as the API's own errors are. The pages extend
``error_base.html``, which needs no context processor, so that a failing database cannot break them.
"""

import logging

from django.http import JsonResponse
from django.template import loader
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lifeline.core.languages import is_rtl

logger = logging.getLogger(__name__)


def _is_api(request):
    return request is not None and request.path.startswith("/api/")


def _branding(request):
    """The brand of the reader's organisation, as on every page (core.branding), if it can be read."""
    try:
        from lifeline.core import branding

        return branding.for_request(request)
    except Exception:  # the database may be why we are here
        return None


def _page(request, template, status, **extra):
    from django.http import HttpResponse

    path = getattr(request, "path", "") or ""
    context = {
        **extra,
        "branding": _branding(request),
        "current_language": get_language(),
        "LANGUAGE_BIDI": is_rtl(get_language()),
        "home_url": "/app/" if path.startswith("/app/") else "/",
        "request_path": path,
    }
    return HttpResponse(loader.get_template(template).render(context), status=status)


def _json(detail, status):
    return JsonResponse({"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})


def bad_request(request, exception=None):
    if _is_api(request):
        return _json(_("The request could not be read."), 400)
    return _page(request, "400.html", 400)


def page_not_found(request, exception=None):
    if _is_api(request):
        return _json(_("Not found."), 404)
    return _page(request, "404.html", 404)


def permission_denied(request, exception=None):
    if _is_api(request):
        return _json(_("You do not have permission to do this."), 403)
    return _page(request, "403.html", 403)


def server_error(request=None):
    if _is_api(request):
        return _json(_("Something went wrong. Try again."), 500)
    return _page(request, "500.html", 500)


def csrf_failure(request, reason=""):
    logger.warning("Form refused (CSRF): %s %s", getattr(request, "path", ""), reason)
    if _is_api(request):
        return _json(_("This form has expired. Reload the page and try again."), 403)
    return _page(request, "403_csrf.html", 403)


def changed_meanwhile(request, exception):
    """A save refused because the record changed after the form was opened (``core/versions``),
    caught at the last moment under the row lock: the form itself says it in every other case."""
    if _is_api(request):
        return _json(str(exception), 409)
    return _page(request, "409.html", 409, message=str(exception))


def model_errors(instance, fields=None, found=(), prefix="", constraints=False):
    """A model's own rules (lengths, choices, validators, ``clean``; its check constraints with
    ``constraints``) for ``fields`` of ``instance`` (all its fields when None), but those already
    named in ``found`` (keys ``field`` or ``prefix.field``), as {field: [messages]} for ``Invalid``:
    keyed ``prefix.field``, and ``prefix`` for the record's own rules (``__all__`` without one)."""
    from django.core.exceptions import ValidationError

    named = {key.rsplit(".", 1)[-1] for key in found}
    exclude = [
        f.name
        for f in instance._meta.fields
        if (fields is not None and f.name not in fields) or f.name in named
    ]
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=constraints)
    except ValidationError as exc:
        errors = {}
        for field, messages in exc.message_dict.items():
            key = field if not prefix else (prefix if field == "__all__" else f"{prefix}.{field}")
            errors[key] = [str(m) for m in messages]
        return errors
    return {}


class Invalid(Exception):
    """Refused input to a write service, nothing saved: ``errors`` is {field: [translated messages]}
    (nested values are named ``household[0].name``). Pages show each message beside its field, the
    API answers them as its field errors: every app's services raise this one."""

    def __init__(self, errors):
        super().__init__("; ".join(f"{k}: {' '.join(str(m) for m in v)}" for k, v in errors.items()))
        self.errors = errors
