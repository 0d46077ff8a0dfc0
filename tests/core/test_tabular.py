"""The generic spreadsheet reader, on real files written with xlsxwriter and real CSV bytes."""

import io
import zipfile

import pytest
import xlsxwriter

from kexie.core import tabular
from kexie.core.tabular import FORMULA_REASON, Column, TabularError, header_key, read_table

COLUMNS = (
    Column("name", "企业名称", ("单位名称", "名称"), required=True),
    Column("code", "统一社会信用代码", ("信用代码", "社会信用代码"), required=True),
    Column("staff", "职工人数", ("从业人员",)),
    Column("flag", "是否高新", ("高新技术企业",)),
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


def xlsx(fill) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    fill(book)
    book.close()
    return buffer.getvalue()


def rows_of(data: bytes, filename: str = "list.xlsx", columns=COLUMNS):
    table = read_table(data, filename=filename, columns=columns)
    return table, list(table)


def test_read_table_header_under_merged_title_and_two_row_header():
    def fill(book):
        ws = book.add_worksheet()
        ws.merge_range("A1:E1", "2026年度国家高新技术企业名单")
        ws.merge_range("A2:A3", "序号")
        ws.merge_range("B2:B3", "信用代码")
        ws.merge_range("C2:D2", "基本情况")
        ws.write("C3", "单位名称")
        ws.write("D3", "从业人员（人）")
        ws.write_row(3, 0, [1, "91410102MA0000000X", "甲公司", 120])

    table, rows = rows_of(xlsx(fill))
    assert table.header_row == 3
    assert table.headers == {"code": "信用代码", "name": "单位名称", "staff": "从业人员（人）"}
    assert [(r.number, r.values) for r in rows] == [
        (4, {"code": "91410102MA0000000X", "name": "甲公司", "staff": 120})
    ]


def test_read_table_skips_empty_rows_and_keeps_spreadsheet_row_numbers():
    def fill(book):
        ws = book.add_worksheet()
        ws.write_row(0, 0, ["企业名称", "统一社会信用代码", "序号"])
        ws.write_row(1, 0, ["甲", "A1"])
        ws.write_row(3, 0, ["", "", 3])  # only an unmapped column: still an empty row
        ws.write_row(5, 0, ["乙", "B2"])

    _, rows = rows_of(xlsx(fill))
    assert [(r.number, r.values["name"]) for r in rows] == [(2, "甲"), (6, "乙")]


def test_read_table_normalises_fullwidth_and_spaces_and_whole_floats():
    def fill(book):
        ws = book.add_worksheet()
        ws.write_row(0, 0, ["职工人数", "企业名称", "社会信用代码"])
        ws.write_number(1, 0, 200.0)
        ws.write_string(1, 1, "\u3000丙公司（郑州）  ")
        ws.write_string(1, 2, "９１４１０１０２ＭＡ０００００００Ｘ ")
        ws.write_number(2, 0, 3.5)
        ws.write_string(2, 1, "丁")
        ws.write_number(2, 2, 914101020000000000)

    _, rows = rows_of(xlsx(fill))
    first, second = rows
    assert first.values == {"staff": 200, "name": "丙公司（郑州）", "code": "91410102MA0000000X"}
    assert isinstance(first.values["staff"], int)
    assert second.values == {"staff": 3.5, "name": "丁", "code": 914101020000000000}
    assert second.texts["code"] == "914101020000000000"


def test_read_table_reports_formula_cells_and_ignores_them_in_unmapped_columns():
    def fill(book):
        ws = book.add_worksheet()
        ws.write_row(0, 0, ["序号", "企业名称", "信用代码", "职工人数"])
        ws.write_formula(1, 0, "=ROW()-1", None, 1)
        ws.write_row(1, 1, ["甲", "C1"])
        ws.write_formula(1, 3, "=100+20", None, 120)
        ws.write_formula(2, 0, "=ROW()-1", None, 2)
        ws.write_row(2, 1, ["乙", "C2", 5])
        ws.write_string(3, 1, '=HYPERLINK("http://x")')
        ws.write_string(3, 2, "C3")

    _, rows = rows_of(xlsx(fill))
    assert [(e.row, e.column, e.value, e.reason) for r in rows for e in r.errors] == [
        (2, "职工人数", "120", FORMULA_REASON),
        (4, "企业名称", '=HYPERLINK("http://x")', FORMULA_REASON),
    ]
    assert "staff" not in rows[0].values
    assert rows[1].values == {"name": "乙", "code": "C2", "staff": 5}
    assert "单元格含公式" in FORMULA_REASON


def test_read_table_uses_first_visible_sheet():
    def fill(book):
        hidden = book.add_worksheet("旧")
        hidden.write_row(0, 0, ["企业名称", "信用代码"])
        hidden.write_formula(1, 0, "=1+1", None, 2)
        visible = book.add_worksheet("名单")
        visible.write_row(0, 0, ["企业名称", "信用代码"])
        visible.write_row(1, 0, ["甲", "X"])
        visible.activate()
        hidden.hide()

    _, rows = rows_of(xlsx(fill))
    assert [(r.values, r.errors) for r in rows] == [({"name": "甲", "code": "X"}, [])]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk", "gb18030"])
def test_read_table_csv_encodings(encoding):
    text = "企业名称,统一社会信用代码,职工人数\r\n郑州甲公司 ,９１４１０１０２ＭＡ０００００００Ｘ,200\r\n,,\r\n乙,=1+1,\r\n"
    table, rows = rows_of(text.encode(encoding), "名单.csv")
    assert table.kind == "csv"
    assert [r.number for r in rows] == [2, 4]
    assert rows[0].values == {"name": "郑州甲公司", "code": "91410102MA0000000X", "staff": "200"}
    assert [(e.row, e.column, e.reason) for e in rows[1].errors] == [(4, "统一社会信用代码", FORMULA_REASON)]


def test_read_table_csv_with_title_line_and_tabs():
    text = "2026年度高新技术企业名单\n名称\t信用代码\n甲\tX1\n"
    table, rows = rows_of(text.encode("utf-8"), "a.CSV")
    assert table.header_row == 2
    assert rows[0].values == {"name": "甲", "code": "X1"}


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("list.xlsx", "企业名称,信用代码\n甲,X\n".encode(), "不是有效的 .xlsx 表格"),
        ("list.xlsx", PNG, "不是有效的 .xlsx 表格"),
        ("list.csv", PNG, "不是文本格式的 CSV"),
        ("list.png", PNG, "只能导入 .xlsx、.xls、.ods 或 .csv 格式的文件"),
        ("list.xls", b"PK\x03\x04garbage", "不是有效的 .xls 表格"),
        ("list", b"abc", "只能导入"),
        ("list.xlsx", b"", "上传的文件是空的"),
    ],
)
def test_read_table_refuses_wrong_file_type(filename, data, message):
    with pytest.raises(TabularError) as info:
        read_table(data, filename=filename, columns=COLUMNS)
    assert message in info.value.message


