""" "Agree with all verdicts at once, with exceptions line by line": the specialist confirms every firm
verdict not yet reviewed in one step; lines that need a person's judgment, and lines already reviewed,
are left as they are."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.factories import make_person
from tests.proposals.conftest import attach_required, award
from thidua.awards.models import Rating, YearlyRating
from thidua.proposals import services
from thidua.proposals.models import Dossier, Nominee, SpecialistDecision

pytestmark = pytest.mark.django_db


def _received(flow: dict[str, Any]) -> Dossier:
    weak = flow["clinic_person"]
    YearlyRating.objects.create(person=weak, year=2024, rating=Rating.DONE)
    good = make_person(flow["health"], "Đỗ Thị Cúc")
    YearlyRating.objects.create(person=good, year=2024, rating=Rating.GOOD)
    dossier = services.dossier_create(
        actor=flow["health_officer"], unit=flow["health"], kind="cong_trang", year=2024, title="Đề nghị 2024"
    )
    for person, code in (
        (flow["health_person"], "BK_TINH"),
        (weak, "CSTDCS"),
        (make_person(flow["health"], "Phạm Văn Bình"), "HCLD2"),
        (good, "LDTT"),
    ):
        services.nominee_add(
            actor=flow["health_officer"],
            dossier=dossier,
            recipient=person,
            award_type=award(code),
            achievement="x",
        )
    attach_required(flow["health_officer"], dossier)
    services.dossier_submit(actor=flow["health_head"], dossier=dossier)
    dossier.refresh_from_db()
    services.dossier_receive(actor=flow["specialist"], dossier=dossier)
    dossier.refresh_from_db()
    return dossier


def test_confirm_all_takes_every_firm_verdict_and_leaves_judgments_and_exceptions(
    flow: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    dossier = _received(flow)
    lines = list(dossier.nominees.order_by("position", "id"))
    verdicts = [line.verdict for line in lines]
    assert {"eligible", "ineligible", "needs_review"} <= set(verdicts), verdicts
    # One exception decided first, line by line: the first line (a judgment), with its reason.
    services.nominee_review(actor=flow["specialist"], nominee=lines[0], recommend=False, reason="Xét thấy")

    # Neither the unit's officer nor a specialist from Sở Y tế may do it; nothing changes.
    for user in (flow["health_officer"], flow["conflicted_specialist"]):
        client_for(user).post(f"/ho-so/{dossier.pk}/de-nghi/dong-y-tat-ca/")
        assert Nominee.objects.filter(dossier=dossier, recommend__isnull=False).count() == 1

    response = client_for(flow["specialist"]).post(f"/ho-so/{dossier.pk}/de-nghi/dong-y-tat-ca/", follow=True)
    firm = [line for line in lines[1:] if line.verdict in ("eligible", "ineligible")]
    judged = [line for line in lines[1:] if line.verdict == "needs_review"]
    assert f"cho {len(firm)} dòng" in response.text and f"Còn {len(judged)} dòng" in response.text
    for line in lines:
        line.refresh_from_db()
    for line in firm:
        assert line.recommend is (line.verdict == "eligible")
        assert line.specialist_decision == SpecialistDecision.CONFIRMED
        assert line.appraised_by == flow["specialist"]
    for line in judged:
        assert line.recommend is None and line.specialist_decision == ""
    assert lines[0].recommend is False and lines[0].override_reason == "Xét thấy"
    assert lines[0].specialist_decision == SpecialistDecision.OVERRIDDEN


def test_confirm_all_through_the_api_equals_the_page(flow: dict[str, Any], client: Client) -> None:
    from tests.proposals.test_api import Api

    dossier = _received(flow)
    refused = Api(client, flow["conflicted_specialist"]).post(f"/dossiers/{dossier.pk}/review-all")
    assert refused.status_code == 403
    assert not Nominee.objects.filter(dossier=dossier, recommend__isnull=False).exists()
    answer = Api(client, flow["specialist"]).post(f"/dossiers/{dossier.pk}/review-all")
    assert answer.status_code == 200
    for line in dossier.nominees.all():
        expected = {"eligible": True, "ineligible": False}.get(line.verdict)
        assert line.recommend is expected


def test_all_present_marks_only_the_unrecorded_members(
    flow: dict[str, Any], client_for: Callable[[Any], Client], client: Client
) -> None:
    import datetime as dt

    from tests.proposals.conftest import drafted
    from tests.proposals.test_api import Api
    from tests.proposals.test_workflow import _appraised
    from thidua.proposals.models import Attendance

    dossier = _appraised(flow, drafted(flow, "CSTD_TINH"))
    session = services.council_session_create(
        actor=flow["specialist"], title="Phiên họp cuối năm", date=dt.date(2026, 12, 10), dossiers=[dossier]
    )
    members = flow["members"]
    services.attendance_set(
        actor=flow["specialist"], session=session, member=members[4], present=False, written_vote=True
    )
    # A member may not do the secretary's work.
    client_for(members[1].user).post(f"/ho-so/hoi-dong/{session.pk}/du-hop/tat-ca/")
    assert not Attendance.objects.filter(session=session, present=True).exists()
    client_for(flow["specialist"]).post(f"/ho-so/hoi-dong/{session.pk}/du-hop/tat-ca/")
    rows = {a.member_id: (a.present, a.written_vote) for a in Attendance.objects.filter(session=session)}
    assert rows == {
        **{m.pk: (True, False) for m in members[:4]},
        members[4].pk: (False, True),  # the written opinion recorded first stays
    }
    # The API does the same, and a second call changes nothing.
    services.attendance_set(actor=flow["specialist"], session=session, member=members[0], present=False)
    answer = Api(client, flow["specialist"]).post(f"/council/sessions/{session.pk}/attendance/all-present")
    assert answer.status_code == 200
    assert Attendance.objects.get(session=session, member=members[0]).present is True
