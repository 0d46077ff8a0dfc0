"""The official documents of the founding procedure, filled in from the data (issue 3, "Official
documents, filled in"): each written once as blocks (``content``), drawn as Word, PDF and, for the
two summary tables, Excel; and the whole dossier as one PDF with the request on page one.

``render`` and ``render_dossier`` read only; the view checks the role and the reach first and
writes the export to the audit log. Phones follow ``founding.permissions.may_see_contacts``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext

from kexie.core.documents import to_docx, to_pdf, to_xlsx
from kexie.core.documents.blocks import Block, PageBreak
from kexie.core.errors import NotFound

from ..models import FoundingApplication
from . import content
from .facts import Facts, collect

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class Kind:
    title: str  # the file name (after the 科协's name) and the audit note
    formats: tuple[str, ...]
    blocks: Callable[[Facts], list[Block]]
    available: Callable[[FoundingApplication], bool] = lambda application: True


def _approved(application: FoundingApplication) -> bool:
    return bool(application.approval_number)


def _congress_held(application: FoundingApplication) -> bool:
    return hasattr(application, "congress")  # the reverse one-to-one: recorded or not


DOCUMENTS: dict[str, Kind] = {
    "application": Kind("成立申请", ("docx", "pdf"), content.application),
    "report": Kind("筹备工作报告", ("docx", "pdf"), content.report),
    "candidates": Kind("候选人汇总表", ("docx", "xlsx", "pdf"), content.candidates),
    "members": Kind("会员汇总表", ("docx", "xlsx", "pdf"), content.members),
    "form": Kind("企业科协组织申请表", ("docx", "pdf"), content.form),
    "approval": Kind("批复", ("docx", "pdf"), content.approval, _approved),
    "filing": Kind("成立备案表", ("docx", "pdf"), content.filing, _congress_held),
    "charter": Kind("章程", ("docx", "pdf"), content.charter),
}


def available(application: FoundingApplication) -> list[tuple[str, Kind]]:
    """The documents this application has so far (the approval once approved, the filing form
    once the congress is recorded), as (name, kind) in the order of the dossier."""
    return [(name, kind) for name, kind in DOCUMENTS.items() if kind.available(application)]


# The dossier: the request on page one, then the rest in the order a 科协 files them.
DOSSIER = ("application", "report", "form", "charter", "approval", "filing")


@dataclass(frozen=True)
class Rendered:
    content: bytes
    content_type: str
    filename: str
    note: str  # what was exported, for the audit log (kept in Chinese)


def kind_of(application: FoundingApplication, document: str, fmt: str) -> Kind:
    """The document asked for, or 404: unknown, a format it is not offered in, or not yet issued."""
    kind = DOCUMENTS.get(document)
    if kind is None or fmt not in kind.formats or not kind.available(application):
        raise NotFound(gettext("该文件不存在。"))
    return kind


def _xlsx(document: str, facts: Facts) -> bytes:
    if document == "candidates":
        title, subtitle = content.CANDIDATES_TITLE, content.candidates_subtitle(facts)
        header, widths, rows = (
            content.CANDIDATE_HEADER,
            content.CANDIDATE_WIDTHS,
            content.candidate_rows(facts),
        )
    else:
        title, subtitle = content.MEMBERS_TITLE, content.members_subtitle(facts)
        header, widths, rows = content.MEMBER_HEADER, content.MEMBER_WIDTHS, content.member_rows(facts)
    return to_xlsx.render(
        sheet_name=DOCUMENTS[document].title,
        title=title,
        subtitle=subtitle,
        header=header,
        widths=widths,
        rows=rows,
    )


def render(application: FoundingApplication, document: str, fmt: str, *, viewer) -> Rendered:
    kind = kind_of(application, document, fmt)
    filename = f"{application.association.name}{kind.title}.{fmt}"
    with translation.override("zh-hans"):  # official forms: Chinese whatever the page language
        facts = collect(application, viewer=viewer)
        if fmt == "xlsx":
            data = _xlsx(document, facts)
        elif fmt == "docx":
            data = to_docx.render(kind.blocks(facts))
        else:
            data = to_pdf.render(kind.blocks(facts), title=filename.rsplit(".", 1)[0])
    return Rendered(data, CONTENT_TYPES[fmt], filename, f"下载{kind.title}（{fmt}）")


def render_dossier(application: FoundingApplication, *, viewer) -> Rendered:
    """All of it as one PDF: the application letter on page one, then the report (with the
    candidate and member tables), the form, the charter, and the approval and filing once issued."""
    name = application.association.name
    with translation.override("zh-hans"):
        facts = collect(application, viewer=viewer)
        blocks: list[Block] = []
        for document in DOSSIER:
            kind = DOCUMENTS[document]
            if not kind.available(application):
                continue
            if blocks:
                blocks.append(PageBreak())
            blocks.extend(kind.blocks(facts))
        data = to_pdf.render(blocks, title=f"{name}成立申报材料")
    return Rendered(data, CONTENT_TYPES["pdf"], f"{name}成立申报材料.pdf", "下载成立申报材料合订本（pdf）")


__all__ = ["DOCUMENTS", "available", "Rendered", "kind_of", "render", "render_dossier"]
