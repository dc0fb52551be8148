"""Every line of a dossier is judged on its own recipient's record: the verdict of each line equals the
engine's answer for that recipient asked alone, on submission and on re-appraisal (issue: lines after the
first were judged on the first recipient's history)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.factories import make_award, make_person
from tests.proposals.conftest import attach_required, award
from thidua.appraisal.candidates import candidate_for_person
from thidua.awards.models import Rating, YearlyRating
from thidua.eligibility.engine import Evaluator, default_evaluator
from thidua.proposals import services
from thidua.proposals.models import Dossier

pytestmark = pytest.mark.django_db


def _alone(person: Any, code: str, line_result: dict[str, Any], kind: str) -> tuple[str, list[Any]]:
    """The engine's answer for this recipient alone: a fresh evaluator, no shared cache."""
    as_of = dt.date.fromisoformat(line_result["as_of"])
    result = Evaluator(default_evaluator().library).evaluate(
        candidate_for_person(person), code, line_result["year"], as_of, kind
    )
    return result.verdict, result.as_dict()["conditions"]


def _lines(dossier: Dossier) -> dict[int, Any]:
    return {line.person_id: line for line in dossier.nominees.filter(is_active=True)}


def test_each_line_is_judged_on_its_own_recipient_on_submit_and_reappraisal(flow: dict[str, Any]) -> None:
    strong = flow["health_person"]  # LĐTT 2023 and 2024 (flow fixture): ground for a Bằng khen
    for year in (2022, 2023, 2024):
        YearlyRating.objects.create(person=strong, year=year, rating=Rating.EXCELLENT)
    make_award(strong, "CSTDCS", 2022)
    # Only "hoàn thành nhiệm vụ" in 2024: no title of that year is open to her.
    weak = flow["clinic_person"]
    YearlyRating.objects.create(person=weak, year=2024, rating=Rating.DONE)
    # Nothing at all on record.
    blank = make_person(flow["health"], "Phạm Văn Bình")

    dossier = services.dossier_create(
        actor=flow["health_officer"],
        unit=flow["health"],
        kind="cong_trang",
        year=2024,
        title="Đề nghị năm 2024",
    )
    proposals = [(strong, "BK_TINH"), (weak, "CSTDCS"), (blank, "LDTT")]
    for person, code in proposals:
        services.nominee_add(
            actor=flow["health_officer"],
            dossier=dossier,
            recipient=person,
            award_type=award(code),
            achievement="Thành tích năm 2024",
        )
    attach_required(flow["health_officer"], dossier)
    drafting = {pk: line.verdict for pk, line in _lines(dossier).items()}

    services.dossier_submit(actor=flow["health_head"], dossier=dossier)
    submitted = _lines(dossier)
    verdicts = {}
    for person, code in proposals:
        line = submitted[person.pk]
        expected, conditions = _alone(person, code, line.check_result, "cong_trang")
        assert line.verdict == expected, (person.full_name, code)
        assert line.check_result["conditions"] == conditions
        assert line.check_result["candidate"] == str(person.pk)
        verdicts[person.pk] = line.verdict
    # The independent facts behind the engine's answers: she was rated HTNV only, so CSTĐ cơ sở is
    # closed to her, while the first recipient's record would have opened it.
    assert verdicts[weak.pk] == "ineligible"
    assert verdicts[strong.pk] != "ineligible"
    # Submission changes nothing that drafting, one line at a time, had already found.
    assert verdicts == drafting

    dossier.refresh_from_db()
    services.dossier_receive(actor=flow["specialist"], dossier=dossier)
    dossier.refresh_from_db()
    services.dossier_reappraise(actor=flow["specialist"], dossier=dossier)
    assert {pk: line.verdict for pk, line in _lines(dossier).items()} == verdicts
