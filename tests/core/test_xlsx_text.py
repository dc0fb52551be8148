"""Text from users is written as text in every Excel file the product gives out (issue 13, finding 2).

A cell starting with one of OWASP's formula characters (= + - @, tab, carriage return) or a full-width
＝ ＋ － ＠ is stored as a string with Excel's quote prefix, so it is not a formula when the file opens, nor
when someone edits the cell. Each export route is tried with a name or title of that kind; the sheet's XML is
read, since reading the file back with openpyxl would hide the difference.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse

from tests.factories import make_award
from tests.imports.helpers import generate_people_workbook, person_row
from tests.xlsx_xml import PAYLOAD, assert_written_as_text, body_of, xml_cells
from thidua.awards.models import AwardType, Decision
from thidua.core.xlsx import write_xlsx
from thidua.organisation.models import Bloc, BlocMembership, Unit
from thidua.organisation.services import household_create

RISKY = [
    PAYLOAD,
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
    "＋1",
    "－1",
    "＠SUM(A1)",
]


@pytest.mark.parametrize("value", RISKY)
def test_the_helper_writes_risky_text_as_quoted_text_in_headers_and_rows(value: str) -> None:
    buffer = io.BytesIO()
    write_xlsx(buffer, title="Danh sách", headers=["STT", value], rows=[[1, value], [2, "Bình thường"]])
    body = buffer.getvalue()
    assert_written_as_text(body, value, count=2)
    # Plain text and numbers are untouched: no quote prefix, a number stays a number.
    plain = [c for c in xml_cells(body) if c.text == "Bình thường"]
    assert len(plain) == 1 and not plain[0].quote_prefix
    numbers = [c for c in xml_cells(body) if c.type == "n"]
    assert [c.text for c in numbers] == ["1", "2"]


@pytest.fixture
def tainted(province: dict[str, Any]) -> dict[str, Any]:
    """Sở Y tế renamed to a formula, as an administrator could type it."""
    Unit.objects.filter(pk=province["health"].pk).update(name=PAYLOAD)
    province["health"].refresh_from_db()
    return province


def _export(client: Any, name: str, **params: Any) -> bytes:
    response = client.get(reverse(name), {"export": "xlsx", **params})
    assert response.status_code == 200
    return body_of(response)


@pytest.mark.django_db
def test_people_export(tainted: dict, users: dict, client_for: Any) -> None:
    body = _export(client_for(users["specialist"]), "organisation:person_list")
    # Nguyễn Văn Đức of Sở Y tế.
    assert_written_as_text(body, count=1)


@pytest.mark.django_db
def test_units_export(tainted: dict, users: dict, client_for: Any) -> None:
    body = _export(client_for(users["specialist"]), "organisation:unit_list")
    # Sở Y tế's own row, and its Khoa Nội's parent.
    assert_written_as_text(body, count=2)


@pytest.mark.django_db
def test_households_export(province: dict, users: dict, client_for: Any) -> None:
    household_create(actor=None, code="H1", head_name=PAYLOAD, unit=province["health"])
    body = _export(client_for(users["specialist"]), "organisation:household_list")
    assert_written_as_text(body, count=1)


@pytest.mark.django_db
def test_blocs_export(province: dict, users: dict, client_for: Any) -> None:
    bloc = Bloc(code="K1", name=PAYLOAD)
    bloc.refresh_derived()
    bloc.save()
    BlocMembership.objects.create(bloc=bloc, unit=province["health"], year=2024, role="member")
    body = _export(client_for(users["specialist"]), "organisation:bloc_list", year=2024)
    assert_written_as_text(body, count=1)


@pytest.mark.django_db
def test_decisions_export(province: dict, users: dict, client_for: Any) -> None:
    make_award(province["health_person"], year=2023, number="11/QĐ-UBND")
    Decision.objects.update(signer_name=PAYLOAD)
    body = _export(client_for(users["specialist"]), "awards:decision_list")
    assert_written_as_text(body, count=1)


@pytest.mark.django_db
def test_catalogue_export(province: dict, users: dict, client_for: Any) -> None:
    AwardType.objects.filter(code="LDTT").update(name=PAYLOAD)
    body = _export(client_for(users["specialist"]), "awards:catalogue")
    assert_written_as_text(body, count=1)


@pytest.mark.django_db
def test_import_template_lists_unit_names_as_text(tainted: dict, users: dict, client_for: Any) -> None:
    response = client_for(users["specialist"]).get(reverse("imports:template", args=["people"]))
    assert response.status_code == 200
    # The unit sheet lists Sở Y tế by name.
    assert_written_as_text(body_of(response), count=1)


@pytest.mark.django_db
def test_import_error_report_holds_no_formula(province: dict, users: dict, client_for: Any) -> None:
    # "+Nam", not "=…": the test's own file would hold a formula, which an import reads as blank.
    data = generate_people_workbook([person_row(province["health"].code, gender="+Nam")])
    upload = io.BytesIO(data)
    upload.name = "nhan-su.xlsx"
    client = client_for(users["specialist"])
    page = client.post(reverse("imports:index"), {"kind": "people", "file": upload}, follow=True)
    response = client.get(reverse("imports:errors", args=[page.resolver_match.kwargs["pk"]]))
    assert response.status_code == 200
    cells = xml_cells(body_of(response))
    assert [c for c in cells if c.formula] == []
    # The message quotes the cell; it starts with words of its own, so it needs no quote prefix.
    [message] = [c for c in cells if "«+Nam»" in c.text]
    assert message.type in ("s", "inlineStr") and message.text.startswith("Giới tính")
