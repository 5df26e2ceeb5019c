from django.urls import path, re_path

from lifeline.advice import views

app_name = "advice"
COUNTRY = r"(?P<code>[A-Za-z]{2})"
urlpatterns = [
    path("", views.advice_index, name="index"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.advice_create, name="create"),
    path("manage/<id:pk>/", views.advice_detail, name="detail"),
    path("manage/<id:pk>/draft/", views.draft_create, name="draft"),
    path("manage/<id:pk>/compare/", views.compare, name="compare"),
    path("manage/versions/<id:pk>/", views.version_detail, name="version"),
    path("manage/versions/<id:pk>/edit/", views.version_edit, name="version_edit"),
    path("manage/versions/<id:pk>/<slug:action>/", views.version_action, name="version_action"),
    path("manage/briefings/new/", views.briefing_edit, name="briefing_create"),
    path("manage/briefings/<id:pk>/", views.briefing_edit, name="briefing_edit"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    re_path(rf"^{COUNTRY}/$", views.advice_country, name="country"),
    re_path(rf"^{COUNTRY}/briefing/$", views.briefing, name="briefing"),
    re_path(rf"^{COUNTRY}/briefing\.pdf$", views.briefing_pdf, name="briefing_pdf"),
    re_path(rf"^{COUNTRY}/subscribe/$", views.subscribe, name="subscribe"),
]
