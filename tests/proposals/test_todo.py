"""'Việc cần làm' on every dashboard: what waits for this user, soonest deadline first, and nothing that
belongs to someone else."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.proposals.conftest import drafted
from tests.proposals.test_workflow import _appraised
from thidua.proposals import services
from thidua.proposals.selectors import todo

pytestmark = pytest.mark.django_db


def _texts(user: Any) -> list[str]:
    return [item.text for item in todo(user=user)]


def test_each_role_sees_what_waits_for_it(flow: dict[str, Any], client_for: Callable[[Any], Client]) -> None:
    draft = drafted(flow)
    assert _texts(flow["health_officer"]) == [f"Hoàn thiện hồ sơ {draft.code}: {draft.title}"]
    assert _texts(flow["health_head"]) == [f"Xem và trình hồ sơ {draft.code}: {draft.title}"]
    assert _texts(flow["specialist"]) == []

    services.dossier_submit(actor=flow["health_head"], dossier=draft)
    draft.refresh_from_db()
    waiting = todo(user=flow["specialist"])
    assert [i.text for i in waiting] == [f"Tiếp nhận hoặc trả lại hồ sơ {draft.code} của Sở Y tế"]
    assert waiting[0].due == draft.due_date and waiting[0].url == f"/ho-so/{draft.pk}/"
    # The specialist from the proposing unit may not handle it, so it does not wait for them.
    assert _texts(flow["conflicted_specialist"]) == []
    assert _texts(flow["health_officer"]) == [] and _texts(flow["education_officer"]) == []

    services.dossier_return(actor=flow["specialist"], dossier=draft, reason="Thiếu biên bản")
    assert _texts(flow["health_officer"]) == [f"Bổ sung hồ sơ {draft.code} bị trả lại: {draft.title}"]
    assert _texts(flow["education_officer"]) == []

    # A Council vote waits for each member counted in, until they have voted.
    ballot = _appraised(flow, drafted(flow, "CSTD_TINH"))
    session = services.council_session_create(
        actor=flow["specialist"], title="Phiên họp cuối năm", date=dt.date(2026, 12, 10), dossiers=[ballot]
    )
    services.attendance_all_present(actor=flow["specialist"], session=session)
    member = flow["members"][1].user
    assert _texts(member) == ["Bỏ phiếu 1 trường hợp: Phiên họp cuối năm"]
    # The member from Sở Y tế does not vote on its dossier, so nothing waits for them.
    assert _texts(flow["members"][3].user) == []
    services.ballot_cast(actor=member, session=session, nominee=ballot.nominees.get(), agree=True)
    assert _texts(member) == []

    # The chairman decides; the administrator is never asked to.
    decidable = _appraised(flow, drafted(flow, "BK_TINH", person=flow["clinic_person"]))
    assert f"Ra quyết định cho hồ sơ {decidable.code} của Sở Y tế" in _texts(flow["chairman"])
    assert not any("Ra quyết định" in t for t in _texts(flow["admin"]))
    page = client_for(flow["chairman"]).get("/tong-quan/")
    assert "Việc cần làm" in page.text and decidable.code in page.text


def test_the_decide_button_shows_only_to_who_signs(
    flow: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    from thidua.accounts.models import Role, User

    root = User.objects.create_superuser("root", password="x", role=Role.ADMINISTRATOR)
    for user, shown in (
        (flow["chairman"], True),
        (root, False),
        (flow["admin"], False),
        (flow["specialist"], False),
    ):
        page = client_for(user).get("/tong-quan/").text
        assert ('href="/ho-so/quyet-dinh/"' in page) is shown, user


def test_returned_and_draft_dossiers_in_deadline_order(flow: dict[str, Any]) -> None:
    """A unit's returned and draft dossiers come from one query: by deadline (none last), a returned one
    before a draft with the same deadline, then the oldest first, as when they were two lists."""
    from thidua.proposals.models import Dossier

    first, second = drafted(flow), drafted(flow, "CSTD_TINH")
    services.dossier_submit(actor=flow["health_head"], dossier=second)
    second.refresh_from_db()
    services.dossier_return(actor=flow["specialist"], dossier=second, reason="Thiếu biên bản")
    second.refresh_from_db()
    third = drafted(flow, "BK_TINH", person=flow["clinic_person"])
    returned = f"Bổ sung hồ sơ {second.code} bị trả lại: {second.title}"
    drafts = [f"Hoàn thiện hồ sơ {d.code}: {d.title}" for d in (first, third)]
    Dossier.objects.filter(pk__in=[first.pk, second.pk, third.pk]).update(due_date=None)
    assert _texts(flow["health_officer"]) == [returned, *drafts]
    # An earlier deadline comes first whatever the state.
    Dossier.objects.filter(pk=third.pk).update(due_date=dt.date(2026, 1, 5))
    assert _texts(flow["health_officer"]) == [drafts[1], returned, drafts[0]]
