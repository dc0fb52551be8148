"""The central statistical forms 0601–0605 on the demo province: every cell is the number of records its
drill-down lists, the totals add up, nothing in the catalogue falls outside the forms, the scope holds,
and the Excel and PDF files carry the page's numbers."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.demo.test_loader import PEOPLE
from thidua.accounts.models import User
from thidua.awards.catalogue import catalogue_entries
from thidua.awards.models import AwardRecord, CommendationKind
from thidua.demo.loader import demo_load
from thidua.movements.models import MovementKind
from thidua.organisation.models import (
    Authority,
    AuthorityLevel,
    EducationLevel,
    EmulationBodyKind,
    Person,
    PersonCategory,
)
from thidua.statistics import selectors
from thidua.statistics.definitions import (
    F0601,
    F0602,
    F0603,
    F0604,
    F0605,
    FORMS,
    NOT_COUNTED,
    Line,
    StatForm,
)
from thidua.statistics.selectors import Period, Table

pytestmark = pytest.mark.django_db(transaction=False)

PERIOD = Period(2021, 2025)


@pytest.fixture
def demo() -> dict[str, Any]:
    demo_load(people=PEOPLE, seed=3, history=False)
    return {
        "province": Authority.objects.get(level=AuthorityLevel.PROVINCE),
        "health": Authority.objects.get(unit__code="LC.SYT"),
    }


def _login(client: Client, username: str) -> Client:
    client.force_login(User.objects.get(username=username))
    return client


def _cell_count(table: Table, row: str, column: str) -> int:
    return selectors.cell_records(
        form=table.form, authority=table.authority, period=table.period, row=row, column=column
    ).count()


@pytest.mark.parametrize("slug", sorted(FORMS))
def test_every_cell_is_the_count_of_its_drill_down_and_the_totals_add_up(
    demo: dict[str, Any], slug: str
) -> None:
    form = FORMS[slug]
    for authority in (demo["province"], demo["health"]):
        table = selectors.build_table(form=form, authority=authority, period=PERIOD)
        for row in form.cell_rows:
            for column in form.columns:
                assert table.value(row.key, column.key) == _cell_count(table, row.key, column.key), (
                    authority.name,
                    row.key,
                    column.key,
                )
        _check_partitions(table)
    province = selectors.build_table(form=form, authority=demo["province"], period=PERIOD)
    # The demo fills every form, so the checks above compared real numbers.
    assert province.value("total", "total") > 0


def _unclassified_in_form(table: Table, reason: str) -> set[int]:
    if not reason:
        return set()
    form_ids = set(
        selectors.cell_records(
            form=table.form, authority=table.authority, period=table.period, row="total", column="total"
        ).values_list("pk", flat=True)
    )
    listed = selectors.unclassified_records(
        form=table.form, authority=table.authority, period=table.period, reason=reason
    ).values_list("pk", flat=True)
    return form_ids & set(listed)


def _check_partitions(table: Table) -> None:
    form = table.form
    for partition in form.row_partitions:
        missing = len(_unclassified_in_form(table, partition.reason))
        for column in form.columns:
            parts = sum(table.value(key, column.key) for key in partition.parts)
            assert parts + (missing if column.key == "total" else 0) >= table.value(
                partition.total, column.key
            )
            assert parts <= table.value(partition.total, column.key)
        assert sum(table.value(key, "total") for key in partition.parts) + missing == table.value(
            partition.total, "total"
        ), (form.code, partition)
    for partition in form.column_partitions:
        missing = _unclassified_in_form(table, partition.reason)
        for row in form.cell_rows:
            parts = sum(table.value(row.key, key) for key in partition.parts)
            if row.key == "total":
                assert parts + len(missing) == table.value("total", partition.total), (form.code, partition)
            else:
                assert parts <= table.value(row.key, partition.total)
                if not missing:
                    assert parts == table.value(row.key, partition.total), (form.code, row.key, partition)


def _page_numbers(client: Client, form: StatForm, query: str) -> dict[str, int]:
    """The numbers the table page shows, by "row:column", read from its HTML."""
    page = client.get(f"{reverse('statistics:form', args=[form.slug])}?{query}")
    assert page.status_code == 200
    html = page.content.decode()
    shown = {
        key: int(re.sub(r"\D", "", number))
        for key, number in re.findall(r'data-cell="([^"]+)">([^<]+)</a>', html)
    }
    assert len(shown) == len(form.cell_rows) * len(form.columns)
    return shown


def test_the_drill_down_page_lists_what_the_table_page_shows(demo: dict[str, Any], client: Client) -> None:
    _login(client, "chuyenvien")
    province = demo["province"]
    query = f"co_quan={province.pk}&nam={PERIOD.first}&den_nam={PERIOD.last}"
    for form in (F0601, F0602, F0603, F0605):
        shown = _page_numbers(client, form, query)
        nonzero = [key for key, n in shown.items() if n][:6]
        assert nonzero, form.code
        for key in nonzero:
            row, column = key.split(":")
            drill = client.get(
                f"{reverse('statistics:cell', args=[form.slug])}?{query}&dong={row}&cot={column}"
            )
            assert drill.status_code == 200
            assert drill.context["page"].paginator.count == shown[key], (form.code, key)
            # A listed award reaches the recipient's profile.
            first = drill.context["page"].object_list[0]
            if form.subject == "awards":
                target = (
                    reverse("organisation:person_detail", args=[first.person_id])
                    if first.person_id
                    else reverse("organisation:unit_detail", args=[first.unit_id])
                    if first.unit_id
                    else reverse("organisation:household_detail", args=[first.household_id])
                )
                assert target in drill.content.decode()
                assert client.get(target).status_code == 200


def _columns_for(code: str, recipient: str) -> list[tuple[str, str]]:
    found = []
    for form in (F0602, F0603):
        for column in form.columns:
            if column.key == "total":
                continue
            if code in column.match.get("award", ()) and recipient in column.match.get(
                "recipient", (recipient,)
            ):
                found.append((form.code, column.key))
    return found


def _uncovered(entries: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The (code, recipient) pairs of the catalogue that are not in exactly one column of 0602/0603 (nor
    deliberately left to the grassroots level), or sit in a form of another level."""
    levels = {"0602": F0602.levels, "0603": F0603.levels}
    bad = []
    for entry in entries:
        for recipient in entry["recipients"]:
            places = _columns_for(entry["code"], recipient)
            if entry["code"] in NOT_COUNTED:
                ok = not places and entry["level"] == "co_so"
            else:
                ok = len(places) == 1 and entry["level"] in levels[places[0][0]]
            if not ok:
                bad.append((entry["code"], recipient))
    return bad


