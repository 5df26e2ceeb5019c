from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import HttpError

from lifeline.advice.app_api import router as app_advice
from lifeline.api.advice import router as advice
from lifeline.api.alerts import router as alerts
from lifeline.api.cases import router as cases
from lifeline.api.common import TokenAuth
from lifeline.api.communities import router as communities
from lifeline.api.contacts import router as contacts
from lifeline.api.crises import router as crises
from lifeline.api.interpreters import router as interpreters
from lifeline.api.messaging import router as messaging
from lifeline.api.nationals import router as nationals
from lifeline.api.parser import StrictJSONParser
from lifeline.cases.app_api import router as app_cases
from lifeline.core.http import BadBody
from lifeline.crises.app_api import router as app_crises
from lifeline.nationals.app_api import router as app_nationals
from lifeline.pwa.app_api import router as app_pwa

api = NinjaAPI(
    title="Lifeline API",
    version="1",
    description="Registries of key contacts, community profiles and interpreters. "
    "Authenticate with a bearer token from My account; scopes and audit are those of the token's user.",
    auth=TokenAuth(),
    urls_namespace="api",
    parser=StrictJSONParser(),
)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": "You do not have permission to do this."}, status=403)


@api.exception_handler(HttpError)
def http_error(request, exc):
    """Ninja's errors, with the reason when the body was refused by ``core.http.loads_json``."""
    detail = str(exc.__cause__) if isinstance(exc.__cause__, BadBody) else str(exc)
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


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
