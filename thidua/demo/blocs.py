"""The demo blocs' scoring for 2024 and 2025 (issue 11, item 9): every bloc with members that year gets the
Board's score sheet (2025's copied from 2024's), every member's self-scoring, the cross-review, the
meeting and the published ranking; the unit the demo registry names as the year's leading unit ranks first.

Khối các cơ quan tổng hợp in 2025 is played through the services by its demo users (the bloc leader
"khoitruong" reviews, disputes one score with its reason and settles; the Board publishes and turns the
ranking into dossier lines), with two units tied on the total and separated by the tie-break. The other
members' scorings, which have no demo accounts, are written as one batch by the administrator, like the
rest of the demo's registry (the change log says so: each row's actor is the administrator).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from thidua.accounts.models import User
from thidua.blocs import access, services
from thidua.blocs.models import Score, ScoreChange, ScoreSheet, SheetItem, UnitSheet
from thidua.blocs.workflow import ItemKind, SheetState, Stage, UnitSheetState
from thidua.demo import data as D
from thidua.demo.clock import moment
from thidua.organisation.models import Bloc, BlocMembership, BlocRole

YEARS = (D.LAST_YEAR - 1, D.LAST_YEAR)
SHOWCASE = "K_TH"
BATCH_NOTE = "Nhập theo lô dữ liệu mẫu (bảng tự chấm của đơn vị)"

# (group, [(criterion, max, evidence, [(sub-criterion, max)])]); bonus and penalty items with their maxima.
GROUPS: list[tuple[str, list[tuple[str, str, str, list[tuple[str, str]]]]]] = [
    (
        "I. Thực hiện nhiệm vụ chính trị, chuyên môn",
        [
            ("Hoàn thành các chỉ tiêu, nhiệm vụ được giao trong năm", "30", "Báo cáo tổng kết năm", []),
            (
                "Cải cách hành chính, chuyển đổi số",
                "20",
                "",
                [("Chỉ số cải cách hành chính", "12"), ("Hồ sơ xử lý trực tuyến đúng hạn", "8")],
            ),
        ],
    ),
    (
        "II. Công tác thi đua, khen thưởng",
        [
            ("Phát động, tổ chức phong trào thi đua", "15", "Kế hoạch, báo cáo sơ kết, tổng kết", []),
            ("Phát hiện, nhân rộng điển hình tiên tiến", "10", "", []),
        ],
    ),
    (
        "III. Xây dựng tổ chức đảng, đoàn thể",
        [("Tổ chức đảng, đoàn thể hoàn thành tốt nhiệm vụ", "15", "", [])],
    ),
]
BONUS = [("Có sáng kiến, mô hình mới được cấp tỉnh công nhận", "3"), ("Đăng cai hoạt động của khối", "2")]
PENALTY = [("Báo cáo trễ hạn", "2"), ("Có cán bộ bị kỷ luật", "3")]


def _sheet_2024(board: User, bloc: Bloc) -> ScoreSheet:
    sheet = services.sheet_create(
        actor=board,
        bloc=bloc,
        year=YEARS[0],
        bonus_cap="4",
        penalty_cap="4",
        commendation_count=2,
        rules_text="Quy chế hoạt động của khối, cụm thi đua ban hành kèm theo quyết định của UBND tỉnh.",
    )
    for group_name, criteria in GROUPS:
        group = services.group_add(actor=board, sheet=sheet, name=group_name)
        for name, most, evidence, subs in criteria:
            item = services.item_add(
                actor=board,
                sheet=sheet,
                group=group,
                name=name,
                max_points=most,
                evidence_required=evidence,
                guidance="Chấm theo mức độ hoàn thành; không đạt: 0 điểm.",
            )
            for sub, sub_most in subs:
                services.item_add(actor=board, sheet=sheet, parent=item, name=sub, max_points=sub_most)
    for name, most in BONUS:
        services.item_add(actor=board, sheet=sheet, kind=ItemKind.BONUS, name=name, max_points=most)
    for name, most in PENALTY:
        services.item_add(actor=board, sheet=sheet, kind=ItemKind.PENALTY, name=name, max_points=most)
    return sheet


def _points(rng: random.Random, item: SheetItem, strength: float) -> Decimal:
    if item.kind == ItemKind.PENALTY:
        return Decimal(rng.choice([0, 0, 0, 1])) if item.max_points >= 1 else Decimal(0)
    if item.kind == ItemKind.BONUS:
        return Decimal(rng.choice([0, 0, 1]))
    share = min(1.0, max(0.0, strength + rng.uniform(-0.08, 0.04)))
    return (item.max_points * Decimal(str(round(share * 4) / 4))).quantize(Decimal("0.5"))


def _batch_scores(
    admin: User, sheet: ScoreSheet, plan: dict[int, dict[int, Decimal]], state: str
) -> dict[int, UnitSheet]:
    """The members' self-scorings written in one batch (the demo has no accounts for most units)."""
    now = timezone.now()
    unit_sheets = {
        unit_id: UnitSheet(sheet=sheet, unit_id=unit_id, explanation="Đơn vị tự chấm theo bảng tiêu chí.")
        for unit_id in plan
    }
    UnitSheet.objects.bulk_create(list(unit_sheets.values()))
    UnitSheet.objects.filter(pk__in=[u.pk for u in unit_sheets.values()]).update(
        state=state, submitted_at=now, reviewed_at=now if state == UnitSheetState.REVIEWED else None
    )
    scores, changes = [], []
    for unit_id, points in plan.items():
        us = unit_sheets[unit_id]
        for item_id, value in points.items():
            scores.append(Score(unit_sheet=us, item_id=item_id, self_points=value))
            changes.append(
                ScoreChange(
                    unit_sheet=us,
                    item_id=item_id,
                    stage=Stage.SELF,
                    new=value,
                    reason=BATCH_NOTE,
                    actor=admin,
                )
            )
    Score.objects.bulk_create(scores)
    ScoreChange.objects.bulk_create(changes)
    return unit_sheets


