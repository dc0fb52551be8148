"""The state machine of a directive, plan or inspection plan, as a table (like `movements.workflow`): drafted
by the issuing authority's specialist, issued (the units given tasks are told), closed (no more reports,
no more reminders). The model's django-fsm transitions, the services, the pages' buttons and the API read it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from thidua.accounts.models import Role


class DirectiveState(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    ISSUED = "issued", _("Đang theo dõi")
    CLOSED = "closed", _("Đã kết thúc")


S = DirectiveState
# Tasks may be added (an inspection's recommendations come after the inspection) while not closed.
EDITABLE_STATES = (S.DRAFT, S.ISSUED)
# Units report and are reminded only while the directive is followed.
RUNNING_STATES = (S.ISSUED,)


@dataclass(frozen=True)
class Move:
    method: str
    sources: tuple[str, ...]
    target: str


MOVES: dict[str, Move] = {
    move.method: move
    for move in (
        Move("issue", (S.DRAFT,), S.ISSUED),
        Move("close", (S.ISSUED,), S.CLOSED),
    )
}


def sources(method: str) -> list[str]:
    return list(MOVES[method].sources)


def target(method: str) -> str:
    return MOVES[method].target


@dataclass(frozen=True)
class Step:
    name: str
    slug: str
    move: str
    roles: tuple[str, ...]
    success: Promise


STEPS: tuple[Step, ...] = (
    Step("issue", "ban-hanh", "issue", (Role.BOARD_SPECIALIST,), _("Đã đưa văn bản vào theo dõi.")),
    Step("close", "ket-thuc", "close", (Role.BOARD_SPECIALIST,), _("Đã kết thúc theo dõi văn bản.")),
)
BY_SLUG = {s.slug: s for s in STEPS}
BY_NAME = {s.name: s for s in STEPS}
