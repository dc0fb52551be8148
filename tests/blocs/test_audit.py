"""Issue 11, item 7: every score change is kept (who, when, old, new, reason), and the final scores and the
ranking are rebuilt from that log alone."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest

from tests.blocs.conftest import approved, reviewed, self_scored
from tests.conftest import FIXED_TODAY
from thidua.blocs import ranking, services
from thidua.blocs.models import RankingEntry, ScoreChange, ScoreSheet, SheetItem
from thidua.blocs.workflow import ItemKind, Stage

pytestmark = pytest.mark.django_db
D = Decimal


def _rebuild(sheet: ScoreSheet) -> list[tuple[int, int, Decimal]]:
    """(rank, unit id, total) from the change log and the sheet's own definition, nothing else."""
    stages: dict[tuple[int, int], dict[str, Decimal | None]] = defaultdict(dict)
    votes: dict[int, int] = {}
    names: dict[int, tuple[str, str]] = {}
    for change in (
        ScoreChange.objects.filter(unit_sheet__sheet=sheet).select_related("unit_sheet__unit").order_by("id")
    ):
        unit = change.unit_sheet.unit
        names[unit.pk] = (unit.name, unit.sort_key)
        if change.stage == Stage.VOTE:
            votes[unit.pk] = int(change.new or 0)
        else:
            assert change.item_id is not None
            stages[(unit.pk, change.item_id)][change.stage] = change.new
    items = {i.pk: i for i in SheetItem.objects.filter(sheet=sheet)}
    sums: dict[int, dict[str, Any]] = {
        u: {"base": D(0), "bonus": D(0), "penalty": D(0), "at_max": 0} for u in names
    }
    for (unit_id, item_id), by_stage in stages.items():
        points = next(
            (by_stage[s] for s in (Stage.FINAL, Stage.REVIEW, Stage.SELF) if by_stage.get(s) is not None),
            None,
        )
        if points is None:
            continue
        item = items[item_id]
        sums[unit_id][item.kind] += points
        if item.kind == ItemKind.BASE and points == item.max_points:
            sums[unit_id]["at_max"] += 1
    result = ranking.rank(
        [
            services.figures_of(sheet, u, names[u][0], names[u][1], row, votes.get(u, 0))
            for u, row in sums.items()
        ],
        sheet.tie_break,
    )
    return [(r.rank, r.figures.unit_id, r.figures.total) for r in result.rows]


def test_the_ranking_is_rebuilt_from_the_change_log_alone(world: dict[str, Any]) -> None:
    w = world
    sheet = approved(w, vote_required=True)
    # Each unit's points pass through the three stages: its own, the review's, the meeting's.
    health = self_scored(w, sheet, "health", {"c1": 10, "c2a": 12, "c2b": 8, "c3": 4, "p1": 1, "b1": 1})
    education = self_scored(w, sheet, "education", {"c1": 10, "c2a": 12, "c2b": 8, "c3": 5, "p1": 1})
    finance = self_scored(w, sheet, "finance", {"c1": 10, "c2a": 12, "c2b": 8, "c3": 5})
    reviewed(w, health, {"c3": ("3", "Chỉ phát động 3 phong trào")})
    reviewed(w, education)
    reviewed(w, finance, {"c1": ("6", "Không có báo cáo năm"), "c2b": ("7", "Một thủ tục trễ hạn")})
    services.meeting_settle(
        actor=w["bloc_leader"],
        sheet=sheet,
        meeting_date=FIXED_TODAY,
        minutes="Hội nghị khối",
        finals={
            (w["health"].pk, w["c3"].pk): ("4", "Đã xuất trình kế hoạch phong trào thứ tư"),
            (w["health"].pk, w["p1"].pk): ("0", "Báo cáo trễ do lỗi hệ thống, được miễn"),
        },
        votes={w["health"].pk: 4, w["education"].pk: 5, w["finance"].pk: 1},
    )
    sheet = services.ranking_publish(actor=w["specialist"], sheet=ScoreSheet.objects.get(pk=sheet.pk))
    published = [
        (e.rank, e.unit_id, e.total) for e in RankingEntry.objects.filter(sheet=sheet).order_by("position")
    ]
    # Sở Y tế 34 + 1 = 35, Sở Giáo dục 35 − 1 = 34, Sở Tài chính 6 + 12 + 7 + 5 = 30.
    assert published == [
        (1, w["health"].pk, D(35)),
        (2, w["education"].pk, D(34)),
        (3, w["finance"].pk, D(30)),
    ]
    assert _rebuild(sheet) == published
    # Every change carries who and when, old and new; the review and meeting changes their reasons.
    changes = ScoreChange.objects.filter(unit_sheet__sheet=sheet)
    assert all(c.actor_id and c.at for c in changes)
    assert all(c.reason for c in changes if c.stage in (Stage.REVIEW, Stage.FINAL))
    assert changes.filter(stage=Stage.FINAL).count() == 2


def test_a_self_score_changed_twice_keeps_both_changes(world: dict[str, Any]) -> None:
    w = world
    sheet = approved(w)
    unit_sheet = self_scored(w, sheet, "finance", {"c3": 5}, submit=False)
    services.self_score_save(actor=w["finance_officer"], unit_sheet=unit_sheet, scores={w["c3"].pk: "4,5"})
    services.self_score_save(actor=w["finance_officer"], unit_sheet=unit_sheet, scores={w["c3"].pk: "4,5"})
    rows = list(ScoreChange.objects.filter(item=w["c3"]).values_list("old", "new"))
    # Saving the same value again is no change.
    assert rows == [(None, D(5)), (D(5), D("4.5"))]
