"""The official documents of the founding procedure: open what is generated (docx with python-docx,
xlsx with python-calamine, PDF with pdftotext) and check the cells and the text."""

import io
import shutil
import subprocess
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from python_calamine import CalamineWorkbook

from kexie.core.documents import to_pdf
from kexie.core.documents.blocks import Para
from kexie.core.models import AuditEntry
from kexie.founding import services
from kexie.founding.documents import DOCUMENTS
from kexie.founding.models import Filing
from kexie.members.enums import Office
from kexie.members.models import Person

from .conftest import complete_dossier, congress_data

PDFTOTEXT = shutil.which("pdftotext")
needs_poppler = pytest.mark.skipif(
    PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed: apt-get install -y poppler-utils"
)
CANDIDATE_HEADER = [
    "序号",
    "姓名",
    "性别",
    "年龄",
    "技术职称",
    "政治面貌",
    "科协职务",
    "工作单位职务",
    "电话",
]
MEMBER_HEADER = ["序号", "姓名", "性别", "出生年月", "文化程度", "政治面貌", "职称", "职务", "电话"]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def url(application, document, fmt):
    return reverse("founding:document", kwargs={"pk": application.pk, "document": document, "fmt": fmt})


def get(user, application, document, fmt, status=200):
    response = client_for(user).get(url(application, document, fmt))
    assert response.status_code == status, response.content[:300]
    return response


def xlsx_rows(content: bytes) -> list[list]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return book.get_sheet_by_index(0).to_python()


def table_rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += ["\t".join(r) for r in table_rows(table)]
    return "\n".join(parts)


