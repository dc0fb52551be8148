from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.factories import make_unit, make_user
from tests.proposals.conftest import pdf_upload
from thidua.accounts.models import Role
from thidua.blocs import services
from thidua.blocs.workflow import ItemKind
from thidua.organisation.models import Bloc, BlocMembership, BlocRole, UnitKind

D = Decimal
YEAR = 2026


def make_bloc(name: str, members: list[tuple[Any, str]], year: int = YEAR) -> Bloc:
    bloc = Bloc(code=f"K-{name[:10]}", name=name)
    bloc.refresh_derived()
    bloc.save()
    for unit, role in members:
        BlocMembership.objects.create(bloc=bloc, unit=unit, year=year, role=role)
    return bloc


@pytest.fixture
def world(province: dict[str, Any], users: dict[str, Any]) -> dict[str, Any]:
    """Khối các sở: Sở Y tế (khối trưởng), Sở Giáo dục (khối phó), Sở Tài chính; Khối các xã: Xã Bình Lư
    alone, whose staff must see nothing of the first bloc."""
    ubnd = province["ubnd"]
    finance = make_unit("Sở Tài chính", parent=ubnd)
    xa = make_unit("Xã Bình Lư", parent=ubnd, kind=UnitKind.COMMUNE)
    health, education = province["health"], province["education"]
    bloc = make_bloc(
        "Khối các sở",
        [(health, BlocRole.LEADER), (education, BlocRole.DEPUTY), (finance, BlocRole.MEMBER)],
    )
    other = make_bloc("Khối các xã", [(xa, BlocRole.LEADER)])
    return {
        **province,
        **users,
        "finance": finance,
        "xa": xa,
        "bloc": bloc,
        "other_bloc": other,
        "health_head": make_user("thutruong.yte", Role.UNIT_HEAD, health),
        "bloc_leader": make_user("khoitruong", Role.BLOC_LEADER, health),
        "education_head": make_user("thutruong.gd", Role.UNIT_HEAD, education),
        "finance_officer": make_user("canbo.tc", Role.UNIT_OFFICER, finance),
        "finance_head": make_user("thutruong.tc", Role.UNIT_HEAD, finance),
        "xa_officer": make_user("canbo.xa", Role.UNIT_OFFICER, xa),
        "xa_head": make_user("chutich.xa", Role.UNIT_HEAD, xa),
    }


STAFF = {
    "health": ("health_officer", "health_head"),
    "education": ("education_officer", "education_head"),
    "finance": ("finance_officer", "finance_head"),
}


def drafted(w: dict[str, Any], **settings: Any) -> Any:
    """The sheet of Khối các sở for 2026: group I with c1 (10 points, evidence required) and c2 (20
    points, in two sub-criteria c2a 12 and c2b 8); group II with c3 (5 points); bonus items b1, b2 of 2
    points each under a cap of 3; penalty items p1, p2 of 2 points each under a cap of 3."""
    fields = {"bonus_cap": "3", "penalty_cap": "3"}
    fields.update(settings)
    sheet = services.sheet_create(actor=w["specialist"], bloc=w["bloc"], year=YEAR, **fields)
    sp = w["specialist"]
    g1 = services.group_add(actor=sp, sheet=sheet, name="I. Thực hiện nhiệm vụ chuyên môn")
    g2 = services.group_add(actor=sp, sheet=sheet, name="II. Công tác thi đua")
    w["c1"] = services.item_add(
        actor=sp,
        sheet=sheet,
        group=g1,
        name="Hoàn thành chỉ tiêu",
        max_points="10",
        evidence_required="Báo cáo",
    )
    w["c2"] = services.item_add(actor=sp, sheet=sheet, group=g1, name="Cải cách hành chính", max_points="20")
    w["c2a"] = services.item_add(actor=sp, sheet=sheet, parent=w["c2"], name="Một cửa", max_points="12")
    w["c2b"] = services.item_add(actor=sp, sheet=sheet, parent=w["c2"], name="Dịch vụ công", max_points="8")
    w["c3"] = services.item_add(actor=sp, sheet=sheet, group=g2, name="Phát động phong trào", max_points="5")
    w["b1"] = services.item_add(actor=sp, sheet=sheet, kind=ItemKind.BONUS, name="Sáng kiến", max_points="2")
    w["b2"] = services.item_add(
        actor=sp, sheet=sheet, kind=ItemKind.BONUS, name="Giải thưởng", max_points="2"
    )
    w["p1"] = services.item_add(
        actor=sp, sheet=sheet, kind=ItemKind.PENALTY, name="Báo cáo trễ", max_points="2"
    )
    w["p2"] = services.item_add(actor=sp, sheet=sheet, kind=ItemKind.PENALTY, name="Sai sót", max_points="2")
    return sheet


