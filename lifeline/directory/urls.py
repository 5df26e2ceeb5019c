from django.urls import path

from lifeline.directory import views

app_name = "contacts"
urlpatterns = [
    path("", views.contact_list, name="list"),
    path("new/", views.contact_edit, name="create"),
    path("reverify/", views.contact_reverify, name="reverify"),
    path("export/", views.contact_export, name="export"),
    path("import/", views.contact_import, name="import"),
    path("vcards/", views.contact_vcards, name="vcards"),
    path("<id:pk>/", views.contact_detail, name="detail"),
    path("<id:pk>/edit/", views.contact_edit, name="edit"),
    path("<id:pk>/delete/", views.contact_delete, name="delete"),
    path("<id:pk>/verified/", views.contact_verified, name="verified"),
    path("<id:pk>/vcard/", views.contact_vcard, name="vcard"),
]
