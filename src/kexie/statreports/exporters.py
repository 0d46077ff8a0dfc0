"""The member list behind a statistics count, for the page and as a spreadsheet: phones masked,
never the ID number. An export is capped so one click cannot pull a whole province's roll."""

from __future__ import annotations

from django.utils.translation import gettext

from kexie.core.documents import to_xlsx
from kexie.core.masking import mask_phone

from .documents import Rendered

EXPORT_MAX_ROWS = 50_000


def member_row(membership) -> dict:
    person = membership.person
    return {
        "name": person.name,
        "sex": person.get_sex_display(),
        "birth_month": person.birth_month,
        "title_level": person.get_title_level_display(),
        "education": person.get_education_display(),
        "phone": mask_phone(person.phone),
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


def member_list_xlsx(memberships) -> Rendered:
    rows = []
    for m in memberships[:EXPORT_MAX_ROWS].iterator(chunk_size=2000):
        row = member_row(m)
        rows.append([row[k] for k in HEADER_KEYS])
    content = to_xlsx.render(
        sheet_name=gettext("会员明细"),
        title=gettext("会员统计明细"),
        subtitle=gettext("共%(count)d人；手机号已脱敏；最多导出%(max)d行。")
        % {"count": len(rows), "max": EXPORT_MAX_ROWS},
        header=header(),
        widths=[3, 1.5, 2.5, 2.5, 3, 3.5, 10],
        rows=rows,
    )
    return Rendered(
        content, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "members.xlsx"
    )
