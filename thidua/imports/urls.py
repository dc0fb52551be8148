from django.urls import path

from thidua.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("mau/<slug:kind>/", views.template, name="template"),
    path("<int:pk>/xac-nhan/", views.confirm, name="confirm"),
    path("<int:pk>/huy/", views.cancel, name="cancel"),
]
