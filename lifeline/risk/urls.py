from django.urls import path

from lifeline.risk import views

app_name = "risk"

urlpatterns = [
    path("", views.gaps_page, name="gaps"),
    path("languages/", views.languages_page, name="languages"),
    path("languages/new/", views.language_edit, name="language_create"),
    path("languages/<id:pk>/", views.language_edit, name="language_edit"),
    path("gdacs/", views.events_page, name="events"),
    path("gdacs/proposals/<id:pk>/", views.proposal_action, name="proposal"),
    path("map/", views.map_page, name="map"),
    path("map/exposure.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("map/exposure.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
]
