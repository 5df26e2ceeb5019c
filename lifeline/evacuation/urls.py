from django.urls import path

from lifeline.evacuation import message_views, views

app_name = "evacuation"
urlpatterns = [
    path("", views.index, name="index"),
    path("crises/<id:pk>/", views.crisis_evacuation, name="crisis"),
    path("crises/<id:pk>/unassigned/", views.unassigned, name="unassigned"),
    path("crises/<id:pk>/assign/", views.assign, name="assign"),
    path("crises/<id:pk>/assign-area/", views.assign_area, name="assign_area"),
    path("crises/<id:pk>/children/", views.children, name="children"),
    path("crises/<id:crisis_pk>/points/new/", views.point_edit, name="point_create"),
    path("crises/<id:crisis_pk>/transports/new/", views.transport_edit, name="transport_create"),
    path("points/<id:pk>/", views.point_detail, name="point"),
    path("points/<id:pk>/edit/", views.point_edit, name="point_edit"),
    path("points/<id:pk>/message/", message_views.point_message, name="point_message"),
    path("points/<id:pk>/manifest.<str:fmt>", views.manifest, {"kind": "point"}, name="point_manifest"),
    path("transports/<id:pk>/", views.transport_detail, name="transport"),
    path("transports/<id:pk>/edit/", views.transport_edit, name="transport_edit"),
    path(
        "transports/<id:pk>/manifest.<str:fmt>",
        views.manifest,
        {"kind": "transport"},
        name="transport_manifest",
    ),
    path("evacuees/<id:pk>/status/", views.evacuee_status, name="status"),
    path("children/<id:pk>/", views.checklist, name="checklist"),
]