def _plan(
    rng: random.Random, sheet: ScoreSheet, members: list[BlocMembership], first: int | None
) -> dict[int, dict[int, Decimal]]:
    items = services.scored_items(sheet)
    plan: dict[int, dict[int, Decimal]] = {}
    for m in members:
        strength = 0.97 if m.unit_id == first else rng.uniform(0.55, 0.85)
        plan[m.unit_id] = {i.pk: _points(rng, i, strength) for i in items}
        if m.unit_id == first:
            # The registry's leading unit of the year: full marks before bonus, no penalty.
            plan[m.unit_id].update(
                {i.pk: i.max_points for i in items if i.kind == ItemKind.BASE}
                | {i.pk: Decimal(0) for i in items if i.kind == ItemKind.PENALTY}
            )
    return plan


def _tie(sheet: ScoreSheet, plan: dict[int, dict[int, Decimal]], a: int, b: int) -> None:
    """Make `b` reach `a`'s total with a bonus point where `a` has the higher total before bonus, so the
    tie-break, not the total, puts `a` above."""
    items = {i.pk: i for i in services.scored_items(sheet)}
    base = [k for k, i in items.items() if i.kind == ItemKind.BASE]
    bonus = [k for k, i in items.items() if i.kind == ItemKind.BONUS]
    penalty = [k for k, i in items.items() if i.kind == ItemKind.PENALTY]
    for unit in (a, b):
        for k in bonus + penalty:
            plan[unit][k] = Decimal(0)
        for k in base:
            plan[unit][k] = items[k].max_points - 2 if items[k].max_points > 5 else items[k].max_points
    plan[b][base[0]] -= 1
    plan[b][bonus[0]] = Decimal(1)


def _settle_batch(sheet: ScoreSheet, minutes: str) -> ScoreSheet:
    ScoreSheet.objects.filter(pk=sheet.pk).update(
        state=SheetState.SETTLED,
        meeting_date=dt.date(sheet.year, 12, 15),
        minutes=minutes,
        settled_at=timezone.now(),
    )
    return ScoreSheet.objects.get(pk=sheet.pk)


