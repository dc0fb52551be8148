"""The state machine of a yearly registration (đăng ký thi đua), as a table: drafted by the unit's
officer, submitted by its head, approved or returned with a reason by the specialist of the authority
above the unit. The model's django-fsm transitions, the services' checks, the pages' buttons and the REST
API's actions read this table, like `movements.workflow` for progress reports.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from thidua.accounts.models import Role
from thidua.movements.workflow import Move, Step


class RegistrationState(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Trả lại để sửa")
    APPROVED = "approved", _("Đã duyệt")


S = RegistrationState
# The unit may still change it.
EDITABLE_STATES = (S.DRAFT, S.RETURNED)
# It has gone up to the authority above: what the summary counts.
SENT_STATES = (S.SUBMITTED, S.APPROVED)

MOVES: dict[str, Move] = {
    move.method: move
    for move in (
        Move("submit", (S.DRAFT, S.RETURNED), S.SUBMITTED),
        Move("approve", (S.SUBMITTED,), S.APPROVED),
        Move("return_for_correction", (S.SUBMITTED,), S.RETURNED),
    )
}

STEPS: tuple[Step, ...] = (
    # The head signs what the unit registers, as for a dossier's tờ trình and a progress report.
    Step("submit", "gui", "submit", (Role.UNIT_HEAD,), "comment", _("Đã gửi bản đăng ký thi đua.")),
    Step("approve", "duyet", "approve", (Role.BOARD_SPECIALIST,), "comment", _("Đã duyệt bản đăng ký.")),
    Step(
        "return",
        "tra-lai",
        "return_for_correction",
        (Role.BOARD_SPECIALIST,),
        "reason",
        _("Đã trả lại bản đăng ký để đơn vị sửa."),
    ),
)

BY_SLUG = {s.slug: s for s in STEPS}
BY_NAME = {s.name: s for s in STEPS}
