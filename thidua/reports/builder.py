"""The report builder's vocabulary: the dimensions a report may group the award records by and the
filters it may apply, each a key of this module mapped to a query expression written here.

A definition (from a form, a URL or a saved report) is a dict `{"dimensions": [...], "filters": {...}}`;
`parse` checks every key and value against these lists and refuses anything else with a Vietnamese
message, so nothing the user sends ever names a field or a lookup of the ORM.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    Expression,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.awards.models import AwardCategory, AwardLevel, AwardRecord, CommendationKind, RecipientKind
from thidua.organisation.models import Gender, PersonCategory, Unit

MAX_DIMENSIONS = 3
FIRST_YEAR, LAST_YEAR = 1945, 2100

# ---------------------------------------------------------------------------------------------------
# The groups the directive cares about, as conditions on an award record. Shares of people (women,
# ethnic minorities, direct workers, innovators) are over the awards to individuals; the area share is
# over every award, the recipient's unit deciding (a person's unit, the collective, the household's): a
# unit is in a border or highland area when it or a unit above it is marked so (a school of a highland
# commune is in the highland).

INDIVIDUAL = Q(person__isnull=False)
WOMAN = Q(person__gender=Gender.FEMALE)
# The register writes the Kinh majority as "Kinh"; an empty ethnicity is unknown, not a minority.
ETHNIC_MINORITY = INDIVIDUAL & ~Q(person__ethnicity__iexact="kinh") & ~Q(person__ethnicity="")
DIRECT_WORKER = Q(person__category=PersonCategory.DIRECT_WORKER)


def area_units() -> QuerySet[Unit]:
    """The units in a border or highland area: marked themselves or below a marked unit (its path is a
    prefix of theirs). Not correlated with the award records, so the database works it out once per
    query and looks each record's unit up in it."""
    marked = (
        Unit.objects.filter(Q(is_border=True) | Q(is_highland=True))
        .alias(below=Coalesce(OuterRef("path"), Value(""), output_field=CharField()))
        .filter(below__startswith=F("path"))
    )
    return Unit.objects.filter(Exists(marked))


def border_highland_q() -> Q:
    units = area_units().values("pk")
    return Q(person__unit__in=units) | Q(unit__in=units) | Q(household__unit__in=units)


def cites_initiative() -> Exists:
    """The award cites an initiative or research topic (AwardRecord.initiatives): the innovators."""
    through = AwardRecord.initiatives.through
    return Exists(through.objects.filter(awardrecord_id=OuterRef("pk")))


def innovator_q() -> Q:
    return INDIVIDUAL & Q(cites_initiative())


def recipient_unit() -> Coalesce:
    """The unit an award counts under: the person's unit, the collective itself, the household's commune."""
    return Coalesce("person__unit", "unit", "household__unit")


def _flag(condition: Q, *, individuals_only: bool) -> Expression:
    whens = [When(condition, then=Value(True))]
    if individuals_only:
        whens.insert(0, When(person__isnull=True, then=Value(None)))
    return Case(*whens, default=Value(False), output_field=BooleanField())


# ---------------------------------------------------------------------------------------------------
# Dimensions


def _choices(choices: Iterable[tuple[Any, Any]]) -> Callable[[list[Any]], dict[Any, str]]:
    labels = {value: str(label) for value, label in choices}
    return lambda values: labels


def _yes_no(values: list[Any]) -> dict[Any, str]:
    return {True: _("Có"), False: _("Không")}


def _award_type_labels(values: list[Any]) -> dict[Any, str]:
    from thidua.awards.models import AwardType

    return dict(AwardType.objects.filter(pk__in=[v for v in values if v]).values_list("pk", "name"))


def _unit_labels(values: list[Any]) -> dict[Any, str]:
    from thidua.organisation.models import Unit

    return dict(Unit.objects.filter(pk__in=[v for v in values if v]).values_list("pk", "name"))


def _same(values: list[Any]) -> dict[Any, str]:
    return {v: str(v) for v in values if v is not None}


NOT_APPLICABLE = gettext_lazy("Không áp dụng (tập thể, hộ gia đình)")


