from django.urls import path

from lifeline.messaging import views

app_name = "messaging"
urlpatterns = [
    path("", views.send_list, name="list"),
    path("new/", views.compose, name="compose"),
    path("segments.json", views.segments, name="segments"),
    path("dead-letters/", views.dead_letters, name="dead_letters"),
    path("<id:pk>/", views.send_detail, name="detail"),
    path("<id:pk>/counts.json", views.send_counts, name="counts"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/<str:token>/confirm/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("subscription/<str:token>/", views.change_subscription, name="change"),
]
