from django.urls import path

from thidua.blocs import views

app_name = "blocs"

urlpatterns = [
    path("", views.sheet_list, name="list"),
    path("lap-bang/", views.sheet_create, name="create"),
    path("bang-diem/<int:pk>/", views.sheet_detail, name="sheet"),
    path("bang-diem/<int:pk>/sao-sang-nam-sau/", views.sheet_copy, name="copy"),
    path("bang-diem/<int:pk>/thiet-lap/", views.sheet_settings, name="settings"),
    path("bang-diem/<int:pk>/nhom/", views.group_add, name="group_add"),
    path("bang-diem/<int:pk>/tieu-chi/", views.item_add, name="item_add"),
    path("bang-diem/<int:pk>/tieu-chi/<int:item_id>/sua/", views.item_update, name="item_update"),
    path("bang-diem/<int:pk>/tieu-chi/<int:item_id>/bo/", views.item_remove, name="item_remove"),
    path("bang-diem/<int:pk>/duyet/", views.sheet_approve, name="approve"),
    path("bang-diem/<int:pk>/phan-cong/", views.reviewer_assign, name="assign"),
    path("bang-diem/<int:pk>/hoi-nghi/", views.meeting_settle, name="settle"),
    path("bang-diem/<int:pk>/hoi-nghi/dong/", views.meeting_row, name="meeting_row"),
    path("bang-diem/<int:pk>/bien-ban/<int:file_id>/", views.minutes_download, name="minutes_file"),
    path("bang-diem/<int:pk>/cong-bo/", views.ranking_publish, name="publish"),
    path("bang-diem/<int:pk>/de-nghi-khen-thuong/", views.proposals_create, name="propose"),
    path("bang-diem/<int:pk>/khoi-truong-nam-sau/", views.leadership_decide, name="leadership"),
    path("bang-diem/<int:pk>/tong-hop-diem.xlsx", views.summary_export, name="summary_export"),
    path("bang-diem/<int:pk>/bien-ban-xep-hang.<str:fmt>", views.ranking_document, name="ranking_document"),
    path("bang-diem/<int:pk>/don-vi/<int:unit_id>/", views.unit_sheet, name="unit_sheet"),
    path("bang-diem/<int:pk>/don-vi/<int:unit_id>/mo/", views.unit_sheet_open, name="unit_open"),
    path("bang-diem/<int:pk>/don-vi/<int:unit_id>/tu-cham/", views.self_score_save, name="self_save"),
    path("bang-diem/<int:pk>/don-vi/<int:unit_id>/minh-chung/", views.evidence_add, name="evidence_add"),
    path("bang-diem/<int:pk>/don-vi/<int:unit_id>/gui/", views.unit_sheet_submit, name="submit"),
    path("bang-diem/<int:pk>/don-vi/<int:unit_id>/cham-cheo/", views.review_save, name="review_save"),
    path("bang-diem/<int:pk>/don-vi/<int:unit_id>/cham-xong/", views.review_finish, name="review_finish"),
    path("minh-chung/<int:file_id>/", views.evidence_download, name="evidence"),
    path("minh-chung/<int:file_id>/bo/", views.evidence_remove, name="evidence_remove"),
]
