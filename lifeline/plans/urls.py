from django.urls import path

from lifeline.plans import editor_views, views, views_actions, views_coordination, views_drills, views_phases

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
    path("actions/", views_actions.my_actions, name="my_actions"),
    path("actions/all/", views_actions.action_list, name="actions"),
    path("actions/new/", views_actions.action_edit, name="action_create"),
    path("actions/<id:pk>/", views_actions.action_detail, name="action"),
    path("actions/<id:pk>/edit/", views_actions.action_edit, name="action_edit"),
    path("actions/<id:pk>/status/", views_actions.action_status, name="action_status"),
    path("crises/<id:crisis_pk>/phases/", views_phases.activate, name="activate_phase"),
    path("drills/", views_drills.drill_list, name="drills"),
    path("drills/new/", views_drills.drill_edit, name="drill_create"),
    path("drills/<id:pk>/", views_drills.drill_detail, name="drill"),
    path("drills/<id:pk>/edit/", views_drills.drill_edit, name="drill_edit"),
    path("drills/<id:pk>/findings/", views_drills.add_finding, name="drill_finding"),
    path("coordination/", views_coordination.index, name="coordination"),
    path("coordination/bodies/new/", views_coordination.body_edit, name="body_create"),
    path("coordination/bodies/<id:pk>/", views_coordination.body_detail, name="body"),
    path("coordination/bodies/<id:pk>/edit/", views_coordination.body_edit, name="body_edit"),
    path("coordination/bodies/<id:pk>/meetings/", views_coordination.add_meeting, name="meeting_create"),
    path("coordination/meetings/<id:pk>/", views_coordination.meeting_detail, name="meeting"),
    path(
        "coordination/meetings/<id:pk>/decisions/", views_coordination.add_decision, name="meeting_decision"
    ),
    path("agreements/", views_coordination.agreement_list, name="agreements"),
    path("agreements/new/", views_coordination.agreement_edit, name="agreement_create"),
    path("agreements/<id:pk>/", views_coordination.agreement_detail, name="agreement"),
    path("agreements/<id:pk>/edit/", views_coordination.agreement_edit, name="agreement_edit"),
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

# Editing checklist templates (editor_views): a draft version, its sections and questions, publishing.
urlpatterns += [
    path("checklists/<id:pk>/draft/", editor_views.new_draft, name="new_draft"),
    path("versions/<id:pk>/", editor_views.version, name="version"),
    path("versions/<id:pk>/publish/", editor_views.publish, name="publish"),
    path("versions/<id:pk>/discard/", editor_views.discard, name="discard"),
    path("versions/<id:version_pk>/sections/new/", editor_views.section_edit, name="section_create"),
    path("sections/<id:pk>/edit/", editor_views.section_edit, name="section_edit"),
    path("sections/<id:pk>/move/", editor_views.section_move, name="section_move"),
    path("sections/<id:pk>/remove/", editor_views.section_remove, name="section_remove"),
    path("sections/<id:section_pk>/items/new/", editor_views.item_edit, name="item_create"),
    path("items/<id:pk>/edit/", editor_views.item_edit, name="item_edit"),
    path("items/<id:pk>/move/", editor_views.item_move, name="item_move"),
    path("items/<id:pk>/remove/", editor_views.item_remove, name="item_remove"),
]