def demo_blocs() -> dict[str, int]:
    """Score every demo bloc for 2024 and 2025; returns the counts written."""
    users = {u.username: u for u in User.objects.filter(username__in=["quantri", "chuyenvien", "khoitruong"])}
    admin, board = users["quantri"], users["chuyenvien"]
    rng = random.Random(2026)
    previous: dict[int, ScoreSheet] = {}
    counts = {"bloc_sheets": 0, "bloc_scores": 0, "bloc_dossiers": 0}
    for year in YEARS:
        for bloc in Bloc.objects.order_by("code"):
            members = list(
                BlocMembership.objects.filter(bloc=bloc, year=year)
                .select_related("unit")
                .order_by("unit__code")
            )
            if len(members) < 2:
                continue
            if bloc.pk in previous:
                sheet = services.sheet_copy(actor=board, source=previous[bloc.pk], year=year)
            else:
                sheet = _sheet_2024(board, bloc)
            sheet = services.sheet_approve(actor=board, sheet=sheet)
            previous[bloc.pk] = sheet
            counts["bloc_sheets"] += 1
            leader = next(m.unit for m in members if m.role == BlocRole.LEADER)
            # The unit the registry names as leading the bloc this year ranks first.
            first = next(m.unit_id for m in members if m.role == BlocRole.LEADER)
            plan = _plan(rng, sheet, members, first)
            showcase = bloc.code == SHOWCASE and year == D.LAST_YEAR and "khoitruong" in users
            others = [m.unit_id for m in members if m.unit_id != first]
            if len(others) >= 2:
                _tie(sheet, plan, others[0], others[1])
            state = UnitSheetState.SUBMITTED if showcase else UnitSheetState.REVIEWED
            unit_sheets = _batch_scores(admin, sheet, plan, state)
            counts["bloc_scores"] += sum(len(p) for p in plan.values())
            if showcase:
                sheet = _showcase(users["khoitruong"], board, sheet, unit_sheets, leader, others)
                counts["bloc_dossiers"] += 1
                continue
            sheet = _settle_batch(
                sheet,
                f"Hội nghị {bloc.name} năm {year} thống nhất kết quả tự chấm và chấm chéo của các đơn vị.",
            )
            services.ranking_publish(actor=board, sheet=sheet)
    _date_the_years()
    return counts


def _date_the_years() -> None:
    """Each sheet's steps on the days of its year's story (the services stamped them at the load): the
    sheet approved in February, the units' scoring sent in early December and cross-reviewed a few days
    later, settled at the bloc's meeting and published after it. The change log keeps the time each score
    was written, which is the load's."""
    for sheet in ScoreSheet.objects.all():
        year, meeting = sheet.year, sheet.meeting_date
        ScoreSheet.objects.filter(pk=sheet.pk).update(
            approved_at=moment(dt.date(year, 2, 20)) if sheet.approved_at else None,
            settled_at=moment(meeting, 16) if meeting and sheet.settled_at else sheet.settled_at,
            published_at=(
                moment(meeting + dt.timedelta(days=5), 10)
                if meeting and sheet.published_at
                else sheet.published_at
            ),
        )
        unit_sheets = UnitSheet.objects.filter(sheet=sheet)
        unit_sheets.filter(submitted_at__isnull=False).update(submitted_at=moment(dt.date(year, 12, 5)))
        unit_sheets.filter(reviewed_at__isnull=False).update(reviewed_at=moment(dt.date(year, 12, 10)))


def _showcase(
    leader_user: User,
    board: User,
    sheet: ScoreSheet,
    unit_sheets: dict[int, UnitSheet],
    leader: Any,
    others: list[int],
) -> ScoreSheet:
    """Khối các cơ quan tổng hợp 2025 through the services: the leader reviews every member, disputes one
    score with its reason, the deputy (by default) reviews the leader; the meeting settles; the Board
    publishes and turns the ranking into dossier lines."""
    disputed_unit = others[-1]
    first_item = services.scored_items(sheet)[0]
    for unit_id, us in unit_sheets.items():
        reviewer = access.reviewer_of(sheet, us.unit)
        if reviewer is not None and reviewer.pk == leader.pk:
            if unit_id == disputed_unit and len(others) >= 3:
                own = Score.objects.get(unit_sheet=us, item=first_item).self_points or Decimal(0)
                services.review_save(
                    actor=leader_user,
                    unit_sheet=us,
                    scores={first_item.pk: str(max(Decimal(0), own - 3))},
                    reasons={first_item.pk: "Báo cáo tổng kết năm chưa có số liệu quý IV; trừ 3 điểm"},
                )
            services.review_finish(actor=leader_user, unit_sheet=UnitSheet.objects.get(pk=us.pk))
        else:
            # The deputy's review of the leader's own sheet, entered in the batch (no demo account).
            UnitSheet.objects.filter(pk=us.pk).update(
                state=UnitSheetState.REVIEWED, reviewed_at=timezone.now()
            )
    sheet = services.meeting_settle(
        actor=leader_user,
        sheet=ScoreSheet.objects.get(pk=sheet.pk),
        meeting_date=dt.date(D.LAST_YEAR, 12, 18),
        minutes=(
            "Hội nghị tổng kết công tác thi đua năm 2025 của Khối các cơ quan tổng hợp.\n"
            "Hội nghị thống nhất kết quả chấm chéo; đơn vị có điểm chấm chéo khác đã giải trình, "
            "hội nghị giữ điểm chấm chéo."
        ),
    )
    sheet = services.ranking_publish(actor=board, sheet=sheet)
    services.proposals_create(actor=board, sheet=sheet)
    return sheet
