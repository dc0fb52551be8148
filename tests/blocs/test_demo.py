"""The demo scores every bloc for 2024 and 2025 (issue 11, item 9)."""

from __future__ import annotations

import pytest

from tests.demo.test_loader import PEOPLE
from thidua.blocs.models import RankingEntry, ScoreChange, ScoreSheet
from thidua.blocs.workflow import SheetState, Stage
from thidua.demo.loader import demo_load
from thidua.organisation.models import Bloc, BlocMembership

pytestmark = pytest.mark.django_db(transaction=False)


def test_the_demo_scores_every_bloc_with_a_tie_a_dispute_and_the_dossier_lines() -> None:
    result = demo_load(people=PEOPLE, seed=3, history=False)
    expected = {
        (b.pk, year)
        for b in Bloc.objects.all()
        for year in (2024, 2025)
        if BlocMembership.objects.filter(bloc=b, year=year).count() >= 2
    }
    sheets = {(s.bloc_id, s.year): s for s in ScoreSheet.objects.all()}
    assert set(sheets) == expected and result.counts["bloc_sheets"] == len(expected)
    assert {s.state for s in sheets.values()} == {SheetState.PUBLISHED}
    # Every 2025 sheet was copied from 2024's.
    assert all(s.copied_from_id for (_b, year), s in sheets.items() if year == 2025)
    # The published leader is the registry's leading unit (the year's khối trưởng in the demo).
    for (bloc_id, year), sheet in sheets.items():
        first = RankingEntry.objects.get(sheet=sheet, position=1)
        assert first.rank == 1
        assert BlocMembership.objects.get(bloc_id=bloc_id, year=year, unit=first.unit).role == "leader"
    showcase = next(s for s in sheets.values() if s.bloc.code == "K_TH" and s.year == 2025)
    reasons = list(RankingEntry.objects.filter(sheet=showcase).values_list("reason", flat=True))
    assert any("vì tổng điểm trước điểm thưởng cao hơn" in r for r in reasons), reasons
    disputed = ScoreChange.objects.get(unit_sheet__sheet=showcase, stage=Stage.REVIEW)
    assert disputed.reason and disputed.actor.username == "khoitruong"
    lines = {(n.collective_id, n.award_type.code) for n in showcase.dossier.nominees.all()}
    leader = RankingEntry.objects.get(sheet=showcase, position=1).unit_id
    assert (leader, "CO_TINH") in lines and len(lines) == 1 + showcase.commendation_count
