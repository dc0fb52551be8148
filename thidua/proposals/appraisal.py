"""The automatic part of appraisal: every nominee of a dossier through the eligibility engine, plus the
checks the engine cannot make alone because they look across dossiers and the registry: the same
recipient proposed twice, two awards for one achievement, the quota over the unit's batch.

Constant queries whatever the dossier's size: candidates are built in bulk (one query per kind of
history), the cross-dossier and registry checks are one query each, and the lines are written back with
one UPDATE statement run over all of them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Field, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.appraisal.candidates import candidates_for_households, candidates_for_people, candidates_for_units
from thidua.awards.models import AwardRecord
from thidua.eligibility.engine import default_evaluator, quota_checks
from thidua.eligibility.model import Candidate, MovementFacts
from thidua.organisation.models import Household, Person, Unit
from thidua.proposals.models import Dossier, DossierState, Nominee, recipient_key

# "No multiple awards or multiple forms for one achievement" (Luật Thi đua, khen thưởng 2022, Điều 5).
ONE_ACHIEVEMENT_BASIS = "Luật Thi đua, khen thưởng 2022, Điều 5"
DEAD_STATES = (DossierState.WITHDRAWN, DossierState.REJECTED)

_OWNER = {"individual": "person", "collective": "collective", "household": "household"}
_RECORD_OWNER = {"individual": "person", "collective": "unit", "household": "household"}


def _ids_by_kind(keys: Iterable[tuple[str, int]]) -> dict[str, set[int]]:
    ids: dict[str, set[int]] = defaultdict(set)
    for kind, pk in keys:
        ids[kind].add(pk)
    return ids


def _candidates(lines: list[Nominee]) -> dict[tuple[str, int], Candidate]:
    ids = _ids_by_kind(line.recipient_key for line in lines)
    out: dict[tuple[str, int], Candidate] = {}
    if ids["individual"]:
        people = Person.objects.filter(pk__in=ids["individual"]).order_by("pk")
        for c in candidates_for_people(people):
            out["individual", int(c.id)] = c
    if ids["collective"]:
        units = Unit.objects.filter(pk__in=ids["collective"]).order_by("pk")
        for c in candidates_for_units(units):
            out["collective", int(c.id)] = c
    if ids["household"]:
        households = Household.objects.filter(pk__in=ids["household"]).order_by("pk")
        for c in candidates_for_households(households):
            out["household", int(c.id)] = c
    return out


def _recipient_q(keys: Iterable[tuple[str, int]], owner_names: dict[str, str]) -> Q:
    q = Q(pk__in=[])
    for kind, pks in _ids_by_kind(keys).items():
        q |= Q(**{f"{owner_names[kind]}_id__in": pks})
    return q


def _flag(code: str, text: str, basis: str = "") -> dict[str, str]:
    return {"code": code, "text": text, "basis": basis}


def _duplicate_flags(dossier: Dossier, lines: list[Nominee]) -> dict[int, list[dict[str, str]]]:
    flags: dict[int, list[dict[str, str]]] = defaultdict(list)
    # Within the dossier: one recipient, two forms of commendation (hình thức khen thưởng). Titles are
    # not in this count: LĐTT and CSTĐ cơ sở of one year go together (the second requires the first),
    # and a yearly title beside a Bằng khen rewards the emulation, not the same achievement twice.
    seen: dict[tuple[str, int], list[Nominee]] = defaultdict(list)
    for line in lines:
        if line.award_type.category == "form":
            seen[line.recipient_key].append(line)
    for group in seen.values():
        if len(group) > 1:
            names = ", ".join(g.award_type.name for g in group)
            for line in group:
                flags[line.pk].append(
                    _flag(
                        "same_dossier_twice",
                        _(
                            "Được đề nghị {n} lần trong cùng hồ sơ ({names}): "
                            "một thành tích chỉ khen một hình thức"
                        ).format(n=len(group), names=names),
                        ONE_ACHIEVEMENT_BASIS,
                    )
                )
    # Across dossiers: the same recipient, the same year, the same level, in another live dossier.
    origin = Q(dossier_id=dossier.sent_up_from_id) if dossier.sent_up_from_id else Q(pk__in=[])
    others = (
        Nominee.objects.filter(
            _recipient_q((line.recipient_key for line in lines), _OWNER),
            is_active=True,
            dossier__year=dossier.year,
        )
        .exclude(dossier=dossier)
        .exclude(dossier__state__in=DEAD_STATES)
        # A line sent up lives on in the dossier it went up in: the same proposal, not a second one.
        .exclude(dossier__sent_up_from=dossier)
        .exclude(origin)
        .values_list(
            "person_id",
            "collective_id",
            "household_id",
            "award_type__level",
            "award_type__name",
            "dossier__code",
            "dossier__unit__name",
        )
    )
    by_key: dict[tuple[str, int], list[tuple[str, str, str, str]]] = defaultdict(list)
    for person_id, collective_id, household_id, level, name, code, unit in others:
        by_key[recipient_key(person_id, collective_id, household_id)].append((level, name, code, unit))
    for line in lines:
        for level, name, code, unit in by_key.get(line.recipient_key, []):
            if level == line.award_type.level:
                flags[line.pk].append(
                    _flag(
                        "other_dossier",
                        _("Cũng được đề nghị {award} năm {year} trong hồ sơ {code} của {unit}").format(
                            award=name, year=dossier.year, code=code, unit=unit
                        ),
                        ONE_ACHIEVEMENT_BASIS,
                    )
                )
    # The registry: already awarded for this year's achievement of the same kind.
    records = AwardRecord.objects.filter(
        _recipient_q((line.recipient_key for line in lines), _RECORD_OWNER),
        year=dossier.year,
        kind=dossier.kind,
        revoked_on__isnull=True,
    ).values_list(
        "person_id",
        "unit_id",
        "household_id",
        "award_type_id",
        "award_type__name",
        "award_type__category",
        "decision__number",
        "decision__date",
    )
    held: dict[tuple[str, int], list[tuple[int, str, str, str, dt.date]]] = defaultdict(list)
    for person_id, unit_id, household_id, type_id, name, category, number, date in records:
        held[recipient_key(person_id, unit_id, household_id)].append((type_id, name, category, number, date))
    for line in lines:
        for type_id, name, category, number, date in held.get(line.recipient_key, []):
            if type_id == line.award_type_id:
                text = _("Đã được tặng {award} năm {year} theo Quyết định số {number} ngày {date}")
            elif category == line.award_type.category == "form":
                text = _(
                    "Đã được tặng {award} cho thành tích năm {year} (Quyết định số {number} ngày {date}): "
                    "một thành tích không khen hai hình thức"
                )
            else:
                continue
            flags[line.pk].append(
                _flag(
                    "already_awarded",
                    text.format(award=name, year=dossier.year, number=number, date=date.strftime("%d/%m/%Y")),
                    ONE_ACHIEVEMENT_BASIS,
                )
            )
    return flags


def _write_back(lines: list[Nominee]) -> None:
    """One UPDATE statement run for every line, each value prepared by its own field.

    `bulk_update` builds a CASE expression per field and row; for a 500-line dossier that was 55–65% of
    the whole appraisal (docs/benchmarks.md), against a tenth of it for this.
    """
    fields: list[Field[Any, Any]] = [
        Nominee._meta.get_field(name)  # type: ignore[misc]
        for name in ("verdict", "check_result", "checked_at", "flags")
    ]
    table = connection.ops.quote_name(Nominee._meta.db_table)
    columns = ", ".join(f"{connection.ops.quote_name(f.column or f.name)} = %s" for f in fields)
    rows = [
        [f.get_db_prep_save(getattr(line, f.attname), connection) for f in fields] + [line.pk]
        for line in lines
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {columns} WHERE id = %s", rows)


def movement_facts(dossier: Dossier) -> MovementFacts | None:
    """The movement the dossier is linked to, as the engine reads it (its kind and dates decide the routes
    that require a thematic movement of N years); None when the dossier names no movement of the system.
    No query when the dossier was read with its movement (`select_related("linked_movement")`)."""
    if dossier.linked_movement_id is None:
        return None
    movement = dossier.linked_movement
    assert movement is not None
    return MovementFacts(movement.kind, movement.start_date, movement.end_date, movement.title)


def appraise_dossier(
    dossier: Dossier, as_of: dt.date, *, recipients: set[tuple[str, int]] | None = None
) -> list[Nominee]:
    """Appraise the dossier's lines; with `recipients`, only the lines of those recipients (drafting adds
    one line at a time, and only that recipient's verdict and duplicate flags can change)."""
    query = dossier.nominees.filter(is_active=True)
    if recipients:
        query = query.filter(_recipient_q(recipients, _OWNER))
    lines = list(query.select_related("award_type").order_by("position", "id"))
    if not lines:
        return []
    evaluator = default_evaluator()
    movement = movement_facts(dossier)
    candidates = _candidates(lines)
    # One history cache per recipient: each line is judged on its own recipient's record alone.
    histories: dict[tuple[str, int], dict[Any, Any]] = defaultdict(dict)
    results = []
    for line in lines:
        candidate = candidates[line.recipient_key]
        result = evaluator.evaluate(
            candidate,
            line.award_type.code,
            dossier.year,
            as_of,
            dossier.kind,
            histories=histories[line.recipient_key],
            movement=movement,
        )
        results.append(result)
    # The quota (old regime) is a check over the unit's batch: the dossier is that batch.
    quota = quota_checks(results, list(candidates.values()), evaluator)
    flags = _duplicate_flags(dossier, lines)
    now = timezone.now()
    for line, result in zip(lines, results, strict=True):
        line.verdict = result.verdict
        line.check_result = result.as_dict()
        line.checked_at = now
        line.flags = flags.get(line.pk, [])
        for check in quota:
            if (
                str(line.recipient_key[1]) in check["candidates"]
                and line.recipient_kind == "individual"
                and not check["met"]
            ):
                line.flags.append(_flag("quota", check["text"], check.get("basis", "")))
    _write_back(lines)
    return lines
