from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("thidua.core.urls")),
    path("tai-khoan/", include("thidua.accounts.urls")),
    path("to-chuc/", include("thidua.organisation.urls")),
    path("khen-thuong/", include("thidua.awards.urls")),
    path("nhap-du-lieu/", include("thidua.imports.urls")),
    path("tham-dinh/", include("thidua.appraisal.urls")),
    path("quan-tri/", admin.site.urls),
]
