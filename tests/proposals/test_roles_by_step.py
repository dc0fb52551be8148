"""Every workflow step × every kind of account, superusers included: a step is taken only by the role that
holds it within the dossier's authority. A superuser flag is for the admin site and opens no step, and
the rules' permissions give it nothing its role does not (the mechanism, not each view, refuses)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from tests.factories import make_authority, make_user
from tests.proposals.conftest import drafted
from tests.proposals.test_workflow import _appraised
from thidua.accounts.models import Role, User
from thidua.organisation.models import AuthorityLevel
from thidua.proposals import services
from thidua.proposals.models import CouncilRole, Dossier

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 7)


class _Undo(Exception):
    """Raised after a step succeeds, so its writes roll back and the next account finds the same state."""


def _outcome(step: Callable[[], Any]) -> str:
    try:
        with transaction.atomic():
            step()
            raise _Undo
    except _Undo:
        return "done"
    except PermissionDenied:
        return "forbidden"
    except ValidationError as exc:
        return f"refused: {exc.messages[0]}"


@pytest.fixture
def accounts(flow: dict[str, Any]) -> dict[str, User]:
    syt = make_authority(flow["health"], AuthorityLevel.DEPARTMENT, abbreviation="SYT", head_title="Giám đốc")
    superuser_admin = User.objects.create_superuser(
        "goc", password="x", role=Role.ADMINISTRATOR, unit=flow["ubnd"], full_name="Quản trị gốc"
    )
    superuser_officer = User.objects.create_superuser(
        "goc.canbo", password="x", role=Role.UNIT_OFFICER, unit=flow["education"], full_name="Cán bộ gốc"
    )
    syt_specialist = make_user("chuyenvien.syt", Role.BOARD_SPECIALIST, flow["health"])
    assert syt_specialist.authority == syt
    return {
        "health_officer": flow["health_officer"],
        "health_head": flow["health_head"],
        "education_head": flow["education_head"],
        "specialist": flow["specialist"],
        "conflicted_specialist": flow["conflicted_specialist"],
        "syt_specialist": syt_specialist,
        "council": flow["council"],
        "chairman": flow["chairman"],
        "admin": flow["admin"],
        "superuser_admin": superuser_admin,
        "superuser_officer": superuser_officer,
        "bloc_leader": make_user("khoitruong", Role.BLOC_LEADER, flow["education"]),
    }


def _submitted(flow: dict[str, Any]) -> Dossier:
    """A Sở Y tế dossier addressed to the province, submitted (the province is chosen: the Sở is an
    authority in these tests, and a Bằng khen is the province's)."""
    dossier = drafted(flow)
    services.dossier_submit(actor=flow["health_head"], dossier=dossier)
    dossier.refresh_from_db()
    return dossier


def test_who_takes_each_step_on_a_dossier_addressed_to_the_province(
    flow: dict[str, Any], accounts: dict[str, User]
) -> None:
    submitted = _submitted(flow)
    appraised = _appraised(flow, drafted(flow))
    steps: dict[str, tuple[Callable[[User], Any], set[str]]] = {
        "submit": (
            lambda u: services.dossier_submit(actor=u, dossier=drafted(flow)),
            {"health_head"},
        ),
        "receive": (lambda u: services.dossier_receive(actor=u, dossier=submitted), {"specialist"}),
        "return": (
            lambda u: services.dossier_return(actor=u, dossier=submitted, reason="Bổ sung"),
            {"specialist"},
        ),
        "reappraise": (lambda u: services.dossier_reappraise(actor=u, dossier=submitted), {"specialist"}),
        "session": (
            lambda u: services.council_session_create(
                actor=u, title="Phiên họp", date=TODAY, dossiers=[appraised]
            ),
            # Putting a dossier on the agenda is not appraising or voting it: no conflict of interest.
            {"specialist", "conflicted_specialist"},
        ),
        "council_seat": (
            lambda u: services.council_member_add(
                actor=u, user=flow["education_officer"], role=CouncilRole.MEMBER, valid_from=TODAY
            ),
            # The Council's membership is the province's business, not a dossier's: no conflict here.
            {"specialist", "conflicted_specialist"},
        ),
        "decide": (
            lambda u: services.dossiers_decide(actor=u, dossiers=[appraised], number="9/QĐ-UBND", date=TODAY),
            {"chairman"},
        ),
        "reject": (
            lambda u: services.dossier_reject(actor=u, dossier=appraised, reason="Chưa đủ thành tích"),
            {"specialist", "chairman"},
        ),
    }
    for name, (step, holders) in steps.items():
        for who, user in accounts.items():
            outcome = _outcome(lambda step=step, user=user: step(user))  # type: ignore[misc]
            if who in holders:
                assert outcome == "done", (name, who, outcome)
            else:
                assert outcome != "done", (name, who)
                # A refusal on the role or authority, not an accident of state. The Sở's specialist may
                # seat people on the Sở's Council, only not someone of another department.
                expected = "forbidden"
                if (name, who) == ("council_seat", "syt_specialist"):
                    expected = "refused: canbo.gd không công tác tại Sở Y tế"
                assert outcome.startswith(expected), (name, who, outcome)


def test_a_superuser_holds_no_product_permission_its_role_does_not(
    flow: dict[str, Any], accounts: dict[str, User]
) -> None:
    dossier = _submitted(flow)
    for perm, obj in (
        ("proposals.handle_dossier", dossier),
        ("proposals.submit_dossier", dossier),
        ("proposals.manage_council", None),
        ("proposals.decide", None),
        ("organisation.view_identity_number", flow["health_person"]),
    ):
        # The superuser with a unit officer's role of another unit: nothing the officer lacks.
        assert not accounts["superuser_officer"].has_perm(perm, obj), perm
    assert not accounts["superuser_admin"].has_perm("proposals.handle_dossier", dossier)
    assert not accounts["superuser_admin"].has_perm("proposals.decide")
    # Django's own model permissions (the admin site) stay the superuser's.
    assert accounts["superuser_admin"].has_perm("organisation.change_unit")
    assert not accounts["superuser_officer"].has_perm("proposals.view_dossier", dossier)
