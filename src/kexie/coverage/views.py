"""The coverage dashboard and the lists behind its numbers. Thin: scoping and selectors decide."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.accounts.permissions import require
from kexie.core.forms import attempt
from kexie.core.pages import paginate, render_list
from kexie.coverage.definition import SCOPE_FLAGS, parse_scope
from kexie.enterprises.enums import FLAG_FIELDS, Industry, Ownership

from . import selectors
from .exporters import CoverageListExporter
from .permissions import coverage_reach
from .services import ST_THRESHOLDS

GEO_DIR = Path(__file__).resolve().parent / "static" / "coverage" / "geo"
GEO_CODES = frozenset(p.stem for p in GEO_DIR.glob("*.json"))
SORTS = {
    "name": lambda f: f.code,
    "rate": lambda f: f.rate,
    "in_scope": lambda f: f.in_scope,
    "covered": lambda f: f.covered,
    "uncovered": lambda f: f.uncovered,
}
DASHBOARD_PARAMS = ("region", "date")
LIST_PARAMS = ("region", "date", "list")


def _query(scope, region, on, **extra) -> str:
    params = dict(scope.as_params())
    if region is not None:
        params["region"] = region if isinstance(region, str) else region.code
    if on != timezone.localdate():
        params["date"] = on.isoformat()
    params.update(extra)
    return urlencode(params)


def _ancestors(region) -> list:
    """The region's province and city, from the parents already fetched with it (no query)."""
    chain = []
    node = region.parent if region is not None else None
    while node is not None:
        chain.append(node)
        node = node.parent
    return list(reversed(chain))


def _geo_url(region) -> str:
    code = "100000" if region is None else region.code
    if region is not None and region.level != "province":
        return ""
    return static(f"coverage/geo/{code}.json") if code in GEO_CODES else ""


@login_required
def dashboard(request):
    require(request.user, "coverage.view")
    params = request.GET
    region = selectors.parse_region(request.user, params.get("region"))
    coverage_reach(request.user, region)  # beyond reach: 404 before anything else
    rows: list = []
    sort = params.get("sort", "").strip()
    scope, on, result = parse_scope({}), timezone.localdate(), None

    def read():
        scope, on = parse_scope(params, ignore=DASHBOARD_PARAMS), selectors.parse_day(params)
        return scope, on, selectors.coverage(request.user, region, scope, on)

    read_out, error = attempt(read)  # a bad filter: the page stays, with the reason
    if error is None:
        scope, on, result = read_out
    list_url = reverse("coverage:list")
    page_url = reverse("coverage:dashboard")
    if result is not None:
        key = SORTS.get(sort.lstrip("-"))
        rows = list(result.children)
        if key is not None:
            # Regions without enterprises in scope (rate "—") stay last in either direction.
            with_rate = [f for f in rows if f.rate is not None or key is not SORTS["rate"]]
            without = [f for f in rows if f not in with_rate]
            rows = sorted(with_rate, key=key, reverse=sort.startswith("-")) + without

        def links(code):
            return {which: f"{list_url}?{_query(scope, code, on, list=which)}" for which in selectors.LISTS}

        result.total.links = links(region.code if region else "")
        for figure in rows:
            figure.links = links(figure.code)
            figure.drill = f"{page_url}?{_query(scope, figure.code, on)}"
    base_query = _query(scope, region, on) if error is None else ""
    context = {
        "result": result,
        "rows": rows,
        "error": error,
        "region": region,
        "params": params,
        "sort": sort,
        "sorts": [
            (
                name,
                label,
                f"{page_url}?{base_query}&sort={'-' if sort == name else ''}{name}".replace("?&", "?"),
            )
            for name, label in (
                ("name", _("地区")),
                ("in_scope", _("统计范围内企业")),
                ("covered", _("已覆盖")),
                ("uncovered", _("未覆盖")),
                ("rate", _("覆盖率")),
            )
        ],
        "figures_url": f"{reverse('api:coverage')}?{base_query}",
        "trend_url": f"{reverse('api:coverage_trend')}?{base_query}",
        "geo_url": _geo_url(region),
        "today": timezone.localdate(),
    }
    return render_list(
        request,
        template="coverage/dashboard.html",
        partial="coverage/_results.html",
        context=context,
        full_context=lambda: {
            "ancestors": _ancestors(region),
            "flag_filters": [(name, FLAG_FIELDS[name], params.get(name, "")) for name in SCOPE_FLAGS],
            "ownership_choices": Ownership.choices,
            "industry_choices": Industry.choices,
            "chosen_ownership": set(",".join(params.getlist("ownership")).split(",")),
            "chosen_industry": set(",".join(params.getlist("industry")).split(",")),
            "st_thresholds": ST_THRESHOLDS,
        },
    )


LIST_TITLES = {
    "in_scope": _("统计范围内企业"),
    "covered": _("已覆盖企业"),
    "uncovered": _("未覆盖企业"),
    "enterprise_associations": _("企业科协"),
    "joint_associations": _("联合科协"),
}


@login_required
def rows_list(request):
    """The rows behind one number of the dashboard (same region, scope and date), paginated,
    downloadable as xlsx (``format=xlsx``)."""
    require(request.user, "coverage.view")
    params = request.GET
    region = selectors.parse_region(request.user, params.get("region"))
    coverage_reach(request.user, region)
    which = params.get("list", "in_scope").strip()
    page_obj = None
    scope, on = parse_scope({}), timezone.localdate()

    def read():
        scope, on = parse_scope(params, ignore=LIST_PARAMS), selectors.parse_day(params)
        return scope, on, selectors.rows_behind(request.user, region, scope, on, which)

    read_out, error = attempt(read)  # a bad filter: the page stays, with the reason
    if error is None:
        scope, on, rows = read_out
        if params.get("format") == "xlsx":
            return _xlsx(rows, which, region)
        page_obj = paginate(request, rows.order_by("name", "pk"))
    is_enterprises = which in ("in_scope", "covered", "uncovered")
    context = {
        "page_obj": page_obj,
        "error": error,
        "region": region,
        "which": which,
        "title": LIST_TITLES.get(which, which),
        "is_enterprises": is_enterprises,
        "on": on,
        "xlsx_url": f"{reverse('coverage:list')}?{_query(scope, region, on, list=which, format='xlsx')}",
        "back_url": f"{reverse('coverage:dashboard')}?{_query(scope, region, on)}",
        "scope_labels": _scope_labels(scope),
    }
    return render_list(request, template="coverage/list.html", partial="coverage/_list.html", context=context)


def _scope_labels(scope) -> list[str]:
    labels = [str(FLAG_FIELDS[f]) for f in SCOPE_FLAGS if getattr(scope, f)]
    labels += [str(Ownership(o).label) for o in scope.ownership]
    labels += [f"{i} {Industry(i).label}" for i in scope.industry]
    if scope.st_workers_min is not None:
        labels.append(_("科技工作者≥%(n)s人") % {"n": scope.st_workers_min})
    return labels


def _xlsx(rows, which: str, region) -> HttpResponse:
    export = CoverageListExporter(rows, which, region, str(LIST_TITLES.get(which, which))).render("xlsx")
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response
