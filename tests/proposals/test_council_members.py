"""The Council's membership is managed in the product: the Board adds members with a role and a start,
ends terms; one seat per person at a time, one chair and one secretary at a time; sessions count the
members sitting on their day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.factories import make_user
from tests.proposals.conftest import drafted
from tests.proposals.test_workflow import _appraised
from thidua.accounts.models import Role
from thidua.core.models import AuditLog
from thidua.proposals import services
from thidua.proposals.models import CouncilMember, CouncilRole

pytestmark = pytest.mark.django_db
PAGE = "/ho-so/hoi-dong/thanh-vien/"


def test_the_board_adds_and_ends_terms_and_sessions_count_the_members_of_their_day(
    flow: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    newcomer = make_user("uyvien.moi", Role.COUNCIL_MEMBER, flow["education"])
    specialist = client_for(flow["specialist"])
    page = specialist.get(PAGE)
    assert page.status_code == 200
    # Chair first, then the secretary, then the members.
    chair, member, secretary, *others = flow["members"]
    expected = [chair.pk, secretary.pk, member.pk, *(m.pk for m in others)]
    assert [m.pk for m in page.context["roster"].current] == expected
    assert newcomer in page.context["roster"].candidates
    assert flow["members"][1].user not in page.context["roster"].candidates

    specialist.post(
        PAGE,
        {
            "action": "add",
            "user": newcomer.pk,
            "role": "member",
            "title": "Phó Giám đốc",
            "valid_from": "2026-12-01",
        },
    )
    seat = CouncilMember.objects.get(user=newcomer)
    assert (seat.role, seat.title, seat.valid_from, seat.valid_to) == (
        "member",
        "Phó Giám đốc",
        dt.date(2026, 12, 1),
        None,
    )
    leaving = flow["members"][3]
    specialist.post(PAGE, {"action": "end", "member": leaving.pk, "valid_to": "2026-12-05"})
    leaving.refresh_from_db()
    assert leaving.valid_to == dt.date(2026, 12, 5)
    assert AuditLog.objects.filter(action__in=["council_member_add", "council_member_end"]).count() == 2

    # A session on 10/12/2026 counts the five sitting then: four of the first five, and the newcomer.
    dossier = _appraised(flow, drafted(flow, "CSTD_TINH"))
    session = services.council_session_create(
        actor=flow["specialist"], title="Phiên họp cuối năm", date=dt.date(2026, 12, 10), dossiers=[dossier]
    )
    assert session.total_members == 5
    assert set(session.members.values_list("pk", flat=True)) == {
        *(m.pk for m in flow["members"] if m.pk != leaving.pk),
        seat.pk,
    }


def test_membership_rules_and_who_may_change_it(
    flow: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    newcomer = make_user("uyvien.moi", Role.COUNCIL_MEMBER, flow["education"])
    add = {"actor": flow["specialist"], "valid_from": dt.date(2026, 12, 1)}
    # One seat at a time.
    with pytest.raises(ValidationError, match="đã là thành viên"):
        services.council_member_add(user=flow["council"], role=CouncilRole.MEMBER, **add)
    # One chair and one secretary at a time: the sitting one's term must end first.
    for role in (CouncilRole.CHAIR, CouncilRole.SECRETARY):
        with pytest.raises(ValidationError, match="hãy ghi ngày kết thúc"):
            services.council_member_add(user=newcomer, role=role, **add)
    services.council_member_end(
        actor=flow["specialist"], member=flow["members"][2], valid_to=dt.date(2026, 11, 30)
    )
    secretary = services.council_member_add(user=newcomer, role=CouncilRole.SECRETARY, **add)
    assert secretary.role == CouncilRole.SECRETARY
    with pytest.raises(ValidationError, match="sau ngày bắt đầu"):
        services.council_member_end(actor=flow["specialist"], member=secretary, valid_to=dt.date(2026, 11, 1))

    # Members, the chairman, unit staff and the administrator do not manage it; nothing changes.
    before = list(CouncilMember.objects.values_list("pk", "valid_to"))
    other = make_user("canbo.moi", Role.UNIT_OFFICER, flow["health"])
    for user in (flow["council"], flow["chairman"], flow["health_officer"], flow["admin"]):
        response = client_for(user).post(
            PAGE, {"action": "add", "user": other.pk, "role": "member", "valid_from": "2026-12-01"}
        )
        assert response.status_code == 403
        client_for(user).post(PAGE, {"action": "end", "member": secretary.pk, "valid_to": "2026-12-02"})
    assert list(CouncilMember.objects.values_list("pk", "valid_to")) == before
    # Reading the roster belongs to those who see the Council; a unit officer does not.
    assert client_for(flow["health_officer"]).get(PAGE).status_code == 403
    assert client_for(flow["council"]).get(PAGE).status_code == 200


def test_the_api_manages_the_same_roster(flow: dict[str, Any], client: Client) -> None:
    from tests.proposals.test_api import Api

    newcomer = make_user("uyvien.moi", Role.COUNCIL_MEMBER, flow["education"])
    listed = Api(client, flow["council"]).get("/council/members").json()["items"]
    assert [m["id"] for m in listed] == sorted(m["id"] for m in listed) or len(listed) == 5
    assert {m["id"] for m in listed} == {m.pk for m in flow["members"]}
    body = {"user_id": newcomer.pk, "role": "member", "title": "Ủy viên", "valid_from": "2026-12-01"}
    assert Api(client, flow["council"]).post("/council/members", body).status_code == 403
    created = Api(client, flow["specialist"]).post("/council/members", body)
    assert created.status_code == 201 and created.json()["name"] == str(newcomer)
    again = Api(client, flow["specialist"]).post("/council/members", body)
    assert again.status_code == 400 and "đã là thành viên" in again.json()["detail"]
    ended = Api(client, flow["specialist"]).post(
        f"/council/members/{created.json()['id']}/end", {"valid_to": "2026-12-31"}
    )
    assert ended.status_code == 200 and ended.json()["valid_to"] == "2026-12-31"
