from django.contrib.auth import views as auth_views
from django.urls import path

from lifeline.core import views
from lifeline.core.signin import SignInForm

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.health, name="health"),
    path("readyz", views.ready, name="ready"),
    path("account/", views.account, name="account"),
    path(
        "account/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=SignInForm),
        name="login",
    ),
    path("account/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("account/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("account/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("account/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "account/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "account/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
    path("account/2fa/", views.otp_verify, name="otp-verify"),
    path("account/2fa/setup/", views.otp_setup, name="otp-setup"),
    path("account/tokens/", views.token_create, name="token-create"),
    path("account/tokens/<id:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("approvals/", views.approvals, name="approvals"),
    path("audit/", views.audit_log, name="audit"),
    path("settings/", views.deployment_settings, name="settings"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/new/", views.organisation_edit, name="organisation-create"),
    path("organisations/<id:pk>/", views.organisation_edit, name="organisation-edit"),
    path("staff/", views.staff_list, name="staff"),
    path("staff/new/", views.staff_edit, name="staff-create"),
    path("staff/<id:pk>/", views.staff_edit, name="staff-edit"),
]