def approved(w: dict[str, Any], **settings: Any) -> Any:
    return services.sheet_approve(actor=w["specialist"], sheet=drafted(w, **settings))


SCORED = ("c1", "c2a", "c2b", "c3", "b1", "b2", "p1", "p2")


def self_scored(
    w: dict[str, Any], sheet: Any, unit: str, points: dict[str, Any], *, submit: bool = True
) -> Any:
    """The unit's scoring with `points` by item key (the rest 0), evidence for c1, sent by its head."""
    officer, head = (w[k] for k in STAFF[unit])
    opened = services.unit_sheet_open(actor=officer, sheet=sheet, unit=w[unit])
    values = {w[k].pk: str(points.get(k, 0)) for k in SCORED}
    services.self_score_save(actor=officer, unit_sheet=opened, scores=values, explanation="Đã thực hiện")
    services.evidence_add(actor=officer, unit_sheet=opened, item=w["c1"], upload=pdf_upload("bao-cao.pdf"))
    if submit:
        services.unit_sheet_submit(actor=head, unit_sheet=opened)
    opened.refresh_from_db()
    return opened


def reviewed(w: dict[str, Any], unit_sheet: Any, changes: dict[str, tuple[Any, str]] | None = None) -> Any:
    """Cross-reviewed by the leader (Sở Giáo dục, deputy, reviews the leader's own sheet)."""
    reviewer = w["education_officer"] if unit_sheet.unit == w["health"] else w["bloc_leader"]
    if changes:
        services.review_save(
            actor=reviewer,
            unit_sheet=unit_sheet,
            scores={w[k].pk: v for k, (v, _r) in changes.items()},
            reasons={w[k].pk: r for k, (_v, r) in changes.items()},
        )
    return services.review_finish(actor=reviewer, unit_sheet=unit_sheet)


def health_bloc_sheet(flow: dict[str, Any]) -> Any:
    """Khối y tế 2026 (Sở Y tế leads, its Khoa Nội deputy), approved by the Board, Sở Y tế's scoring
    sent: nothing of it is Sở Giáo dục's."""
    bloc = make_bloc("Khối y tế", [(flow["health"], BlocRole.LEADER), (flow["clinic"], BlocRole.DEPUTY)])
    sheet = services.sheet_create(actor=flow["specialist"], bloc=bloc, year=YEAR)
    group = services.group_add(actor=flow["specialist"], sheet=sheet, name="I")
    item = services.item_add(
        actor=flow["specialist"], sheet=sheet, group=group, name="Chỉ tiêu", max_points="10"
    )
    sheet = services.sheet_approve(actor=flow["specialist"], sheet=sheet)
    scoring = services.unit_sheet_open(actor=flow["health_officer"], sheet=sheet, unit=flow["health"])
    services.self_score_save(actor=flow["health_officer"], unit_sheet=scoring, scores={item.pk: "9"})
    services.evidence_add(
        actor=flow["health_officer"], unit_sheet=scoring, item=item, upload=pdf_upload("minh-chung.pdf")
    )
    services.unit_sheet_submit(actor=flow["health_head"], unit_sheet=scoring)
    return sheet
