from django.urls import path

from thidua.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("mau/<slug:kind>/", views.template, name="template"),
    path("<int:pk>/", views.batch, name="batch"),
    path("<int:pk>/tien-do/", views.progress, name="progress"),
    path("<int:pk>/loi.xlsx", views.errors, name="errors"),
    path("<int:pk>/xac-nhan/", views.confirm, name="confirm"),
    path("<int:pk>/chay-lai/", views.retry, name="retry"),
    path("<int:pk>/huy/", views.cancel, name="cancel"),
]
