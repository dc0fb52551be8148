"""Attachments store their component's stable code instead of its text.

The texts are frozen here as they were when the codes were introduced, so this migration means the same
thing whatever the rulebook says later. A text that matches no component (typed by hand, or from a
rulebook since changed) becomes other evidence with the text kept in `component_note`: nothing is lost,
and going backwards restores every text.
"""

from typing import Any

from django.db import migrations, models

OTHER = "minh_chung_khac"

CODES = {
    "Tờ trình đề nghị khen thưởng (Mẫu số 01, Nghị định 152/2025/NĐ-CP)": "to_trinh",
    "Báo cáo thành tích (cá nhân: Mẫu số 05, Nghị định 152/2025/NĐ-CP)": "bao_cao_thanh_tich",
    "Biên bản bình xét thi đua": "bien_ban_binh_xet",
    "Kết quả bỏ phiếu của Hội đồng Thi đua – Khen thưởng": "ket_qua_bo_phieu",
    (
        "Văn bản công nhận sáng kiến, đề tài, hoặc xác nhận mức hoàn thành xuất sắc nhiệm vụ"
    ): "cong_nhan_sang_kien",
    (
        "Văn bản của Chủ tịch UBND tỉnh công nhận hiệu quả áp dụng, khả năng nhân rộng của sáng kiến trong "
        "phạm vi tỉnh (Hội đồng sáng kiến cấp tỉnh do Sở Khoa học và Công nghệ tham mưu)"
    ): "sang_kien_cap_tinh",
    (
        "Kết quả đánh giá mức độ hoàn thành nhiệm vụ (cá nhân: kết quả đánh giá theo quy định; tập thể: kết "
        "quả xếp loại tổ chức đảng hoặc đánh giá của cơ quan cấp trên)"
    ): "danh_gia_nhiem_vu",
    (
        "Báo cáo tóm tắt thành tích đột xuất (mẫu báo cáo thành tích đột xuất, Phụ lục Nghị định "
        "152/2025/NĐ-CP)"
    ): "bao_cao_dot_xuat",
    (
        "Báo cáo thành tích thi đua theo chuyên đề (mẫu báo cáo thành tích chuyên đề, Phụ lục Nghị định "
        "152/2025/NĐ-CP)"
    ): "bao_cao_chuyen_de",
    (
        "Báo cáo tóm tắt thành tích, quá trình cống hiến (mẫu báo cáo cống hiến, Phụ lục Nghị định "
        "152/2025/NĐ-CP)"
    ): "bao_cao_cong_hien",
    (
        "Báo cáo tóm tắt thành tích đối ngoại (mẫu báo cáo thành tích đối ngoại, Phụ lục Nghị định "
        "152/2025/NĐ-CP)"
    ): "bao_cao_doi_ngoai",
    "Tài liệu minh chứng khác": OTHER,
}
TEXTS = {code: text for text, code in CODES.items()}


def to_codes(apps: Any, schema_editor: Any) -> None:
    Attachment = apps.get_model("proposals", "Attachment")
    for row in Attachment.objects.only("pk", "component").iterator():
        text = row.component.strip()
        if text in CODES:
            row.component, row.component_note = CODES[text], ""
        else:
            row.component, row.component_note = OTHER, row.component
        row.save(update_fields=["component", "component_note"])


def to_texts(apps: Any, schema_editor: Any) -> None:
    Attachment = apps.get_model("proposals", "Attachment")
    for row in Attachment.objects.only("pk", "component", "component_note").iterator():
        row.component = row.component_note or TEXTS.get(row.component, row.component)
        row.save(update_fields=["component"])


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0006_notification_session"),
    ]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="component_note",
            field=models.CharField(blank=True, default="", max_length=300, verbose_name="ghi chú thành phần"),
        ),
        migrations.RunPython(to_codes, to_texts),
        migrations.AlterField(
            model_name="attachment",
            name="component",
            field=models.CharField(max_length=40, verbose_name="thành phần hồ sơ"),
        ),
    ]
