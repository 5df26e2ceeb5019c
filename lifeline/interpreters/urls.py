from django.urls import path

from lifeline.interpreters import views

app_name = "interpreters"
urlpatterns = [
    path("", views.index, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
]
