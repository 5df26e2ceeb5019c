from django.urls import path

from lifeline.communities import views

app_name = "communities"
urlpatterns = [
    path("", views.index, name="list"),
    path("new/", views.edit, name="create"),
    path("export/", views.export, name="export"),
    path("import/", views.import_profiles, name="import"),
    path("xlsform/", views.xlsform, name="xlsform"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/versions/", views.versions, name="versions"),
    path("<int:pk>/versions/<int:number>/", views.version, name="version"),
    path("<int:pk>/compare/", views.compare, name="compare"),
]
