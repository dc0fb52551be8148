"""Changes other apps make that the public pages show: the movements and their reviews on the home and
movements pages, the award records (a revocation) on a role model's page, the names of people and units."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save

from thidua.awards.models import AwardRecord, Decision
from thidua.movements.models import Movement, MovementReview
from thidua.organisation.models import Person, Unit
from thidua.portal.cache import bump_after_commit


def _retire_pages(sender: Any, **kwargs: Any) -> None:
    bump_after_commit()


for _model in (Movement, MovementReview, AwardRecord, Decision, Person, Unit):
    post_save.connect(_retire_pages, sender=_model, dispatch_uid=f"portal_retire_pages_{_model.__name__}")
