"""A minimal, fast xlsx writer for one sheet of text: a merged title row, a header row, text rows.

The sheet XML is written by hand (xlsxwriter's per-cell bookkeeping is the cost of a large export).
Every cell is a string cell, never a formula: a value starting with = + - @ stays text. Plain text
is written inline (``t="inlineStr"``, XML-escaped). A value that needs Excel's ``_xHHHH_`` escape
(a control character such as a carriage return, or a literal ``_xHHHH_``, escaped as
``_x005F_xHHHH_``) goes to the shared string table instead, escaped like xlsxwriter does: readers
(openpyxl among them) decode that escape in shared strings only. Strings longer than Excel's limit
(32,767 characters) are cut.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from xml.sax.saxutils import quoteattr

MAX_STRING = 32_767
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Text that is not written as is: XML special characters, control characters, a literal _xHHHH_,
# or leading / trailing whitespace (kept with xml:space="preserve").
_NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^\s|\s$")
_NEEDS_SHARED = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_LITERAL_ESCAPE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _escape(value: str) -> str:
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = _LITERAL_ESCAPE.sub(r"_x005F\1", value)
    value = _CONTROL.sub(lambda match: f"_x{ord(match.group()):04X}_", value)
    return value.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")


def _plain(value) -> str:
    if value.__class__ is not str:
        value = str(value)
    return value[:MAX_STRING] if len(value) > MAX_STRING else value


class _Cells:
    """Writes one cell as XML: inline text, or an index into the shared strings when the text
    needs the ``_xHHHH_`` escape."""

    def __init__(self) -> None:
        self.shared: dict[str, int] = {}

    def xml(self, value, ref: str, style: str = "") -> str:
        value = _plain(value)
        if _NEEDS_SHARED.search(value):
            index = self.shared.setdefault(value, len(self.shared))
            return f'<c r="{ref}"{style} t="s"><v>{index}</v></c>'
        return f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">{_escape(value)}</t></is></c>'

    def table(self) -> str:
        items = "".join(f'<si><t xml:space="preserve">{_escape(text)}</t></si>' for text in self.shared)
        count = len(self.shared)
        return f'{_DECL}<sst xmlns="{_MAIN}" count="{count}" uniqueCount="{count}">{items}</sst>'


def _width(width: float) -> float:
    """xlsxwriter's conversion of a width in characters to the stored column width."""
    return int((width * 7 + 5) / 7 * 256) / 256


_STYLES = (
    f'{_DECL}<styleSheet xmlns="{_MAIN}">'
    '<fonts count="3">'
    '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="16"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    "</fonts>"
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left style="thin"><color auto="1"/></left><right style="thin"><color auto="1"/></right>'
    '<top style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/></bottom>'
    "<diagonal/></border></borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment horizontal="center" vertical="center"/></xf>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1"'
    ' applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium9"'
    ' defaultPivotStyle="PivotStyleLight16"/>'
    "</styleSheet>"
)
_CONTENT_TYPES = (
    f'{_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml"'
    ' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml"'
    ' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml"'
    ' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
)
_ROOT_RELS = (
    f'{_DECL}<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    f'{_DECL}<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
)
_SHARED_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml"'
    ' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
_SHARED_REL = f'<Relationship Id="rId3" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
_TITLE_STYLE, _HEADER_STYLE = 1, 2


def write_sheet(
    sheet_name: str,
    title: str,
    header: tuple[str, ...],
    rows: Iterable[Iterable],
    *,
    widths: dict[str, float],
    default_width: float = 12,
    title_height: float = 30,
    freeze: tuple[int, int] = (2, 2),
) -> tuple[bytes, int]:
    """The xlsx file and its number of data rows. Row 1: ``title`` merged over the header's width;
    row 2: ``header``; then one row per item of ``rows`` (empty values leave the cell empty)."""
    ncols = max(len(header), 1)
    letters = [column_letter(c) for c in range(ncols)]
    last = letters[-1]

    cell = _Cells()
    title_style, header_style = f' s="{_TITLE_STYLE}"', f' s="{_HEADER_STYLE}"'
    parts = [f'<row r="1" ht="{title_height}" customHeight="1">', cell.xml(title, "A1", title_style)]
    parts.extend(f'<c r="{letter}1"{title_style}/>' for letter in letters[1:])
    parts.append('</row><row r="2">')
    parts.extend(cell.xml(label, f"{letters[c]}2", header_style) for c, label in enumerate(header))
    parts.append("</row>")
    needs, slow = _NEEDS_ESCAPE.search, cell.xml
    append = parts.append
    count = 0
    r = 2
    for r, row in enumerate(rows, start=3):  # noqa: B007 - r is the last row after the loop
        cells = [f'<row r="{r}">']
        for c, value in enumerate(row):
            if value:
                if value.__class__ is not str or len(value) > MAX_STRING or needs(value):
                    cells.append(slow(value, f"{letters[c]}{r}"))
                else:
                    cells.append(f'<c r="{letters[c]}{r}" t="inlineStr"><is><t>{value}</t></is></c>')
        cells.append("</row>")
        append("".join(cells))
        count += 1

    x_split, y_split = freeze
    top_left = f"{column_letter(x_split)}{y_split + 1}"
    cols = "".join(
        f'<col min="{c + 1}" max="{c + 1}" width="{_width(widths.get(label, default_width))}" customWidth="1"/>'
        for c, label in enumerate(header)
    )
    head = (
        f'{_DECL}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
        f'<dimension ref="A1:{last}{r}"/>'
        '<sheetViews><sheetView tabSelected="1" workbookViewId="0">'
        f'<pane xSplit="{x_split}" ySplit="{y_split}" topLeftCell="{top_left}" activePane="bottomRight"'
        ' state="frozen"/>'
        f'<selection pane="topRight" activeCell="{column_letter(x_split)}1" sqref="{column_letter(x_split)}1"/>'
        f'<selection pane="bottomLeft" activeCell="A{y_split + 1}" sqref="A{y_split + 1}"/>'
        f'<selection pane="bottomRight" activeCell="{top_left}" sqref="{top_left}"/>'
        "</sheetView></sheetViews>"
        '<sheetFormatPr defaultRowHeight="15"/>'
        f"<cols>{cols}</cols><sheetData>"
    )
    tail = (
        "</sheetData>"
        + (f'<mergeCells count="1"><mergeCell ref="A1:{last}1"/></mergeCells>' if ncols > 1 else "")
        + '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>"
    )
    workbook = (
        f'{_DECL}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f'<sheets><sheet name={quoteattr(sheet_name)} sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    )

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        shared = bool(cell.shared)
        archive.writestr("[Content_Types].xml", f"{_CONTENT_TYPES}{_SHARED_TYPE if shared else ''}</Types>")
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr(
            "xl/_rels/workbook.xml.rels", f"{_WORKBOOK_RELS}{_SHARED_REL if shared else ''}</Relationships>"
        )
        if shared:
            archive.writestr("xl/sharedStrings.xml", cell.table())
        archive.writestr("xl/styles.xml", _STYLES)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(head.encode())
            step = 5000
            for start in range(0, len(parts), step):
                sheet.write("".join(parts[start : start + step]).encode())
            sheet.write(tail.encode())
    return buffer.getvalue(), count
