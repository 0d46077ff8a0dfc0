"""Blocks → Word (python-docx): A4, 宋体 body, 黑体 titles, ruled tables whose header rows repeat."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_ALIGN_VERTICAL, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .blocks import Block, Cell, PageBreak, Para, Table, Title

BODY_FONT, TITLE_FONT = "宋体", "黑体"
ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
VALIGN = {
    "top": WD_ALIGN_VERTICAL.TOP,
    "center": WD_ALIGN_VERTICAL.CENTER,
    "bottom": WD_ALIGN_VERTICAL.BOTTOM,
}


def _east_asian(element, name: str) -> None:
    """Word picks the font of Chinese characters from ``w:eastAsia``, not from ``font.name``."""
    rpr = element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _run(paragraph, text: str, *, size: float, bold: bool = False, font: str = BODY_FONT, red: bool = False):
    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = Pt(size)
    run.bold = bold
    if red:
        run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    _east_asian(run._element, font)
    return run


def _document() -> Document:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.54)
    section.left_margin = section.right_margin = Cm(2.5)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(12)
    _east_asian(normal.element, BODY_FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.5
    return document


def _title(document, block: Title) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(12 if block.level == 1 else 6)
    if block.issuer:
        _run(paragraph, block.text, size=26, bold=True, font=TITLE_FONT, red=True)
    elif block.level == 1:
        _run(paragraph, block.text, size=18, bold=True, font=TITLE_FONT)
    else:
        _run(paragraph, block.text, size=14)


def _para(document, block: Para) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = ALIGN[block.align]
    if block.indent:
        paragraph.paragraph_format.first_line_indent = Pt(24)
    if block.gap:
        paragraph.paragraph_format.space_before = Pt(12)
    _run(paragraph, block.text, size=12, bold=block.bold)


def _row_property(row, name: str) -> None:
    marker = OxmlElement(name)
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def _narrow_margins(table, cm: float = 0.1) -> None:
    """Cell margins left and right as narrow as the PDF's padding, so both wrap alike."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(round(cm / 2.54 * 1440)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.append(margins)


def _fill(cell, content: Cell, *, size: float) -> None:
    cell.vertical_alignment = VALIGN[content.valign]
    lines = content.text.split("\n")
    paragraphs = [cell.paragraphs[0]] + [cell.add_paragraph() for _ in lines[1:]]
    for paragraph, line in zip(paragraphs, lines, strict=True):
        paragraph.alignment = ALIGN[content.align]
        paragraph.paragraph_format.line_spacing = 1.15
        paragraph.paragraph_format.first_line_indent = None
        _run(paragraph, line, size=size, bold=content.bold)


def _table(document, block: Table) -> None:
    columns = len(block.widths)
    table = document.add_table(rows=len(block.rows), cols=columns)
    table.style = "Table Grid"
    table.autofit = False
    _narrow_margins(table)
    for c, width in enumerate(block.widths):
        table.columns[c].width = Cm(width)  # the grid (LibreOffice reads this)
    for r, cells in enumerate(block.rows):
        _row(table.rows[r], cells, block, header=r < block.header_rows, last=r == len(block.rows) - 1)


def _row(row, cells, block: Table, *, header: bool, last: bool) -> None:
    """One row of a table: its height, header and keep-together flags, its cells (merged by span)."""
    row.height = Cm(0.65 if block.small else 0.8)  # room to write by hand
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    if header:
        _row_property(row, "w:tblHeader")  # repeated on every page
    if block.keep:
        _row_property(row, "w:cantSplit")
    for c, width in enumerate(block.widths):
        row.cells[c].width = Cm(width)  # the cells (Word reads these)
    column = 0
    for content in cells:
        cell = row.cells[column]
        if content.span > 1:
            cell = cell.merge(row.cells[column + content.span - 1])
        _fill(cell, content, size=10.5 if block.small else 12)
        if content.height:
            row.height = Cm(content.height)
        column += content.span
    if block.keep and not last:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def render(blocks: list[Block]) -> bytes:
    document = _document()
    for block in blocks:
        if isinstance(block, Title):
            _title(document, block)
        elif isinstance(block, Para):
            _para(document, block)
        elif isinstance(block, Table):
            _table(document, block)
        elif isinstance(block, PageBreak):
            document.add_page_break()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
