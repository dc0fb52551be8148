from django.urls import path

from thidua.directives import views

app_name = "directives"

urlpatterns = [
    path("", views.directive_list, name="list"),
    path("lap-moi/", views.directive_create, name="create"),
    path("<int:pk>/", views.directive_detail, name="detail"),
    path("<int:pk>/nhiem-vu/", views.task_add, name="task_add"),
    path("<int:pk>/nhiem-vu/<int:tid>/bo/", views.task_remove, name="task_remove"),
    path("<int:pk>/van-ban/", views.document_add, name="document_add"),
    path("<int:pk>/van-ban/<int:file_id>/", views.document_download, name="document"),
    path("<int:pk>/buoc/<slug:action>/", views.directive_step, name="step"),
    path("<int:pk>/kiem-tra/", views.inspected_set, name="inspected_set"),
    path("<int:pk>/kiem-tra/<int:iid>/kien-nghi/", views.recommendation_add, name="recommendation_add"),
    path("<int:pk>/tong-hop/<int:year>.<str:fmt>", views.summary_export, name="summary"),
    path("nhiem-vu/<int:pk>/", views.task_detail, name="task"),
    path("nhiem-vu/<int:pk>/bao-cao/", views.report_submit, name="report_submit"),
    path("nhiem-vu/<int:pk>/tep/<int:file_id>/", views.report_file, name="report_file"),
    path("<int:pk>/tinh-hinh.xlsx", views.status_export, name="status_export"),
]
