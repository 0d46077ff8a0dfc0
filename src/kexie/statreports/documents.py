"""The filed table as paper: an Excel sheet and a signed PDF (WeasyPrint, the CJK font), both laid out
like AK表1-1, with the signature block (填报单位, 负责人, 填表人, 报出日期) and an integrity code.

The integrity code is the SHA-256 of the table's identity and filed figures written in one fixed text
(``AK表1-1|<region code>|<year>|01=…;02=…;…``), so anyone holding the paper can recompute it from the
printed figures and see that nothing was changed after printing."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext

from kexie.core.documents import to_pdf, to_xlsx
from kexie.core.documents.blocks import Cell, Para, Table, Title, header, row

from .lines import CODES, FORM_CODE, FORM_TITLE, LINES, RATES
from .models import StatReport


@dataclass(frozen=True)
class Rendered:
    content: bytes
    content_type: str
    filename: str


def canonical(report: StatReport, figures: Mapping[str, int]) -> str:
    body = ";".join(f"{code}={int(figures[code])}" for code in CODES)
    return f"{FORM_CODE}|{report.region_id}|{report.year}|{body}"


def integrity_code(report: StatReport, figures: Mapping[str, int]) -> str:
    return hashlib.sha256(canonical(report, figures).encode("utf-8")).hexdigest()


def rate(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


def _title(report: StatReport) -> str:
    return gettext("%(year)s年度%(form)s %(title)s") % {
        "year": report.year,
        "form": FORM_CODE,
        "title": FORM_TITLE,
    }


def _reported_on(report: StatReport) -> str:
    if report.submitted_at is None:
        return gettext("（未报出）")
    return timezone.localtime(report.submitted_at).strftime("%Y-%m-%d")


def signature(report: StatReport) -> list[tuple[str, str]]:
    return [
        (gettext("填报单位"), report.association.name),
        (gettext("负责人"), report.head_name),
        (gettext("填表人"), report.preparer_name),
        (gettext("报出日期"), _reported_on(report)),
    ]


def _filename(report: StatReport, ext: str) -> str:
    return f"{report.year}-{FORM_CODE}-{report.region_id}.{ext}"


def xlsx(report: StatReport, figures: Mapping[str, int], prefilled: Mapping[str, int]) -> Rendered:
    rows: list[list] = [
        [
            line.code,
            ("    " if line.indent else "") + str(line.label),
            str(line.unit),
            figures[line.code],
            prefilled[line.code],
        ]
        for line in LINES
    ]
    rows += [[r.code, str(r.label), "%", rate(figures[r.part], figures[r.whole]), ""] for r in RATES]
    rows.append(["", "", "", "", ""])
    rows += [["", label, value, "", ""] for label, value in signature(report)]
    rows.append(["", gettext("完整性校验码（SHA-256）"), integrity_code(report, figures), "", ""])
    content = to_xlsx.render(
        sheet_name=FORM_CODE,
        title=_title(report),
        subtitle=gettext("填报单位：%(name)s　状态：%(state)s")
        % {"name": report.association.name, "state": report.get_state_display()},
        header=[
            gettext("栏目代码"),
            gettext("指标名称"),
            gettext("计量单位"),
            gettext("填报值"),
            gettext("平台预填值"),
        ],
        widths=[2, 10, 2.5, 3, 3],
        rows=rows,
    )
    return Rendered(
        content,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _filename(report, "xlsx"),
    )


def pdf(report: StatReport, figures: Mapping[str, int]) -> Rendered:
    lines = [
        row(
            line.code,
            Cell(("　　" if line.indent else "") + str(line.label), align="left"),
            line.unit,
            figures[line.code],
        )
        for line in LINES
    ]
    lines += [
        row(r.code, Cell(str(r.label), align="left"), "%", rate(figures[r.part], figures[r.whole]))
        for r in RATES
    ]
    sign_rows = tuple(
        (Cell(label, bold=True), Cell(value, align="left", height=1.0)) for label, value in signature(report)
    )
    code = integrity_code(report, figures)
    blocks = [
        Title(_title(report)),
        Para(
            gettext("填报单位（盖章）：%(name)s") % {"name": report.association.name},
            align="left",
            indent=False,
        ),
        Table(
            widths=(2.0, 8.5, 2.0, 3.5),
            rows=(header(gettext("代码"), gettext("指标名称"), gettext("单位"), gettext("数值")), *lines),
            header_rows=1,
            small=True,
        ),
        Table(widths=(4.0, 12.0), rows=sign_rows, keep=True),
        Para(gettext("完整性校验码（SHA-256）："), align="left", indent=False, gap=True),
        Para(code[:32], align="left", indent=False),
        Para(code[32:], align="left", indent=False),
    ]
    content = to_pdf.render(blocks, title=_title(report))
    return Rendered(content, "application/pdf", _filename(report, "pdf"))
