"""Several files in one upload, all or none, and the component picker on the next missing component."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.proposals.conftest import award, pdf_upload
from thidua.proposals import procedure, services
from thidua.proposals.models import Attachment

pytestmark = pytest.mark.django_db


def _dossier(flow: dict[str, Any]) -> Any:
    dossier = services.dossier_create(
        actor=flow["health_officer"], unit=flow["health"], kind="cong_trang", year=2024, title="Đề nghị 2024"
    )
    services.nominee_add(
        actor=flow["health_officer"],
        dossier=dossier,
        recipient=flow["health_person"],
        award_type=award("BK_TINH"),
        achievement="Hai năm hoàn thành xuất sắc nhiệm vụ",
    )
    return dossier


def _picked(page: Any) -> str:
    return str(page.context["p"].next_component)


def test_several_files_go_in_together_or_not_at_all_and_the_picker_moves_on(
    flow: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    dossier = _dossier(flow)
    client = client_for(flow["health_officer"])
    detail = reverse("proposals:detail", args=[dossier.pk])
    add = reverse("proposals:attachment_add", args=[dossier.pk])
    required = [c.code for c in procedure.required_components({"BK_TINH"}, dossier.kind)]
    assert len(required) >= 3
    assert _picked(client.get(detail)) == required[0]

    # One bad file among good ones: none goes in, and the message names the bad one.
    bad = SimpleUploadedFile("bien-ban.pdf", b"khong phai pdf")
    response = client.post(
        add, {"component": required[0], "file": [pdf_upload("a.pdf"), bad, pdf_upload("b.pdf")]}, follow=True
    )
    assert "bien-ban.pdf" in response.text and "Chưa tệp nào được đính kèm" in response.text
    assert not Attachment.objects.filter(dossier=dossier).exists()

    response = client.post(
        add,
        {"component": required[0], "file": [pdf_upload("to-trinh.pdf"), pdf_upload("phu-luc.pdf")]},
        follow=True,
    )
    names = sorted(
        Attachment.objects.filter(dossier=dossier, component=required[0]).values_list(
            "original_name", flat=True
        )
    )
    assert names == ["phu-luc.pdf", "to-trinh.pdf"]
    # The first component has its files: the picker now offers the next one still missing.
    assert _picked(response) == required[1]
    client.post(add, {"component": required[1], "file": pdf_upload()})
    assert _picked(client.get(detail)) == required[2]