def test_every_title_and_form_of_the_catalogue_has_exactly_one_column() -> None:
    assert _uncovered(catalogue_entries()) == []
    # The check fails for an entry the forms do not know: a new State medal, or a grassroots form
    # moved to the province level.
    new = {"code": "HCDL3", "level": "nha_nuoc", "recipients": ["individual"]}
    moved = {"code": "GK", "level": "tinh", "recipients": ["collective"]}
    assert _uncovered([new, moved]) == [("HCDL3", "individual"), ("GK", "collective")]


def _lines_with(form: StatForm, lines: tuple[Line, ...], dimension: str, value: Any) -> list[str]:
    return [line.key for line in lines if value in line.match.get(dimension, ())]


def test_every_kind_level_and_category_has_its_line() -> None:
    for form in (F0602, F0603):
        for kind in CommendationKind.values:
            assert len(_lines_with(form, form.rows, "method", kind)) == 1, (form.code, kind)
    for level in AuthorityLevel.values:
        assert len(_lines_with(F0601, F0601.columns, "launcher", level)) == 1, level
        assert len(_lines_with(F0601, F0601.rows, "launcher", level)) == 1, level
    for kind in MovementKind.values:
        assert len(_lines_with(F0601, F0601.rows, "method", kind)) == 1, kind
    for body in EmulationBodyKind.values:
        assert len(_lines_with(F0604, F0604.columns, "body", body)) == (1 if body else 0), body
    for education in EducationLevel.values:
        assert len(_lines_with(F0605, F0605.columns, "education", education)) == (1 if education else 0)
    # Each category is in at most one "of which" row of the individuals.
    for category in PersonCategory.values:
        assert len(_lines_with(F0603, F0603.rows, "category", category)) <= 1, category


def test_a_record_that_cannot_be_classified_is_listed_for_correction(
    demo: dict[str, Any], client: Client
) -> None:
    award = (
        AwardRecord.objects.filter(
            award_type__code="BK_TINH",
            person__isnull=False,
            decision__date__year=2025,
            revoked_on__isnull=True,
        )
        .select_related("person")
        .first()
    )
    assert award is not None
    Person.objects.filter(pk=award.person_id).update(category="", ethnicity="")
    table = selectors.build_table(form=F0603, authority=demo["province"], period=PERIOD)
    counts = {key: n for key, _label, n in table.unclassified}
    assert counts["category"] >= 1 and counts["ethnicity"] >= 1
    listed = selectors.unclassified_records(
        form=F0603, authority=demo["province"], period=PERIOD, reason="category"
    )
    assert listed.count() == counts["category"]
    assert award.pk in set(listed.values_list("pk", flat=True))
    # Still counted as an individual's Bằng khen: only its "of which" rows miss it.
    assert award.pk in set(
        selectors.cell_records(
            form=F0603, authority=demo["province"], period=PERIOD, row="individual", column="bk"
        ).values_list("pk", flat=True)
    )
    _login(client, "chuyenvien")
    url = reverse("statistics:unclassified", args=["0603"])
    page = client.get(f"{url}?co_quan={demo['province'].pk}&nam=2021&den_nam=2025&ly_do=category")
    assert page.status_code == 200
    assert page.context["page"].paginator.count == counts["category"]
    assert reverse("organisation:person_detail", args=[award.person_id]) in page.content.decode()


