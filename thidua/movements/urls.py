from django.urls import path

from thidua.movements import views

app_name = "movements"

urlpatterns = [
    path("", views.movement_list, name="list"),
    path("lap-moi/", views.movement_create, name="create"),
    path("<int:pk>/", views.movement_detail, name="detail"),
    path("<int:pk>/tieu-chi/", views.criterion_add, name="criterion_add"),
    path("<int:pk>/tieu-chi/<int:cid>/bo/", views.criterion_remove, name="criterion_remove"),
    path("<int:pk>/chi-tieu-rieng/", views.unit_target_set, name="unit_target_set"),
    path("<int:pk>/van-ban/", views.document_add, name="document_add"),
    path("<int:pk>/van-ban/<int:file_id>/", views.document_download, name="document"),
    path("<int:pk>/buoc/<slug:action>/", views.movement_step, name="step"),
    path("<int:pk>/bao-cao/", views.report_open, name="report_open"),
    path("<int:pk>/so-ket-tong-ket/ghi/<slug:kind_slug>/", views.review_create, name="review_create"),
    path("<int:pk>/so-ket-tong-ket/<int:rid>/", views.review_detail, name="review"),
    path("<int:pk>/so-ket-tong-ket/<int:rid>/sua/", views.review_edit, name="review_edit"),
    path(
        "<int:pk>/so-ket-tong-ket/<int:rid>/bao-cao.<str:fmt>", views.review_document, name="review_document"
    ),
    path("bao-cao/", views.report_list, name="reports"),
    path("bao-cao/<int:pk>/", views.report_detail, name="report"),
    path("bao-cao/<int:pk>/luu/", views.report_save, name="report_save"),
    path("bao-cao/<int:pk>/minh-chung/", views.evidence_add, name="evidence_add"),
    path("bao-cao/<int:pk>/minh-chung/<int:file_id>/", views.evidence_download, name="evidence"),
    path("bao-cao/<int:pk>/minh-chung/<int:file_id>/bo/", views.evidence_remove, name="evidence_remove"),
    path("bao-cao/<int:pk>/buoc/<slug:action>/", views.report_step, name="report_step"),
    path("<int:pk>/tien-do-theo-ky/", views.progress_periods, name="progress_periods"),
    path("<int:pk>/tien-do/<slug:table>.xlsx", views.progress_export, name="progress_export"),
    path("dang-dien-ra/tien-do.xlsx", views.running_export, name="running_export"),
]
