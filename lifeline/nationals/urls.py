from django.urls import path

from lifeline.nationals import duplicate_views, views

app_name = "nationals"
urlpatterns = [
    path("", views.registration_list, name="list"),
    path("new/", views.registration_edit, name="create"),
    path("export/", views.registration_export, name="export"),
    path("duplicates/", duplicate_views.duplicates, name="duplicates"),
    path("duplicates/merge/", duplicate_views.merge, name="merge"),
    path("duplicates/<id:a>/<id:b>/", duplicate_views.compare, name="compare"),
    path("duplicates/<id:a>/<id:b>/distinct/", duplicate_views.distinct, name="distinct"),
    path("duplicates/merges/<id:pk>/", duplicate_views.merge_detail, name="merge_detail"),
    path("duplicates/merges/<id:pk>/undo/", duplicate_views.undo_merge, name="undo_merge"),
    path("posts/", views.post_list, name="posts"),
    path("posts/<id:pk>/edit/", views.post_edit, name="post_edit"),
    path("<id:pk>/", views.registration_detail, name="detail"),
    path("<id:pk>/edit/", views.registration_edit, name="edit"),
    path("<id:pk>/delete/", views.registration_delete, name="delete"),
    path("<id:pk>/renew/", views.registration_renew, name="renew"),
]
