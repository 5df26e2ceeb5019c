"""The project's URLs with the gateway webhooks mounted where the integrator mounts them."""

from django.urls import include, path

from lifeline.urls import urlpatterns as project

urlpatterns = [path("messaging/hooks/", include("lifeline.messaging.channels.urls")), *project]
