"""The export framework: an exporter yields rows, with its columns' titles, widths and masks; this
base renders them as xlsx (through ``core.xlsx_fast``), CSV or docx.

Personal data is masked by the column (``ExportColumn.mask``, e.g. ``masking.mask_phone``) unless
the export is a full one (``full``: only where a service allowed and audits it). Nothing an export
writes is ever taken for a formula: xlsx cells are text cells (numbers only where the exporter asks
for them), a CSV value that starts with = + - @ or a tab or carriage return gets a leading
apostrophe (OWASP's advice for CSV injection), and docx is text. The caller checks the right and
the reach first and writes the audit entry, as for any other read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.shared import Cm, Pt

from .xlsx_fast import Sheet, write_book

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CSV_TYPE = "text/csv; charset=utf-8"
CONTENT_TYPES = {"xlsx": XLSX_TYPE, "docx": DOCX_TYPE, "csv": CSV_TYPE}
_CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportColumn:
    """A column of an export: its title (the header cell), its width in characters (xlsx), and the
    mask of the personal data it holds (applied unless the export is full)."""

    title: str
    width: float = 12
    mask: Callable[[str], str] | None = None


@dataclass
class Export:
    """A rendered export: the file, its name and type, and how many data rows it holds."""

    content: bytes
    filename: str
    content_type: str
    rows: int


class Exporter:
    """Subclasses give ``columns`` and ``rows`` (and, as needed, the sheet's name, a title and a note
    above the header, the frozen panes, the look, the file's name, and ``sheets`` for a workbook of
    several sheets); ``render(fmt)`` makes the file."""

    formats: tuple[str, ...] = ("xlsx", "csv")
    sheet_name = "Sheet1"
    look = "plain"  # or "form": the paper-form look of xlsx_fast
    freeze: tuple[int, int] = (0, 0)
    numbers = False  # ints and floats as number cells (else every cell is text)
    landscape = True  # docx
    full = False  # the masks are not applied

    def columns(self) -> Sequence[ExportColumn]:
        raise NotImplementedError

    def rows(self) -> Iterable[Sequence]:
        raise NotImplementedError

    def title(self) -> str | None:
        return None

    def note(self) -> str | None:
        return None

    def filename(self, fmt: str) -> str:
        return f"{self.title() or self.sheet_name}.{fmt}"

    # --- rendering ----------------------------------------------------------------------------------

    def masked_rows(self) -> Iterator[Sequence]:
        """The rows with every masked column masked (unless ``full``)."""
        masks = [] if self.full else [(i, c.mask) for i, c in enumerate(self.columns()) if c.mask]
        if not masks:
            yield from self.rows()
            return
        for row in self.rows():
            row = list(row)
            for i, mask in masks:
                if row[i]:
                    row[i] = mask(row[i])
            yield row

    def sheets(self) -> list[Sheet]:
        columns = self.columns()
        return [
            Sheet(
                self.sheet_name,
                [c.title for c in columns],
                self.masked_rows(),
                title=self.title(),
                note=self.note(),
                widths=[c.width for c in columns],
                freeze=self.freeze,
                numbers=self.numbers,
                look=self.look,
            )
        ]

    def xlsx(self) -> tuple[bytes, int]:
        content, counts = write_book(self.sheets())
        return content, counts[0] if counts else 0

    def csv(self) -> tuple[bytes, int]:
        """UTF-8 with a byte-order mark (Excel and WPS then read the Chinese right), header first."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([c.title for c in self.columns()])
        count = 0
        for row in self.masked_rows():
            writer.writerow([_csv_safe(value) for value in row])
            count += 1
        return ("\ufeff" + out.getvalue()).encode("utf-8"), count

    def docx(self) -> tuple[bytes, int]:
        return table_docx(
            self.title() or "", [c.title for c in self.columns()], self.masked_rows(), self.landscape
        )

    def render(self, fmt: str) -> Export:
        if fmt not in self.formats:
            raise ValueError(f"format {fmt!r} is not offered")
        content, count = getattr(self, fmt)()
        return Export(content, self.filename(fmt), CONTENT_TYPES[fmt], count)


def _csv_safe(value) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text.startswith(_CSV_TRIGGERS) and not isinstance(value, int | float):
        return "'" + text
    return text


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _cell(value: str, *, bold: bool = False) -> str:
    run_props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:tc><w:p><w:r>{run_props}<w:t xml:space="preserve">{escape(value)}</w:t></w:r></w:p></w:tc>'


def table_docx(
    title: str, header: Sequence[str], rows: Iterable[Sequence], landscape: bool = True
) -> tuple[bytes, int]:
    """A table in Word: the title, then one ruled table whose header repeats on every page. The rows
    are built as XML text and parsed once (python-docx per cell is far too slow at scale)."""

    document = Document()
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(1.5)
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(title)
    run.bold = True
    run.font.size = Pt(16)
    table = document.add_table(rows=0, cols=len(header))
    table.style = "Table Grid"
    parts = [f"<w:tbl {_W}><w:tr><w:trPr><w:tblHeader/></w:trPr>"]
    parts.extend(_cell(label, bold=True) for label in header)
    parts.append("</w:tr>")
    count = 0
    for row in rows:
        parts.append("<w:tr>")
        parts.extend(_cell("" if value is None else str(value)) for value in row)
        parts.append("</w:tr>")
        count += 1
    parts.append("</w:tbl>")
    for tr in parse_xml("".join(parts)).iterchildren():
        table._tbl.append(tr)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue(), count
