"""The two state machines of a movement, as tables: the movement's own life (launched, reviewed at
mid-term, concluded, archived) and each progress report's (drafted and submitted by the unit, accepted
or returned by the launching authority). The models' django-fsm transitions, the services' checks, the
pages' buttons and the REST API's actions read these tables, like `proposals.workflow` for dossiers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from thidua.accounts.models import Role


class MovementState(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    LAUNCHED = "launched", _("Đã phát động")
    MIDTERM_REVIEWED = "midterm_reviewed", _("Đã sơ kết")
    CONCLUDED = "concluded", _("Đã tổng kết")
    ARCHIVED = "archived", _("Đã lưu trữ")


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Trả lại để sửa")
    ACCEPTED = "accepted", _("Đã chấp nhận")


M, R = MovementState, ReportState
# While the units are working on it: reports may be written, submitted and reviewed.
RUNNING_STATES = (M.LAUNCHED, M.MIDTERM_REVIEWED)
# Its criteria and targets may still change: before launch only (a launched movement's yardstick is
# what the units were told).
EDITABLE_STATES = (M.DRAFT,)
# A report the unit may still change.
REPORT_EDITABLE_STATES = (R.DRAFT, R.RETURNED)


@dataclass(frozen=True)
class Move:
    method: str
    sources: tuple[str, ...]
    target: str


MOVEMENT_MOVES: dict[str, Move] = {
    move.method: move
    for move in (
        Move("launch", (M.DRAFT,), M.LAUNCHED),
        Move("review_midterm", (M.LAUNCHED,), M.MIDTERM_REVIEWED),
        Move("conclude", (M.LAUNCHED, M.MIDTERM_REVIEWED), M.CONCLUDED),
        Move("archive", (M.CONCLUDED,), M.ARCHIVED),
    )
}

# A review's kind (models.ReviewKind) → the move recording it takes: a sơ kết or tổng kết is always
# recorded with its date and the Board's assessment (services.review_record).
REVIEW_MOVES: dict[str, str] = {"midterm": "review_midterm", "final": "conclude"}

REPORT_MOVES: dict[str, Move] = {
    move.method: move
    for move in (
        Move("submit", (R.DRAFT, R.RETURNED), R.SUBMITTED),
        Move("accept", (R.SUBMITTED,), R.ACCEPTED),
        Move("return_for_correction", (R.SUBMITTED,), R.RETURNED),
    )
}


def sources(table: dict[str, Move], method: str) -> list[str]:
    return list(table[method].sources)


def target(table: dict[str, Move], method: str) -> str:
    return table[method].target


@dataclass(frozen=True)
class Step:
    """A step a user takes by name (a page's button, an API action)."""

    name: str
    slug: str
    move: str
    roles: tuple[str, ...]
    # "reason" (required) or "comment" (optional): what the user's text is.
    text: str
    success: Promise


MOVEMENT_STEPS: tuple[Step, ...] = (
    Step("launch", "phat-dong", "launch", (Role.BOARD_SPECIALIST,), "comment", _("Đã phát động phong trào.")),
    Step(
        "review_midterm",
        "so-ket",
        "review_midterm",
        (Role.BOARD_SPECIALIST,),
        "comment",
        _("Đã ghi sơ kết phong trào."),
    ),
    Step(
        "conclude",
        "tong-ket",
        "conclude",
        (Role.BOARD_SPECIALIST,),
        "comment",
        _("Đã ghi tổng kết phong trào."),
    ),
    Step("archive", "luu-tru", "archive", (Role.BOARD_SPECIALIST,), "comment", _("Đã lưu trữ phong trào.")),
)

REPORT_STEPS: tuple[Step, ...] = (
    # The head signs what the unit reports, as for a dossier's tờ trình.
    Step("submit", "gui", "submit", (Role.UNIT_HEAD,), "comment", _("Đã gửi báo cáo.")),
    Step("accept", "chap-nhan", "accept", (Role.BOARD_SPECIALIST,), "comment", _("Đã chấp nhận báo cáo.")),
    Step(
        "return",
        "tra-lai",
        "return_for_correction",
        (Role.BOARD_SPECIALIST,),
        "reason",
        _("Đã trả lại báo cáo để đơn vị sửa."),
    ),
)

MOVEMENT_BY_SLUG = {s.slug: s for s in MOVEMENT_STEPS}
MOVEMENT_BY_NAME = {s.name: s for s in MOVEMENT_STEPS}
REPORT_BY_SLUG = {s.slug: s for s in REPORT_STEPS}
REPORT_BY_NAME = {s.name: s for s in REPORT_STEPS}
