"""Exporting an association's 会员汇总表: the paper layout (xlsx, docx; phones masked) and the full
roster (xlsx; every field, phone and ID number in clear) for the association's own secretary.

Rows are read in one query with ``values_list`` (no model instances). The xlsx sheet is written by
``kexie.core.xlsx_fast``, every cell a string cell: a value starting with = + - @ (or a tab /
carriage return) stays text and is never taken for a formula by Excel or WPS. Each full export is
audited (who, which association, how many rows).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.translation import gettext

from kexie.accounts.permissions import require
from kexie.core import audit, crypto
from kexie.core.errors import DomainError, Forbidden
from kexie.core.i18n import source
from kexie.core.masking import mask_phone
from kexie.core.xlsx_fast import write_sheet

from ..enums import Degree, Education, MembershipStatus, Political, Sex, TitleLevel
from ..models import Membership
from ..permissions import get_roster_association_for_user, may_export_full_roster
from .importer import FIELDS as IMPORT_FIELDS

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = {"xlsx": XLSX_TYPE, "docx": DOCX_TYPE}
# The members of the roster: those registered while founding and the approved ones.
ON_ROSTER = (MembershipStatus.FOUNDING, MembershipStatus.APPROVED)

# Header texts of the files: Chinese like the paper forms, whatever the page language.
PAPER_HEADER = ("序号", "姓名", "性别", "出生年月", "文化程度", "政治面貌", "职称", "职务", "电话")
FULL_HEADER = (
    *PAPER_HEADER,
    "民族",
    "身份证号",
    "学位",
    "毕业院校",
    "专业",
    "职称系列",
    "部门",
    "专业特长",
    "主要科技成果",
    "已加入的学会",
    "电子邮箱",
    "入会日期",
)
# The person's fields an import may set, in the same order; the ID number is read as its ciphertext.
_QUERY_FIELDS = tuple("id_cipher" if f == "id_number" else f for f in IMPORT_FIELDS)


def _labels(choices) -> dict[str, str]:
    return {key: source(label) for key, label in choices.choices}


_SEX, _EDUCATION, _POLITICAL, _TITLE, _DEGREE = (
    _labels(c) for c in (Sex, Education, Political, TitleLevel, Degree)
)


@dataclass
class Export:
    content: bytes
    filename: str
    content_type: str
    rows: int


def _rows(association, *, full: bool) -> Iterator[tuple[str, ...]]:
    """One tuple of cell texts per member, in the header's order."""
    people = (
        Membership.objects.filter(association=association, status__in=ON_ROSTER)
        .order_by("joined_on", "person__name", "pk")
        .values_list(*(f"person__{f}" for f in _QUERY_FIELDS), "joined_on")
    )
    for number, record in enumerate(people.iterator(chunk_size=5000), start=1):
        (name, sex, birth, education, political, level, title_name, position, phone, cipher, *rest) = record
        title = title_name or ("" if level == "none" else _TITLE.get(level, ""))
        paper = (
            str(number),
            name,
            _SEX.get(sex, ""),
            birth,
            _EDUCATION.get(education, ""),
            _POLITICAL.get(political, ""),
            title,
            position,
            phone if full else mask_phone(phone),
        )
        if not full:
            yield paper
            continue
        ethnicity, degree, *texts, joined = rest
        yield (
            *paper,
            ethnicity,
            crypto.decrypt(cipher),
            _DEGREE.get(degree, ""),
            *texts,
            joined.isoformat() if isinstance(joined, datetime.date) else "",
        )


def title_of(association) -> str:
    return f"{association.name}会员汇总表"


def build_xlsx(title: str, header: tuple[str, ...], rows) -> tuple[bytes, int]:
    """The sheet 会员汇总表: the title merged over row 1, the header, then the rows; every cell is text
    (inline strings, never a formula), panes frozen below the header and right of 姓名."""
    widths = {"序号": 6, "姓名": 10, "电话": 15, "身份证号": 21, "电子邮箱": 24, "毕业院校": 20}
    return write_sheet("会员汇总表", title, header, rows, widths=widths, freeze=(2, 2))


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _cell(value: str, *, bold: bool = False) -> str:
    run_props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:tc><w:p><w:r>{run_props}<w:t xml:space="preserve">{escape(value)}</w:t></w:r></w:p></w:tc>'


def build_docx(title: str, header: tuple[str, ...], rows) -> tuple[bytes, int]:
    """The paper table in Word: the title, then one ruled table whose header repeats on every page.
    The rows are built as XML text and parsed once (python-docx per cell is far too slow at scale)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
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
        parts.extend(_cell(value or "") for value in row)
        parts.append("</w:tr>")
        count += 1
    parts.append("</w:tbl>")
    for tr in parse_xml("".join(parts)).iterchildren():
        table._tbl.append(tr)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue(), count


def export_roster(association_pk, *, by, fmt: str = "xlsx", full: bool = False) -> Export:
    """The association's roster as a file. ``full`` (xlsx only): every field with phone and ID number
    in clear, for the association's own secretary only, audited."""
    if fmt not in FORMATS or (full and fmt != "xlsx"):
        raise DomainError(gettext("导出格式只能是 xlsx 或 docx（完整名单只能导出 xlsx）。"), field="format")
    require(by, "roster.export_full" if full else "roster.export")
    association = get_roster_association_for_user(by, association_pk)
    if full and not may_export_full_roster(by, association):
        raise Forbidden(gettext("只有本组织的秘书长可以导出含完整电话和身份证号的名单。"))
    title = title_of(association)
    header = FULL_HEADER if full else PAPER_HEADER
    rows = _rows(association, full=full)
    content, count = (build_xlsx if fmt == "xlsx" else build_docx)(title, header, rows)
    if full:
        # The audit log is a permanent record kept in Chinese.
        audit.record(
            actor=by,
            action="export",
            instance=association,
            changes={"rows": [None, count]},
            note=f"导出完整会员名单（含电话和身份证号）：{count}人。",
        )
    suffix = "（完整）" if full else ""
    return Export(content, f"{title}{suffix}.{fmt}", FORMATS[fmt], count)


def build_template() -> bytes:
    """An empty 会员汇总表 in the paper layout with the optional columns, for people to fill in."""
    header = (*PAPER_HEADER, "民族", "身份证号", "学位", "毕业院校", "专业", "部门", "电子邮箱", "入会日期")
    content, _count = build_xlsx("XX公司科协会员汇总表", header, iter(()))
    return content
