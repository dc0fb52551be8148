"""The exports translate a field's choice labels once per file (core.xlsx.choice_labels) instead of calling
`get_<field>_display()` on every row: the cells must read exactly as that method would write them."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.factories import make_award
from tests.xlsx_xml import body_of, xml_cells
from thidua.awards.models import Decision
from thidua.core.xlsx import choice_labels
from thidua.organisation.models import Person, Unit

FIELDS = [(Decision, "source"), (Person, "gender"), (Person, "category"), (Unit, "kind")]


@pytest.mark.parametrize(("model", "field"), FIELDS)
def test_each_label_is_what_get_display_answers(model: Any, field: str) -> None:
    label = choice_labels(model, field)
    values = [value for value, _label in model._meta.get_field(field).flatchoices]
    assert values
    for value in [*values, "không-có-trong-danh-mục"]:
        expected = getattr(model(**{field: value}), f"get_{field}_display")()
        assert label(value) == expected


@pytest.mark.django_db
def test_the_decisions_export_writes_each_decisions_source_label(
    province: dict, users: dict, client_for: Any
) -> None:
    make_award(province["health_person"], year=2023, number="11/QĐ-UBND")
    make_award(province["health_person"], year=2024, number="12/QĐ-UBND")
    response = client_for(users["specialist"]).get(reverse("awards:decision_list"), {"export": "xlsx"})
    assert response.status_code == 200
    texts = [cell.text for cell in xml_cells(body_of(response))]
    expected = [d.get_source_display() for d in Decision.objects.all()]
    assert len(expected) == 2
    # Each decision's row holds its source's label, and nothing else writes it.
    for label in set(expected):
        assert texts.count(label) == expected.count(label)
