"""`thidua movements_standing`: rebuild every target unit's stored progress from the accepted reports.

The services keep `UnitStanding` up to date; this is for data written another way (an import into the
tables, a restore from before the table existed, an edit by hand in the admin). A unit without a row is
computed on the spot by the pages, so running it is about speed, never about the figures shown.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from thidua.movements import standing
from thidua.movements.models import Movement
from thidua.movements.workflow import MovementState


class Command(BaseCommand):
    help = "Tính lại tiến độ tính sẵn của mọi đơn vị tham gia phong trào từ các báo cáo đã được chấp nhận."

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        for movement in Movement.objects.exclude(state=MovementState.DRAFT).order_by("pk"):
            with transaction.atomic():
                standing.refresh(movement)
            count += 1
        self.stdout.write(f"Đã tính lại tiến độ của {count} phong trào.")
