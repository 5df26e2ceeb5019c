"""Gateway webhooks, included at "messaging/hooks/"."""

from django.urls import path

from . import views

app_name = "messaging_hooks"
urlpatterns = [
    path("sms/receipt", views.sms_receipt, name="sms_receipt"),
    path("sms/inbound", views.sms_inbound, name="sms_inbound"),
]
