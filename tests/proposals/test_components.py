"""Dossier components as stable codes: the provincial rulebook names each component by a code, a file
is attached as a code (an unknown one refused, in Vietnamese), pages and the API show the text, and the
migration turned the texts stored before into codes without losing any."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from tests.proposals.conftest import drafted, pdf_upload
from tests.proposals.test_api import Api
from thidua.eligibility.rulebook import DATA_DIR, RulebookError, load_library
from thidua.proposals import procedure, services
from thidua.proposals.models import Attachment

pytestmark = pytest.mark.django_db

RULEBOOK = DATA_DIR / "province-mau-bac-ninh.toml"


def test_each_required_component_has_a_stable_code_from_the_rulebook(flow: dict[str, Any]) -> None:
    raw = tomllib.loads(RULEBOOK.read_text(encoding="utf-8"))
    listed = {code for entry in raw["dossiers"] for code in entry["components"]}
    assert listed <= set(raw["components"])
    required = procedure.required_components({"CSTDCS"}, "cong_trang")
    expected = [
        code
        for entry in raw["dossiers"]
        if "cong_trang" in entry.get("kinds", ["cong_trang"]) and "CSTDCS" in entry.get("awards", ["CSTDCS"])
        for code in entry["components"]
    ]
    assert [c.code for c in required] == list(dict.fromkeys(expected))
    assert all(c.text == raw["components"][c.code] for c in required)
    assert procedure.component_codes()["minh_chung_khac"] == "Tài liệu minh chứng khác"


def test_the_rulebook_refuses_a_dossier_entry_naming_a_code_it_does_not_define(tmp_path: Path) -> None:
    broken = tmp_path / "province-hong.toml"
    broken.write_text(
        RULEBOOK.read_text(encoding="utf-8").replace(
            'components = ["ket_qua_bo_phieu"]', 'components = ["khong_co"]'
        ),
        encoding="utf-8",
    )
    with pytest.raises(RulebookError, match="khong_co"):
        load_library(str(broken))


def test_a_file_is_attached_as_a_code_and_an_unknown_code_is_refused(flow: dict[str, Any]) -> None:
    dossier = drafted(flow)
    before = Attachment.objects.count()
    # The old way, the text itself, is no longer a code; neither is a made-up one.
    for wrong in ("Biên bản bình xét thi đua", "bien_ban", "TO_TRINH"):
        with pytest.raises(ValidationError) as refused:
            services.attachment_add(
                actor=flow["health_officer"], dossier=dossier, component=wrong, upload=pdf_upload()
            )
        assert refused.value.code == "unknown_component"
        assert refused.value.messages[0].startswith(f"Không có thành phần hồ sơ mã “{wrong}”.")
    assert Attachment.objects.count() == before
    other = services.attachment_add(
        actor=flow["health_officer"], dossier=dossier, component="minh_chung_khac", upload=pdf_upload()
    )
    assert (other.component, other.component_label) == ("minh_chung_khac", "Tài liệu minh chứng khác")
    minutes = services.attachment_add(
        actor=flow["health_officer"], dossier=dossier, component="bien_ban_binh_xet", upload=pdf_upload()
    )
    assert minutes.component_label == "Biên bản bình xét thi đua"


def test_the_api_takes_the_code_and_answers_code_and_text(client: Client, flow: dict[str, Any]) -> None:
    officer = Api(client, flow["health_officer"])
    dossier = drafted(flow)
    url = f"/dossiers/{dossier.pk}/attachments"
    refused = officer.upload(
        url, "Tờ trình đề nghị khen thưởng (Mẫu số 01, Nghị định 152/2025/NĐ-CP)", pdf_upload()
    )
    assert refused.status_code == 400 and refused.json()["code"] == "unknown_component"
    assert "Không có thành phần hồ sơ mã" in refused.json()["detail"]
    added = officer.upload(url, "to_trinh", pdf_upload())
    assert added.status_code == 201, added.content
    assert added.json()["component"] == "to_trinh"
    assert (
        added.json()["component_label"]
        == "Tờ trình đề nghị khen thưởng (Mẫu số 01, Nghị định 152/2025/NĐ-CP)"
    )
    detail = officer.get(f"/dossiers/{dossier.pk}").json()
    texts = procedure.component_codes()
    assert all(c["text"] == texts[c["code"]] for c in detail["components"])


def test_the_page_offers_codes_shows_texts_and_refuses_an_unknown_code(
    flow: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    dossier = drafted(flow)
    officer = client_for(flow["health_officer"])
    page = officer.get(reverse("proposals:detail", args=[dossier.pk])).content.decode()
    assert 'value="minh_chung_khac"' in page and 'value="bien_ban_binh_xet"' in page
    # The files attached show their component's text, not its code.
    assert '<td class="small">Biên bản bình xét thi đua</td>' in page
    response = officer.post(
        reverse("proposals:attachment_add", args=[dossier.pk]),
        {"component": "khong_co", "file": pdf_upload()},
        follow=True,
    )
    assert "Không có thành phần hồ sơ mã “khong_co”" in response.content.decode()
    assert not dossier.attachments.filter(component="khong_co").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_turns_texts_into_codes_and_back_without_loss(flow: dict[str, Any]) -> None:
    dossier = drafted(flow)
    rows = list(dossier.attachments.order_by("id")[:3])
    assert len(rows) == 3
    before, after = (
        ("proposals", "0006_notification_session"),
        ("proposals", "0007_attachment_component_code"),
    )
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps.get_model("proposals", "Attachment")
    texts = {
        rows[0].pk: "Biên bản bình xét thi đua",
        rows[1].pk: "Tài liệu minh chứng khác",
        rows[2].pk: "Giấy xác nhận của xã (gõ tay)",
    }
    for pk, text in texts.items():
        old.objects.filter(pk=pk).update(component=text)

    executor = MigrationExecutor(connection)
    executor.migrate([after])
    new = {a.pk: a for a in Attachment.objects.filter(pk__in=texts)}
    assert (new[rows[0].pk].component, new[rows[0].pk].component_note) == ("bien_ban_binh_xet", "")
    assert (new[rows[1].pk].component, new[rows[1].pk].component_note) == ("minh_chung_khac", "")
    assert (new[rows[2].pk].component, new[rows[2].pk].component_note) == (
        "minh_chung_khac",
        "Giấy xác nhận của xã (gõ tay)",
    )
    assert [new[pk].component_label for pk in texts] == list(texts.values())

    executor = MigrationExecutor(connection)
    executor.migrate([before])
    assert dict(old.objects.filter(pk__in=texts).values_list("pk", "component")) == texts
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
