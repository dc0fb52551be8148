from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import make_award
from thidua.awards.models import AwardRecord, AwardType, Rating
from thidua.awards.services import award_record_create, decision_get_or_create, rating_set
from thidua.core.models import AuditLog
from thidua.core.services import model_update
from thidua.organisation.models import Person


def test_person_update_keeps_history_with_acting_user_old_and_new(province: dict, users: dict) -> None:
    person = province["health_person"]
    actor = users["specialist"]
    model_update(
        instance=person,
        fields=["given_name", "position"],
        data={"given_name": "Đạt", "position": "Trưởng khoa"},
        actor=actor,
    )
    person.refresh_from_db()
    assert person.full_name == "Nguyễn Văn Đạt"
    assert person.search_text == "nguyen van dat"
    latest, previous = person.history.all()[:2]
    assert latest.history_user == actor
    assert latest.history_type == "~"
    delta = latest.diff_against(previous)
    changed = {c.field: (c.old, c.new) for c in delta.changes}
    assert changed["given_name"] == ("Đức", "Đạt")
    assert changed["position"] == ("", "Trưởng khoa")
    audit = AuditLog.objects.filter(action="update", target_id=str(person.pk)).get()
    assert audit.actor == actor
    assert audit.changes["given_name"] == ["Đức", "Đạt"]


def test_update_with_no_change_writes_nothing(province: dict, users: dict) -> None:
    person = province["health_person"]
    before = person.history.count()
    _, changed = model_update(
        instance=person, fields=["given_name"], data={"given_name": "Đức"}, actor=users["specialist"]
    )
    assert not changed
    assert person.history.count() == before
    assert not AuditLog.objects.filter(action="update").exists()


def test_invalid_identity_number_saves_nothing(province: dict, users: dict) -> None:
    person = province["education_person"]
    with pytest.raises(ValidationError) as error:
        model_update(
            instance=person,
            fields=["identity_number"],
            data={"identity_number": "12345"},
            actor=users["specialist"],
        )
    assert "12 chữ số" in str(error.value)
    assert Person.objects.get(pk=person.pk).identity_number is None


def test_award_record_history_records_the_actor(province: dict, users: dict) -> None:
    record = make_award(province["health_person"], "LDTT", 2024, actor=users["specialist"])
    created = record.history.get()
    assert created.history_user == users["specialist"]
    assert created.history_type == "+"
    model_update(
        instance=record, fields=["reason"], data={"reason": "Hoàn thành tốt nhiệm vụ"}, actor=users["admin"]
    )
    assert record.history.first().history_user == users["admin"]


def test_award_type_must_accept_the_recipient_kind(province: dict) -> None:
    decision, _ = decision_get_or_create(
        actor=None, number="1/QĐ-UBND", date=dt.date(2025, 1, 10), issuing_authority="UBND tỉnh Lai Châu"
    )
    with pytest.raises(ValidationError) as error:
        award_record_create(
            actor=None,
            award_type=AwardType.objects.get(code="LDTT"),
            recipient=province["health"],
            year=2024,
            decision=decision,
        )
    assert "không dành cho tập thể" in str(error.value)
    assert AwardRecord.objects.count() == 0


def test_decision_is_identified_by_number_date_and_issuer(db: None) -> None:
    first, created = decision_get_or_create(
        actor=None, number="12/QĐ-UBND", date=dt.date(2025, 2, 1), issuing_authority="UBND tỉnh Lai Châu"
    )
    again, created_again = decision_get_or_create(
        actor=None, number="12/QĐ-UBND ", date=dt.date(2025, 2, 1), issuing_authority="UBND tỉnh Lai Châu"
    )
    assert created and not created_again
    assert first.pk == again.pk


def test_database_refuses_a_record_with_two_recipients(province: dict) -> None:
    record = make_award(province["health_person"], "GK", 2024)
    record.unit = province["health"]
    with pytest.raises(IntegrityError), transaction.atomic():
        record.save()


def test_rating_change_keeps_old_value_in_history(province: dict, users: dict) -> None:
    person = province["health_person"]
    rating_set(actor=users["specialist"], subject=person, year=2024, rating=Rating.GOOD)
    rating, changed = rating_set(actor=users["admin"], subject=person, year=2024, rating=Rating.EXCELLENT)
    assert changed
    assert [h.rating for h in rating.history.all()] == ["HTXSNV", "HTTNV"]
    assert rating.history.first().history_user == users["admin"]


def test_person_is_never_deleted_while_records_point_to_it(province: dict) -> None:
    from django.db.models import ProtectedError

    make_award(province["health_person"], "LDTT", 2023)
    with pytest.raises(ProtectedError):
        province["health_person"].delete()


def test_catalogue_is_loaded_with_contract_codes(db: None) -> None:
    codes = set(AwardType.objects.values_list("code", flat=True))
    assert {
        "LDTT",
        "CSTDCS",
        "CSTD_TINH",
        "CSTD_TQ",
        "TTLDTT",
        "TTLDXS",
        "CO_TINH",
        "CO_CP",
        "GK",
        "BK_TINH",
        "BK_TTG",
        "HCLD3",
        "GDVH",
    } <= codes
    assert all(AwardType.objects.values_list("legal_basis", flat=True))


def test_search_columns_have_trigram_indexes_on_postgresql(db: None) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes exist only on PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE %s", ["%search_text_trgm"])
        names = {row[0] for row in cursor.fetchall()}
    assert names == {
        "organisation_person_search_text_trgm",
        "organisation_unit_search_text_trgm",
        "organisation_household_search_text_trgm",
        "awards_decision_search_text_trgm",
        "proposals_dossier_search_text_trgm",
    }
