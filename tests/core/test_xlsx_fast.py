"""The hand-written xlsx sheet: readable by openpyxl and calamine, text only (never a formula),
escaped like xlsxwriter, with the merged title, the column widths and the frozen panes."""

from __future__ import annotations

import io

import openpyxl
import python_calamine
import xlsxwriter

from kexie.core.xlsx_fast import MAX_STRING, column_letter, write_sheet

HEADER = ("序号", "姓名", "电话")
TRICKY = [
    "=1+1",
    "+86 138",
    "-5",
    "@SUM(A1)",
    "\t=cmd",
    "\r=cmd",
    "a\x01b",
    "=x\ufffe",
    "a & b <c> \"d\" 'e'",
    "_x0041_",
    " lead and trail ",
    "行\n二",
]


def build(rows):
    return write_sheet("会员汇总表", "某科协会员汇总表", HEADER, rows, widths={"序号": 6, "电话": 15})


def xlsxwriter_values(values):
    """What openpyxl and calamine read back from the same texts written by xlsxwriter's
    ``write_string`` (the writer used before)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, value in enumerate(values):
        sheet.write_string(r, 0, value)
    book.close()
    content = buffer.getvalue()
    by_openpyxl = [
        row[0] for row in openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)
    ]
    with python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content)) as cal:
        by_calamine = [row[0] for row in cal.get_sheet_by_index(0).to_python()]
    return by_openpyxl, by_calamine


def test_text_cells_never_formulas_and_escaped_like_xlsxwriter():
    rows = [(str(n), value, "") for n, value in enumerate(TRICKY, start=1)]
    content, count = build(iter(rows))
    assert count == len(TRICKY)
    sheet = openpyxl.load_workbook(io.BytesIO(content))["会员汇总表"]
    cells = [sheet.cell(r, 2) for r in range(3, 3 + len(TRICKY))]
    assert all(cell.data_type == "s" for cell in cells)  # text, never a formula ("f")
    by_openpyxl, by_calamine = xlsxwriter_values(TRICKY)
    assert [cell.value for cell in cells] == by_openpyxl
    assert all(sheet.cell(r, 3).value is None for r in range(3, 3 + len(TRICKY)))
    with python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content)) as cal:
        data = cal.get_sheet_by_name("会员汇总表").to_python()
    assert data[0][0] == "某科协会员汇总表" and tuple(data[1]) == HEADER
    assert [row[1] for row in data[2:]] == by_calamine
    # calamine gives back exactly the texts, but for the non-character U+FFFE (stays _xFFFE_).
    assert [v for v in by_calamine if v != "=x_xFFFE_"] == [v for v in TRICKY if v != "=x\ufffe"]


def test_layout_title_merged_widths_and_panes():
    content, count = build(iter([("1", "张三", "138****0000")]))
    assert count == 1
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.title == "会员汇总表"
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:C1"]
    assert sheet["A1"].value == "某科协会员汇总表" and sheet["A1"].font.b and sheet["A1"].font.sz == 16
    assert sheet.row_dimensions[1].height == 30
    assert sheet["B2"].font.b and sheet["B2"].border.left.style == "thin"
    assert sheet.freeze_panes == "C3"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABC"}
    assert widths["A"] < widths["B"] < widths["C"]


def test_non_strings_long_strings_and_empty():
    content, count = build(iter([(1, "x" * (MAX_STRING + 10), None)]))
    assert count == 1
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet["A3"].value == "1" and len(sheet["B3"].value) == MAX_STRING
    content, count = build(iter(()))
    assert count == 0 and openpyxl.load_workbook(io.BytesIO(content)).active["A2"].value == "序号"


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]
