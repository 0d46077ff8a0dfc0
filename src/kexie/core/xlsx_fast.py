"""The one xlsx writer of the exports: a minimal, fast writer of sheets of rows, each with an optional
merged title row and note row, a header row, text (and, when asked, number) cells, column widths,
frozen panes and, for the paper forms, an A4 print setup.

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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
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


_FONT = '<sz val="{size}"/><name val="{name}"/><family val="2"/>'
_THIN = (
    '<border><left style="thin"><color auto="1"/></left><right style="thin"><color auto="1"/></right>'
    '<top style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/></bottom>'
    "<diagonal/></border>"
)
_CENTRE = '<alignment horizontal="center" vertical="center"/>'
_STYLES = (
    f'{_DECL}<styleSheet xmlns="{_MAIN}">'
    '<fonts count="6">'
    f"<font>{_FONT.format(size=11, name='Calibri')}</font>"
    f"<font><b/>{_FONT.format(size=16, name='Calibri')}</font>"
    f"<font><b/>{_FONT.format(size=11, name='Calibri')}</font>"
    f"<font>{_FONT.format(size=11, name='宋体')}</font>"
    f"<font><b/>{_FONT.format(size=16, name='宋体')}</font>"
    f"<font><b/>{_FONT.format(size=11, name='宋体')}</font>"
    "</fonts>"
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    f'<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>{_THIN}</borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="8">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    # 1 title, 2 header
    f'<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">{_CENTRE}</xf>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1"'
    f' applyAlignment="1">{_CENTRE}</xf>'
    # the paper form look: 3 title, 4 note, 5 header, 6 text cell, 7 number cell
    f'<xf numFmtId="0" fontId="4" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">{_CENTRE}</xf>'
    '<xf numFmtId="0" fontId="3" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment horizontal="left" vertical="center"/></xf>'
    '<xf numFmtId="0" fontId="5" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1"'
    ' applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>'
    '<xf numFmtId="49" fontId="3" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyFont="1"'
    f' applyBorder="1" applyAlignment="1">{_CENTRE}</xf>'
    '<xf numFmtId="0" fontId="3" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1"'
    f' applyAlignment="1">{_CENTRE}</xf>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium9"'
    ' defaultPivotStyle="PivotStyleLight16"/>'
    "</styleSheet>"
)
# (title, note, header, text cell, number cell) styles of each look
_LOOKS = {"plain": (1, 0, 2, 0, 0), "form": (3, 4, 5, 6, 7)}
_ROOT_RELS = (
    f'{_DECL}<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


@dataclass
class Sheet:
    """One sheet: row 1 ``title`` merged over the columns (if any), then ``note`` merged (if any),
    then ``header`` (if any), then one row per item of ``rows`` (empty values leave the cell empty).
    Every value is a text cell, except ints and floats when ``numbers``. ``widths`` in characters, by
    header label or by position; ``freeze`` is (columns, rows) kept in view; ``look`` is ``plain`` or
    ``form`` (宋体, ruled cells, A4 with the header repeated on every page, one page wide)."""

    name: str
    header: Sequence[str] | None
    rows: Iterable[Iterable]
    title: str | None = None
    note: str | None = None
    widths: Mapping[str, float] | Sequence[float] = ()
    default_width: float = 12
    title_height: float = 30
    freeze: tuple[int, int] = (0, 0)
    numbers: bool = False
    look: str = "plain"


def _pane(freeze: tuple[int, int]) -> str:
    x, y = freeze
    if not (x or y):
        return ""
    corner = f"{column_letter(x)}{y + 1}"
    if x and y:
        return (
            f'<pane xSplit="{x}" ySplit="{y}" topLeftCell="{corner}" activePane="bottomRight" state="frozen"/>'
            f'<selection pane="topRight" activeCell="{column_letter(x)}1" sqref="{column_letter(x)}1"/>'
            f'<selection pane="bottomLeft" activeCell="A{y + 1}" sqref="A{y + 1}"/>'
            f'<selection pane="bottomRight" activeCell="{corner}" sqref="{corner}"/>'
        )
    if y:
        return (
            f'<pane ySplit="{y}" topLeftCell="{corner}" activePane="bottomLeft" state="frozen"/>'
            f'<selection pane="bottomLeft" activeCell="{corner}" sqref="{corner}"/>'
        )
    return (
        f'<pane xSplit="{x}" topLeftCell="{corner}" activePane="topRight" state="frozen"/>'
        f'<selection pane="topRight" activeCell="{corner}" sqref="{corner}"/>'
    )


# The rows of an export (up to 100,000 × 20 cells) are written here in one pass; a call per cell
# would double the time (bench/roster_export.py).
def _sheet_xml(sheet: Sheet, cell: _Cells, selected: bool) -> tuple[list[str], str, str, int, int]:  # noqa: C901
    """The sheet's XML as (the rows' parts, head, tail), its number of data rows and its header row."""
    title_s, note_s, header_s, text_s, number_s = _LOOKS[sheet.look]
    header = list(sheet.header or ())
    ncols = max(len(header), 1)
    letters = [column_letter(c) for c in range(max(ncols, 64))]
    last = letters[ncols - 1]
    parts: list[str] = []
    merged: list[str] = []
    r = 0
    for text, style, height in ((sheet.title, title_s, sheet.title_height), (sheet.note, note_s, None)):
        if text is None:
            continue
        r += 1
        attrs = f' ht="{height}" customHeight="1"' if height else ""
        first_cell = cell.xml(text, f"A{r}", f' s="{style}"')
        parts.append(f'<row r="{r}"{attrs}>{first_cell}')
        parts.extend(f'<c r="{letter}{r}" s="{style}"/>' for letter in letters[1:ncols])
        parts.append("</row>")
        if ncols > 1:
            merged.append(f"A{r}:{last}{r}")
    header_row = 0
    if header:
        r += 1
        header_row = r
        parts.append(f'<row r="{r}">')
        parts.extend(
            cell.xml(label, f"{letters[c]}{r}", f' s="{header_s}"') for c, label in enumerate(header)
        )
        parts.append("</row>")
    needs, slow = _NEEDS_ESCAPE.search, cell.xml
    text_style = f' s="{text_s}"' if text_s else ""
    number_style = f' s="{number_s}"' if number_s else ""
    numbers = sheet.numbers
    append = parts.append
    count = 0
    first = r + 1
    for r, row in enumerate(sheet.rows, start=first):  # noqa: B007 - r is the last row after the loop
        cells = [f'<row r="{r}">']
        for c, value in enumerate(row):
            if c >= len(letters):
                letters.extend(column_letter(i) for i in range(len(letters), c + 64))
            if value is None or value == "":
                continue
            if value.__class__ is str and len(value) <= MAX_STRING and not needs(value):
                cells.append(f'<c r="{letters[c]}{r}"{text_style} t="inlineStr"><is><t>{value}</t></is></c>')
            elif numbers and value.__class__ in (int, float):
                cells.append(f'<c r="{letters[c]}{r}"{number_style}><v>{value!r}</v></c>')
            else:
                cells.append(slow(value, f"{letters[c]}{r}", text_style))
        cells.append("</row>")
        append("".join(cells))
        count += 1

    widths = sheet.widths
    by_label = isinstance(widths, Mapping)
    cols = "".join(
        f'<col min="{c + 1}" max="{c + 1}" width="{_width(w)}" customWidth="1"/>'
        for c in range(len(header) if by_label else max(len(header), len(widths)))
        if (
            w := (
                widths.get(header[c], sheet.default_width)
                if by_label
                else (widths[c] if c < len(widths) else sheet.default_width)
            )
        )
    )
    form = sheet.look == "form"
    tab = ' tabSelected="1"' if selected else ""
    merge_refs = "".join(f'<mergeCell ref="{m}"/>' for m in merged)
    head = (
        f'{_DECL}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
        + ('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' if form else "")
        + f'<dimension ref="A1:{letters[max(ncols, 1) - 1]}{max(r, 1)}"/>'
        f'<sheetViews><sheetView{tab} workbookViewId="0">' + _pane(sheet.freeze) + "</sheetView></sheetViews>"
        '<sheetFormatPr defaultRowHeight="15"/>' + (f"<cols>{cols}</cols>" if cols else "") + "<sheetData>"
    )
    tail = (
        "</sheetData>"
        + (f'<mergeCells count="{len(merged)}">{merge_refs}</mergeCells>' if merged else "")
        + ('<printOptions horizontalCentered="1"/>' if form else "")
        + '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        + ('<pageSetup paperSize="9" fitToHeight="0" orientation="portrait"/>' if form else "")
        + "</worksheet>"
    )
    return parts, head, tail, count, header_row


def write_book(sheets: Sequence[Sheet]) -> tuple[bytes, list[int]]:
    """The xlsx file and the number of data rows of each sheet."""
    cell = _Cells()
    buffer = io.BytesIO()
    counts: list[int] = []
    names: list[str] = []
    print_titles: list[str] = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for index, sheet in enumerate(sheets):
            parts, head, tail, count, header_row = _sheet_xml(sheet, cell, selected=index == 0)
            with archive.open(f"xl/worksheets/sheet{index + 1}.xml", "w") as out:
                out.write(head.encode())
                step = 5000
                for start in range(0, len(parts), step):
                    out.write("".join(parts[start : start + step]).encode())
                out.write(tail.encode())
            counts.append(count)
            names.append(sheet.name)
            if sheet.look == "form" and header_row:
                quoted = sheet.name.replace("'", "''")
                print_titles.append(
                    f'<definedName name="_xlnm.Print_Titles" localSheetId="{index}">'
                    f"'{_escape(quoted)}'!${header_row}:${header_row}</definedName>"
                )
        shared = bool(cell.shared)
        n = len(names)
        types = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="{_TYPE}.worksheet+xml"/>'
            for i in range(n)
        )
        archive.writestr(
            "[Content_Types].xml",
            f'{_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
            f"{types}"
            f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/>'
            + (
                f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_TYPE}.sharedStrings+xml"/>'
                if shared
                else ""
            )
            + "</Types>",
        )
        archive.writestr("_rels/.rels", _ROOT_RELS)
        sheet_list = "".join(
            f'<sheet name={quoteattr(name)} sheetId="{i + 1}" r:id="rId{i + 1}"/>'
            for i, name in enumerate(names)
        )
        defined = f"<definedNames>{''.join(print_titles)}</definedNames>" if print_titles else ""
        archive.writestr(
            "xl/workbook.xml",
            f'{_DECL}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f"<sheets>{sheet_list}</sheets>{defined}</workbook>",
        )
        rels = "".join(
            f'<Relationship Id="rId{i + 1}" Type="{_REL}/worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
            for i in range(n)
        )
        rels += f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
        if shared:
            rels += f'<Relationship Id="rId{n + 2}" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
        archive.writestr(
            "xl/_rels/workbook.xml.rels", f'{_DECL}<Relationships xmlns="{_PKG_REL}">{rels}</Relationships>'
        )
        if shared:
            archive.writestr("xl/sharedStrings.xml", cell.table())
        archive.writestr("xl/styles.xml", _STYLES)
    return buffer.getvalue(), counts


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
    """One sheet of text: ``title`` merged over row 1, ``header`` in row 2, then the rows; the xlsx
    file and its number of data rows."""
    content, (count,) = write_book(
        [
            Sheet(
                sheet_name,
                header,
                rows,
                title=title,
                widths=widths,
                default_width=default_width,
                title_height=title_height,
                freeze=freeze,
            )
        ]
    )
    return content, count
