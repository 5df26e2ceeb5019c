from django.urls import path

from lifeline.plans import editor_views, views

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
