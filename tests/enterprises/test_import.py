"""Importing an enterprise list: real xlsx (xlsxwriter) and CSV files, preview, then one commit."""

import io
import time

import pytest
import python_calamine
import xlsxwriter
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from kexie.accounts.permissions import jobs_for_user
from kexie.core.models import AuditEntry
from kexie.core.tabular import FORMULA_REASON
from kexie.enterprises import importers, services
from kexie.enterprises.models import Enterprise, ImportBatch
from kexie.enterprises.validators import make_credit_code

from ..factories import JINSHUI, ZHONGYUAN, EnterpriseFactory, credit_code_for

HEADER = [
    "企业名称",
    "统一社会信用代码",
    "注册地区划代码",
    "所有制",
    "行业门类",
    "国家高新技术企业",
    "职工人数",
    "科技工作者人数",
]
FLOAT_CODE = "914101020000137600"  # all digits and exactly representable as a float
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


def code(n: int, region: str = ZHONGYUAN) -> str:
    return credit_code_for(900_000 + n, region)


def bad_check(valid: str) -> str:
    wrong = "1" if valid[-1] != "1" else "2"
    return valid[:-1] + wrong


def make_xlsx(fill) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    fill(book.add_worksheet("名单"))
    book.close()
    return buffer.getvalue()


def simple_xlsx(rows, header=HEADER) -> bytes:
    def fill(ws):
        ws.write_row(0, 0, header)
        for index, row in enumerate(rows, start=1):
            ws.write_row(index, 0, row)

    return make_xlsx(fill)


def upload(data: bytes, name: str = "名单.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def row(n: int, *, name=None, region=ZHONGYUAN, ownership="民营", employees=200, st=40, high="是"):
    return [
        name or f"郑州导入测试企业{n:04d}有限公司",
        code(n, region),
        region,
        ownership,
        "C",
        high,
        employees,
        st,
    ]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def preview(user, data: bytes, name: str = "名单.xlsx") -> ImportBatch:
    return services.preview_enterprise_import(by=user, upload=upload(data, name))


# --- reading messy real-world files ------------------------------------------------------------


def messy_xlsx() -> bytes:
    def fill(ws):
        ws.merge_range("A1:H1", "2026年度国家高新技术企业名单")
        ws.merge_range("A2:A3", "序号")
        ws.merge_range("B2:B3", "单位名称")
        ws.merge_range("C2:C3", "信用代码")
        ws.merge_range("D2:D3", "所在地区")
        ws.merge_range("E2:E3", "企业性质")
        ws.merge_range("F2:G2", "人员情况")
        ws.write_row(2, 5, ["从业人员（人）", "科技人员"])
        ws.merge_range("H2:H3", "是否高新")
        ws.write_row(3, 0, [1, "郑州甲智能科技有限公司  ", code(1), "410102", "民营", "２００", 40, "是"])
        ws.write_row(
            5,
            0,
            [
                2,
                "郑州乙新材料有限公司",
                code(2).translate(FULLWIDTH),
                "郑州市中原区",
                "民营企业",
                300,
                50,
                "否",
            ],
        )
        ws.write_row(6, 0, [3, "郑州丙电子有限公司", code(3), 410102, "民营"])
        ws.write_formula(6, 5, "=100*3", None, 300)
        ws.write_row(6, 6, [20, "是"])
        ws.write_row(7, 0, [4, "郑州丁外资有限公司"])
        ws.write_number(7, 2, float(FLOAT_CODE))
        ws.write_row(7, 3, ["410102", "外资", 10, 2, "是"])

    return make_xlsx(fill)


FULLWIDTH = {ord(c): ord(c) + 0xFEE0 for c in "0123456789ABCDEFGHJKLMNPQRTUWXY"}


def test_preview_messy_xlsx_finds_header_and_cleans_every_row(world):
    before = Enterprise.objects.count()
    batch = preview(world.county_staff, messy_xlsx())
    assert (batch.total_rows, batch.to_create, batch.to_update, batch.unchanged, batch.refused) == (
        4,
        3,
        0,
        0,
        1,
    )
    assert batch.errors == [{"row": 7, "column": "从业人员（人）", "value": "300", "reason": FORMULA_REASON}]
    assert [s["row"] for s in batch.sample] == [4, 6, 8]
    assert Enterprise.objects.count() == before


def test_commit_messy_xlsx_creates_the_clean_rows(world):
    batch = preview(world.county_staff, messy_xlsx())
    batch = services.commit_enterprise_import(batch.pk, by=world.county_staff)
    assert batch.status == ImportBatch.Status.COMMITTED
    created = {
        e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=[code(1), code(2), FLOAT_CODE])
    }
    assert set(created) == {code(1), code(2), FLOAT_CODE}
    assert not Enterprise.objects.filter(credit_code=code(3)).exists()
    first = created[code(1)]
    assert (first.name, first.employees, first.st_workers, first.is_high_tech) == (
        "郑州甲智能科技有限公司",
        200,
        40,
        True,
    )
    second = created[code(2)]
    assert (second.region_id, second.ownership, second.is_high_tech) == (ZHONGYUAN, "private", False)
    assert created[FLOAT_CODE].ownership == "foreign"


