from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

import lifeline.converters  # noqa: F401  (registers <id:...>)

urlpatterns = [
    # The JSON API first: the nationals' app calls it in a surge, and patterns are tried in order.
    path("api/", include("lifeline.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("lifeline.core.urls")),
    path("contacts/", include("lifeline.directory.urls")),
    path("communities/", include("lifeline.communities.urls")),
    path("interpreters/", include("lifeline.interpreters.urls")),
    path("nationals/", include("lifeline.nationals.urls")),
    path("crises/", include("lifeline.crises.urls")),
    path("evacuation/", include("lifeline.evacuation.urls")),
    path("cases/", include("lifeline.cases.urls")),
    path("advice/", include("lifeline.advice.urls")),
    path("alerts/", include("lifeline.alerts.urls")),
    path("plans/", include("lifeline.plans.urls")),
    path("training/", include("lifeline.training.urls")),
    path("risk/", include("lifeline.risk.urls")),
    path("messaging/hooks/", include("lifeline.messaging.channels.urls")),
    path("messaging/", include("lifeline.messaging.urls")),
    path("app/", include("lifeline.pwa.urls")),
]

if not settings.PRODUCTION:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

# The product's own error pages, in the reader's language; JSON for the API.
handler400 = "lifeline.core.errors.bad_request"
handler403 = "lifeline.core.errors.permission_denied"
handler404 = "lifeline.core.errors.page_not_found"
handler500 = "lifeline.core.errors.server_error"
