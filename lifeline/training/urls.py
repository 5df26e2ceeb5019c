from django.urls import path

from lifeline.training import views

app_name = "training"

urlpatterns = [
    path("", views.index, name="index"),
    path("events/new/", views.event_edit, name="event_create"),
    path("events/<id:pk>/", views.event_detail, name="event"),
    path("events/<id:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<id:pk>/sessions/", views.session_add, name="session_add"),
    path("events/<id:pk>/participants.xlsx", views.export, name="export"),
    path("events/<id:pk>/invite/", views.invite, name="invite"),
    path("events/<id:pk>/certificates/", views.certificates_issue_all, name="issue_all"),
    path("events/<id:pk>/sessions/<id:session>/scan/", views.scan, name="scan"),
    path("events/<id:pk>/sessions/<id:session>/attendance/", views.attendance, name="attendance"),
    path("events/<id:pk>/sessions/<id:session>/delete/", views.session_delete, name="session_delete"),
    path("participants/<id:pk>/cancel/", views.participant_cancel, name="participant_cancel"),
    path("participants/<id:pk>/certificate/", views.certificate_issue, name="certificate_issue"),
    path("certificates/<id:pk>/", views.certificate_detail, name="certificate"),
    path("certificates/<id:pk>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    # Public: no login. Addresses carry unguessable codes or signed passes, never a sequential id.
    path("e/<str:code>/", views.register, name="register"),
    path("e/<str:code>/event.ics", views.ics, name="ics"),
    path("pass/<str:token>/", views.participant_pass, name="pass"),
    path("pass/<str:token>/cancel/", views.pass_cancel, name="pass_cancel"),
    path("pass/<str:token>/certificate.pdf", views.pass_certificate, name="pass_certificate"),
    path("verify/<str:code>/", views.verify, name="verify"),
]
