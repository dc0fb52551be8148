from django.urls import path

from thidua.portal import views

app_name = "portal"

urlpatterns = [
    path("dien-hinh/", views.role_model_list, name="role_model_list"),
    path("dien-hinh/<slug:slug>/", views.role_model_detail, name="role_model_detail"),
    path("dien-hinh/<slug:slug>/anh/", views.role_model_photo, name="photo"),
    path("quyet-dinh/", views.decision_list, name="decision_list"),
    path("quyet-dinh/<int:pk>/", views.decision_detail, name="decision_short"),
    path("quyet-dinh/<int:pk>-<slug:slug>/", views.decision_detail, name="decision_detail"),
    path("phong-trao-thi-dua/", views.movement_list, name="movement_list"),
    path("tim-kiem/", views.search, name="search"),
    path("quan-ly-dien-hinh/", views.staff_list, name="staff_list"),
    path("quan-ly-dien-hinh/de-cu/", views.staff_nominate, name="staff_nominate"),
    path("quan-ly-dien-hinh/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("quan-ly-dien-hinh/<int:pk>/anh/", views.staff_photo, name="staff_photo"),
    path("quan-ly-dien-hinh/<int:pk>/dong-y/", views.staff_consent_record, name="consent_record"),
    path(
        "quan-ly-dien-hinh/<int:pk>/dong-y/<int:consent>/rut-lai/",
        views.staff_consent_withdraw,
        name="consent_withdraw",
    ),
    path("quan-ly-dien-hinh/<int:pk>/<slug:action>/", views.staff_step, name="staff_step"),
    path(
        "quan-ly-cong-bo/quyet-dinh/<int:pk>/<slug:action>/",
        views.staff_decision_publish,
        name="decision_publish",
    ),
]