def pdf_text(content: bytes, *, first_page_only: bool = False) -> str:
    pages = ["-f", "1", "-l", "1"] if first_page_only else []
    result = subprocess.run(  # noqa: S603 - a fixed local tool on bytes we generated
        [PDFTOTEXT, "-layout", *pages, "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def data_rows(rows: list[list]) -> list[list]:
    """The rows under the header that hold a person (the paper form's empty lines left out)."""
    start = next(i for i, r in enumerate(rows) if r and r[0] == "序号") + 1
    return [r for r in rows[start:] if r[1] not in ("", None)]


@pytest.fixture
def people(application, founder):
    """The complete dossier, with a 副秘书长 and a 常委 added so every office is in the table."""
    people = complete_dossier(application, founder)
    services.set_candidacy(
        application.pk, by=founder, person_id=people[3].pk, office=Office.DEPUTY_SECRETARY_GENERAL
    )
    services.set_candidacy(
        application.pk, by=founder, person_id=people[1].pk, office=Office.STANDING_COMMITTEE
    )
    return [Person.objects.get(pk=p.pk) for p in people]


@pytest.fixture
def approved(world, application, founder, people):
    services.submit(application.pk, by=founder)
    services.approve(application.pk, by=world.county_staff, note="望加强组织建设，按期召开成立大会。")
    application.refresh_from_db()
    return application


# --- the candidate table ---------------------------------------------------------------------


def test_candidate_xlsx_header_and_rows_in_office_order(application, founder, people):
    response = get(founder, application, "candidates", "xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    rows = xlsx_rows(response.content)
    assert "候选人汇总表" in rows[0][0]
    assert rows[2] == CANDIDATE_HEADER
    zhang, li, wang, zhao = people
    expected = [
        [1, "张伟", "男", zhang.age, "正高级", "中共党员", "主席", "总经理", "13800000001"],
        [2, "李娜", "女", li.age, "副高级", "群众", "副主席", "技术部经理", "13800000002"],
        [3, "王强", "男", wang.age, "中级", "中共党员", "秘书长", "工程师", "13800000003"],
        [4, "赵敏", "女", zhao.age, "中级", "共青团员", "副秘书长", "研发工程师", "13800000004"],
        [5, "李娜", "女", li.age, "副高级", "群众", "常委", "技术部经理", "13800000002"],
        [6, "赵敏", "女", zhao.age, "中级", "共青团员", "委员", "研发工程师", "13800000004"],
    ]
    assert data_rows(rows) == expected


def test_candidate_docx_is_the_same_table(application, founder, people):
    document = Document(io.BytesIO(get(founder, application, "candidates", "docx").content))
    rows = table_rows(document.tables[0])
    assert rows[0] == CANDIDATE_HEADER
    body = data_rows(rows)
    assert [(r[1], r[6]) for r in body] == [
        ("张伟", "主席"),
        ("李娜", "副主席"),
        ("王强", "秘书长"),
        ("赵敏", "副秘书长"),
        ("李娜", "常委"),
        ("赵敏", "委员"),
    ]
    assert body[0][3] == str(people[0].age)
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)


# --- the member table ------------------------------------------------------------------------


MEMBER_ROWS = [
    ["张伟", "男", "1975.03", "硕士研究生", "中共党员", "正高级", "总经理"],
    ["李娜", "女", "1982.07", "大学本科", "群众", "副高级", "技术部经理"],
    ["王强", "男", "1988.11", "大学本科", "中共党员", "中级", "工程师"],
    ["赵敏", "女", "1990.02", "硕士研究生", "共青团员", "中级", "研发工程师"],
]


def test_member_xlsx_rows_match_the_members(application, founder, people):
    rows = xlsx_rows(get(founder, application, "members", "xlsx").content)
    assert rows[2] == MEMBER_HEADER
    body = data_rows(rows)
    assert [r[1:8] for r in body] == MEMBER_ROWS
    assert [r[0] for r in body] == [1, 2, 3, 4]
    assert [r[8] for r in body] == ["13800000001", "13800000002", "13800000003", "13800000004"]


def test_member_docx_rows_match_the_members(application, founder, people):
    document = Document(io.BytesIO(get(founder, application, "members", "docx").content))
    rows = table_rows(document.tables[0])
    assert rows[0] == MEMBER_HEADER
    assert [r[1:8] for r in data_rows(rows)] == MEMBER_ROWS
    assert "会员人数：4人" in docx_text(get(founder, application, "members", "docx").content)


def test_formula_like_value_is_text_in_xlsx(application, founder, people):
    services.add_founding_member(application.pk, by=founder, data={"name": "=cmd", "position": "+SUM(A1)"})
    content = get(founder, application, "members", "xlsx").content
    body = data_rows(xlsx_rows(content))
    assert body[-1][1] == "=cmd" and body[-1][7] == "+SUM(A1)"
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet and b"<f " not in sheet  # no formula anywhere


# --- phones, and the export in the audit log ---------------------------------------------------


def test_phones_full_for_the_group_and_the_approving_reviewers_masked_for_a_viewer(world, approved, founder):
    phones = lambda user: [r[8] for r in data_rows(xlsx_rows(get(user, approved, "members", "xlsx").content))]  # noqa: E731
    assert phones(founder)[0] == "13800000001"
    assert phones(world.county_staff)[0] == "13800000001"  # reviewer of the approving 科协
    assert phones(world.county_viewer) == ["138****0001", "138****0002", "138****0003", "138****0004"]
    candidates = data_rows(xlsx_rows(get(world.county_viewer, approved, "candidates", "xlsx").content))
    assert {r[8] for r in candidates} <= {"138****0001", "138****0002", "138****0003", "138****0004"}
    assert "13800000001" not in docx_text(get(world.county_viewer, approved, "members", "docx").content)
    # The contact phone in the letters follows the same rule.
    assert "13900000000" not in docx_text(get(world.county_viewer, approved, "application", "docx").content)
    assert "13900000000" in docx_text(get(founder, approved, "application", "docx").content)


def test_a_download_is_an_export_in_the_audit_log(world, approved):
    get(world.county_viewer, approved, "members", "xlsx")
    entry = AuditEntry.objects.filter(action="export", actor=world.county_viewer).get()
    assert entry.object_id == str(approved.pk)
    assert "会员汇总表" in entry.note and "xlsx" in entry.note


def test_file_headers(founder, application, people):
    response = get(founder, application, "members", "xlsx")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''" in disposition and "%E4%BC%9A%E5%91%98" in disposition  # 会员
    assert "no-store" in response["Cache-Control"]


# --- access ----------------------------------------------------------------------------------


def test_other_county_staff_get_404_and_a_member_403(world, application, people):
    get(world.other_staff, application, "members", "xlsx", status=404)
    get(world.member, application, "members", "xlsx", status=403)
    assert (
        client_for(world.other_staff).get(reverse("founding:dossier", args=[application.pk])).status_code
        == 404
    )
    assert client_for(world.member).get(reverse("founding:dossier", args=[application.pk])).status_code == 403
    assert not AuditEntry.objects.filter(action="export").exists()


def test_anonymous_is_sent_to_sign_in(application):
    response = Client().get(url(application, "members", "xlsx"))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("document", "fmt"),
    [("minutes", "pdf"), ("application", "xlsx"), ("members", "csv"), ("charter", "txt"), ("form", "xlsx")],
)
def test_unknown_document_or_format_is_404(founder, application, document, fmt):
    get(founder, application, document, fmt, status=404)


# --- approval and filing only once issued ------------------------------------------------------


def test_approval_404_before_approval_and_holds_the_number_after(world, application, founder, people):
    get(founder, application, "approval", "docx", status=404)
    get(founder, application, "approval", "pdf", status=404)
    services.submit(application.pk, by=founder)
    get(world.county_staff, application, "approval", "docx", status=404)
    services.approve(application.pk, by=world.county_staff, note="望加强组织建设。")
    application.refresh_from_db()
    text = docx_text(get(founder, application, "approval", "docx").content)
    assert application.approval_number in text
    assert f"关于同意成立{application.association.name}的批复" in text
    assert "郑州中原芯片科技有限公司、" in text and "望加强组织建设。" in text
    date = application.approval_date
    assert f"{date.year}年{date.month}月{date.day}日" in text


def test_filing_form_after_the_congress(world, approved, founder, people):
    get(founder, approved, "filing", "docx", status=404)
    data, committee, officers = congress_data(approved, people)
    services.record_congress(approved.pk, by=founder, data=data, committee=committee, officers=officers)
    document = Document(io.BytesIO(get(founder, approved, "filing", "docx").content))
    text = docx_text(get(founder, approved, "filing", "docx").content)
    assert "公司报告厅" in text and approved.approval_number in text
    officers_table = table_rows(document.tables[2])
    assert officers_table[0] == ["序号", "姓名", "职务", "赞成票", "反对票", "弃权票", "是否当选"]
    assert officers_table[1:] == [
        ["1", "张伟", "主席", "4", "0", "0", "是"],
        ["2", "李娜", "副主席", "4", "0", "0", "是"],
        ["3", "王强", "秘书长", "3", "1", "0", "是"],
    ]
    assert [r[1] for r in table_rows(document.tables[1])[1:]] == ["张伟", "李娜", "王强", "赵敏"]
    recipients = [r[0] for r in table_rows(document.tables[3])[1:]]
    assert recipients == [approved.approver.name, "中原区工商联"]  # private enterprise: the 工商联


# --- the letters and the form ----------------------------------------------------------------


def test_application_letter_is_addressed_to_the_approver(world, approved, founder):
    text = docx_text(get(founder, approved, "application", "docx").content)
    assert text.startswith(f"关于成立{approved.association.name}的申请")
    assert f"{approved.approver.name}：" in text
    assert "登记会员4名" in text and "主席候选人张伟" in text and "副主席候选人李娜" in text
    assert "章程（草案）" in text and "同意成立企业科协的文件" in text


def test_report_has_statistics_and_both_tables(approved, founder):
    document = Document(io.BytesIO(get(founder, approved, "report", "docx").content))
    text = docx_text(get(founder, approved, "report", "docx").content)
    assert "筹备工作已完成。" in text and "组长张伟" in text
    assert "正高级1名、副高级1名、中级2名" in text and "硕士研究生2名、大学本科2名" in text
    headers = [table_rows(t)[0] for t in document.tables]
    assert CANDIDATE_HEADER in headers and MEMBER_HEADER in headers


def test_application_form_fields(approved, founder):
    document = Document(io.BytesIO(get(founder, approved, "form", "docx").content))
    cells = {r[0]: r[1:] for r in table_rows(document.tables[0])}
    assert cells["企业名称"][0] == "郑州中原芯片科技有限公司"
    assert cells["统一社会信用代码"][0] == approved.enterprise.credit_code
    assert cells["国家高新技术企业"][0] == "是"
    assert cells["科技工作者人数"][2] == "高级2人，中级2人，初级0人"
    assert cells["拟任主席"] == ["张伟", "拟任秘书长", "王强"]
    assert "签字（盖章）" in cells["科协审批意见"][0]


def test_charter_chapter_headings_are_bold(application, founder):
    document = Document(io.BytesIO(get(founder, application, "charter", "docx").content))
    paragraphs = [p for p in document.paragraphs if p.text]
    assert paragraphs[0].text == "郑州中原芯片科技有限公司科学技术协会章程"
    assert paragraphs[1].text == "（草案）"
    chapters = [p for p in paragraphs if p.text.startswith("第") and "章 " in p.text]
    assert [p.text for p in chapters][:2] == ["第一章 总则", "第二章 任务"] and len(chapters) == 6
    assert all(run.bold for p in chapters for run in p.runs)
    article = next(p for p in paragraphs if p.text.startswith("第一条"))
    assert not any(run.bold for run in article.runs)


def test_documents_render_for_a_draft(world, application, founder):
    """A fresh draft: nothing filled in yet, every document but the approval and the filing form."""
    for document, kind in DOCUMENTS.items():
        for fmt in kind.formats:
            expected = 404 if document in ("approval", "filing") else 200
            get(founder, application, document, fmt, status=expected)
    assert client_for(founder).get(reverse("founding:dossier", args=[application.pk])).status_code == 200


def test_documents_stay_chinese_when_the_page_is_english(application, founder, people):
    client = client_for(founder)
    client.cookies["django_language"] = "en"
    text = docx_text(client.get(url(application, "candidates", "docx")).content)
    assert "主席" in text and "中共党员" in text and "Chair" not in text


# --- PDF -------------------------------------------------------------------------------------


@needs_poppler
def test_dossier_pdf_starts_with_the_application(world, approved, founder):
    response = client_for(founder).get(reverse("founding:dossier", args=[approved.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    first = "".join(pdf_text(response.content, first_page_only=True).split())
    assert "关于成立" in first and "郑州中原芯片科技有限公司" in first
    whole = "".join(pdf_text(response.content).split())
    for part in (
        "筹备工作报告",
        "候选人汇总表",
        "会员汇总表",
        "企业科协组织申请表",
        "章程",
        "的批复",
        approved.approval_number,
    ):
        assert part in whole
    assert whole.index("筹备工作报告") < whole.index("企业科协组织申请表") < whole.index("第一章总则")
    entry = AuditEntry.objects.get(action="export", actor=founder)
    assert "合订本" in entry.note


@needs_poppler
def test_pdf_is_a4_with_an_embedded_cjk_font(approved, founder):
    content = get(founder, approved, "members", "pdf").content
    text = "".join(pdf_text(content).split())
    assert "企业科协会员汇总表" in text and "张伟" in text and "1975.03" in text
    info = subprocess.run([shutil.which("pdfinfo"), "-"], input=content, capture_output=True, check=True)  # noqa: S603
    assert "595.276 x 841.89" in info.stdout.decode()  # A4 in points
    fonts = subprocess.run([shutil.which("pdffonts"), "-"], input=content, capture_output=True, check=True)  # noqa: S603
    assert "WenQuanYi" in fonts.stdout.decode()


@needs_poppler
def test_pdf_text_is_escaped_and_nothing_is_fetched(monkeypatch):
    asked, refuse = [], to_pdf.refuse

    def spy(url, *args, **kwargs):
        asked.append(url)
        return refuse(url, *args, **kwargs)

    monkeypatch.setattr(to_pdf, "refuse", spy)
    content = to_pdf.render([Para('<img src="http://example.com/x.png">章程')], title="t")
    assert "<imgsrc=" in "".join(pdf_text(content).split()) and asked == []  # text, not markup
    to_pdf.from_html('<img src="http://example.com/x.png"><link rel="stylesheet" href="print.css">')
    assert sorted(asked) == [  # asked for, and refused
        "file://" + str(to_pdf.TEMPLATES / "print.css"),  # relative URLs resolve against the templates
        "http://example.com/x.png",
    ]
    with pytest.raises(to_pdf.NoFetching):
        refuse("http://example.com/x.png")


def test_filing_form_reaches_the_acfic_viewer_through_the_filing(client, world, approved, founder, people):

    data, committee, officers = congress_data(approved, people)
    services.record_congress(approved.pk, by=founder, data=data, committee=committee, officers=officers)
    services.submit_filing(approved.pk, by=founder)
    filed_application = approved
    acfic_filing = Filing.objects.get(application=filed_application, recipient="acfic")
    client.force_login(world.acfic)
    response = client.get(f"/founding/filings/{acfic_filing.pk}/form.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get(f"/founding/{filed_application.pk}/documents/filing.pdf").status_code == 403
    client.force_login(world.sasac)
    assert client.get(f"/founding/filings/{acfic_filing.pk}/form.pdf").status_code == 404
