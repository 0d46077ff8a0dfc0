"""The member roster (会员汇总表) of an association: import a file (preview or commit) and export it
in the paper layout. The same services and scoping as the pages and the ``import_roster`` command."""

from __future__ import annotations

from typing import Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from ninja import Field as NinjaField
from ninja import File, Form, Query, Router, Schema, UploadedFile

from kexie.accounts.permissions import require
from kexie.core.errors import DomainError
from kexie.core.tabular import check_size
from kexie.members.permissions import get_roster_association_for_user
from kexie.members.roster import export as roster_export
from kexie.members.roster import writing

from ..schemas import responses

router = Router(tags=["roster"])
ROSTER = "/associations/{association_id}/roster"


class CellErrorOut(Schema):
    row: int = NinjaField(description="文件中的行号（从1开始，含标题行和表头）")
    column: str = NinjaField(description="文件中的列名（按文件表头原样）")
    value: str
    reason: str


class RosterImportOut(Schema):
    written: bool = NinjaField(description="是否已写入（commit=true 且有可导入的行，strict 时无拒绝行）")
    total_rows: int
    to_create: int
    to_update: int
    unchanged: int
    refused: int = NinjaField(description="被拒绝的行数")
    errors: list[CellErrorOut]


class ExportQuery(Schema):
    format: Literal["xlsx", "docx"] = NinjaField(
        "xlsx", description="xlsx 或 docx（纸质汇总表格式，电话已脱敏）"
    )


@router.post(
    ROSTER + "/import",
    response=responses({200: RosterImportOut}),
    summary="导入会员汇总表（预览或写入）",
    description=(
        "multipart/form-data：文件字段 file（.xlsx、.xls、.ods 或 .csv），commit=true 时写入所有可导入的行"
        "（一个事务），否则只预览；strict=true 时只要有被拒绝的行就什么也不写。"
        "同一人（身份证号相同，或姓名和电话相同）再次导入只更新有变化的内容，空单元格不清除已有信息。"
        "仅本组织秘书长（及平台管理员）可用。"
    ),
)
def import_roster(
    request: HttpRequest,
    association_id: int,
    file: File[UploadedFile] = None,
    commit: Form[bool] = False,
    strict: Form[bool] = False,
):
    if file is None:
        require(request.auth, "roster.import")  # who may, and where, before saying what is missing
        get_roster_association_for_user(request.auth, association_id, write=True)
        raise DomainError(gettext("请选择要导入的文件（表单字段 file）。"), field="file")
    check_size(file.size or 0)
    plan = writing.import_roster(
        association_id,
        by=request.auth,
        data=file.read(settings.KEXIE_IMPORT_MAX_BYTES + 1),
        filename=file.name or "",
        commit=commit,
        strict=strict,
    )
    return {
        "written": plan.written,
        "total_rows": plan.total_rows,
        "errors": plan.error_dicts(),
        **plan.counts,
    }


@router.get(
    ROSTER + "/export",
    response=responses({200: None}),
    summary="导出会员汇总表（纸质格式，电话已脱敏）",
    description="format=xlsx 或 docx。本组织秘书长、辖区科协工作人员可用。",
    openapi_extra={
        "responses": {
            "200": {
                "description": "文件",
                "content": {
                    t: {"schema": {"type": "string", "format": "binary"}}
                    for t in roster_export.FORMATS.values()
                },
            }
        }
    },
)
def export_roster(request: HttpRequest, association_id: int, query: Query[ExportQuery]):
    export = roster_export.export_roster(association_id, by=request.auth, fmt=query.format)
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = content_disposition_header(True, export.filename)
    return response
