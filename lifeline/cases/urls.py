from django.urls import path

from lifeline.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("dashboard/", views.case_dashboard, name="dashboard"),
    path("teams/", views.team_list, name="teams"),
    path("teams/new/", views.team_edit, name="team_create"),
    path("teams/<id:pk>/", views.team_edit, name="team_edit"),
    path("<id:pk>/", views.case_detail, name="detail"),
    path("<id:pk>/photo/", views.case_photo, name="photo"),
    path("<id:pk>/triage/", views.case_triage, name="triage"),
    path("<id:pk>/assign/", views.case_assign, name="assign"),
    path("<id:pk>/status/", views.case_status, name="status"),
    path("<id:pk>/notes/", views.case_note, name="note"),
    path("<id:pk>/messages/", views.case_message, name="message"),
    path("<id:pk>/refer/", views.case_refer, name="refer"),
    path("<id:pk>/referral/", views.referral_status, name="referral_status"),
    path("<id:pk>/merge/", views.case_merge, name="merge"),
]
