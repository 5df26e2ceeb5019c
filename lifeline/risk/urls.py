from django.urls import path

from lifeline.risk import views

app_name = "risk"

urlpatterns = [
    path("", views.index, name="index"),
    path("exposure.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("exposure.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
]
