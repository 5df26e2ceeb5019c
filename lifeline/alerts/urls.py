from django.urls import path

from lifeline.alerts import views

app_name = "alerts"
urlpatterns = [
    path("", views.alert_list, name="list"),
    path("new/", views.alert_edit, name="create"),
    path("import/", views.cap_upload, name="import"),
    path("<id:pk>/", views.alert_detail, name="detail"),
    path("<id:pk>/edit/", views.alert_edit, name="edit"),
    path("<id:pk>/submit/", views.alert_submit, name="submit"),
    path("<id:pk>/approve/", views.alert_approve, name="approve"),
    path("<id:pk>/override/", views.alert_override, name="override"),
    path("<id:pk>/return/", views.alert_return, name="return"),
    path("<id:pk>/delete/", views.alert_delete, name="delete"),
    path("<id:pk>/send/", views.alert_send, name="send"),
    path("<id:pk>/<str:kind>/", views.alert_followup, name="followup"),
    path("<id:pk>/cap.xml", views.alert_cap, name="cap"),
    path("feeds/", views.feed_list, name="feeds"),
    path("feeds/<id:pk>/", views.feed_detail, name="feed"),
    path("feeds/<id:pk>/poll/", views.feed_poll, name="feed_poll"),
    # Public, no login, cacheable.
    path("public/", views.public_index, name="public_index"),
    path("public/<id:pk>/", views.public_page, name="public"),
    path("feed.atom", views.public_feed, name="feed_atom"),
    path("cap/<id:pk>.xml", views.public_cap, name="cap_by_id"),
    path("cap/<path:identifier>.xml", views.public_cap, name="cap_public"),
]
