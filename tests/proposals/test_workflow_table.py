"""One table of workflow steps feeds the state machine, the permission rules, the services, the pages'
URLs and the API's actions: each is checked here against the table, so a step added, renamed or moved
in one place and not the others fails."""

from __future__ import annotations

from typing import Any

import pytest
import rules
from django.urls import reverse

from thidua.accounts.models import User
from thidua.proposals import services, workflow
from thidua.proposals.models import Dossier, DossierState


def test_the_state_machine_allows_exactly_the_moves_of_the_table() -> None:
    for state in DossierState.values:
        dossier = Dossier(state=state)
        available = {t.name for t in dossier.get_available_state_transitions()}  # type: ignore[attr-defined]
        expected = {m.method for m in workflow.MOVES.values() if state in m.sources}
        assert available == expected, state
        for name in available:
            move = workflow.MOVES[name]
            transitions = {t.name: t for t in dossier.get_available_state_transitions()}  # type: ignore[attr-defined]
            assert transitions[name].target == move.target


def test_every_step_has_its_service_permission_url_and_api_action() -> None:
    assert set(services.STEP_SERVICES) == set(workflow.BY_NAME)
    assert len(workflow.BY_SLUG) == len(workflow.STEPS)
    for step in workflow.STEPS:
        assert rules.perm_exists(f"proposals.step_{step.name}"), step.name
        assert reverse("proposals:step", args=[1, step.slug]).endswith(f"/buoc/{step.slug}/")
        if step.move is not None:
            assert set(step.states) <= set(workflow.MOVES[step.move].sources), step.name
        assert step.text in (None, "comment", "reason")


@pytest.mark.django_db
def test_the_api_offers_the_tables_steps(client: Any) -> None:
    schema = client.get("/api/openapi.json").json()
    path = next(p for p in schema["paths"] if p.endswith("/transitions/{action}"))
    parameters = schema["paths"][path]["post"]["parameters"]
    action = next(p for p in parameters if p["name"] == "action")
    ref = action["schema"].get("$ref")
    enum = schema["components"]["schemas"][ref.split("/")[-1]]["enum"] if ref else action["schema"]["enum"]
    assert set(enum) == set(workflow.BY_NAME)
    description = schema["paths"][path]["post"]["description"]
    assert all(f"{step.name}: {step.help}" in description for step in workflow.STEPS)


@pytest.mark.django_db
def test_a_step_permission_follows_the_tables_states(flow: dict[str, Any]) -> None:
    """The unit head's submit permission holds in exactly the table's states, on the unit's dossier."""
    from tests.proposals.conftest import drafted

    dossier = drafted(flow)
    head: User = flow["health_head"]
    step = workflow.BY_NAME["submit"]
    for state in DossierState.values:
        # The state is protected on a saved dossier; an unsaved copy in each state stands in for it.
        copy = Dossier(unit=dossier.unit, authority=dossier.authority, state=state)
        assert head.has_perm("proposals.step_submit", copy) is (state in step.states), state
    assert not flow["education_head"].has_perm("proposals.step_submit", dossier)
