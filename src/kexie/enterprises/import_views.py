"""Pages of the enterprise-list import: upload, preview (then result), commit, template download."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kexie.accounts.permissions import jobs_for_user, require
from kexie.core.forms import attempt, run_action
from kexie.core.i18n import join

from . import importers, services
from .cleaning import FIELDS_BY_NAME
from .models import ImportBatch
from .permissions import get_import_batch_for_user

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _column_rows() -> list[dict]:
    """The recognised columns: the header texts as files must hold them (Chinese), and what each
    means in the page's language when that is not Chinese."""
    rows = []
    for column in importers.COLUMNS:
        meaning = str(FIELDS_BY_NAME[column.name].label)
        rows.append(
            {
                "label": column.label,
                "meaning": "" if meaning == column.label else meaning,
                "aliases": join(column.aliases),
                "required": column.required,
            }
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    require(request.user, "enterprise.import")
    error = ""
    if request.method == "POST":
        file = request.FILES.get("file")
        if file is None:
            error = _("请选择要导入的文件。")
        else:
            batch, refusal = attempt(lambda: services.preview_enterprise_import(by=request.user, upload=file))
            if refusal is None:
                return redirect("enterprises:import_preview", pk=batch.pk)
            error = refusal.message
    context = {
        "error": error,
        "batches": jobs_for_user(request.user, ImportBatch)[:10],
        "columns": _column_rows(),
        "max_mb": f"{settings.KEXIE_IMPORT_MAX_BYTES / (1024 * 1024):g}",
    }
    return render(request, "enterprises/import.html", context, status=400 if error else 200)


@login_required
@require_GET
def preview(request, pk):
    require(request.user, "enterprise.import")
    batch = get_import_batch_for_user(request.user, pk)
    return render(request, "enterprises/import_preview.html", {"batch": batch})


@login_required
@require_POST
def commit(request, pk):
    require(request.user, "enterprise.import")
    batch = run_action(request, lambda: services.commit_enterprise_import(pk, by=request.user))
    if batch is not None:
        if batch.status == batch.Status.COMMITTED:
            messages.success(request, _("导入完成。"))
        else:
            messages.error(request, batch.failure)
    return redirect("enterprises:import_preview", pk=pk)


@login_required
@require_GET
def template(request):
    require(request.user, "enterprise.import")
    response = HttpResponse(importers.build_template(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, _("企业名单导入模板.xlsx"))
    return response
