from django.urls import path

from thidua.organisation import views

app_name = "organisation"

urlpatterns = [
    path("ca-nhan/", views.person_list, name="person_list"),
    path("ca-nhan/<int:pk>/", views.person_detail, name="person_detail"),
    path("don-vi/", views.unit_list, name="unit_list"),
    path("don-vi/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("ho-gia-dinh/", views.household_list, name="household_list"),
    path("ho-gia-dinh/<int:pk>/", views.household_detail, name="household_detail"),
    path("khoi-thi-dua/", views.bloc_list, name="bloc_list"),
    path("khoi-thi-dua/<int:pk>/", views.bloc_detail, name="bloc_detail"),
]