def test_read_table_refuses_xlsx_as_csv():
    data = xlsx(lambda book: book.add_worksheet().write_row(0, 0, ["企业名称", "信用代码"]))
    with pytest.raises(TabularError, match="Excel 工作簿"):
        read_table(data, filename="a.csv", columns=COLUMNS)


def test_read_table_refuses_zip_without_content_types():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<x/>")
    with pytest.raises(TabularError, match="不是有效的 .xlsx 表格"):
        read_table(buffer.getvalue(), filename="a.xlsx", columns=COLUMNS)


def test_read_table_refuses_zip_bomb_by_unpacked_size(settings):
    settings.KEXIE_IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (2 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < 20_000
    with pytest.raises(TabularError, match="解压后超过 1 MB"):
        read_table(data, filename="bomb.xlsx", columns=COLUMNS)


def test_read_table_refuses_zip_lying_about_its_size(settings):
    settings.KEXIE_IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (2 * 1024 * 1024))
    data = bytearray(buffer.getvalue())
    # Rewrite the declared sizes (local header and central directory) to 100 bytes.
    real = (2 * 1024 * 1024).to_bytes(4, "little")
    data = bytes(data).replace(real, (100).to_bytes(4, "little"))
    with pytest.raises(TabularError):
        read_table(data, filename="bomb.xlsx", columns=COLUMNS)


