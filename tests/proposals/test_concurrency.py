"""Two specialists act on one dossier at the same moment, each in their own database connection: one
wins, the other gets a clear Vietnamese message, and nothing is lost or half-written (PostgreSQL)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from tests.factories import make_user
from tests.proposals.conftest import drafted
from thidua.accounts.models import Role
from thidua.proposals import services
from thidua.proposals.models import Dossier, DossierState, DossierTransition

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are what is tested; run with DATABASE_URL=postgres://…",
)


def _race(actions: list[Any]) -> list[Any]:
    """Run the actions in threads released together; each returns its result or the exception."""
    barrier = threading.Barrier(len(actions))
    results: list[Any] = [None] * len(actions)

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = actions[index]()
        except Exception as exc:  # the test inspects what each thread met
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(actions))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_receive_and_return_at_once(flow: dict[str, Any]) -> None:
    other = make_user("chuyenvien.hai", Role.BOARD_SPECIALIST, flow["ubnd"])
    dossier = drafted(flow)
    services.dossier_submit(actor=flow["health_head"], dossier=dossier)
    for _ in range(5):
        # Each specialist loaded the page while the dossier was "submitted".
        seen_a = Dossier.objects.get(pk=dossier.pk)
        seen_b = Dossier.objects.get(pk=dossier.pk)
        logged = DossierTransition.objects.filter(dossier=dossier).count()
        results = _race(
            [
                lambda a=seen_a: services.dossier_receive(actor=flow["specialist"], dossier=a),
                lambda b=seen_b: services.dossier_return(actor=other, dossier=b, reason="Thiếu biên bản"),
            ]
        )
        winners = [r for r in results if isinstance(r, Dossier)]
        losers = [r for r in results if isinstance(r, ValidationError)]
        assert len(winners) == 1 and len(losers) == 1, results
        assert "vừa được người khác xử lý" in " ".join(losers[0].messages)
        final = Dossier.objects.get(pk=dossier.pk)
        assert final.state == winners[0].state
        last = DossierTransition.objects.filter(dossier=dossier).order_by("-id").first()
        assert last is not None and last.target == final.state
        # Exactly one step was logged for the race, by the winner.
        assert DossierTransition.objects.filter(dossier=dossier).count() == logged + 1
        # Back to "submitted" for the next round, through the normal path.
        if final.state == DossierState.RECEIVED:
            services.dossier_return(actor=flow["specialist"], dossier=final, reason="Làm lại vòng thử")
            final.refresh_from_db()
        services.dossier_submit(actor=flow["health_head"], dossier=final)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_reviews_of_one_line_at_once_keep_one_answer_whole(flow: dict[str, Any]) -> None:
    other = make_user("chuyenvien.ba", Role.BOARD_SPECIALIST, flow["ubnd"])
    dossier = drafted(flow)
    services.dossier_submit(actor=flow["health_head"], dossier=dossier)
    services.dossier_receive(actor=flow["specialist"], dossier=Dossier.objects.get(pk=dossier.pk))
    line = dossier.nominees.get()
    results = _race(
        [
            lambda: services.nominee_review(
                actor=flow["specialist"], nominee=line, recommend=True, reason="Thành tích tiêu biểu"
            ),
            lambda: services.nominee_review(
                actor=other, nominee=line, recommend=False, reason="Chưa tiêu biểu"
            ),
        ]
    )
    assert not any(isinstance(r, Exception) for r in results), results
    line.refresh_from_db()
    # The row lock serialises them: the final row is one reviewer's whole answer, never a mix.
    assert (line.recommend, line.override_reason, line.appraised_by_id) in {
        (True, "Thành tích tiêu biểu", flow["specialist"].pk),
        (False, "Chưa tiêu biểu", other.pk),
    }
    assert line.history.count() >= 3
