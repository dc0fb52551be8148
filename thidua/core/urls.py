from django.urls import path

from thidua.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("tong-quan/", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("do-hieu-nang/trang-tran/", views.bare_signed_in, name="bare_signed_in"),
    path("nhat-ky/", views.audit_log, name="audit_log"),
]
