"""The member list behind a statistics count, for the page and as a spreadsheet: phones masked,
never the ID number. An export is capped so one click cannot pull a whole province's roll."""

from __future__ import annotations

from django.utils.translation import gettext

from kexie.core.documents import to_xlsx
from kexie.core.exporters import ExportColumn, Exporter
from kexie.core.masking import mask_phone

from .documents import Rendered

EXPORT_MAX_ROWS = 50_000


def member_row(membership, *, masked: bool = True) -> dict:
    """A member as the page lists them (phone masked); ``masked=False`` for an exporter, whose phone
    column masks it."""
    person = membership.person
    return {
        "name": person.name,
        "sex": person.get_sex_display(),
        "birth_month": person.birth_month,
        "title_level": person.get_title_level_display(),
        "education": person.get_education_display(),
        "phone": mask_phone(person.phone) if masked else person.phone,
        "association": membership.association.name,
        "association_id": membership.association_id,
    }


HEADER_KEYS = ("name", "sex", "birth_month", "title_level", "education", "phone", "association")


def header() -> list[str]:
    return [
        gettext("姓名"),
        gettext("性别"),
        gettext("出生年月"),
        gettext("职称"),
        gettext("文化程度"),
        gettext("手机号（脱敏）"),
        gettext("所在科协"),
    ]


class MemberListExporter(Exporter):
    """The members behind a count, in the paper-form look: phones masked by their column, never the
    ID number; at most ``EXPORT_MAX_ROWS`` rows (the note says how many and that phones are masked)."""

    formats = ("xlsx",)
    look = "form"
    numbers = True
    freeze = (0, 3)
    WIDTHS = (3, 1.5, 2.5, 2.5, 3, 3.5, 10)

    def __init__(self, memberships):
        self.sheet_name = gettext("会员明细")
        self.people = [
            [row[k] for k in HEADER_KEYS]
            for row in (
                member_row(m, masked=False) for m in memberships[:EXPORT_MAX_ROWS].iterator(chunk_size=2000)
            )
        ]

    def title(self) -> str:
        return gettext("会员统计明细")

    def note(self) -> str:
        return gettext("共%(count)d人；手机号已脱敏；最多导出%(max)d行。") % {
            "count": len(self.people),
            "max": EXPORT_MAX_ROWS,
        }

    def filename(self, fmt: str) -> str:
        return f"members.{fmt}"

    def columns(self) -> list[ExportColumn]:
        return [
            ExportColumn(title, width * to_xlsx.CHARACTERS_PER_UNIT, mask_phone if key == "phone" else None)
            for title, width, key in zip(header(), self.WIDTHS, HEADER_KEYS, strict=True)
        ]

    def rows(self):
        return self.people


def member_list_xlsx(memberships) -> Rendered:
    export = MemberListExporter(memberships).render("xlsx")
    return Rendered(export.content, export.content_type, export.filename)