def test_scope_unit_staff_are_refused_and_an_authority_sees_only_its_own(
    demo: dict[str, Any], client: Client
) -> None:
    province, health = demo["province"], demo["health"]
    index = reverse("statistics:index")
    table = reverse("statistics:form", args=["0603"])
    _login(client, "canbo")
    assert client.get(index).status_code == 403
    assert client.get(f"{table}?co_quan={health.pk}").status_code == 403
    _login(client, "chuyenvienyte")
    assert client.get(f"{table}?co_quan={province.pk}").status_code == 404
    assert (
        client.get(
            f"{reverse('statistics:cell', args=['0603'])}?co_quan={province.pk}&dong=total&cot=total"
        ).status_code
        == 404
    )
    assert client.get(f"{reverse('statistics:xlsx', args=['0603'])}?co_quan={province.pk}").status_code == 404
    own = client.get(f"{table}?co_quan={health.pk}")
    assert own.status_code == 200 and own.context["t"].authority == health
    assert list(own.context["authorities"]) == [health]
    # Without a choice the specialist gets their own authority.
    assert client.get(table).context["t"].authority == health
    for username in ("chuyenvien", "hoidong", "chutich", "quantri"):
        _login(client, username)
        assert client.get(f"{table}?co_quan={health.pk}").status_code == 200, username
    nav = client.get(index).content.decode()
    assert f'href="{index}"' in nav
    # The menu offers the forms to the Board, not to unit staff.
    _login(client, "canbo")
    assert f'href="{index}"' not in client.get(reverse("core:dashboard")).content.decode()


def test_the_table_is_counted_in_a_few_queries(
    demo: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    for form in FORMS.values():
        for authority in (demo["health"], demo["province"]):
            authority = Authority.objects.select_related("unit").get(pk=authority.pk)
            # The grouped count, the unclassified counts and, for the province, whether it is the root.
            with django_assert_max_num_queries(3):
                selectors.build_table(form=form, authority=authority, period=PERIOD)


def test_excel_carries_the_page_numbers_without_formulas(demo: dict[str, Any], client: Client) -> None:
    _login(client, "chuyenvien")
    province = demo["province"]
    for form in FORMS.values():
        query = f"co_quan={province.pk}&nam={PERIOD.first}&den_nam={PERIOD.last}"
        shown = _page_numbers(client, form, query)
        response = client.get(f"{reverse('statistics:xlsx', args=[form.slug])}?{query}")
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
        by_number = {}
        for row in sheet.iter_rows(values_only=True):
            if (
                row[1]
                and isinstance(row[1], str)
                and row[1].isdigit()
                and row[0]
                and not str(row[0]).isupper()
            ):
                by_number[row[1]] = row
        stub = 3 if any(line.unit for line in form.rows) else 2
        for line in form.cell_rows:
            if not line.number:
                continue
            values = by_number[line.number][stub : stub + len(form.columns)]
            assert list(values) == [shown[f"{line.key}:{c.key}"] for c in form.columns], (form.code, line.key)
        merged = [str(r) for r in sheet.merged_cells.ranges]
        assert merged, form.code


def test_pdf_is_a_pdf(demo: dict[str, Any], client: Client) -> None:
    _login(client, "chuyenvien")
    response = client.get(
        f"{reverse('statistics:pdf', args=['0602'])}?co_quan={demo['province'].pk}&nam=2025"
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_bad_choices_answer_404_or_fall_back(demo: dict[str, Any], client: Client) -> None:
    _login(client, "chuyenvien")
    province = demo["province"]
    assert client.get(reverse("statistics:form", args=["0699"])).status_code == 404
    cell = reverse("statistics:cell", args=["0603"])
    assert client.get(f"{cell}?co_quan={province.pk}&dong=khong-co&cot=total").status_code == 404
    assert client.get(f"{cell}?co_quan={province.pk}&dong=h_method&cot=total").status_code == 404
    assert client.get(f"{reverse('statistics:form', args=['0603'])}?co_quan=999999").status_code == 404
    # A period that ends before it starts, or a year that is not one, gives a single year.
    page = client.get(
        f"{reverse('statistics:form', args=['0603'])}?co_quan={province.pk}&nam=2024&den_nam=2020"
    )
    assert page.context["t"].period == Period(2024, 2024)
    page = client.get(f"{reverse('statistics:form', args=['0603'])}?co_quan={province.pk}&nam=abc")
    assert page.status_code == 200 and page.context["t"].period.first == page.context["t"].period.last
