"""Reads of the statistical forms: the records a form counts for an authority and a period, their
dimensions as SQL expressions, the table (one grouped query per form: the database counts, Python only
adds up the few hundred groups), a cell's records (the drill-down) and the records that cannot be
classified.

Which records belong to an authority: those of its units (its unit and every unit below it) — the
awards of its people, collectives and households, the movements launched by it or by an authority below
it, its bodies and civil servants doing emulation work. The report period is a run of whole years; an
award is counted in the year its decision was signed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import ExtractMonth, ExtractYear
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.accounts.models import User
from thidua.awards.models import AwardRecord, AwardType, CommendationKind, Decision
from thidua.movements.models import Movement, MovementKind
from thidua.movements.workflow import MovementState
from thidua.organisation.models import (
    Authority,
    EducationLevel,
    Gender,
    Person,
    PersonCategory,
    Unit,
)
from thidua.statistics.definitions import FORMS, Line, StatForm

FIRST_YEAR = 2000
LAST_YEAR = 2100
MAX_PERIOD_YEARS = 10


@dataclass(frozen=True)
class Period:
    first: int
    last: int

    @property
    def start(self) -> dt.date:
        return dt.date(self.first, 1, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.last, 12, 31)

    def __str__(self) -> str:
        if self.first == self.last:
            return _("Năm {year}").format(year=self.first)
        return _("Từ năm {first} đến năm {last}").format(first=self.first, last=self.last)

    def query(self) -> str:
        return f"nam={self.first}" + (f"&den_nam={self.last}" if self.last != self.first else "")


def parse_period(first: str | None, last: str | None, default_year: int) -> Period:
    """The report period from the query string; bad input falls back to the default year."""

    def year(text: str | None) -> int | None:
        try:
            value = int((text or "").strip())
        except ValueError:
            return None
        return value if FIRST_YEAR <= value <= LAST_YEAR else None

    start = year(first) or default_year
    end = year(last) or start
    if end < start or end - start >= MAX_PERIOD_YEARS:
        end = start
    return Period(start, end)


# --- Scope. ----------------------------------------------------------------------------------------


def authorities_for(user: User) -> QuerySet[Authority]:
    """The authorities whose forms the user may draw: every one for province-wide roles, else their own."""
    qs = Authority.objects.filter(is_active=True).select_related("unit").order_by("unit__path")
    if user.is_province_wide:
        return qs
    own = user.role_authority
    return qs.filter(pk=own.pk) if own is not None else qs.none()


def get_authority(*, user: User, pk: int | None) -> Authority:
    """The chosen authority if the user may see it (else 404); without a choice, the user's own or the
    first the user may see."""
    qs = authorities_for(user)
    if pk is not None:
        found = qs.filter(pk=pk).first()
        if found is None:
            raise Http404(_("Không tìm thấy cấp có thẩm quyền này trong phạm vi của bạn."))
        return found
    own = user.role_authority
    if own is not None and qs.filter(pk=own.pk).exists():
        return own
    first = qs.filter(level="province").first() or qs.first()
    if first is None:
        raise Http404(_("Chưa có cấp có thẩm quyền nào trong phạm vi của bạn."))
    return first


def _is_whole_register(authority: Authority) -> bool:
    # The province's root unit holds every unit: no path filter, so the whole-province query needs no join.
    # Asked once per authority object (a table reads it for its records and for the unclassified list).
    known = getattr(authority, "_whole_register", None)
    if known is None:
        known = authority.unit.parent_id is None and not (
            Unit.objects.filter(parent__isnull=True).exclude(pk=authority.unit_id).exists()
        )
        authority._whole_register = known  # type: ignore[attr-defined]
    return bool(known)


def _under(authority: Authority, *paths: str) -> Q:
    if _is_whole_register(authority):
        return Q()
    prefix = authority.unit.path
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{path}__startswith": prefix})
    return q


# --- Dimensions: one SQL expression per record and dimension name. ---------------------------------

Dimensions = dict[str, Any]

_MINORITY = Q(person__isnull=False) & ~Q(person__ethnicity__iexact="kinh") & ~Q(person__ethnicity="")
_REMOTE = (
    Q(person__unit__is_border=True)
    | Q(person__unit__is_highland=True)
    | Q(unit__is_border=True)
    | Q(unit__is_highland=True)
    | Q(household__unit__is_border=True)
    | Q(household__unit__is_highland=True)
)


def _flag(q: Q) -> Case:
    return Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())


def award_dimensions(period: Period) -> Dimensions:
    return {
        "award": F("award_type__code"),
        "recipient": Case(
            When(person__isnull=False, then=Value("individual")),
            When(unit__isnull=False, then=Value("collective")),
            default=Value("household"),
            output_field=CharField(),
        ),
        "unit_kind": F("unit__kind"),
        "category": F("person__category"),
        "gender": F("person__gender"),
        "minority": _flag(_MINORITY),
        "remote": _flag(_REMOTE),
        "method": F("kind"),
    }


def movement_dimensions(period: Period) -> Dimensions:
    months = (ExtractYear("end_date") - ExtractYear("start_date")) * 12 + (
        ExtractMonth("end_date") - ExtractMonth("start_date")
    )
    # Calendar months from the start month to the end month, both counted: 1/1–31/12 is 12, one year.
    return {
        "launcher": F("authority__level"),
        "duration": Case(
            When(Q(months__lt=11), then=Value("lt1")),
            When(Q(months=11), then=Value("1")),
            When(Q(months__lt=35), then=Value("1to3")),
            When(Q(months__lt=59), then=Value("3to5")),
            default=Value("5plus"),
            output_field=CharField(),
        ),
        "method": F("kind"),
        "_months": months,
    }


def unit_dimensions(period: Period) -> Dimensions:
    return {"body": F("emulation_body")}


def people_dimensions(period: Period) -> Dimensions:
    year = period.last

    def born_from(age: int) -> dt.date:
        # Aged under `age` in the year: born in year − age + 1 or later.
        return dt.date(year - age + 1, 1, 1)

    return {
        "gender": F("gender"),
        "age": Case(
            When(birth_date__isnull=True, then=Value("")),
            When(birth_date__gte=born_from(30), then=Value("lt30")),
            When(birth_date__gte=born_from(40), then=Value("30to39")),
            When(birth_date__gte=born_from(50), then=Value("40to49")),
            When(birth_date__gte=born_from(60), then=Value("50to59")),
            default=Value("60plus"),
            output_field=CharField(),
        ),
        "education": F("education"),
        "seniority": Case(
            When(emulation_work_since__isnull=True, then=Value("")),
            When(emulation_work_since__gt=year - 5, then=Value("lt5")),
            When(emulation_work_since__gt=year - 10, then=Value("5to9")),
            default=Value("10plus"),
            output_field=CharField(),
        ),
    }


def _annotated(qs: QuerySet[Any], dims: Dimensions) -> QuerySet[Any]:
    months = dims.get("_months")
    if months is not None:
        qs = qs.annotate(months=months)
    return qs.annotate(**{f"d_{name}": expr for name, expr in dims.items() if not name.startswith("_")})


# --- The records of a form. ------------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    dimensions: Callable[[Period], Dimensions]
    records: Callable[[StatForm, Authority, Period], QuerySet[Any]]
    # Why a record of the form's scope cannot be classified: (key, message, condition).
    unclassified: Callable[[StatForm, Authority, Period], list[tuple[str, Any, Q]]]
    # The form's scope before the classification: where the unclassified list looks.
    scope: Callable[[StatForm, Authority, Period], QuerySet[Any]]


def form_award_codes(form: StatForm) -> set[str]:
    return {code for line in form.columns for code in line.match.get("award", ())}


def _award_scope(form: StatForm, authority: Authority, period: Period) -> QuerySet[AwardRecord]:
    # The award types as a subquery on the record's own column: the database then starts from the
    # index on award_type_id (a few thousand State awards among a million records) instead of
    # walking every record of the period's decisions.
    # The period's decisions are matched through "decision_id + 0", which no index serves: SQLite
    # would otherwise walk the decision index (it takes the decisions of ten years for a handful)
    # and look up every record of the period.
    types = AwardType.objects.filter(level__in=form.levels).values("pk")
    decisions = Decision.objects.filter(date__gte=period.start, date__lte=period.end).values("pk")
    return AwardRecord.objects.alias(
        decision_key=ExpressionWrapper(F("decision_id") + 0, output_field=IntegerField())
    ).filter(
        _under(authority, "person__unit__path", "unit__path", "household__unit__path"),
        award_type_id__in=types,
        revoked_on__isnull=True,
        decision_key__in=decisions,
    )


def _award_records(form: StatForm, authority: Authority, period: Period) -> QuerySet[AwardRecord]:
    types = AwardType.objects.filter(level__in=form.levels, code__in=sorted(form_award_codes(form))).values(
        "pk"
    )
    return _award_scope(form, authority, period).filter(award_type_id__in=types)


def _award_unclassified(form: StatForm, authority: Authority, period: Period) -> list[tuple[str, Any, Q]]:
    person = Q(person__isnull=False)
    return [
        (
            "award",
            gettext_lazy("Danh hiệu, hình thức chưa có cột trong biểu"),
            ~Q(award_type__code__in=sorted(form_award_codes(form))),
        ),
        (
            "category",
            gettext_lazy("Cá nhân chưa ghi thành phần (lãnh đạo, doanh nhân, người trực tiếp lao động…)"),
            person & ~Q(person__category__in=PersonCategory.values),
        ),
        ("gender", gettext_lazy("Cá nhân chưa ghi giới tính"), person & ~Q(person__gender__in=Gender.values)),
        ("ethnicity", gettext_lazy("Cá nhân chưa ghi dân tộc"), person & Q(person__ethnicity="")),
        ("method", gettext_lazy("Chưa ghi phương thức khen thưởng"), ~Q(kind__in=CommendationKind.values)),
    ]


def _movement_scope(form: StatForm, authority: Authority, period: Period) -> QuerySet[Movement]:
    return Movement.objects.filter(
        _under(authority, "authority__unit__path"), start_date__lte=period.end, end_date__gte=period.start
    ).exclude(state=MovementState.DRAFT)


def _movement_unclassified(form: StatForm, authority: Authority, period: Period) -> list[tuple[str, Any, Q]]:
    launchers = {level for line in form.columns for level in line.match.get("launcher", ())}
    return [
        (
            "launcher",
            gettext_lazy("Cấp phát động chưa có cột trong biểu"),
            ~Q(authority__level__in=sorted(launchers)),
        ),
        ("method", gettext_lazy("Chưa ghi phương thức tổ chức"), ~Q(kind__in=MovementKind.values)),
    ]


def _unit_scope(form: StatForm, authority: Authority, period: Period) -> QuerySet[Unit]:
    day = period.end
    return (
        Unit.objects.filter(_under(authority, "path"))
        .exclude(emulation_body="")
        .filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )
    )


def _people_scope(form: StatForm, authority: Authority, period: Period) -> QuerySet[Person]:
    return Person.objects.filter(_under(authority, "unit__path"), emulation_work=True, is_active=True)


def _people_unclassified(form: StatForm, authority: Authority, period: Period) -> list[tuple[str, Any, Q]]:
    return [
        ("gender", gettext_lazy("Chưa ghi giới tính"), ~Q(gender__in=Gender.values)),
        ("birth_date", gettext_lazy("Chưa ghi ngày sinh"), Q(birth_date__isnull=True)),
        (
            "education",
            gettext_lazy("Chưa ghi trình độ chuyên môn"),
            ~Q(education__in=EducationLevel.values) | Q(education=""),
        ),
        (
            "since",
            gettext_lazy("Chưa ghi năm bắt đầu làm công tác thi đua, khen thưởng"),
            Q(emulation_work_since__isnull=True),
        ),
    ]


def _none(form: StatForm, authority: Authority, period: Period) -> list[tuple[str, Any, Q]]:
    return []


SUBJECTS: dict[str, Subject] = {
    "awards": Subject(award_dimensions, _award_records, _award_unclassified, _award_scope),
    "movements": Subject(movement_dimensions, _movement_scope, _movement_unclassified, _movement_scope),
    "units": Subject(unit_dimensions, _unit_scope, _none, _unit_scope),
    "people": Subject(people_dimensions, _people_scope, _people_unclassified, _people_scope),
}


def get_form(slug: str) -> StatForm:
    form = FORMS.get(slug)
    if form is None:
        raise Http404(_("Không có biểu thống kê này."))
    return form


def _line_q(line: Line) -> Q:
    q = Q()
    for name, values in line.match.items():
        q &= Q(**{f"d_{name}__in": list(values)}) if values else Q(pk__in=[])
    return q


def _matches(line: Line, group: dict[str, Any]) -> bool:
    return all(group[f"d_{name}"] in values for name, values in line.match.items())


# --- The table. ------------------------------------------------------------------------------------


@dataclass
class Table:
    form: StatForm
    authority: Authority
    period: Period
    # cells[row key][column key]
    cells: dict[str, dict[str, int]]
    unclassified: list[tuple[str, Any, int]] = field(default_factory=list)

    @property
    def unclassified_total(self) -> int:
        return sum(n for _key, _label, n in self.unclassified)

    def value(self, row: str, column: str) -> int:
        return self.cells[row][column]


def _groups(form: StatForm, authority: Authority, period: Period) -> list[dict[str, Any]]:
    subject = SUBJECTS[form.subject]
    dims = subject.dimensions(period)
    names = [f"d_{name}" for name in dims if not name.startswith("_")]
    qs = _annotated(subject.records(form, authority, period), dims)
    # One grouped count: a few hundred groups whatever the number of records.
    return list(qs.order_by().values(*names).annotate(n=Count("pk")))


def unclassified_counts(form: StatForm, authority: Authority, period: Period) -> list[tuple[str, Any, int]]:
    subject = SUBJECTS[form.subject]
    reasons = subject.unclassified(form, authority, period)
    if not reasons:
        return []
    totals = subject.scope(form, authority, period).aggregate(
        **{key: Count("pk", filter=q) for key, _label, q in reasons}
    )
    return [(key, label, int(totals[key] or 0)) for key, label, _q in reasons]


def build_table(*, form: StatForm, authority: Authority, period: Period) -> Table:
    groups = _groups(form, authority, period)
    cells: dict[str, dict[str, int]] = {}
    for row in form.cell_rows:
        in_row = [g for g in groups if _matches(row, g)]
        cells[row.key] = {
            column.key: sum(g["n"] for g in in_row if _matches(column, g)) for column in form.columns
        }
    return Table(form, authority, period, cells, unclassified_counts(form, authority, period))


# --- Drill-down and the unclassified list. ---------------------------------------------------------


def cell_records(
    *, form: StatForm, authority: Authority, period: Period, row: str, column: str
) -> QuerySet[Any]:
    """The records behind one cell, with what their list shows."""
    rows = {line.key: line for line in form.cell_rows}
    columns = {line.key: line for line in form.columns}
    if row not in rows or column not in columns:
        raise Http404(_("Không có ô này trong biểu."))
    subject = SUBJECTS[form.subject]
    # Only the dimensions the two lines test: the total's records need no join for the others.
    used = set(rows[row].match) | set(columns[column].match)
    dims = {name: expr for name, expr in subject.dimensions(period).items() if name in used}
    if "duration" in used:
        dims["_months"] = subject.dimensions(period)["_months"]
    qs = _annotated(subject.records(form, authority, period), dims)
    qs = qs.filter(_line_q(rows[row]) & _line_q(columns[column]))
    return _for_list(form, qs)


def unclassified_records(
    *, form: StatForm, authority: Authority, period: Period, reason: str = ""
) -> QuerySet[Any]:
    subject = SUBJECTS[form.subject]
    reasons = subject.unclassified(form, authority, period)
    chosen = [q for key, _label, q in reasons if not reason or key == reason]
    if not chosen:
        return subject.scope(form, authority, period).none()
    q = Q(pk__in=[])
    for one in chosen:
        q |= one
    return _for_list(form, subject.scope(form, authority, period).filter(q))


_ORDER = {
    # The latest year first. Not "-pk" alone: for a small cell the database walked the primary key index
    # backwards through a million records to find fifty; a top-N sort of the cell is cheap.
    "awards": ("-year", "-pk"),
    "movements": ("-start_date", "pk"),
    "units": ("sort_key", "pk"),
    "people": ("sort_key", "pk"),
}
_RELATED = {
    "awards": ("award_type", "person__unit", "unit", "household__unit", "decision"),
    "movements": ("authority",),
    "units": ("parent",),
    "people": ("unit",),
}


def _for_list(form: StatForm, qs: QuerySet[Any]) -> QuerySet[Any]:
    """The records in list order, without their joins: a page takes their ids, then `with_related`. With
    the joins in the same query PostgreSQL joined every award to its person before filtering."""
    return qs.order_by(*_ORDER[form.subject])


def with_related(form: StatForm, records: Any) -> list[Any]:
    """The records of one page (ids or objects, in list order) with what their list shows."""
    ids = [getattr(r, "pk", r) for r in records]
    model = SUBJECT_MODELS[form.subject]
    found = model.objects.select_related(*_RELATED[form.subject]).in_bulk(ids)
    return [found[pk] for pk in ids]


SUBJECT_MODELS: dict[str, Any] = {
    "awards": AwardRecord,
    "movements": Movement,
    "units": Unit,
    "people": Person,
}
