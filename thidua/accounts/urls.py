from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from thidua.accounts import views

app_name = "accounts"

urlpatterns = [
    path("dang-nhap/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("xac-thuc/", views.otp_verify, name="otp_verify"),
    path("xac-thuc/dang-ky/", views.otp_enrol, name="otp_enrol"),
    path("bao-mat/", views.security, name="security"),
    path("bao-mat/ma-khoi-phuc/", views.recovery_codes_regenerate, name="recovery_codes"),
    path("khoa-api/", views.token_list, name="tokens"),
    path("khoa-api/<int:pk>/thu-hoi/", views.token_revoke, name="token_revoke"),
    path(
        "doi-mat-khau/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "doi-mat-khau/xong/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
]
