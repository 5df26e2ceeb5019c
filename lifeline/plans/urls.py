from django.urls import path

from lifeline.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.index, name="index"),
    path("checklists/<id:pk>/", views.template_detail, name="template"),
    path("register/", views.register, name="register"),
    path("register/new/", views.plan_edit, name="plan_create"),
    path("register/<id:pk>/", views.plan_detail, name="plan"),
    path("register/<id:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("register/<id:pk>/document/", views.plan_document, name="plan_document"),
    path("assessments/new/", views.start, name="start"),
    path("assessments/<id:pk>/", views.assessment, name="assessment"),
    path("assessments/<id:pk>/sections/<id:number>/", views.section, name="section"),
    path("assessments/<id:pk>/complete/", views.complete, name="complete"),
    path("assessments/<id:pk>/export/", views.export, name="export"),
    path("assessments/<id:pk>/export/docx/", views.export, {"fmt": "docx"}, name="export_docx"),
    path("assessments/<id:pk>/export/pdf/", views.export, {"fmt": "pdf"}, name="export_pdf"),
    path("assessments/<id:pk>/evidence/<id:answer>/", views.evidence, name="evidence"),
]
