from django.urls import path

from lifeline.communities import views

app_name = "communities"
urlpatterns = [
    path("", views.index, name="list"),
    path("new/", views.edit, name="create"),
    path("export/", views.export, name="export"),
    path("import/", views.import_profiles, name="import"),
    path("xlsform/", views.xlsform, name="xlsform"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/edit/", views.edit, name="edit"),
    path("<id:pk>/delete/", views.delete, name="delete"),
    path("<id:pk>/versions/", views.versions, name="versions"),
    path("<id:pk>/versions/<id:number>/", views.version, name="version"),
    path("<id:pk>/compare/", views.compare, name="compare"),
]