@dataclass(frozen=True)
class Dimension:
    key: str
    label: Any
    expression: Callable[[], Any]
    # The shown label of each value found, in at most one query for all of them.
    labels: Callable[[list[Any]], dict[Any, str]]
    # What a value means where it does not apply (a collective has no gender).
    missing: Any = NOT_APPLICABLE
    # Sort by the value itself (a year, a choice's order) rather than by the label.
    order: Callable[[Any], Any] | None = None


def _choice_order(choices: Iterable[tuple[Any, Any]]) -> Callable[[Any], Any]:
    position = {value: i for i, (value, _label) in enumerate(choices)}
    return lambda value: position.get(value, len(position))


DIMENSIONS: dict[str, Dimension] = {
    d.key: d
    for d in (
        Dimension("year", gettext_lazy("Năm thành tích"), lambda: F("year"), _same, order=lambda v: v),
        Dimension(
            "level",
            gettext_lazy("Cấp khen thưởng"),
            lambda: F("award_type__level"),
            _choices(AwardLevel.choices),
            order=_choice_order(AwardLevel.choices),
        ),
        Dimension(
            "category",
            gettext_lazy("Danh hiệu hay hình thức"),
            lambda: F("award_type__category"),
            _choices(AwardCategory.choices),
            order=_choice_order(AwardCategory.choices),
        ),
        Dimension(
            "award_type", gettext_lazy("Danh hiệu, hình thức"), lambda: F("award_type_id"), _award_type_labels
        ),
        Dimension(
            "kind",
            gettext_lazy("Loại hình khen thưởng"),
            lambda: F("kind"),
            _choices(CommendationKind.choices),
            order=_choice_order(CommendationKind.choices),
        ),
        Dimension(
            "recipient_kind",
            gettext_lazy("Đối tượng"),
            lambda: Case(
                When(person__isnull=False, then=Value(RecipientKind.INDIVIDUAL.value)),
                When(unit__isnull=False, then=Value(RecipientKind.COLLECTIVE.value)),
                default=Value(RecipientKind.HOUSEHOLD.value),
                output_field=CharField(),
            ),
            _choices(RecipientKind.choices),
            order=_choice_order(RecipientKind.choices),
        ),
        Dimension("unit", gettext_lazy("Đơn vị"), recipient_unit, _unit_labels),
        Dimension(
            "gender",
            gettext_lazy("Giới tính"),
            lambda: F("person__gender"),
            _choices(Gender.choices),
            order=_choice_order(Gender.choices),
        ),
        Dimension("ethnicity", gettext_lazy("Dân tộc"), lambda: F("person__ethnicity"), _same),
        Dimension(
            "ethnic_minority",
            gettext_lazy("Dân tộc thiểu số"),
            lambda: _flag(ETHNIC_MINORITY, individuals_only=True),
            _yes_no,
            order=lambda v: not v,
        ),
        Dimension(
            "person_category",
            gettext_lazy("Thành phần"),
            lambda: F("person__category"),
            _choices(PersonCategory.choices),
            order=_choice_order(PersonCategory.choices),
        ),
        Dimension(
            "direct_worker",
            gettext_lazy("Người trực tiếp lao động, sản xuất, công tác"),
            lambda: _flag(DIRECT_WORKER, individuals_only=True),
            _yes_no,
            order=lambda v: not v,
        ),
        Dimension(
            "border_highland",
            gettext_lazy("Vùng biên giới, vùng cao"),
            lambda: _flag(border_highland_q(), individuals_only=False),
            _yes_no,
            order=lambda v: not v,
        ),
        Dimension(
            "innovator",
            gettext_lazy("Có sáng kiến, đề tài"),
            lambda: _flag(innovator_q(), individuals_only=True),
            _yes_no,
            order=lambda v: not v,
        ),
    )
}


# ---------------------------------------------------------------------------------------------------
# Filters: each key takes one value from its list (or a year, or a unit of the user's scope).


@dataclass(frozen=True)
class Filter:
    key: str
    label: Any
    # The allowed values and their labels, or None where the value is a number (a year, an id).
    choices: Callable[[], list[tuple[str, str]]] | None
    condition: Callable[[Any], Q]


YES_NO = [("1", gettext_lazy("Có")), ("0", gettext_lazy("Không"))]


def _yes_no_choices() -> list[tuple[str, str]]:
    return [(k, str(v)) for k, v in YES_NO]