def test_preview_writes_nothing(world):
    counts = (Enterprise.objects.count(), AuditEntry.objects.count())
    ent_a_employees = world.ent_a.employees
    rows = [
        row(1),
        row(2),
        [world.ent_a.name, world.ent_a.credit_code, ZHONGYUAN, "民营", "C", "是", 999, 40],
    ]
    batch = preview(world.county_staff, simple_xlsx(rows))
    assert (batch.to_create, batch.to_update) == (2, 1)
    assert (Enterprise.objects.count(), AuditEntry.objects.count()) == counts
    world.ent_a.refresh_from_db()
    assert world.ent_a.employees == ent_a_employees


def test_upload_stores_file_under_random_name(world):
    client = client_for(world.county_staff)
    response = client.post(
        reverse("enterprises:import"), {"file": upload(simple_xlsx([row(1)]), "../../etc/名单.xlsx")}
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("enterprises:import_preview", args=[batch.pk])
    assert batch.original_name == "名单.xlsx"
    assert batch.stored_path.startswith("imports/enterprises/") and batch.stored_path.endswith(".xlsx")
    assert "名单" not in batch.stored_path
    assert default_storage.exists(batch.stored_path)


# --- refusing files ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("名单.xlsx", "企业名称,统一社会信用代码\n甲,X\n".encode(), "文件内容不是有效的 .xlsx 表格"),
        ("名单.xlsx", PNG, "文件内容不是有效的 .xlsx 表格"),
        ("logo.png", PNG, "只能导入 .xlsx、.xls、.ods 或 .csv 格式的文件。"),
    ],
)
def test_upload_wrong_file_type_refused_with_message(world, name, data, message):
    response = client_for(world.county_staff).post(
        reverse("enterprises:import"), {"file": upload(data, name)}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_upload_missing_required_column_names_them(world):
    data = simple_xlsx([["甲公司", "410102"]], header=["企业名称", "所在地区"])
    response = client_for(world.county_staff).post(reverse("enterprises:import"), {"file": upload(data)})
    assert response.status_code == 400
    assert "第 1 行表头缺少必填列：“统一社会信用代码”。请补上这些列后重新上传。" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_upload_without_file_is_refused(world):
    response = client_for(world.county_staff).post(reverse("enterprises:import"), {})
    assert response.status_code == 400
    assert "请选择要导入的文件。" in response.content.decode()


# --- row-level decisions ---------------------------------------------------------------------------


def test_commit_creates_exactly_the_valid_rows_and_reports_each_refused_row(world):
    rows = [
        row(1),
        row(2, ownership="国企"),
        row(3, employees=-5),
        ["", code(4), ZHONGYUAN, "民营", "C", "是", 10, 1],
        row(5),
        row(6, employees=10, st=20),
        row(7, ownership=""),
    ]
    batch = preview(world.county_staff, simple_xlsx(rows))
    client = client_for(world.county_staff)
    response = client.post(reverse("enterprises:import_commit", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    assert set(
        Enterprise.objects.filter(credit_code__startswith="91410102").values_list("credit_code", flat=True)
    ) >= {
        code(1),
        code(5),
    }
    assert not Enterprise.objects.filter(credit_code__in=[code(n) for n in (2, 3, 4, 6, 7)]).exists()
    assert (batch.to_create, batch.refused) == (2, 5)
    assert [(e["row"], e["column"]) for e in batch.errors] == [
        (3, "所有制"),
        (4, "职工人数"),
        (5, "企业名称"),
        (7, "科技工作者人数"),
        (8, "所有制"),
    ]
    reasons = {e["row"]: e["reason"] for e in batch.errors}
    assert reasons[3].startswith("所有制“国企”不是有效选项")
    assert reasons[4] == "职工人数不能为负数。"
    assert reasons[5] == "新登记的企业须填写企业名称。"
    assert reasons[7] == "科技工作者人数不能多于职工人数。"
    page = client.get(reverse("enterprises:import_preview", args=[batch.pk])).content.decode()
    assert "导入结果" in page
    for error in batch.errors:
        assert error["reason"] in page


def test_bad_check_character_refused_naming_row_and_column(world):
    rows = [row(1), ["校验位错误企业", bad_check(code(2)), ZHONGYUAN, "民营", "C", "否", 10, 1]]
    batch = preview(world.county_staff, simple_xlsx(rows))
    assert batch.refused == 1
    (error,) = batch.errors
    assert (error["row"], error["column"], error["value"]) == (3, "统一社会信用代码", bad_check(code(2)))
    assert "校验位错误" in error["reason"]


def test_credit_code_stored_as_number_gets_a_hint(world):
    def fill(ws):
        ws.write_row(0, 0, HEADER)
        ws.write_row(1, 0, ["数字代码企业"])
        ws.write_number(1, 1, 914101021234567890)  # Excel keeps 15 digits: the check character is lost
        ws.write_row(1, 2, [ZHONGYUAN, "民营"])

    batch = preview(world.county_staff, make_xlsx(fill))
    (error,) = batch.errors
    assert error["column"] == "统一社会信用代码"
    assert "请把该列设为文本格式后重新填写" in error["reason"]


def test_duplicate_credit_code_in_file_refuses_both_rows(world):
    rows = [row(1), row(2), row(3, name="另一家企业")]
    rows[2][1] = code(1).translate(FULLWIDTH)  # the same code, typed in full width
    batch = preview(world.county_staff, simple_xlsx(rows))
    assert (batch.to_create, batch.refused) == (1, 2)
    assert [(e["row"], e["column"]) for e in batch.errors] == [
        (2, "统一社会信用代码"),
        (4, "统一社会信用代码"),
    ]
    for error in batch.errors:
        assert error["reason"] == "该统一社会信用代码在文件中重复出现（第2行、第4行），请只保留一行。"


def test_update_of_existing_in_scope_enterprise_records_before_and_after(world):
    ent = world.ent_a
    rows = [[ent.name, ent.credit_code, ZHONGYUAN, "民营", "C", "是", 500, 40]]
    batch = preview(world.county_staff, simple_xlsx(rows))
    assert (batch.to_update, batch.to_create) == (1, 0)
    (sample,) = batch.sample
    assert sample["action"] == "update"
    assert sample["changes"] == [
        {"label": "国家高新技术企业", "before": "否", "after": "是"},
        {"label": "职工人数", "before": "200", "after": "500"},
    ]
    page = (
        client_for(world.county_staff)
        .get(reverse("enterprises:import_preview", args=[batch.pk]))
        .content.decode()
    )
    assert "将更新" in page and "职工人数：200 → 500" in page
    services.commit_enterprise_import(batch.pk, by=world.county_staff)
    ent.refresh_from_db()
    assert (ent.employees, ent.is_high_tech) == (500, True)
    entry = AuditEntry.objects.get(object_id=str(ent.pk), action="update")
    assert entry.changes == {"is_high_tech": [False, True], "employees": [200, 500]}
    assert entry.actor == world.county_staff
    assert f"#{batch.pk}" in entry.note
    assert AuditEntry.objects.filter(action="import", object_id=str(batch.pk)).count() == 1


def test_blank_cells_do_not_clear_existing_values(world):
    ent = world.ent_a
    header = ["企业名称", "统一社会信用代码", "注册地区划代码", "职工人数", "联系电话"]
    batch = preview(
        world.county_staff, simple_xlsx([[ent.name, ent.credit_code, ZHONGYUAN, None, None]], header)
    )
    assert (batch.unchanged, batch.to_update, batch.refused) == (1, 0, 0)


def test_existing_enterprise_outside_scope_refused_without_naming_it(world):
    ent_b = world.ent_b
    rows = [["随便写的名称", ent_b.credit_code, ZHONGYUAN, "民营", "C", "是", 999, 1]]
    batch = preview(world.county_staff, simple_xlsx(rows))
    assert batch.refused == 1
    (error,) = batch.errors
    assert error["reason"] == "该统一社会信用代码已登记在您管辖范围以外的企业，请联系上级科协处理。"
    assert ent_b.name not in str(batch.errors)
    services.commit_enterprise_import(batch.pk, by=world.county_staff)
    ent_b.refresh_from_db()
    assert ent_b.employees == 200


def test_region_outside_reach_refused(world):
    rows = [row(1, region=JINSHUI), row(2)]
    batch = preview(world.county_staff, simple_xlsx(rows))
    assert (batch.to_create, batch.refused) == (1, 1)
    (error,) = batch.errors
    assert (error["row"], error["column"], error["value"]) == (2, "注册地区划代码", JINSHUI)
    assert error["reason"] == "注册地“河南省郑州市金水区”不在您的管辖范围内。"


def test_region_that_is_not_a_county_refused(world):
    batch = preview(world.county_staff, simple_xlsx([row(1, region="410100")]))
    assert "不是县级单位" in batch.errors[0]["reason"]


def test_reimport_after_commit_changes_nothing(world):
    data = simple_xlsx([row(1), row(2), row(3)])
    first = preview(world.county_staff, data)
    services.commit_enterprise_import(first.pk, by=world.county_staff)
    audit_count = AuditEntry.objects.count()
    second = preview(world.county_staff, data)
    assert (second.to_create, second.to_update, second.unchanged, second.refused) == (0, 0, 3, 0)
    page = (
        client_for(world.county_staff)
        .get(reverse("enterprises:import_preview", args=[second.pk]))
        .content.decode()
    )
    assert "没有需要新增或更新的企业，无需导入。" in page
    services.commit_enterprise_import(second.pk, by=world.county_staff)
    assert AuditEntry.objects.count() == audit_count + 1  # only the batch's own "import" entry


def test_commit_revalidates_against_the_database(world):
    batch = preview(world.county_staff, simple_xlsx([row(1), row(2)]))
    assert batch.to_create == 2
    EnterpriseFactory(credit_code=code(2), region_id=ZHONGYUAN, employees=1, st_workers=0)
    batch = services.commit_enterprise_import(batch.pk, by=world.county_staff)
    assert (batch.to_create, batch.to_update) == (1, 1)
    assert Enterprise.objects.get(credit_code=code(2)).employees == 200


def test_batch_commits_only_once(world):
    batch = preview(world.county_staff, simple_xlsx([row(1)]))
    client = client_for(world.county_staff)
    client.post(reverse("enterprises:import_commit", args=[batch.pk]))
    response = client.post(reverse("enterprises:import_commit", args=[batch.pk]), follow=True)
    assert "该批次已经导入过或已失败，不能再次提交" in response.content.decode()
    assert Enterprise.objects.filter(credit_code=code(1)).count() == 1
    assert AuditEntry.objects.filter(action="import").count() == 1


def test_commit_of_missing_stored_file_marks_batch_failed(world):
    batch = preview(world.county_staff, simple_xlsx([row(1)]))
    default_storage.delete(batch.stored_path)
    batch = services.commit_enterprise_import(batch.pk, by=world.county_staff)
    assert batch.status == ImportBatch.Status.FAILED
    assert "未写入任何数据" in batch.failure
    assert not Enterprise.objects.filter(credit_code=code(1)).exists()


def test_template_example_row_is_refused(world):
    batch = preview(world.county_staff, importers.build_template())
    assert batch.refused == 1
    assert batch.errors[0]["reason"] == "这是导入模板中的示例行，请删除后再导入。"


# --- CSV -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_csv_import(world, encoding):
    lines = [",".join(HEADER)]
    lines += [",".join(str(v) for v in row(n, name=f"郑州市中原区测试企业{n}号")) for n in (1, 2)]
    lines.append(f"坏代码企业,{bad_check(code(3))},{ZHONGYUAN},民营,C,是,5,1")
    data = ("\r\n".join(lines) + "\r\n").encode(encoding)
    batch = preview(world.county_staff, data, "名单.csv")
    assert (batch.to_create, batch.refused) == (2, 1)
    assert batch.errors[0]["row"] == 4
    services.commit_enterprise_import(batch.pk, by=world.county_staff)
    assert Enterprise.objects.get(credit_code=code(2)).name == "郑州市中原区测试企业2号"


# --- who may do what -------------------------------------------------------------------------------


def test_other_users_batch_is_404(world):
    batch = preview(world.county_staff, simple_xlsx([row(1)]))
    other = client_for(world.other_staff)
    assert other.get(reverse("enterprises:import_preview", args=[batch.pk])).status_code == 404
    assert other.post(reverse("enterprises:import_commit", args=[batch.pk])).status_code == 404
    assert batch.pk not in [b.pk for b in jobs_for_user(world.other_staff, ImportBatch)]
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert (
        client_for(world.admin).get(reverse("enterprises:import_preview", args=[batch.pk])).status_code == 200
    )


def test_viewer_gets_403(world):
    batch = preview(world.county_staff, simple_xlsx([row(1)]))
    for user in (world.county_viewer, world.secretary):
        client = client_for(user)
        assert client.get(reverse("enterprises:import")).status_code == 403
        assert (
            client.post(reverse("enterprises:import"), {"file": upload(simple_xlsx([row(2)]))}).status_code
            == 403
        )
        assert client.get(reverse("enterprises:import_preview", args=[batch.pk])).status_code == 403
        assert client.post(reverse("enterprises:import_commit", args=[batch.pk])).status_code == 403
        assert client.get(reverse("enterprises:import_template")).status_code == 403
    assert ImportBatch.objects.count() == 1


def test_anonymous_is_sent_to_login(world):
    response = Client().get(reverse("enterprises:import"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_upload_page_lists_own_batches(world):
    mine = preview(world.county_staff, simple_xlsx([row(1)]), "我的名单.xlsx")
    preview(world.other_staff, simple_xlsx([row(2, region=JINSHUI)]), "别人的名单.xlsx")
    page = client_for(world.county_staff).get(reverse("enterprises:import")).content.decode()
    assert mine.original_name in page and "别人的名单.xlsx" not in page


# --- the template ----------------------------------------------------------------------------------


def test_template_download_has_header_example_and_allowed_values(world):
    response = client_for(world.county_staff).get(reverse("enterprises:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in response["Content-Disposition"]
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.sheet_names == ["企业名单", "可选值"]
    sheet = book.get_sheet_by_index(0).to_python()
    assert sheet[0] == [c.label for c in importers.COLUMNS]
    assert sheet[1][1] == importers.EXAMPLE_CREDIT_CODE
    allowed = str(book.get_sheet_by_index(1).to_python())
    assert "驻地央企" in allowed and "制造业" in allowed


# --- volume ----------------------------------------------------------------------------------------


def test_five_thousand_rows_commit(world):
    rows = [row(n, employees=100 + n % 50, st=n % 30) for n in range(5000)]
    data = simple_xlsx(rows)
    before, audits = Enterprise.objects.count(), AuditEntry.objects.count()
    started = time.monotonic()
    batch = preview(world.county_staff, data)
    assert (batch.total_rows, batch.to_create, batch.refused) == (5000, 5000, 0)
    batch = services.commit_enterprise_import(batch.pk, by=world.county_staff)
    elapsed = time.monotonic() - started
    assert batch.status == ImportBatch.Status.COMMITTED
    assert Enterprise.objects.count() == before + 5000
    assert AuditEntry.objects.count() == audits + 5000 + 1
    assert Enterprise.objects.get(credit_code=code(4999)).employees == 100 + 4999 % 50
    assert elapsed < 60, elapsed


def test_make_credit_code_helper_matches_float_code():
    assert make_credit_code(FLOAT_CODE[:17]) == FLOAT_CODE
