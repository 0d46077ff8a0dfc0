"""Pages of the yearly statistics tables and the member statistics. Thin: signed in → the right
(403) → the table in reach (404) → a selector or a service. A ``DomainError`` is shown with the
table (the cell it names is marked); nothing is written."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kexie.accounts import scoping
from kexie.accounts.permissions import has_perm, require
from kexie.core import audit
from kexie.core.errors import DomainError, NotFound
from kexie.core.forms import attempt, run_action
from kexie.core.i18n import stored_language
from kexie.core.pages import paginate
from kexie.regions.models import Region

from . import documents, exporters, memberstats, selectors, services
from .enums import TRANSITIONS, Action, Dimension, ReportState
from .lines import CODES, LINES, RATES
from .permissions import get_stat_report_for_user, is_filer, may_fill, may_review


def _year(request) -> int:
    raw = request.GET.get("year") or request.POST.get("year") or ""
    this_year = timezone.localdate().year
    try:
        year = int(raw)
    except ValueError:
        return this_year - 1
    return year if services.FIRST_YEAR <= year <= this_year else this_year - 1


def _region(request) -> Region | None:
    code = (request.GET.get("region") or "").strip()
    if not code:
        return scoping.home_region(request.user)
    region = Region.objects.select_related("parent").filter(code=code).first()
    if region is None or not scoping.region_in_reach(request.user, region):
        raise NotFound(_("地区不存在。"))
    return region


@login_required
@require_GET
def index(request):
    """A year's tables for a region: its own table, its children's (summed when accepted), those
    not filed by the deadline, and every table within reach."""
    require(request.user, "statreport.view")
    year = _year(request)
    region = _region(request)
    context = {
        "year": year,
        "region": region,
        "years": range(timezone.localdate().year, services.FIRST_YEAR - 1, -1),
    }
    if region is not None:
        own = selectors.reports(request.user, year=year).filter(region=region).first()
        rollup = selectors.rollup(request.user, region, year)
        due = services.due_date(year)
        context.update(
            own=own,
            can_open=own is None
            and is_filer(request.user, region)
            and has_perm(request.user, "statreport.fill"),
            rollup=rollup,
            rollup_rows=_rollup_rows(rollup.totals),
            due=due,
            past_due=timezone.localdate() > due,
            not_filed=selectors.not_filed(request.user, region, year),
        )
    context["page_obj"] = paginate(request, selectors.reports(request.user, year=year))
    return render(request, "statreports/index.html", context)


def _rollup_rows(totals):
    return [(line, totals.get(line.code, 0)) for line in LINES]


@login_required
@require_POST
def open_table(request):
    require(request.user, "statreport.fill")
    report = run_action(
        request,
        lambda: services.open_report(
            by=request.user, region_code=request.POST.get("region", ""), year=request.POST.get("year")
        ),
    )
    if report is None:
        return HttpResponseRedirect(reverse("statreports:index"))
    return HttpResponseRedirect(reverse("statreports:detail", args=[report.pk]))


def _detail_context(request, report, *, typed=None, error: DomainError | None = None) -> dict:
    cells = {c.code: c for c in selectors.cells(report)}
    figures = {code: cells[code].filed for code in CODES}
    rollup = selectors.rollup(request.user, report.region, report.year)
    rows = []
    for line in LINES:
        cell = cells[line.code]
        rows.append(
            {
                "line": line,
                "cell": cell,
                "changed": cell.filed != cell.prefilled,
                "typed": (typed or {}).get(line.code, {}),
                "children": rollup.totals.get(line.code, 0),
                "error": error is not None and error.field == line.code,
            }
        )
    rates = [
        {
            "rate": r,
            "value": documents.rate(figures[r.part], figures[r.whole]),
            "children": documents.rate(rollup.totals[r.part], rollup.totals[r.whole]),
        }
        for r in RATES
    ]
    user = request.user
    actions = [a for (a, state) in TRANSITIONS if state == report.state]
    return {
        "report": report,
        "rows": rows,
        "rates": rates,
        "rollup": rollup,
        "events": list(selectors.events(report)),
        "can_fill": may_fill(user, report),
        "can_submit": Action.SUBMIT in actions and may_fill(user, report),
        "can_review": may_review(user, report)
        and report.state in (ReportState.SUBMITTED, ReportState.RESUBMITTED),
        "integrity": documents.integrity_code(report, figures),
        "error": error,
        "signature": typed.get("_signature") if typed else None,
    }


@login_required
def detail(request, pk):
    """The table; POST (the filer's staff) saves changed figures, each with its reason."""
    require(request.user, "statreport.view")
    report = get_stat_report_for_user(request.user, pk)
    if request.method == "POST":
        require(request.user, "statreport.fill")
        changes = {}
        typed = {}
        for code in CODES:
            value = request.POST.get(f"v{code}")
            reason = request.POST.get(f"r{code}", "")
            if value is None:
                continue
            typed[code] = {"value": value, "reason": reason}
            changes[code] = {"value": value, "reason": reason}
        signature = {
            name: request.POST.get(name, "") for name in services.SIGNATURE_FIELDS if name in request.POST
        }
        typed["_signature"] = signature
        _saved, error = attempt(
            lambda: services.update_cells(report.pk, by=request.user, cells=changes, signature=signature)
        )
        if error is not None:
            return render(
                request,
                "statreports/detail.html",
                _detail_context(request, report, typed=typed, error=error),
                status=200,
            )
        messages.success(request, _("已保存。"))
        return HttpResponseRedirect(reverse("statreports:detail", args=[report.pk]))
    return render(request, "statreports/detail.html", _detail_context(request, report))


@login_required
@require_POST
def transition(request, pk):
    action = request.POST.get("action", "")
    require(request.user, "statreport.fill" if action == Action.SUBMIT else "statreport.review")
    report = get_stat_report_for_user(request.user, pk)
    run_action(
        request,
        lambda: services.transition(
            report.pk, by=request.user, action=action, comment=request.POST.get("comment", "")
        ),
        success=_("操作已完成。"),
    )
    return HttpResponseRedirect(reverse("statreports:detail", args=[report.pk]))


def _attachment(request, instance, rendered, note: str) -> HttpResponse:
    audit.record(actor=request.user, action="export", instance=instance, note=note)
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = content_disposition_header(True, rendered.filename)
    patch_cache_control(response, no_store=True, private=True)
    return response


@login_required
@require_GET
def export(request, pk, fmt):
    require(request.user, "statreport.view")
    report = get_stat_report_for_user(request.user, pk)
    cells = selectors.cells(report)
    figures = {c.code: c.filed for c in cells}
    if fmt == "xlsx":
        rendered = documents.xlsx(report, figures, {c.code: c.prefilled for c in cells})
    elif fmt == "pdf":
        rendered = documents.pdf(report, figures)
    else:
        raise NotFound(_("不支持的格式。"))
    return _attachment(request, report, rendered, rendered.filename)


# --- member statistics -------------------------------------------------------------------------------


def _member_query(request):
    require(request.user, "memberstats.view")
    return attempt(lambda: memberstats.parse(request.user, request.GET, today=timezone.localdate()))


@login_required
@require_GET
def members(request):
    query, error = _member_query(request)
    context = {"dimensions": Dimension.choices, "error": error}
    if query is not None:
        table = memberstats.table(request.user, query)
        page_obj = paginate(request, memberstats.associations_with_members(request.user, query))
        context.update(
            query=query,
            table=table,
            page_obj=page_obj,
            per_association=[
                (row, row.cells(table.columns))
                for row in memberstats.by_association(request.user, query, list(page_obj))
            ],
        )
    return render(request, "statreports/members.html", context, status=400 if error else 200)


@login_required
@require_GET
def member_list(request):
    query, error = _member_query(request)
    if error is None:
        items, error = attempt(
            lambda: memberstats.drill_down(
                request.user, query, value=request.GET.get("value"), child=request.GET.get("child")
            )
        )
    if error is not None:
        return render(request, "statreports/member_list.html", {"error": error}, status=400)
    if request.GET.get("format") == "xlsx":
        rendered = exporters.member_list_xlsx(items)
        with stored_language():
            note = _("会员统计明细导出（脱敏）：%(params)s") % {"params": request.GET.urlencode()}
        return _attachment(request, None, rendered, note)
    page_obj = paginate(request, items)
    rows = [exporters.member_row(m) for m in page_obj]
    return render(
        request,
        "statreports/member_list.html",
        {"query": query, "page_obj": page_obj, "rows": rows, "value": request.GET.get("value")},
    )
