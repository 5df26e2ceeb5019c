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
    path("assessments/<id:pk>/evidence/<id:answer>/", views.evidence, name="evidence"),
]

# Plan documents written here (SOPs, consular contingency plans): views_documents.py.
from lifeline.plans import views_documents  # noqa: E402

urlpatterns += [
    path("documents/", views_documents.documents, name="documents"),
    path("documents/new/", views_documents.document_create, name="document_create"),
    path("documents/<id:pk>/", views_documents.document_detail, name="document"),
    path("documents/<id:pk>/sections/<slug:key>/", views_documents.section_edit, name="document_section"),
    path("documents/<id:pk>/preview/", views_documents.document_preview, name="document_preview"),
    path("documents/<id:pk>/versions/", views_documents.versions, name="document_versions"),
    path("documents/<id:pk>/export/", views_documents.document_export, name="document_export"),
    path("documents/<id:pk>/<slug:step>/", views_documents.document_step, name="document_step"),
]
