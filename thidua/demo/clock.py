"""The demo's past: the records it writes through the services are stamped "now"; these put each step back
on the day the demo's story gives it (a 2025 report accepted in April 2025, not on the day of the load)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils import timezone


def moment(day: dt.date, hour: int = 9) -> dt.datetime:
    """`day` at `hour` o'clock, local time."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def date_last_step(
    record: models.Model, log: type[models.Model], link: str, when: dt.datetime, *fields: str
) -> None:
    """Date the step just taken on `record` to `when`: its own timestamps named in `fields`, and the last
    row of its transition log (`log`, whose foreign key to the record is `link`)."""
    type(record)._default_manager.filter(pk=record.pk).update(**dict.fromkeys(fields, when))
    filters: dict[str, Any] = {link: record}
    last = log._default_manager.filter(**filters).order_by("-pk").values_list("pk", flat=True)[:1]
    log._default_manager.filter(pk__in=list(last)).update(at=when)
