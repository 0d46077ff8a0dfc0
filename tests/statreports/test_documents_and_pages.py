"""The filed table as xlsx and signed PDF (read back), and the pages (filling, acting, roll-up)."""

import hashlib
import io
import shutil
import subprocess

import pytest
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from kexie.core import audit
from kexie.statreports import documents, services
from kexie.statreports.lines import CODES
from kexie.statreports.models import StatReport

from ..factories import JINSHUI, ZHENGZHOU, ZHONGYUAN
from .conftest import make_table

PDFTOTEXT = shutil.which("pdftotext")
FIGURES = {
    "01": 7,
    "02": 2,
    "03": 4,
    "04": 1,
    "06": 3,
    "09": 120,
    "10": 45,
    "11": 6,
    "12": 9,
    "13": 50,
    "18": 20,
    "19": 8,
}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def filed(world):
    report = make_table(ZHONGYUAN, 2025, figures=FIGURES, by=world.county_staff)
    return services.transition(report.pk, by=world.county_staff, action="submit")


def expected_code(region, year, figures):
    full = {**dict.fromkeys(CODES, 0), **figures}
    text = f"AK表1-1|{region}|{year}|" + ";".join(f"{c}={full[c]}" for c in CODES)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_integrity_code_is_the_sha256_of_the_filed_figures(filed):
    figures = dict(filed.cells.values_list("code", "filed"))
    assert documents.integrity_code(filed, figures) == expected_code(ZHONGYUAN, 2025, FIGURES)
    figures["07"] = 1
    assert documents.integrity_code(filed, figures) != expected_code(ZHONGYUAN, 2025, FIGURES)


