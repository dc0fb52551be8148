"""Dates checked against each other: a Council session is not dated before the appraisal of the dossiers
it takes; a decision is not dated before the Council session of its dossiers (or, with no session,
before their appraisal), nor after today. Enforced in the services, so the pages and the API refuse
alike, with the same Vietnamese message and nothing written. The suite's clock is Monday 7/12/2026."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.otp import code, enrol
from tests.proposals.conftest import drafted
from tests.proposals.test_api import Api
from tests.proposals.test_workflow import _appraised
from thidua.awards.models import AwardRecord, Decision
from thidua.proposals import services
from thidua.proposals.models import CouncilSession, Dossier, DossierState

pytestmark = pytest.mark.django_db

ICT = dt.timezone(dt.timedelta(hours=7))
TODAY = dt.date(2026, 12, 7)
APPRAISED = dt.date(2026, 12, 1)


def appraised_on_the_first(flow: dict[str, Any], code: str = "BK_TINH") -> Dossier:
    with time_machine.travel(dt.datetime(2026, 12, 1, 15, 0, tzinfo=ICT), tick=True):
        return _appraised(flow, drafted(flow, code))


def session(flow: dict[str, Any], dossier: Dossier, day: dt.date) -> CouncilSession:
    return services.council_session_create(
        actor=flow["specialist"], title="Phiên họp", date=day, dossiers=[dossier]
    )


def decide(flow: dict[str, Any], dossier: Dossier, day: dt.date, number: str = "7/QĐ-UBND") -> Any:
    return services.dossiers_decide(
        actor=flow["chairman"],
        dossiers=[dossier],
        number=number,
        date=day,
    )


def closed_with_the_line_passed(flow: dict[str, Any], dossier: Dossier, day: dt.date) -> CouncilSession:
    held = session(flow, dossier, day)
    for member in flow["members"]:
        services.attendance_set(actor=flow["specialist"], session=held, member=member, present=True)
    services.tally_enter(
        actor=flow["specialist"], session=held, nominee=dossier.nominees.get(), agree=5, disagree=0
    )
    services.session_close(actor=flow["specialist"], session=held)
    return held


def test_the_appraisal_day_is_the_day_the_board_completed_it(flow: dict[str, Any]) -> None:
    dossier = appraised_on_the_first(flow)
    assert services.appraised_on(dossier) == APPRAISED
    assert services.appraised_on(drafted(flow)) is None


def test_a_session_is_not_dated_before_the_appraisal_of_its_dossiers(flow: dict[str, Any]) -> None:
    dossier = appraised_on_the_first(flow, "CSTD_TINH")
    with pytest.raises(ValidationError) as refused:
        session(flow, dossier, dt.date(2026, 11, 30))
    assert refused.value.code == "date_order"
    assert refused.value.messages == [
        f"Ngày họp (30/11/2026) không được trước ngày hoàn thành thẩm định hồ sơ {dossier.code} (01/12/2026)."
    ]
    assert not CouncilSession.objects.exists()
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.APPRAISED
    # The same day is fine.
    assert session(flow, dossier, APPRAISED).dossiers.get() == dossier


def test_a_decision_without_a_session_is_not_dated_before_the_appraisal(flow: dict[str, Any]) -> None:
    dossier = appraised_on_the_first(flow)
    with pytest.raises(ValidationError) as refused:
        decide(flow, dossier, dt.date(2026, 11, 28))
    assert refused.value.code == "date_order"
    assert refused.value.messages == [
        f"Ngày ký quyết định (28/11/2026) không được trước ngày hoàn thành thẩm định hồ sơ {dossier.code} "
        "(01/12/2026)."
    ]
    with pytest.raises(ValidationError) as future:
        decide(flow, dossier, TODAY + dt.timedelta(days=1))
    assert future.value.code == "date_in_future"
    assert not Decision.objects.filter(number="7/QĐ-UBND").exists()
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.APPRAISED
    assert decide(flow, dossier, APPRAISED).date == APPRAISED


def test_a_decision_is_not_dated_before_the_council_session_of_its_dossiers(flow: dict[str, Any]) -> None:
    dossier = appraised_on_the_first(flow, "CSTD_TINH")
    closed_with_the_line_passed(flow, dossier, dt.date(2026, 12, 4))
    # After the appraisal but before the session: refused, naming the session's day.
    with pytest.raises(ValidationError) as refused:
        decide(flow, Dossier.objects.get(pk=dossier.pk), dt.date(2026, 12, 3))
    assert refused.value.code == "date_order"
    assert refused.value.messages == [
        f"Ngày ký quyết định (03/12/2026) không được trước ngày Hội đồng họp xét hồ sơ {dossier.code} "
        "(04/12/2026)."
    ]
    assert not AwardRecord.objects.filter(decision__number="7/QĐ-UBND").exists()
    decision = decide(flow, Dossier.objects.get(pk=dossier.pk), dt.date(2026, 12, 4))
    assert decision.date == dt.date(2026, 12, 4)
    assert AwardRecord.objects.filter(decision=decision).count() == 1


def test_the_api_refuses_the_same_dates_with_a_code(client: Client, flow: dict[str, Any]) -> None:
    specialist, chairman = Api(client, flow["specialist"]), Api(client, flow["chairman"])
    voted = appraised_on_the_first(flow, "CSTD_TINH")
    early = specialist.post(
        "/council/sessions", {"title": "Phiên họp", "date": "2026-11-30", "dossier_ids": [voted.pk]}
    )
    assert early.status_code == 400 and early.json()["code"] == "date_order"
    assert "không được trước ngày hoàn thành thẩm định" in early.json()["detail"]
    assert not CouncilSession.objects.exists()

    plain = appraised_on_the_first(flow)
    body = {"dossier_ids": [plain.pk], "number": "8/QĐ-UBND", "date": "2026-11-30"}
    answer = chairman.post("/decisions", body)
    assert answer.status_code == 400 and answer.json()["code"] == "date_order"
    assert "(01/12/2026)" in answer.json()["detail"]
    answer = chairman.post("/decisions", {**body, "date": "2026-12-08"})
    assert answer.status_code == 400 and answer.json()["code"] == "date_in_future"
    assert not Decision.objects.filter(number="8/QĐ-UBND").exists()
    assert chairman.post("/decisions", {**body, "date": "2026-12-01"}).status_code == 201


def test_the_pages_refuse_the_same_dates_and_say_why(
    flow: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    voted = appraised_on_the_first(flow, "CSTD_TINH")
    specialist = client_for(flow["specialist"])
    page = specialist.post(
        reverse("proposals:sessions"),
        {"title": "Phiên họp tháng 12", "date": "2026-11-30", "dossiers": [voted.pk]},
        follow=True,
    )
    assert "không được trước ngày hoàn thành thẩm định" in page.content.decode()
    assert not CouncilSession.objects.exists()

    plain = appraised_on_the_first(flow)
    chairman = client_for(flow["chairman"])
    page = chairman.post(
        reverse("proposals:decide"),
        {
            "dossiers": [plain.pk],
            "number": "9/QĐ-UBND",
            "date": "2026-11-30",
            "authority": "UBND tỉnh Lai Châu",
            "reauth_code": code(enrol(flow["chairman"])),
        },
        follow=True,
    )
    assert (
        f"không được trước ngày hoàn thành thẩm định hồ sơ {plain.code} (01/12/2026)" in page.content.decode()
    )
    assert not Decision.objects.filter(number="9/QĐ-UBND").exists()
    assert Dossier.objects.get(pk=plain.pk).state == DossierState.APPRAISED