def test_read_table_refuses_too_many_zip_entries(settings):
    settings.KEXIE_IMPORT_MAX_ZIP_ENTRIES = 5
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for n in range(10):
            archive.writestr(f"xl/x{n}.xml", "<x/>")
    with pytest.raises(TabularError, match="超过 5 个"):
        read_table(buffer.getvalue(), filename="a.xlsx", columns=COLUMNS)


def test_read_table_refuses_too_big_upload(settings):
    settings.KEXIE_IMPORT_MAX_BYTES = 100
    with pytest.raises(TabularError, match="文件大小超过上限"):
        read_table(("企业名称,信用代码\n" + "甲,X\n" * 50).encode(), filename="a.csv", columns=COLUMNS)


def test_read_table_refuses_too_many_rows(settings):
    settings.KEXIE_IMPORT_MAX_ROWS = 10
    with pytest.raises(TabularError, match="超过 10 行"):
        read_table(("企业名称,信用代码\n" + "甲,X\n" * 40).encode(), filename="a.csv", columns=COLUMNS)


def test_read_table_missing_required_columns_named_in_one_error():
    data = xlsx(lambda book: book.add_worksheet().write_row(0, 0, ["职工人数", "是否高新"]))
    with pytest.raises(TabularError) as info:
        read_table(data, filename="a.xlsx", columns=COLUMNS)
    assert (
        info.value.message
        == "第 1 行表头缺少必填列：“企业名称”、“统一社会信用代码”。请补上这些列后重新上传。"
    )


def test_read_table_without_any_known_header():
    with pytest.raises(TabularError, match="没有找到表头"):
        read_table("甲,乙\n1,2\n".encode(), filename="a.csv", columns=COLUMNS)


def test_header_key_ignores_marks_units_and_spaces():
    assert header_key("企业名称*") == header_key(" 企业 名称（必填）") == header_key("企业名称")
    assert header_key("职工人数(人)") == "职工人数"
    assert header_key(None) == ""


MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def ods(rows, *, formula: bool = False) -> bytes:
    """A minimal OpenDocument spreadsheet (what LibreOffice writes, without styles)."""
    body = "".join(
        "<table:table-row>"
        + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>' for v in r
        )
        + "</table:table-row>"
        for r in rows
    )
    if formula:
        body += (
            '<table:table-row><table:table-cell table:formula="of:=1+1" office:value-type="float" '
            'office:value="2"><text:p>2</text:p></table:table-cell></table:table-row>'
        )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="名单">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", MANIFEST)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def test_read_table_ods():
    table, rows = rows_of(ods([["标题"], ["企业名称", "信用代码"], ["甲", "X1"]]), "名单.ods")
    assert (table.kind, table.header_row) == ("ods", 2)
    assert [(r.number, r.values) for r in rows] == [(3, {"name": "甲", "code": "X1"})]


def test_read_table_refuses_ods_with_formulas():
    with pytest.raises(TabularError, match="含有公式"):
        read_table(ods([["企业名称", "信用代码"]], formula=True), filename="名单.ods", columns=COLUMNS)


def test_read_table_refuses_zip_that_is_not_ods():
    data = xlsx(lambda book: book.add_worksheet().write_row(0, 0, ["企业名称", "信用代码"]))
    with pytest.raises(TabularError, match="不是有效的 .ods 表格"):
        read_table(data, filename="名单.ods", columns=COLUMNS)


def test_the_formula_scan_refuses_entity_declarations_in_the_sheet_xml():
    """The sheet XML is parsed with defusedxml: a declared entity (a "billion laughs") is refused as a
    damaged file instead of being expanded."""

    def fill(book):
        ws = book.add_worksheet()
        ws.write("A1", "企业名称")
        ws.write_formula("A2", "=1+1")

    clean = xlsx(fill)
    assert tabular._xlsx_formula_cells(clean, 0) == frozenset({(1, 0)})
    bomb = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    source, target = io.BytesIO(clean), io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for item in zin.infolist():
            content = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                declaration, _, body = content.decode().partition("?>")
                content = f"{declaration}?>{bomb}{body}".replace("<v>", "<v>&b;", 1).encode()
            zout.writestr(item, content)
    with pytest.raises(TabularError) as err:
        tabular._xlsx_formula_cells(target.getvalue(), 0)
    assert "已损坏" in err.value.message