def _flag_filter(condition: Callable[[], Q], *, individuals_only: bool) -> Callable[[Any], Q]:
    def build(value: Any) -> Q:
        if value == "1":
            return condition()
        negated = ~condition()
        return INDIVIDUAL & negated if individuals_only else negated

    return build


def _listed(choices: Iterable[tuple[Any, Any]]) -> Callable[[], list[tuple[str, str]]]:
    return lambda: [(str(k), str(v)) for k, v in choices]


def _award_type_choices() -> list[tuple[str, str]]:
    from thidua.awards.models import AwardType

    return [
        (str(pk), name) for pk, name in AwardType.objects.order_by("order", "code").values_list("pk", "name")
    ]


FILTERS: dict[str, Filter] = {
    f.key: f
    for f in (
        Filter("year", gettext_lazy("Năm thành tích"), None, lambda v: Q(year=v)),
        Filter("year_from", gettext_lazy("Từ năm"), None, lambda v: Q(year__gte=v)),
        Filter("year_to", gettext_lazy("Đến năm"), None, lambda v: Q(year__lte=v)),
        Filter(
            "level",
            gettext_lazy("Cấp khen thưởng"),
            _listed(AwardLevel.choices),
            lambda v: Q(award_type__level=v),
        ),
        Filter(
            "category",
            gettext_lazy("Danh hiệu hay hình thức"),
            _listed(AwardCategory.choices),
            lambda v: Q(award_type__category=v),
        ),
        Filter(
            "award_type",
            gettext_lazy("Danh hiệu, hình thức"),
            _award_type_choices,
            lambda v: Q(award_type_id=int(v)),
        ),
        Filter(
            "kind",
            gettext_lazy("Loại hình khen thưởng"),
            _listed(CommendationKind.choices),
            lambda v: Q(kind=v),
        ),
        Filter(
            "recipient_kind",
            gettext_lazy("Đối tượng"),
            _listed(RecipientKind.choices),
            lambda v: {
                RecipientKind.INDIVIDUAL.value: Q(person__isnull=False),
                RecipientKind.COLLECTIVE.value: Q(unit__isnull=False),
                RecipientKind.HOUSEHOLD.value: Q(household__isnull=False),
            }[v],
        ),
        # The unit and its sub-units; checked against the user's scope when the report runs.
        Filter("unit", gettext_lazy("Đơn vị"), None, lambda unit: unit_subtree_q(unit.path)),
        Filter("gender", gettext_lazy("Giới tính"), _listed(Gender.choices), lambda v: Q(person__gender=v)),
        Filter(
            "ethnic_minority",
            gettext_lazy("Dân tộc thiểu số"),
            _yes_no_choices,
            _flag_filter(lambda: ETHNIC_MINORITY, individuals_only=True),
        ),
        Filter(
            "person_category",
            gettext_lazy("Thành phần"),
            _listed(PersonCategory.choices),
            lambda v: Q(person__category=v),
        ),
        Filter(
            "direct_worker",
            gettext_lazy("Người trực tiếp lao động, sản xuất, công tác"),
            _yes_no_choices,
            _flag_filter(lambda: DIRECT_WORKER, individuals_only=True),
        ),
        Filter(
            "border_highland",
            gettext_lazy("Vùng biên giới, vùng cao"),
            _yes_no_choices,
            _flag_filter(border_highland_q, individuals_only=False),
        ),
        Filter(
            "innovator",
            gettext_lazy("Có sáng kiến, đề tài"),
            _yes_no_choices,
            _flag_filter(innovator_q, individuals_only=True),
        ),
    )
}
NUMBER_FILTERS = {"year", "year_from", "year_to", "unit"}


def unit_subtree_q(path: str) -> Q:
    """The awards whose recipient is in the unit of this path or below it."""
    return (
        Q(person__unit__path__startswith=path)
        | Q(unit__path__startswith=path)
        | Q(household__unit__path__startswith=path)
    )


# ---------------------------------------------------------------------------------------------------
# A definition, checked


