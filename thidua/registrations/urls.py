from django.urls import path

from thidua.registrations import views

app_name = "registrations"

urlpatterns = [
    path("", views.registration_list, name="list"),
    path("lap-moi/", views.registration_open, name="open"),
    path("tong-hop/", views.summary, name="summary"),
    path("tong-hop/excel/", views.summary_export, name="summary_export"),
    path("<int:pk>/", views.registration_detail, name="detail"),
    path("<int:pk>/excel/", views.registration_export, name="export"),
    path("<int:pk>/tap-the/", views.collective_add, name="collective_add"),
    path("<int:pk>/tap-the/<int:line_id>/bo/", views.collective_remove, name="collective_remove"),
    path("<int:pk>/ca-nhan/", views.people_set, name="people_set"),
    path("<int:pk>/ca-nhan/them-tat-ca/", views.people_add_all, name="people_add_all"),
    path("<int:pk>/phong-trao/<int:movement_id>/", views.pledge_save, name="pledge_save"),
    path("<int:pk>/phong-trao/<int:movement_id>/bo/", views.pledge_remove, name="pledge_remove"),
    path("<int:pk>/ghi-chu/", views.note_save, name="note_save"),
    path("<int:pk>/buoc/<slug:action>/", views.registration_step, name="step"),
    path("tong-hop/danh-hieu.xlsx", views.titles_export, name="titles_export"),
]
