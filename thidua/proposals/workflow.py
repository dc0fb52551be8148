"""The dossier's workflow as one table: every state, every move between states, and every step a user
takes by name. The state machine (models.Dossier's transitions), the permission rules (rules.py), the
services' role checks, the pages' buttons and URLs, and the REST API's actions are all read from here,
so none of them can drift from the others.

A step acts within a place: the proposing unit's scope ("unit": its head submits and withdraws) or the
authority the dossier is addressed to ("authority": its specialist receives, returns, appraises;
"head": its head decides). The services check the same place again: a page that shows a button is a
convenience, the service is the guard.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from thidua.accounts.models import Role


class DossierState(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã trình")
    RETURNED = "returned", _("Trả lại để bổ sung")
    RECEIVED = "received", _("Đã tiếp nhận")
    APPRAISED = "appraised", _("Đã thẩm định")
    COUNCIL = "council", _("Trình Hội đồng")
    DECIDED = "decided", _("Đã có quyết định")
    FORWARDED = "forwarded", _("Đã trình cấp trên")
    REJECTED = "rejected", _("Không được chấp thuận")
    WITHDRAWN = "withdrawn", _("Đã rút")


S = DossierState
# States in which the authority still owes the unit an answer; the deadline counts only there.
OPEN_STATES = (S.SUBMITTED, S.RECEIVED, S.APPRAISED, S.COUNCIL)
# States the proposing unit may still change.
EDITABLE_STATES = (S.DRAFT, S.RETURNED)
FINAL_STATES = (S.DECIDED, S.REJECTED, S.WITHDRAWN)


@dataclass(frozen=True)
class Move:
    """One transition of the state machine: its method on Dossier, from which states, to which."""

    method: str
    sources: tuple[str, ...]
    target: str


MOVES: dict[str, Move] = {
    move.method: move
    for move in (
        Move("submit", (S.DRAFT, S.RETURNED), S.SUBMITTED),
        Move("receive", (S.SUBMITTED,), S.RECEIVED),
        Move("return_for_amendment", (S.SUBMITTED, S.RECEIVED, S.APPRAISED), S.RETURNED),
        Move("complete_appraisal", (S.RECEIVED,), S.APPRAISED),
        Move("send_to_council", (S.APPRAISED,), S.COUNCIL),
        Move("decide", (S.APPRAISED, S.COUNCIL), S.DECIDED),
        Move("forward", (S.APPRAISED, S.COUNCIL), S.FORWARDED),
        Move("record_central_answer", (S.FORWARDED,), S.DECIDED),
        Move("reject", (S.APPRAISED, S.COUNCIL, S.FORWARDED), S.REJECTED),
        Move("withdraw", (S.DRAFT, S.RETURNED, S.SUBMITTED, S.RECEIVED), S.WITHDRAWN),
    )
}


def sources(method: str) -> list[str]:
    """django-fsm's `source` of the transition `method`, from the table."""
    return list(MOVES[method].sources)


def target(method: str) -> str:
    return MOVES[method].target


# Where a step acts: the proposing unit's scope, the addressed authority (its specialist), its head.
UNIT, AUTHORITY, HEAD = "unit", "authority", "head"


@dataclass(frozen=True)
class Step:
    """A step a user takes on a dossier by name (page button, API action)."""

    name: str
    slug: str
    # The state machine's move it makes; None when it changes no state (re-checking the conditions).
    move: str | None
    # The states it may be taken from: the move's sources, unless narrower.
    states: tuple[str, ...]
    roles: tuple[str, ...]
    where: str
    # The keyword the user's text goes to: "comment", "reason" (required) or None.
    text: str | None
    success: Promise
    help: str


STEPS: tuple[Step, ...] = (
    Step(
        "submit",
        "trinh",
        "submit",
        MOVES["submit"].sources,
        (Role.UNIT_HEAD,),
        UNIT,
        "comment",
        _("Đã trình hồ sơ. Đơn vị theo dõi tiến độ tại trang này."),
        "thủ trưởng đơn vị trình (tờ trình do người đứng đầu ký, Luật Thi đua, khen thưởng 2022, Điều 84)",
    ),
    Step(
        "receive",
        "tiep-nhan",
        "receive",
        MOVES["receive"].sources,
        (Role.BOARD_SPECIALIST,),
        AUTHORITY,
        "comment",
        _("Đã tiếp nhận hồ sơ."),
        "chuyên viên của cấp nhận hồ sơ tiếp nhận",
    ),
    Step(
        "return",
        "tra-lai",
        "return_for_amendment",
        MOVES["return_for_amendment"].sources,
        (Role.BOARD_SPECIALIST,),
        AUTHORITY,
        "reason",
        _("Đã trả lại hồ sơ cho đơn vị bổ sung."),
        "trả lại để bổ sung (cần lý do)",
    ),
    Step(
        "withdraw",
        "rut",
        "withdraw",
        MOVES["withdraw"].sources,
        (Role.UNIT_HEAD,),
        UNIT,
        "reason",
        _("Đã rút hồ sơ."),
        "đơn vị rút hồ sơ (cần lý do)",
    ),
    Step(
        "reappraise",
        "kiem-tra-lai",
        None,
        (S.SUBMITTED, S.RECEIVED),
        (Role.BOARD_SPECIALIST,),
        AUTHORITY,
        None,
        _("Đã kiểm tra lại điều kiện của mọi dòng."),
        "kiểm tra lại điều kiện",
    ),
    Step(
        "complete_appraisal",
        "xong-tham-dinh",
        "complete_appraisal",
        MOVES["complete_appraisal"].sources,
        (Role.BOARD_SPECIALIST,),
        AUTHORITY,
        "comment",
        _("Đã hoàn thành thẩm định."),
        "hoàn thành thẩm định",
    ),
    Step(
        "reject",
        "khong-chap-thuan",
        "reject",
        MOVES["reject"].sources,
        (Role.BOARD_SPECIALIST, Role.CHAIRMAN, Role.UNIT_HEAD),
        HEAD,
        "reason",
        _("Đã ghi không chấp thuận."),
        "người đứng đầu cấp nhận hồ sơ (hoặc chuyên viên của cấp đó) không chấp thuận (cần lý do)",
    ),
)

BY_NAME: dict[str, Step] = {step.name: step for step in STEPS}
BY_SLUG: dict[str, Step] = {step.slug: step for step in STEPS}
