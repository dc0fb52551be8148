from django.urls import path

from thidua.appraisal import views

app_name = "appraisal"

urlpatterns = [
    path("ca-nhan/<int:pk>/", views.person_check, name="person_check"),
    path("don-vi/<int:pk>/", views.unit_check, name="unit_check"),
    path("ho-gia-dinh/<int:pk>/", views.household_check, name="household_check"),
    path("phat-hien/", views.discovery, name="discovery"),
    path("quy-dinh/", views.rulebook, name="rulebook"),
]
