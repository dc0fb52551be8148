"""Test data built through the services, so tests see what the product itself writes."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from thidua.accounts.models import Role, User
from thidua.awards.models import AwardType
from thidua.awards.services import award_record_create, decision_get_or_create
from thidua.organisation.models import Authority, AuthorityLevel, Person, Unit, UnitKind
from thidua.organisation.services import person_create, unit_create

_counter = itertools.count(1)


def make_unit(
    name: str = "Sở Thử nghiệm", *, parent: Unit | None = None, kind: str = UnitKind.DEPARTMENT, **extra: Any
) -> Unit:
    return unit_create(
        actor=None, code=f"U{next(_counter):05d}", name=name, kind=kind, parent=parent, **extra
    )


def make_authority(
    unit: Unit,
    level: str = AuthorityLevel.PROVINCE,
    *,
    abbreviation: str = "UBND",
    head_title: str = "Chủ tịch",
    name: str = "",
    superior_name: str = "",
) -> Authority:
    """A deciding authority held by `unit` (its head decides; its own Council; its decision series)."""
    return Authority.objects.create(
        unit=unit,
        level=level,
        name=name or unit.name,
        abbreviation=abbreviation,
        head_title=head_title,
        superior_name=superior_name,
    )


def make_person(unit: Unit, full: str = "Nguyễn Văn An", **extra: Any) -> Person:
    words = full.split()
    fields: dict[str, Any] = {
        "family_name": words[0],
        "middle_name": " ".join(words[1:-1]),
        "given_name": words[-1],
        "gender": "male",
        "unit": unit,
    }
    fields.update(extra)
    return person_create(actor=None, **fields)


def make_user(
    username: str,
    role: str = Role.UNIT_OFFICER,
    unit: Unit | None = None,
    password: str = "mat-khau-thu-nghiem-1",
) -> User:
    user = User.objects.create_user(
        username=username, password=password, role=role, unit=unit, full_name=username
    )
    return user


def make_award(
    recipient: Any,
    code: str = "LDTT",
    year: int = 2024,
    *,
    number: str | None = None,
    actor: Any = None,
    **extra: Any,
) -> Any:
    decision, _ = decision_get_or_create(
        actor=actor,
        number=number or f"{next(_counter)}/QĐ-UBND",
        date=dt.date(year + 1, 1, 15),
        issuing_authority="UBND tỉnh Lai Châu",
    )
    return award_record_create(
        actor=actor,
        award_type=AwardType.objects.get(code=code),
        recipient=recipient,
        year=year,
        decision=decision,
        **extra,
    )
