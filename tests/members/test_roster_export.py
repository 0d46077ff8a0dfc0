"""Exporting the 会员汇总表: paper layout (xlsx, docx; phones masked), full export for the association's
own secretary (audited), formula injection neutralised, and the round trip export → import."""

import io
import zipfile

import pytest
import python_calamine
from django.core.exceptions import PermissionDenied
from django.http import Http404
from docx import Document

from kexie.core.errors import DomainError
from kexie.core.models import AuditEntry
from kexie.members.models import Person
from kexie.members.roster.export import FULL_HEADER, PAPER_HEADER, build_template, export_roster
from kexie.members.roster.writing import import_roster

from .test_roster_import import ROWS, id_number, roster_xlsx

EXTRA = ["民族", "身份证号", "毕业院校", "电子邮箱", "入会日期"]
FULL_ROWS = [
    [*ROWS[0], "汉族", id_number(1), "郑州大学", "zw@example.com", "2020-05-01"],
    [*ROWS[1], "回族", id_number(2, "19820715"), "", "", ""],
    [*ROWS[2], "", "", "", "", ""],
    [*ROWS[3], "", "", "", "", ""],
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def roster(world):
    import_roster(
        world.assoc_a.pk,
        by=world.secretary,
        data=roster_xlsx(FULL_ROWS, extra=EXTRA),
        filename="a.xlsx",
        commit=True,
    )


def grid(content: bytes) -> list[list]:
    with python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content)) as book:
        return book.get_sheet_by_index(0).to_python()


def reimport(world, content: bytes, name="导出.xlsx"):
    return import_roster(world.assoc_a.pk, by=world.secretary, data=content, filename=name, commit=True)


def test_paper_xlsx_title_header_and_masked_phones(world, roster):
    export = export_roster(world.assoc_a.pk, by=world.county_viewer, fmt="xlsx")
    rows = grid(export.content)
    assert rows[0][0] == f"{world.assoc_a.name}会员汇总表" and export.filename.endswith("会员汇总表.xlsx")
    assert tuple(rows[1]) == PAPER_HEADER and export.rows == 4
    zhang = next(r for r in rows[2:] if r[1] == "张伟")
    assert zhang[2:] == ["男", "1975-03", "硕士研究生", "中共党员", "正高级工程师", "总经理", "138****0001"]
    assert "13800000001" not in str(rows)
    assert not AuditEntry.objects.filter(action="export").exists()


def test_paper_docx_has_the_title_and_the_table(world, roster):
    export = export_roster(world.assoc_a.pk, by=world.secretary, fmt="docx")

    document = Document(io.BytesIO(export.content))
    assert document.paragraphs[0].text == f"{world.assoc_a.name}会员汇总表"
    table = document.tables[0]
    assert tuple(c.text for c in table.rows[0].cells) == PAPER_HEADER and len(table.rows) == 5
    assert "138****0001" in [c.text for c in table.rows[1].cells] + [
        c.text for r in table.rows for c in r.cells
    ]


def test_full_export_is_the_secretarys_and_audited(world, roster):
    export = export_roster(world.assoc_a.pk, by=world.secretary, fmt="xlsx", full=True)
    rows = grid(export.content)
    assert tuple(rows[1]) == FULL_HEADER
    zhang = dict(zip(FULL_HEADER, next(r for r in rows[2:] if r[1] == "张伟"), strict=True))
    assert zhang["电话"] == "13800000001" and zhang["身份证号"] == id_number(1)
    assert zhang["入会日期"] == "2020-05-01" and zhang["民族"] == "汉族"
    entry = AuditEntry.objects.get(action="export")
    assert entry.actor == world.secretary and entry.changes == {"rows": [None, 4]}
    assert entry.object_id == str(world.assoc_a.pk)


@pytest.mark.parametrize("persona", ["county_staff", "county_viewer", "admin"])
def test_full_export_refused_to_everyone_else(world, roster, persona):
    with pytest.raises(PermissionDenied):
        export_roster(world.assoc_a.pk, by=getattr(world, persona), fmt="xlsx", full=True)
    assert not AuditEntry.objects.filter(action="export").exists()


def test_export_scoping(world, roster):
    with pytest.raises(Http404):
        export_roster(world.assoc_a.pk, by=world.other_staff)
    with pytest.raises(PermissionDenied):
        export_roster(world.assoc_a.pk, by=world.member)
    with pytest.raises(DomainError):
        export_roster(world.assoc_a.pk, by=world.secretary, fmt="pdf")


def test_formula_like_text_is_written_as_text(world, roster):
    Person.objects.filter(name="张伟").update(
        position='=HYPERLINK("http://x")', specialty="+1", school="@SUM(A1)"
    )
    Person.objects.filter(name="李娜").update(position="-2+3", major="\tcmd")
    export = export_roster(world.assoc_a.pk, by=world.secretary, fmt="xlsx", full=True)
    with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet and b"<f " not in sheet
    values = {v for row in grid(export.content) for v in row}
    assert {'=HYPERLINK("http://x")', "+1", "@SUM(A1)", "-2+3"} <= values


def test_round_trip_full_export_reimports_without_changes(world, roster):
    before = AuditEntry.objects.filter(content_type__model="person").count()
    export = export_roster(world.assoc_a.pk, by=world.secretary, fmt="xlsx", full=True)
    plan = reimport(world, export.content)
    assert plan.counts == {"to_create": 0, "to_update": 0, "unchanged": 4, "refused": 0}
    assert AuditEntry.objects.filter(content_type__model="person").count() == before


def test_round_trip_paper_export_with_masked_phones_changes_nothing(world, roster):
    export = export_roster(world.assoc_a.pk, by=world.secretary, fmt="xlsx")
    plan = reimport(world, export.content)
    assert plan.counts == {"to_create": 0, "to_update": 0, "unchanged": 4, "refused": 0}
    assert Person.objects.get(name="张伟").phone == "13800000001"


def test_template_is_the_paper_layout(world):

    rows = grid(build_template())
    assert rows[0][0] == "XX公司科协会员汇总表" and tuple(rows[1][:9]) == PAPER_HEADER
