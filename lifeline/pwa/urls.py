from django.urls import path

from lifeline.pwa import views

app_name = "pwa"
urlpatterns = [
    path("", views.shell, name="shell"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="sw"),
    path("icon-192.png", views.icon, {"size": 192}, name="icon-192"),
    path("icon-512.png", views.icon, {"size": 512}, name="icon-512"),
]
