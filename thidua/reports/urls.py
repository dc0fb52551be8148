from django.urls import path

from thidua.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("xuat/<slug:table>/", views.dashboard_export, name="dashboard_export"),
    path("chi-tieu/", views.targets, name="targets"),
    path("tu-chon/", views.builder_page, name="builder"),
    path("tu-chon/xlsx/", views.builder_export, name="builder_export"),
    path("tu-chon/luu/", views.builder_save, name="builder_save"),
    path("da-luu/", views.saved_list, name="saved_list"),
    path("da-luu/<int:pk>/", views.saved, name="saved"),
    path("da-luu/<int:pk>/xlsx/", views.saved_export, name="saved_export"),
    path("da-luu/<int:pk>/xoa/", views.saved_delete, name="saved_delete"),
]
