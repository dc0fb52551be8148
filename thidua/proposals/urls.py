from django.urls import path

from thidua.proposals import views

app_name = "proposals"

urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("lap-moi/", views.dossier_create, name="create"),
    path("<int:pk>/", views.dossier_detail, name="detail"),
    path("<int:pk>/sua/", views.dossier_edit, name="edit"),
    path("<int:pk>/tim-doi-tuong/", views.recipient_search, name="recipient_search"),
    path("<int:pk>/de-nghi/", views.nominee_add, name="nominee_add"),
    path("<int:pk>/de-nghi/<int:line>/bo/", views.nominee_remove, name="nominee_remove"),
    path("<int:pk>/de-nghi/<int:line>/sang-kien/", views.nominee_initiatives, name="nominee_initiatives"),
    path("<int:pk>/de-nghi/<int:line>/tham-dinh/", views.nominee_review, name="nominee_review"),
    path("<int:pk>/de-nghi/dong-y-tat-ca/", views.nominees_confirm_all, name="nominees_confirm_all"),
    path("<int:pk>/de-nghi/<int:line>/huy-bo/", views.nominee_revoke, name="nominee_revoke"),
    path("<int:pk>/tep/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/tep/<int:file_id>/", views.attachment_download, name="attachment"),
    path("<int:pk>/tep/<int:file_id>/bo/", views.attachment_remove, name="attachment_remove"),
    path("<int:pk>/buoc/<slug:action>/", views.dossier_step, name="step"),
    path("<int:pk>/bao-cao-tham-dinh.<str:fmt>", views.appraisal_report, name="appraisal_report"),
    path("<int:pk>/ket-qua-cap-tren/", views.central_answer, name="central_answer"),
    path("quyet-dinh/", views.decide, name="decide"),
    path("quyet-dinh/ky-thay/", views.signer_designate, name="signer_designate"),
    path("quyet-dinh/<int:pk>/van-ban.<str:fmt>", views.decision_document, name="decision_document"),
    path("hoi-dong/", views.session_list, name="sessions"),
    path("hoi-dong/thanh-vien/", views.council_members, name="council_members"),
    path("hoi-dong/<int:pk>/", views.session_detail, name="session"),
    path("hoi-dong/<int:pk>/du-hop/", views.session_attendance, name="session_attendance"),
    path("hoi-dong/<int:pk>/du-hop/tat-ca/", views.session_all_present, name="session_all_present"),
    path("hoi-dong/<int:pk>/phieu/<int:line>/", views.session_vote, name="session_vote"),
    path("hoi-dong/<int:pk>/kiem-phieu/<int:line>/", views.session_tally, name="session_tally"),
    path("hoi-dong/<int:pk>/ket-thuc/", views.session_close, name="session_close"),
    path("hoi-dong/<int:pk>/<slug:which>.<str:fmt>", views.session_document, name="session_document"),
    path("thong-bao/", views.notification_list, name="notifications"),
    path("thong-bao/<int:pk>/", views.notification_open, name="notification_open"),
]

public_urlpatterns = [
    path("", views.public_list, name="public_list"),
    path("<int:line>/", views.public_comment, name="public_comment"),
]
