"""The audit log you can prove (issue 13): every row chained by SHA-256, `thidua audit verify` names the
first row changed or removed behind the product's back, the Django admin writes rows with old and new
values, and PostgreSQL refuses to change or delete a row."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import Client
from django.utils import timezone

from tests.factories import make_unit
from thidua import cli
from thidua.accounts.models import Role, User
from thidua.awards.models import AwardType
from thidua.core.admin_audit import AuditedAdmin
from thidua.core.audit import GENESIS, audit_verify
from thidua.core.models import AuditLog
from thidua.organisation.models import Unit

pytestmark = pytest.mark.django_db


def _raw(sql: str, params: list[Any]) -> None:
    """Change the table as someone with database access would, around the PostgreSQL trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # As a database superuser can: ordinary triggers do not fire for a replica session.
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")


def _verify_exit(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Run `thidua audit verify` as the console runs it; return its exit code and what it wrote."""
    try:
        code = cli.main(["audit", "verify"])
    except SystemExit as stop:
        code = int(stop.code or 0)
    out = capsys.readouterr()
    return code, out.out + out.err


def test_rows_written_by_services_form_a_chain_recomputable_from_their_fields(
    province: dict[str, Any], users: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    make_unit("Sở Tài chính", parent=province["ubnd"])
    rows = list(AuditLog.objects.order_by("pk"))
    assert len(rows) >= 4
    # Recomputed here from the stored values, independently of thidua.core.audit.
    previous = GENESIS
    for row in rows:
        assert row.prev_hash == previous
        canonical = {
            "prev_hash": row.prev_hash,
            "at": row.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "actor_id": row.actor_id,
            "action": row.action,
            "target_type": row.target_type,
            "target_id": row.target_id,
            "summary": row.summary,
            "extra": row.extra,
            "changes": row.changes,
        }
        text = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        assert row.hash == hashlib.sha256(text.encode()).hexdigest()
        previous = row.hash
    code, out = _verify_exit(capsys)
    assert code == 0
    assert f"{len(rows)} dòng" in out


def test_a_field_changed_by_raw_sql_is_named_by_verify(
    province: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    rows = list(AuditLog.objects.order_by("pk"))
    tampered = rows[2]
    _raw("UPDATE core_auditlog SET summary = %s WHERE id = %s", ["Sở Y tế (đã sửa)", tampered.pk])

    report = audit_verify()
    assert report.broken is not None and report.broken.pk == tampered.pk and report.count == 2
    code, out = _verify_exit(capsys)
    assert code == 1
    assert f"id={tampered.pk}" in out
    assert timezone.localtime(tampered.at).strftime("%d/%m/%Y %H:%M:%S") in out


def test_a_deleted_row_breaks_the_chain_at_the_row_after_it(province: dict[str, Any]) -> None:
    rows = list(AuditLog.objects.order_by("pk"))
    _raw("DELETE FROM core_auditlog WHERE id = %s", [rows[1].pk])
    report = audit_verify()
    assert report.broken is not None and report.broken.pk == rows[2].pk and report.reason == "prev_hash"


def test_a_row_recomputed_by_hand_still_breaks_the_next_link(province: dict[str, Any]) -> None:
    """Rewriting a row and its own hash is not enough: the next row keeps the old hash as prev_hash."""
    rows = list(AuditLog.objects.order_by("pk"))
    _raw("UPDATE core_auditlog SET hash = %s WHERE id = %s", ["f" * 64, rows[0].pk])
    report = audit_verify()
    assert report.broken is not None and report.broken.pk == rows[0].pk
    # (the row itself fails first; had its hash been made to match, rows[1] would.)


def _superuser() -> User:
    return User.objects.create_superuser("sieuquantri", "", "matkhau-rat-dai-123", role=Role.ADMINISTRATOR)


def _post_change_form(client: Client, url: str, **changed: Any) -> Any:
    """Post the admin change form as it is shown, with the given fields changed."""
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            value = ""
        if isinstance(value, bool) and not value:
            continue
        data[name] = value
    data.update(changed)
    return client.post(url, data)


def test_an_admin_edit_writes_a_row_with_the_old_and_new_values(province: dict[str, Any]) -> None:
    award_type = AwardType.objects.order_by("pk").first()
    assert award_type is not None
    old_name = award_type.name
    superuser = _superuser()
    client = Client()
    client.force_login(superuser)
    before = AuditLog.objects.count()

    response = _post_change_form(
        client, f"/quan-tri/awards/awardtype/{award_type.pk}/change/", name="Danh hiệu đã đổi tên"
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    row = AuditLog.objects.order_by("pk").last()
    assert row is not None and AuditLog.objects.count() == before + 1
    assert row.actor == superuser
    assert (row.action, row.target_type) == ("admin_change", "awards.awardtype")
    assert row.target_id == str(award_type.pk)
    assert row.changes == {"name": [old_name, "Danh hiệu đã đổi tên"]}
    assert audit_verify().broken is None


def test_an_admin_delete_and_a_password_change_are_recorded_without_a_hash(province: dict[str, Any]) -> None:
    superuser = _superuser()
    client = Client()
    client.force_login(superuser)
    group = Group.objects.create(name="Nhóm thử")
    response = client.post(f"/quan-tri/auth/group/{group.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    row = AuditLog.objects.order_by("pk").last()
    assert row is not None and row.action == "admin_delete" and row.target_id == str(group.pk)
    assert row.changes["name"] == ["Nhóm thử", None]

    officer = User.objects.create_user("canbo.moi", password="mat-khau-cu-12345")
    old_hash = officer.password
    response = client.post(
        f"/quan-tri/accounts/user/{officer.pk}/password/",
        {"password1": "mat-khau-moi-67890", "password2": "mat-khau-moi-67890", "usable_password": "true"},
    )
    assert response.status_code == 302
    row = AuditLog.objects.order_by("pk").last()
    assert row is not None and row.action == "admin_password_change"
    officer.refresh_from_db()
    stored = json.dumps([row.summary, row.extra, row.changes])
    assert old_hash not in stored and officer.password not in stored
    assert row.changes == {"password": ["(đã thay đổi)", "(đã thay đổi)"]}


def test_an_admin_add_with_an_inline_writes_a_row_for_each_object(province: dict[str, Any]) -> None:
    superuser = _superuser()
    client = Client()
    client.force_login(superuser)
    response = client.post(
        "/quan-tri/organisation/bloc/add/",
        {
            "code": "K01",
            "name": "Khối các sở",
            "kind": "khoi",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-unit": str(province["health"].pk),
            "memberships-0-year": "2026",
            "memberships-0-role": "member",
        },
    )
    if response.status_code != 302:
        pytest.fail(str(response.context["adminform"].form.errors))
    added = list(AuditLog.objects.filter(action="admin_add").order_by("pk"))
    assert [r.target_type for r in added] == ["organisation.blocmembership", "organisation.bloc"]
    assert added[1].changes["name"] == [None, "Khối các sở"]
    assert added[0].changes["unit"] == [None, province["health"].pk]


def test_every_admin_class_is_audited_and_the_ballot_has_none() -> None:
    unaudited = [m._meta.label for m, a in admin.site._registry.items() if not isinstance(a, AuditedAdmin)]
    assert unaudited == []
    registered = {m._meta.label_lower for m in admin.site._registry}
    assert "proposals.ballottally" not in registered and "proposals.ballotcast" not in registered
    assert Unit in admin.site._registry and Group in admin.site._registry


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_postgresql_refuses_to_update_or_delete_an_audit_row(province: dict[str, Any]) -> None:
    row = AuditLog.objects.order_by("pk").first()
    assert row is not None
    for statement in (
        "UPDATE core_auditlog SET summary = 'sửa' WHERE id = %s",
        "DELETE FROM core_auditlog WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [row.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditLog.objects.filter(pk=row.pk).update(summary="sửa")
    assert AuditLog.objects.get(pk=row.pk).summary == row.summary
    assert audit_verify().broken is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite runs one write transaction at a time")
# Serialised rollback like every other transactional test: a plain flush would let post_migrate recreate the
# content types, and the next serialised test would load them a second time (a unique-key error on setup).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_appends_on_postgresql_never_fork_the_chain() -> None:
    """Writers whose transactions overlap: each holds its append open a moment before committing, the
    window in which an unlocked reader would take the same previous hash. The flush after this
    transactional test also shows TRUNCATE passes the append-only trigger."""
    import threading
    import time

    from django.db import connections

    from thidua.core.audit import audit_append

    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(8):
                with transaction.atomic():
                    audit_append(actor=None, action="test", target_type="test", target_id=f"{n}-{i}")
                    time.sleep(0.005)
        except BaseException as problem:
            errors.append(problem)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = audit_verify()
    assert report.broken is None and report.count == 32
    assert len(set(AuditLog.objects.values_list("prev_hash", flat=True))) == 32


def test_the_admin_neither_shows_nor_logs_the_second_factors_secrets(province: dict[str, Any]) -> None:
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    superuser = _superuser()
    client = Client()
    client.force_login(superuser)
    officer = User.objects.create_user("canbo.otp", password="mat-khau-cu-12345")
    device = TOTPDevice.objects.create(user=officer, name="Điện thoại", confirmed=True)
    recovery = StaticDevice.objects.create(user=officer, name="Mã dự phòng", confirmed=True)
    StaticToken.objects.create(device=recovery, token="maduphong01")
    pages = [
        client.get(f"/quan-tri/otp_totp/totpdevice/{device.pk}/change/"),
        client.get("/quan-tri/otp_totp/totpdevice/"),
        client.get(f"/quan-tri/otp_static/staticdevice/{recovery.pk}/change/"),
    ]
    assert all(page.status_code == 200 for page in pages)
    assert not any(
        device.key in page.content.decode() or "maduphong01" in page.content.decode() for page in pages
    )
    assert client.get(f"/quan-tri/otp_totp/totpdevice/{device.pk}/config/").status_code == 403

    old_key = device.key
    response = _post_change_form(
        client, f"/quan-tri/otp_totp/totpdevice/{device.pk}/change/", name="Điện thoại mới"
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    response = client.post(
        "/quan-tri/otp_totp/totpdevice/add/",
        {
            "user": str(officer.pk),
            "name": "Thêm",
            "confirmed": "on",
            "key": "3132333435363738393031323334353637383930",
            "step": "30",
            "t0": "0",
            "digits": "6",
            "tolerance": "1",
            "drift": "0",
            "throttling_failure_count": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    rows = AuditLog.objects.filter(target_type="otp_totp.totpdevice")
    assert rows.count() == 2
    stored = json.dumps([[r.summary, r.extra, r.changes] for r in rows])
    assert old_key not in stored and "3132333435363738393031323334353637383930" not in stored
    added = rows.get(action="admin_add")
    assert added.changes["key"] == [None, "(đã thay đổi)"]
