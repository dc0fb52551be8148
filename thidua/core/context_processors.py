from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (url name, label, permission or None). An entry appears only when its page exists and the user
# may open it, so the menu never offers something that does not work.
NAV_ITEMS = [
    ("core:dashboard", _("Tổng quan"), None),
    ("awards:search", _("Tra cứu"), "awards.view_registry"),
    ("organisation:person_list", _("Cá nhân"), "awards.view_registry"),
    ("organisation:unit_list", _("Đơn vị"), "awards.view_registry"),
    ("organisation:household_list", _("Hộ gia đình"), "awards.view_registry"),
    ("awards:decision_list", _("Quyết định"), "awards.view_decision"),
    ("organisation:bloc_list", _("Khối thi đua"), "organisation.view_bloc"),
    ("awards:catalogue", _("Danh mục"), "awards.view_registry"),
    ("imports:index", _("Nhập Excel"), "imports.import_data"),
    ("appraisal:discovery", _("Phát hiện"), "appraisal.view_discovery"),
    ("appraisal:rulebook", _("Quy định"), "awards.view_registry"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for name, label, perm in NAV_ITEMS:
        if perm and not user.has_perm(perm):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "active": request.path.startswith(url) and url != "/"})
    return {"nav_items": items}
