from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from thidua.exports.models import ExportJob


def own_job(*, user: Any, job_id: int) -> ExportJob | None:
    """A job only for its owner: nobody else's scope, an administrator's included, ever reads it."""
    return ExportJob.objects.filter(pk=job_id, owner=user).first()


def own_jobs(*, user: Any, limit: int = 20) -> QuerySet[ExportJob]:
    return ExportJob.objects.filter(owner=user).order_by("-created_at", "-pk")[:limit]
