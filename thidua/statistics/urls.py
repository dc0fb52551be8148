from django.urls import path

from thidua.statistics import views

app_name = "statistics"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:form>/", views.form_table, name="form"),
    path("<slug:form>/o/", views.cell, name="cell"),
    path("<slug:form>/chua-phan-loai/", views.unclassified, name="unclassified"),
    path("<slug:form>/excel/", views.form_xlsx, name="xlsx"),
    path("<slug:form>/pdf/", views.form_pdf, name="pdf"),
]
