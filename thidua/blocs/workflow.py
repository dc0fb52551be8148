"""The states of a bloc's score sheet and of each member unit's scoring, as tables (like
`movements.workflow`): the models' django-fsm transitions and the services' checks read them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class SheetState(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    APPROVED = "approved", _("Đã duyệt, đang chấm điểm")
    SETTLED = "settled", _("Hội nghị khối đã chốt điểm")
    PUBLISHED = "published", _("Đã công bố xếp hạng")


class UnitSheetState(models.TextChoices):
    DRAFT = "draft", _("Đang tự chấm")
    SUBMITTED = "submitted", _("Đã gửi, chờ chấm chéo")
    REVIEWED = "reviewed", _("Đã chấm chéo")


class Approver(models.TextChoices):
    """Who approves the sheet and publishes the ranking: the bloc's rulebook says (issue 11, item 1)."""

    BOARD = "board", _("Ban Thi đua – Khen thưởng tỉnh")
    BLOC = "bloc", _("Khối, cụm thi đua (khối trưởng)")


class Succession(models.TextChoices):
    """How the bloc's rulebook names next year's leader and deputy (issue 11, item 6)."""

    ROTATION = "rotation", _("Luân phiên theo danh sách thành viên")
    RANKING = "ranking", _("Theo kết quả xếp hạng (nhất: khối trưởng, nhì: khối phó)")


class ItemKind(models.TextChoices):
    BASE = "base", _("Tiêu chí")
    BONUS = "bonus", _("Điểm thưởng")
    PENALTY = "penalty", _("Điểm trừ")


class Stage(models.TextChoices):
    """Who set a score: the unit itself, the cross-review, the bloc meeting; and the meeting's votes."""

    SELF = "self", _("Tự chấm")
    REVIEW = "review", _("Chấm chéo")
    FINAL = "final", _("Hội nghị khối chốt")
    VOTE = "vote", _("Phiếu bầu của hội nghị khối")


S, U = SheetState, UnitSheetState


@dataclass(frozen=True)
class Move:
    method: str
    sources: tuple[str, ...]
    target: str


SHEET_MOVES: dict[str, Move] = {
    m.method: m
    for m in (
        Move("approve", (S.DRAFT,), S.APPROVED),
        Move("settle", (S.APPROVED,), S.SETTLED),
        Move("publish", (S.SETTLED,), S.PUBLISHED),
    )
}
UNIT_MOVES: dict[str, Move] = {
    m.method: m
    for m in (
        Move("submit", (U.DRAFT,), U.SUBMITTED),
        Move("finish_review", (U.SUBMITTED,), U.REVIEWED),
    )
}


def sources(table: dict[str, Move], method: str) -> list[str]:
    return list(table[method].sources)


def target(table: dict[str, Move], method: str) -> str:
    return table[method].target
