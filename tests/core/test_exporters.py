"""The export framework: one exporter (columns with titles, widths and masks; rows) rendered as xlsx,
CSV and docx, read back with python-calamine, csv and python-docx; and the sheets of the fast
writer it draws with (title, note, numbers, the paper-form look, several sheets)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from docx import Document
from python_calamine import CalamineWorkbook

from kexie.core import tabular
from kexie.core.exporters import CSV_TYPE, DOCX_TYPE, XLSX_TYPE, ExportColumn, Exporter
from kexie.core.masking import mask_phone
from kexie.core.xlsx_fast import Sheet, write_book

PEOPLE = [
    (1, "张伟", "13800000001", '=HYPERLINK("http://evil")'),
    (2, "李娜", "", "+86 工程师"),
    (3, "王强", "13900000003", "@SUM(A1)"),
]


class PeopleExporter(Exporter):
    formats = ("xlsx", "csv", "docx")
    sheet_name = "名单"
    numbers = True
    freeze = (0, 2)

    def __init__(self, *, full: bool = False):
        self.full = full

    def title(self) -> str:
        return "某科协会员名单"

    def columns(self):
        return [
            ExportColumn("序号", 6),
            ExportColumn("姓名", 10),
            ExportColumn("电话", 15, mask_phone),
            ExportColumn("职务", 20),
        ]

    def rows(self):
        return iter(PEOPLE)


def sheet_rows(content: bytes) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def test_xlsx_has_the_title_the_header_masked_phones_numbers_and_no_formula():
    export = PeopleExporter().render("xlsx")
    assert (export.filename, export.content_type, export.rows) == ("某科协会员名单.xlsx", XLSX_TYPE, 3)
    rows = sheet_rows(export.content)
    assert rows[0][0] == "某科协会员名单"
    assert rows[1] == ["序号", "姓名", "电话", "职务"]
    assert rows[2] == [1.0, "张伟", "138****0001", '=HYPERLINK("http://evil")']
    assert rows[3][2] == "" and rows[4][2] == "139****0003"
    assert tabular._workbook_grid(export.content, "xlsx")[1] == frozenset()  # no formula cell
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    assert sheet.title == "名单" and sheet.freeze_panes == "A3"
    assert sheet.column_dimensions["A"].width < sheet.column_dimensions["D"].width
    assert sheet["A3"].data_type == "n" and sheet["D3"].data_type == "s"


def test_a_full_export_leaves_the_masked_columns_in_clear():
    rows = sheet_rows(PeopleExporter(full=True).render("xlsx").content)
    assert [r[2] for r in rows[2:]] == ["13800000001", "", "13900000003"]


def test_csv_is_utf8_with_bom_masked_and_neutralises_formulas():
    export = PeopleExporter().render("csv")
    assert export.content_type == CSV_TYPE and export.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0] == ["序号", "姓名", "电话", "职务"]
    assert rows[1] == ["1", "张伟", "138****0001", '\'=HYPERLINK("http://evil")']
    assert rows[2][3] == "'+86 工程师" and rows[3][3] == "'@SUM(A1)"
    assert export.rows == 3


def test_docx_is_the_title_and_one_table_with_masked_phones():
    export = PeopleExporter().render("docx")
    assert export.content_type == DOCX_TYPE and export.rows == 3
    document = Document(io.BytesIO(export.content))
    assert document.paragraphs[0].text == "某科协会员名单"
    table = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert table[0] == ["序号", "姓名", "电话", "职务"]
    assert table[1] == ["1", "张伟", "138****0001", '=HYPERLINK("http://evil")']
    assert len(table) == 4


def test_a_format_the_exporter_does_not_offer_is_refused():
    class XlsxOnly(PeopleExporter):
        formats = ("xlsx",)

    with pytest.raises(ValueError):
        XlsxOnly().render("csv")


def test_the_form_look_several_sheets_and_sheets_without_header():
    content, counts = write_book(
        [
            Sheet(
                "表一",
                ["代码", "名称", "数值"],
                [["01", "企业科协数", 7], ["02", "=1+1", None]],
                title="年度表",
                note="填报单位：某科协",
                widths=[8, 30, 10],
                freeze=(0, 3),
                numbers=True,
                look="form",
            ),
            Sheet("account", None, [["username", "li"], ["phone", "13800000001"]]),
        ]
    )
    assert counts == [2, 2]
    book = openpyxl.load_workbook(io.BytesIO(content))
    first, second = book.worksheets
    assert [str(r) for r in first.merged_cells.ranges] == ["A1:C1", "A2:C2"]
    assert first["A1"].value == "年度表" and first["A2"].value == "填报单位：某科协"
    assert first["A3"].value == "代码" and first["C4"].value == 7 and first["B5"].value == "=1+1"
    assert first["B5"].data_type == "s" and first["A4"].value == "01"  # codes stay text
    assert first.freeze_panes == "A4" and first.print_title_rows == "$3:$3"
    assert first.page_setup.paperSize == 9 and first["A4"].border.left.style == "thin"
    assert (
        second.title == "account" and second["A1"].value == "username" and second["B2"].value == "13800000001"
    )
