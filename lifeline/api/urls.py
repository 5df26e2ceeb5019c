import logging

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from lifeline.advice.api import router as advice
from lifeline.advice.app_api import router as app_advice
from lifeline.alerts.api import router as alerts
from lifeline.api.common import TokenAuth
from lifeline.api.parser import StrictJSONParser
from lifeline.cases.api import router as cases
from lifeline.cases.app_api import router as app_cases
from lifeline.communities.api import router as communities
from lifeline.core.http import BadBody
from lifeline.core.versions import ChangedMeanwhile
from lifeline.crises.api import router as crises
from lifeline.crises.app_api import router as app_crises
from lifeline.directory.api import router as contacts
from lifeline.interpreters.api import router as interpreters
from lifeline.messaging.api import router as messaging
from lifeline.nationals.api import router as nationals
from lifeline.nationals.app_api import router as app_nationals
from lifeline.pwa.app_api import router as app_pwa

# Each app's staff API lives beside the app (``lifeline/<app>/api.py``, the nationals' app in
# ``app_api.py``); this module assembles them, with the shared authentication, parser and errors.

# The staff API's operation ids were named after its modules when they all lived in lifeline/api/
# (``lifeline_api_contacts_get_contact``): clients generated from the schema keep them.
STAFF_API_NAMES = {"directory": "contacts"}


class LifelineAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation):
        parts = operation.view_func.__module__.split(".")
        if len(parts) == 3 and parts[0] == "lifeline" and parts[2] == "api":
            name = STAFF_API_NAMES.get(parts[1], parts[1])
            return f"lifeline_api_{name}_{operation.view_func.__name__}"
        return super().get_openapi_operation_id(operation)


api = LifelineAPI(
    title="Lifeline API",
    version="1",
    description="Registries of key contacts, community profiles and interpreters. "
    "Authenticate with a bearer token from My account; scopes and audit are those of the token's user.",
    auth=TokenAuth(),
    urls_namespace="api",
    parser=StrictJSONParser(),
)


# Errors are JSON, in the reader's language (for the app, ``nationals.services.app_language``), and
# never show internals: an unexpected error is logged and answered with a plain sentence.


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": _("You do not have permission to do this.")}, status=403)


@api.exception_handler(ChangedMeanwhile)
def changed_meanwhile(request, exc):
    """A PUT held to an If-Match version that changed between the check and the write."""
    return api.create_response(request, {"detail": str(exc)}, status=412)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


# ninja's own English words for its errors, and what the reader gets instead.
HTTP_ERRORS = {
    "Unauthorized": lambda: _("You are not signed in, or your sign-in has ended. Sign in again."),
    "Forbidden": lambda: _("You do not have permission to do this."),
    "Too many requests.": lambda: _("Too many requests. Wait a moment and try again."),
}


@api.exception_handler(HttpError)
def http_error(request, exc):
    """Ninja's errors in the reader's words, with the reason when the body was refused by
    ``core.http.loads_json``."""
    if isinstance(exc.__cause__, BadBody):
        message = str(exc.__cause__)
    else:
        message = str(exc.message)
        message = HTTP_ERRORS[message]() if message in HTTP_ERRORS else message
    return api.create_response(request, {"detail": message}, status=exc.status_code)


def _field_message(error):
    kind = error.get("type", "")
    if kind in ("missing", "string_too_short"):
        return _("This field is required.")
    if kind == "string_too_long":
        return _("This text is too long.")
    if kind in ("literal_error", "enum"):
        return _("Choose one of the options offered.")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Enter a valid date.")
    if (
        kind.startswith("int")
        or kind.startswith("float")
        or kind in ("greater_than_equal", "less_than_equal")
    ):
        return _("Enter a valid number.")
    if kind == "too_long":
        return _("Too many items.")
    if kind == "json_invalid":
        return _("The request could not be read.")
    return _("This value is not valid.")


@api.exception_handler(ValidationError)
def invalid_input(request, exc):
    """The staff API keeps ninja's detailed list; the app gets one translated sentence per field."""
    if not request.path.startswith("/api/app/"):
        return api.create_response(request, {"detail": exc.errors}, status=422)
    errors = {}
    for error in exc.errors:
        loc = [
            str(part)
            for part in error.get("loc", ())
            if part not in ("body", "query", "form", "path", "payload")
        ]
        errors.setdefault(".".join(loc) or "request", []).append(str(_field_message(error)))
    return api.create_response(
        request, {"detail": _("Some answers are missing or not valid."), "errors": errors}, status=422
    )


@api.exception_handler(Exception)
def unexpected(request, exc):
    if isinstance(exc, (SuspiciousOperation, BadRequest, MultiPartParserError)):
        raise exc  # Django answers these 400 (or 413) itself, through lifeline.core.errors
    logging.getLogger("lifeline.api").error("Unexpected error in %s", request.path, exc_info=exc)
    return api.create_response(request, {"detail": _("Something went wrong. Try again.")}, status=500)


# The nationals' app first (its check-ins come in surges; URL patterns are tried in order).
# Device tokens instead of staff tokens (see lifeline.nationals.auth).
api.add_router("/app/checkins", app_crises)
api.add_router("/app", app_nationals)
api.add_router("/app/requests", app_cases)
api.add_router("/app/advice", app_advice)
api.add_router("/app", app_pwa)
api.add_router("/contacts", contacts)
api.add_router("/communities", communities)
api.add_router("/interpreters", interpreters)
api.add_router("/nationals", nationals)
api.add_router("/crises", crises)
api.add_router("/cases", cases)
api.add_router("/advice", advice)
api.add_router("/alerts", alerts)
api.add_router("/messaging", messaging)

from django.urls import path  # noqa: E402

urlpatterns = [path("", api.urls)]
