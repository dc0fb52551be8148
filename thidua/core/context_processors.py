from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

Entry = tuple[str, Any, str | None]

# (url name, label, permission or None), or a group (label, entries). An entry appears only when its
# page exists and the user may open it, so the menu never offers something that does not work. The top
# level stays short enough for one line on a 1366-pixel office screen.
NAV_ITEMS: list[Any] = [
    ("core:dashboard", _("Tổng quan"), None),
    ("awards:search", _("Tra cứu"), "awards.view_registry"),
    (
        _("Thi đua"),
        [
            ("movements:list", _("Phong trào thi đua"), "movements.view_movements"),
            ("registrations:list", _("Đăng ký thi đua"), "registrations.view_registrations"),
            ("directives:list", _("Chỉ thị, kế hoạch, kiểm tra"), "directives.view_directives"),
            ("blocs:list", _("Chấm điểm khối, cụm thi đua"), "blocs.view_scoring"),
            ("portal:staff_list", _("Điển hình tiên tiến"), "portal.view_role_models"),
        ],
    ),
    ("proposals:list", _("Hồ sơ đề nghị"), "proposals.view_dossiers"),
    ("proposals:sessions", _("Hội đồng"), "proposals.view_council"),
    ("awards:decision_list", _("Quyết định"), "awards.view_decision"),
    (
        _("Báo cáo"),
        [
            ("reports:dashboard", _("Biểu đồ, thống kê"), "reports.view_reports"),
            ("reports:builder", _("Báo cáo tự chọn"), "reports.view_reports"),
            ("reports:saved_list", _("Báo cáo đã lưu"), "reports.view_reports"),
            ("reports:targets", _("Chỉ tiêu tỷ lệ khen thưởng"), "reports.view_reports"),
        ],
    ),
    (
        _("Sổ theo dõi"),
        [
            ("organisation:person_list", _("Cá nhân"), "awards.view_registry"),
            ("organisation:unit_list", _("Đơn vị"), "awards.view_registry"),
            ("organisation:household_list", _("Hộ gia đình"), "awards.view_registry"),
            ("organisation:bloc_list", _("Khối thi đua"), "organisation.view_bloc"),
            ("awards:catalogue", _("Danh mục danh hiệu, hình thức"), "awards.view_registry"),
            ("imports:index", _("Nhập Excel"), "imports.import_data"),
            ("core:audit_log", _("Nhật ký thao tác"), "core.view_audit"),
        ],
    ),
    (
        _("Thẩm định"),
        [
            ("appraisal:discovery", _("Phát hiện người đủ điều kiện"), "appraisal.view_discovery"),
            ("appraisal:rulebook", _("Quy định đang áp dụng"), "awards.view_registry"),
        ],
    ),
    ("statistics:index", _("Thống kê"), "statistics.view_statistics"),
]


_NAV_PERMS = frozenset(
    perm
    for entry in NAV_ITEMS
    for _name, _label, perm in (entry[1] if isinstance(entry[1], list) else [entry])
    if perm
)
_GRANTED: dict[tuple[Any, ...], tuple[float, frozenset[str]]] = {}
GRANTED_SECONDS = 60.0


def granted_nav_perms(user: Any) -> frozenset[str]:
    """The menu's permissions this user holds, remembered for a minute per process and per role, unit
    and account state. The menu only shows or hides links, and every page checks its permission itself;
    asking the authentication backends a dozen times on every page was a quarter of a light page."""
    key = (user.pk, user.date_joined, user.role, user.unit_id, user.authority_id, user.is_active)
    now = time.monotonic()
    hit = _GRANTED.get(key)
    if hit is not None and now - hit[0] < GRANTED_SECONDS:
        return hit[1]
    perms = frozenset(perm for perm in _NAV_PERMS if user.has_perm(perm))
    if len(_GRANTED) > 4096:
        _GRANTED.clear()
    _GRANTED[key] = (now, perms)
    return perms


# The menu's addresses never change while the process runs (they depend only on the URL patterns and the
# prefix the site is served under); reversing thirty of them on every page cost half a millisecond.
_URLS: dict[tuple[str, str, str], str | None] = {}


def _url(name: str) -> str | None:
    key = (name, get_script_prefix(), str(get_urlconf() or settings.ROOT_URLCONF))
    if key not in _URLS:
        try:
            _URLS[key] = reverse(name)
        except NoReverseMatch:
            _URLS[key] = None
    return _URLS[key]


def _link(request: HttpRequest, entry: Entry, granted: frozenset[str]) -> dict[str, Any] | None:
    name, label, perm = entry
    if perm and perm not in granted:
        return None
    url = _url(name)
    if url is None:
        return None
    return {"url": url, "label": label, "active": request.path.startswith(url) and url != "/"}


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"nav_items": [], "unread_notifications": 0}
    granted = granted_nav_perms(user)
    items: list[dict[str, Any]] = []
    for entry in NAV_ITEMS:
        if isinstance(entry[1], list):
            children = [c for c in (_link(request, child, granted) for child in entry[1]) if c]
            if children:
                active = any(c["active"] for c in children)
                items.append({"label": entry[0], "children": children, "active": active})
            continue
        link = _link(request, entry, granted)  # type: ignore[arg-type]
        if link:
            items.append(link)
    from thidua.proposals.selectors import unread_count

    return {"nav_items": items, "unread_notifications": unread_count(user=user)}  # type: ignore[arg-type]
