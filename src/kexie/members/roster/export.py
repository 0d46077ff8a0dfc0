"""Exporting an association's 会员汇总表: the paper layout (xlsx, docx; phones masked) and the full
roster (xlsx; every field, phone and ID number in clear) for the association's own secretary.

``RosterExporter`` is a ``core.exporters`` exporter: rows are read in one query with ``values_list``
(no model instances), the phone column is masked by its column unless the export is full, and the
base writes the xlsx through ``core.xlsx_fast`` (every cell a string cell: a value starting with
= + - @, or a tab / carriage return, stays text and is never taken for a formula by Excel or WPS)
and the docx as one ruled table. Each full export is audited (who, which association, how many
rows).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.utils.translation import gettext

from kexie.accounts.permissions import require
from kexie.core import audit, crypto
from kexie.core.errors import DomainError, Forbidden
from kexie.core.exporters import DOCX_TYPE, XLSX_TYPE, Export, ExportColumn, Exporter
from kexie.core.i18n import source
from kexie.core.masking import mask_phone
from kexie.core.xlsx_fast import write_sheet

from ..enums import Degree, Education, MembershipStatus, Political, Sex, TitleLevel
from ..models import Membership
from ..permissions import get_roster_association_for_user, may_export_full_roster
from .importer import FIELDS as IMPORT_FIELDS

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
WIDTHS = {"序号": 6, "姓名": 10, "电话": 15, "身份证号": 21, "电子邮箱": 24, "毕业院校": 20}
# Personal data in the paper layout (the full roster shows it in clear).
MASKS = {"电话": mask_phone}
# The person's fields an import may set, in the same order; the ID number is read as its ciphertext.
_QUERY_FIELDS = tuple("id_cipher" if f == "id_number" else f for f in IMPORT_FIELDS)


def _labels(choices) -> dict[str, str]:
    return {key: source(label) for key, label in choices.choices}


_SEX, _EDUCATION, _POLITICAL, _TITLE, _DEGREE = (
    _labels(c) for c in (Sex, Education, Political, TitleLevel, Degree)
)


class RosterExporter(Exporter):
    """The association's roster: the paper layout (phones masked) or, ``full``, every field with the
    phone and the ID number in clear. One tuple of cell texts per member, read in one query with
    ``values_list`` (no model instances)."""

    formats = ("xlsx", "docx")
    sheet_name = "会员汇总表"
    freeze = (2, 2)

    def __init__(self, association, *, full: bool = False):
        self.association = association
        self.full = full

    def title(self) -> str:
        return title_of(self.association)

    def filename(self, fmt: str) -> str:
        return f"{self.title()}{'（完整）' if self.full else ''}.{fmt}"

    def columns(self) -> list[ExportColumn]:
        header = FULL_HEADER if self.full else PAPER_HEADER
        return [ExportColumn(label, WIDTHS.get(label, 12), MASKS.get(label)) for label in header]

    def rows(self) -> Iterator[tuple[str, ...]]:
        full = self.full
        people = (
            Membership.objects.filter(association=self.association, status__in=ON_ROSTER)
            .order_by("joined_on", "person__name", "pk")
            .values_list(*(f"person__{f}" for f in _QUERY_FIELDS), "joined_on")
        )
        for number, record in enumerate(people.iterator(chunk_size=5000), start=1):
            (name, sex, birth, education, political, level, title_name, position, phone, cipher, *rest) = (
                record
            )
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
                phone,
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
    """A sheet 会员汇总表 in the roster's layout (the refused rows of an import, the template): the
    title merged over row 1, the header, then the rows; every cell is text."""
    return write_sheet("会员汇总表", title, header, rows, widths=WIDTHS, freeze=(2, 2))


def export_roster(association_pk, *, by, fmt: str = "xlsx", full: bool = False) -> Export:
    """The association's roster as a file. ``full`` (xlsx only): every field with phone and ID number
    in clear, for the association's own secretary only, audited."""
    if fmt not in FORMATS or (full and fmt != "xlsx"):
        raise DomainError(gettext("导出格式只能是 xlsx 或 docx（完整名单只能导出 xlsx）。"), field="format")
    require(by, "roster.export_full" if full else "roster.export")
    association = get_roster_association_for_user(by, association_pk)
    if full and not may_export_full_roster(by, association):
        raise Forbidden(gettext("只有本组织的秘书长可以导出含完整电话和身份证号的名单。"))
    export = RosterExporter(association, full=full).render(fmt)
    if full:
        # The audit log is a permanent record kept in Chinese.
        audit.record(
            actor=by,
            action="export",
            instance=association,
            changes={"rows": [None, export.rows]},
            note=f"导出完整会员名单（含电话和身份证号）：{export.rows}人。",
        )
    return export


def build_template() -> bytes:
    """An empty 会员汇总表 in the paper layout with the optional columns, for people to fill in."""
    header = (*PAPER_HEADER, "民族", "身份证号", "学位", "毕业院校", "专业", "部门", "电子邮箱", "入会日期")
    content, _count = build_xlsx("XX公司科协会员汇总表", header, iter(()))
    return content