def test_xlsx_holds_every_line_the_rates_the_signature_and_the_code(filed, world):
    response = client_for(world.county_staff).get(reverse("statreports:export", args=[filed.pk, "xlsx"]))
    assert response.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert "AK表1-1" in rows[0][0] and "2025" in rows[0][0]
    by_code = {str(r[0]): r for r in rows[3:] if r[0]}
    assert by_code["01"][1] == "企业科协数" and by_code["01"][3] == 7
    assert by_code["09"][3] == 120 and by_code["17"][3] == 0
    assert by_code["R1"][3] == "40.0%" and by_code["R2"][3] == "—"
    labels = {r[1]: r[2] for r in rows if r[1]}
    assert labels["填报单位"] == filed.association.name and labels["负责人"] == "王主席"
    assert labels["填表人"] == "李填表" and len(labels["报出日期"]) == 10
    assert labels["完整性校验码（SHA-256）"] == expected_code(ZHONGYUAN, 2025, FIGURES)
    assert audit.history(filed).filter(action="export").exists()


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")
def test_pdf_is_signed_with_the_integrity_code(filed, world):
    response = client_for(world.county_staff).get(reverse("statreports:export", args=[filed.pk, "pdf"]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = subprocess.run(  # noqa: S603 - a fixed local tool on bytes we generated
        [PDFTOTEXT, "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode("utf-8")
    flat = "".join(text.split())
    assert "2025年度AK表1-1组织建设" in flat
    for words in (
        "填报单位",
        "负责人王主席",
        "填表人李填表",
        "报出日期",
        "企业科协数个7",
        "企业科协会员数人120",
    ):
        assert words in flat, words
    assert expected_code(ZHONGYUAN, 2025, FIGURES) in flat


def test_export_in_another_format_is_404(filed, world):
    response = client_for(world.county_staff).get(reverse("statreports:export", args=[filed.pk, "docx"]))
    assert response.status_code == 404


# --- pages ------------------------------------------------------------------------------------------


def test_filer_opens_edits_and_submits_through_the_pages(world, city_staff):
    client = client_for(world.county_staff)
    page = client.get(reverse("statreports:index") + "?year=2025")
    assert "开始填报" in page.content.decode()
    response = client.post(reverse("statreports:open"), {"region": ZHONGYUAN, "year": 2025})

    report = StatReport.objects.get(region_id=ZHONGYUAN, year=2025)
    assert response.status_code == 302 and response["Location"] == reverse(
        "statreports:detail", args=[report.pk]
    )
    url = reverse("statreports:detail", args=[report.pk])
    data = {f"v{c}": str(v) for c, v in report.cells.values_list("code", "filed")} | {
        "head_name": "王主席",
        "preparer_name": "李填表",
    }
    bad = client.post(url, data | {"v16": "1.5", "r16": "核对"})
    assert bad.status_code == 200 and "不能填写小数" in bad.content.decode()
    assert '<tr class="bad-cell" id="cell-16">' in bad.content.decode()
    ok = client.post(url, data | {"v16": "1", "r16": "联合会成立"})
    assert ok.status_code == 302
    assert report.cells.get(code="16").filed == 1
    client.post(reverse("statreports:transition", args=[report.pk]), {"action": "submit"})
    report.refresh_from_db()
    assert report.state == "submitted"
    detail = client_for(city_staff).get(url).content.decode()
    assert "审核通过" in detail and "联合会成立" in detail
    client_for(city_staff).post(reverse("statreports:transition", args=[report.pk]), {"action": "accept"})
    report.refresh_from_db()
    assert report.state == "accepted"


def test_city_page_shows_the_roll_up_next_to_its_own_table(world, city_staff):
    make_table(ZHONGYUAN, 2025, state="accepted", figures={"01": 3, "03": 3})
    make_table(JINSHUI, 2025, state="accepted", figures={"01": 5, "03": 5})
    own = make_table(ZHENGZHOU, 2025, figures={"01": 1, "03": 1}, by=city_staff)
    html = client_for(city_staff).get(reverse("statreports:detail", args=[own.pk])).content.decode()
    assert "下级汇总（已审核）" in html and '<td class="num">8</td>' in html
    assert "中原区" in html and "二七区" in html
    index = client_for(city_staff).get(reverse("statreports:index") + f"?year=2025&region={ZHENGZHOU}")
    assert index.status_code == 200 and "逾期未报送" in index.content.decode()


def test_jinshui_staff_get_404_on_zhongyuan_tables(world, draft):
    client = client_for(world.other_staff)
    assert client.get(reverse("statreports:detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("statreports:export", args=[draft.pk, "pdf"])).status_code == 404
    assert client.get(reverse("statreports:index") + f"?region={ZHONGYUAN}").status_code == 404


def test_detail_page_query_count_does_not_grow_with_children(
    world, city_staff, django_assert_max_num_queries
):
    own = make_table(ZHENGZHOU, 2025, by=city_staff)
    for code in (ZHONGYUAN, JINSHUI):
        make_table(code, 2025, state="accepted")
    client = client_for(city_staff)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("statreports:detail", args=[own.pk])).status_code == 200


def test_viewer_sees_the_table_without_forms_and_pages_render_in_english(world, draft):
    viewer = client_for(world.county_viewer)
    html = viewer.get(reverse("statreports:detail", args=[draft.pk])).content.decode()
    assert 'name="v01"' not in html and "报送上级科协" not in html
    english = client_for(world.county_staff)
    for url in (
        reverse("statreports:detail", args=[draft.pk]),
        reverse("statreports:index") + "?year=2025",
        reverse("statreports:members") + "?by=age_band",
        reverse("statreports:member_list") + "?by=sex&value=F",
    ):
        assert english.get(url, HTTP_ACCEPT_LANGUAGE="en").status_code == 200, url


def test_admin_index_lists_every_table_and_bad_member_parameters_are_shown(world, draft):
    client = client_for(world.admin)
    page = client.get(reverse("statreports:index") + "?year=2025")
    assert page.status_code == 200 and draft.association.name in page.content.decode()
    bad = client.get(reverse("statreports:members") + "?by=colour")
    assert bad.status_code == 400 and "统计维度" in bad.content.decode()
    bad = client.get(reverse("statreports:member_list") + "?by=sex&value=X")
    assert bad.status_code == 400 and "统计值" in bad.content.decode()


def test_a_returned_table_shows_the_comment_and_is_editable_again(world, city_staff, draft):
    services.transition(draft.pk, by=world.county_staff, action="submit")
    services.transition(draft.pk, by=city_staff, action="return", comment="请补报园区科协")
    html = client_for(world.county_staff).get(reverse("statreports:detail", args=[draft.pk])).content.decode()
    assert "请补报园区科协" in html and 'name="v07"' in html and "报送上级科协" in html
