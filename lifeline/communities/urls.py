from django.urls import path

from lifeline.communities import views

app_name = "communities"
urlpatterns = [
    path("", views.index, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
]
