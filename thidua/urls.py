from django.contrib import admin
from django.urls import include, path

from thidua.api import api
from thidua.proposals.urls import public_urlpatterns

urlpatterns = [
    path("", include("thidua.core.urls")),
    path("", include("thidua.portal.urls")),
    path("tai-khoan/", include("thidua.accounts.urls")),
    path("to-chuc/", include("thidua.organisation.urls")),
    path("khen-thuong/", include("thidua.awards.urls")),
    path("nhap-du-lieu/", include("thidua.imports.urls")),
    path("xuat/", include("thidua.exports.urls")),
    path("tham-dinh/", include("thidua.appraisal.urls")),
    path("ho-so/", include("thidua.proposals.urls")),
    path("phong-trao/", include("thidua.movements.urls")),
    path("chi-thi/", include("thidua.directives.urls")),
    path("dang-ky-thi-dua/", include("thidua.registrations.urls")),
    path("khoi-thi-dua/", include("thidua.blocs.urls")),
    path("bao-cao/", include("thidua.reports.urls")),
    path("thong-ke/", include("thidua.statistics.urls")),
    path("lay-y-kien/", include((public_urlpatterns, "public"))),
    path("api/", api.urls),
    path("quan-tri/", admin.site.urls),
]

handler500 = "thidua.core.middleware.server_error"
