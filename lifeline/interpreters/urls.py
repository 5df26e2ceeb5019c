from django.urls import path

from lifeline.interpreters import views

app_name = "interpreters"
urlpatterns = [
    path("", views.interpreter_list, name="list"),
    path("new/", views.interpreter_edit, name="create"),
    path("search/", views.interpreter_search, name="search"),
    path("export/", views.interpreter_export, name="export"),
    path("import/", views.interpreter_import, name="import"),
    path("<id:pk>/", views.interpreter_detail, name="detail"),
    path("<id:pk>/edit/", views.interpreter_edit, name="edit"),
    path("<id:pk>/delete/", views.interpreter_delete, name="delete"),
    path("<id:pk>/deployments/", views.deployment_add, name="deployment_add"),
]