@dataclass
class Definition:
    dimensions: list[str]
    # Values as given (strings for choices, ints for years and the unit id), every key in FILTERS.
    filters: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"dimensions": list(self.dimensions), "filters": dict(self.filters)}

    def for_year(self, year: int) -> Definition:
        """The same report for another year: one year in place of whatever years it had."""
        filters = {k: v for k, v in self.filters.items() if k not in ("year", "year_from", "year_to")}
        filters["year"] = year
        return Definition(list(self.dimensions), filters)

    def query_items(self) -> list[tuple[str, str]]:
        """The definition as the builder page's GET parameters."""
        items = [("dim", d) for d in self.dimensions]
        items += [(k, str(v)) for k, v in self.filters.items()]
        return items


def _year(value: Any, label: str) -> int:
    try:
        year = int(str(value).strip())
    except ValueError:
        year = 0
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            _("«{value}» không phải một năm hợp lệ cho «{label}».").format(value=value, label=label),
            code="invalid_year",
        )
    return year


def parse(data: Mapping[str, Any]) -> Definition:
    """Check a definition against the allowed dimensions and filters; refuse anything else."""
    if not isinstance(data, Mapping):
        raise ValidationError(_("Định nghĩa báo cáo không hợp lệ."), code="invalid_definition")
    unknown_keys = set(data) - {"dimensions", "filters"}
    if unknown_keys:
        raise ValidationError(_("Định nghĩa báo cáo không hợp lệ."), code="invalid_definition")
    raw_dimensions = data.get("dimensions") or []
    raw_filters = data.get("filters") or {}
    if not isinstance(raw_dimensions, list) or not isinstance(raw_filters, Mapping):
        raise ValidationError(_("Định nghĩa báo cáo không hợp lệ."), code="invalid_definition")
    dimensions: list[str] = []
    for key in raw_dimensions:
        if not isinstance(key, str) or key not in DIMENSIONS:
            raise ValidationError(
                _("Chiều thống kê «{key}» không có trong danh sách được phép: {allowed}.").format(
                    key=key, allowed="; ".join(str(d.label) for d in DIMENSIONS.values())
                ),
                code="unknown_dimension",
            )
        if key in dimensions:
            raise ValidationError(
                _("Chiều thống kê «{label}» được chọn hai lần.").format(label=DIMENSIONS[key].label),
                code="duplicate_dimension",
            )
        dimensions.append(key)
    if not dimensions:
        raise ValidationError(_("Hãy chọn ít nhất một chiều thống kê."), code="no_dimension")
    if len(dimensions) > MAX_DIMENSIONS:
        raise ValidationError(
            _("Chỉ chọn tối đa {n} chiều thống kê.").format(n=MAX_DIMENSIONS), code="too_many_dimensions"
        )
    filters: dict[str, Any] = {}
    for key, value in raw_filters.items():
        spec = FILTERS.get(key) if isinstance(key, str) else None
        if spec is None:
            raise ValidationError(
                _("Bộ lọc «{key}» không có trong danh sách được phép.").format(key=key), code="unknown_filter"
            )
        if value in ("", None):
            continue
        label = str(spec.label)
        if key in ("year", "year_from", "year_to"):
            filters[key] = _year(value, label)
        elif key == "unit":
            try:
                filters[key] = int(str(value))
            except ValueError:
                raise ValidationError(_("Đơn vị đã chọn không hợp lệ."), code="invalid_unit") from None
        else:
            assert spec.choices is not None
            allowed = {k for k, _label in spec.choices()}
            if str(value) not in allowed:
                raise ValidationError(
                    _("Giá trị «{value}» không hợp lệ cho bộ lọc «{label}».").format(
                        value=value, label=label
                    ),
                    code="invalid_filter_value",
                )
            filters[key] = str(value)
    if filters.get("year_from") and filters.get("year_to") and filters["year_from"] > filters["year_to"]:
        raise ValidationError(_("«Từ năm» phải không sau «Đến năm»."), code="invalid_year_range")
    return Definition(dimensions, filters)


def from_query(params: Any) -> Definition:
    """A definition from the builder page's GET parameters (`dim` repeated, one parameter per filter);
    any other parameter is refused like an unknown filter, except the page's own (`name`, `shared`)."""
    data: dict[str, Any] = {"dimensions": [d for d in params.getlist("dim") if d], "filters": {}}
    for key in params:
        if key in ("dim", "name", "shared", "csrfmiddlewaretoken"):
            continue
        data["filters"][key] = params.get(key)
    return parse(data)
