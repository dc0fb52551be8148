from django.urls import path

from thidua.awards import views

app_name = "awards"

urlpatterns = [
    path("tra-cuu/", views.search, name="search"),
    path("quyet-dinh/", views.decision_list, name="decision_list"),
    path("quyet-dinh/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("danh-muc/", views.catalogue, name="catalogue"),
]
