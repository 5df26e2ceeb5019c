from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI

from lifeline.api.common import TokenAuth
from lifeline.api.communities import router as communities
from lifeline.api.contacts import router as contacts
from lifeline.api.interpreters import router as interpreters

api = NinjaAPI(
    title="Lifeline API",
    version="1",
    description="Registries of key contacts, community profiles and interpreters. "
    "Authenticate with a bearer token from My account; scopes and audit are those of the token's user.",
    auth=TokenAuth(),
    urls_namespace="api",
)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": "You do not have permission to do this."}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


api.add_router("/contacts", contacts)
api.add_router("/communities", communities)
api.add_router("/interpreters", interpreters)

from django.urls import path  # noqa: E402

urlpatterns = [path("", api.urls)]
