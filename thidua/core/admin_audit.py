"""Every change made through the Django admin writes an audit row with the old and new values, like the
services do (issue 13, "Audit you can prove"). `AuditedAdmin` is mixed into every ModelAdmin the site
registers: the product's own classes name it, and CoreConfig.ready wraps any other (auth's groups, axes)."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from thidua.core.audit import audit_append

# Fields whose values never go into the log, only that they changed: passwords, and the secrets of the second
# factor (an authenticator's key, a recovery code) and of API tokens, whose value would let a reader of the
# log pass as the account.
SECRET_FIELDS = frozenset({"password"})
MODEL_SECRET_FIELDS = {
    "otp_totp.totpdevice": frozenset({"key"}),
    "otp_static.statictoken": frozenset({"token"}),
    "accounts.apitoken": frozenset({"key_hash", "prefix"}),
}
CHANGED = "(đã thay đổi)"
# The Council's secret ballot (thidua.proposals): a change of a count, timed beside who has voted, would
# tell who chose what. These models have no admin; should one be added, the admin writes no row of them.
NEVER_AUDITED = frozenset({"proposals.ballottally", "proposals.ballotcast"})


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "name") and hasattr(value, "storage"):  # a FieldFile
        return value.name or ""
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (bytes, memoryview)):
        return CHANGED
    return str(value)


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The object's stored values: its concrete fields (a foreign key as its id) and many-to-many ids."""
    values: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        values[field.name] = _plain(field.value_from_object(obj))
    if obj.pk is not None:
        for m2m in obj._meta.many_to_many:
            values[m2m.name] = sorted(getattr(obj, m2m.name).values_list("pk", flat=True))
    return values


def _stored(obj: models.Model) -> dict[str, Any]:
    if obj.pk is None:
        return {}
    fresh = type(obj)._base_manager.filter(pk=obj.pk).first()
    return snapshot(fresh) if fresh is not None else {}


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    changes: dict[str, list[Any]] = {}
    for name in sorted(set(old) | set(new)):
        before, after = old.get(name), new.get(name)
        if before != after:
            changes[name] = [before, after]
    return changes


def _label(obj: models.Model) -> str:
    return obj._meta.label_lower


def admin_audit(
    *, request: HttpRequest, obj: models.Model, action: str, changes: dict[str, list[Any]]
) -> None:
    if _label(obj) in NEVER_AUDITED:
        return
    # Masked here, where every admin row passes (the account admin's password page writes its own changes).
    secret = SECRET_FIELDS | MODEL_SECRET_FIELDS.get(_label(obj), frozenset())
    changes = {
        name: [CHANGED if value else value for value in values] if name in secret else values
        for name, values in changes.items()
    }
    audit_append(
        actor=request.user,
        action=f"admin_{action}",
        target_type=_label(obj),
        target_id=str(obj.pk),
        summary=f"{obj}"[:300],
        changes=changes,
    )


class AuditedAdmin(admin.ModelAdmin):
    """Writes the audit row of every add, change and delete, inside the admin's transaction.

    The old values are read from the database before the save and the new ones after it (and after the
    many-to-many fields and inlines are saved), so the row shows what was really stored. Django runs the
    change form and the delete page in one transaction, so the object and its row commit together."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        request._audit_before = _stored(obj) if change else {}  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before = getattr(request, "_audit_before", {})
        admin_audit(
            request=request,
            obj=obj,
            action="change" if change else "add",
            changes=diff(before, _stored(obj)),
        )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        before = {f.instance.pk: _stored(f.instance) for f in formset.forms if f.instance.pk is not None}
        super().save_formset(request, form, formset, change)
        for deleted in getattr(formset, "deleted_objects", []):
            admin_audit(
                request=request, obj=deleted, action="delete", changes=diff(before.get(deleted.pk, {}), {})
            )
        for obj in getattr(formset, "new_objects", []):
            admin_audit(request=request, obj=obj, action="add", changes=diff({}, _stored(obj)))
        for obj, _fields in getattr(formset, "changed_objects", []):
            admin_audit(
                request=request, obj=obj, action="change", changes=diff(before.get(obj.pk, {}), _stored(obj))
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            before, pk = _stored(obj), obj.pk
            super().delete_model(request, obj)
            obj.pk = pk
            admin_audit(request=request, obj=obj, action="delete", changes=diff(before, {}))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        with transaction.atomic():
            gone = [(obj, snapshot(obj)) for obj in queryset]
            super().delete_queryset(request, queryset)
            for obj, before in gone:
                admin_audit(request=request, obj=obj, action="delete", changes=diff(before, {}))


def audit_every_admin(site: admin.AdminSite) -> None:
    """Re-register every ModelAdmin of the site that is not yet audited with the mixin in front."""
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, AuditedAdmin):
            continue
        audited = type(f"Audited{type(model_admin).__name__}", (AuditedAdmin, type(model_admin)), {})
        site.unregister(model)
        site.register(model, audited)
