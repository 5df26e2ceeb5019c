from django.urls import path

from lifeline.crises import views

app_name = "crises"
urlpatterns = [
    path("", views.crisis_list, name="list"),
    path("new/", views.crisis_edit, name="create"),
    path("<id:pk>/", views.crisis_detail, name="detail"),
    path("<id:pk>/edit/", views.crisis_edit, name="edit"),
    path("<id:pk>/close/", views.crisis_close, name="close"),
    path("<id:pk>/campaigns/", views.campaign_start, name="campaign_start"),
    path("<id:pk>/register/<str:token>/", views.register, name="register"),
    path("proposals/<id:pk>/", views.proposal, name="proposal"),
    path("campaigns/<id:pk>/", views.board, name="board"),
    path("campaigns/<id:pk>/live/", views.board_live, name="board_live"),
    path("campaigns/<id:pk>/export/", views.board_export, name="board_export"),
    path("campaigns/<id:pk>/answer/<id:request_pk>/", views.board_answer, name="board_answer"),
]
