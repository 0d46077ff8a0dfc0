"""Coverage figures on the hand-computed fixture (tests/coverage/conftest.py), from the cells
(today) and from the rows (dates, unusual thresholds) alike."""

import datetime

import pytest
from django.http import Http404

from kexie.coverage import selectors
from kexie.coverage.definition import CoverageScope, covered_q, parse_scope
from kexie.coverage.models import CoverageState
from kexie.coverage.services import month_ends
from kexie.enterprises.models import Enterprise
from kexie.regions.models import Region

from ..factories import AssociationFactory

D = datetime.date
ZHENGZHOU = "410100"


EVERYTHING = CoverageScope()


def figures(user, code, scope=EVERYTHING, on=None):
    region = Region.objects.get(code=code) if code else None
    result = selectors.coverage(user, region, scope, on)
    by_code = {f.code: f for f in result.children}
    return result, by_code


def counts(f):
    return (f.in_scope, f.covered, f.enterprise_associations, f.joint_associations)


def test_today_from_the_cells(cov):
    result, child = figures(cov.world.admin, ZHENGZHOU)
    assert result.from_cells
    assert counts(result.total) == (9, 5, 3, 1)
    assert counts(child["410102"]) == (7, 3, 2, 1)
    assert counts(child["410105"]) == (2, 2, 1, 1)
    assert counts(child["410103"]) == (0, 0, 0, 0)
    assert child["410103"].rate is None and child["410103"].rate_percent == "—"
    assert child["410102"].rate == pytest.approx(3 / 7)
    assert child["410102"].uncovered == 4


@pytest.mark.parametrize(
    ("on", "zhongyuan", "jinshui"),
    [
        (D(2023, 1, 1), (7, 2, 2, 1), (2, 2, 1, 1)),  # before e1's 科协 and J1: ent_a, e4 (own + J2)
        (D(2024, 12, 31), (7, 5, 3, 2), (2, 2, 1, 1)),  # e1 founded, J1 live, e4's own 科协 not yet dissolved
        (D(2025, 1, 15), (7, 5, 2, 2), (2, 2, 1, 1)),  # e4's 科协 dissolved that day; e4 still in J2
        (D(2025, 8, 31), (7, 5, 2, 2), (2, 2, 1, 1)),  # the last day of J1
        (D(2025, 9, 1), (7, 3, 2, 1), (2, 2, 1, 1)),  # J1 dissolved on that day: e2, e3 uncovered
        (D(2019, 12, 31), (7, 1, 1, 0), (2, 1, 1, 0)),  # before everything but the undated 科协
    ],
)
def test_dates_count_from_the_rows(cov, on, zhongyuan, jinshui):
    result, child = figures(cov.world.admin, ZHENGZHOU, on=on)
    assert not result.from_cells
    assert counts(child["410102"]) == zhongyuan
    assert counts(child["410105"]) == jinshui
    assert result.total.in_scope == 9
    assert result.total.covered == zhongyuan[1] + jinshui[1]


def test_scope_filters(cov):
    admin = cov.world.admin
    _, child = figures(admin, ZHENGZHOU, parse_scope({"is_high_tech": "1"}))
    assert counts(child["410102"]) == (1, 1, 1, 0)
    assert child["410105"].in_scope == 0 and child["410105"].rate is None
    _, child = figures(admin, ZHENGZHOU, parse_scope({"ownership": "provincial,central"}))
    assert counts(child["410102"]) == (1, 0, 0, 0)
    _, child = figures(admin, ZHENGZHOU, parse_scope({"industry": "i"}))
    assert counts(child["410102"]) == (1, 0, 0, 0)  # e2, whose joint 科协 is dissolved
    # A threshold of the cells, and an unusual one counted from the rows, agree.
    at_50, child_50 = figures(admin, ZHENGZHOU, parse_scope({"st_workers_min": "50"}))
    at_41, child_41 = figures(admin, ZHENGZHOU, parse_scope({"st_workers_min": "41"}))
    assert at_50.from_cells and not at_41.from_cells
    assert counts(child_50["410102"]) == counts(child_41["410102"]) == (1, 1, 1, 0)
    # Flags combine: high-tech and above scale → nobody.
    result, _ = figures(admin, ZHENGZHOU, parse_scope({"is_high_tech": "1", "is_above_scale": "1"}))
    assert result.total.in_scope == 0


def test_county_region_has_no_children(cov):
    result, child = figures(cov.world.county_staff, "410102")
    assert child == {}
    assert counts(result.total) == (7, 3, 2, 1)


def test_national_and_province(cov):
    result, child = figures(cov.world.admin, "")
    assert child["410000"].in_scope == 9 and child["410000"].covered == 5
    assert result.total.in_scope == 9
    _, child = figures(cov.world.province_staff, "410000")
    assert counts(child["410100"]) == (9, 5, 3, 1)


def test_reach_of_viewers_and_staff(cov):
    w = cov.world
    sasac, _ = figures(w.sasac, "410102")
    assert counts(sasac.total) == (1, 0, 0, 0)  # only the state-owned ent_s
    acfic, _ = figures(w.acfic, "410102")
    assert counts(acfic.total) == (6, 3, 2, 1)
    # The viewer's own choice of ownership stays within the reach.
    nothing, _ = figures(w.sasac, "410102", parse_scope({"ownership": "private"}))
    assert nothing.total.in_scope == 0
    for user, code in [
        (w.county_staff, "410105"),
        (w.county_staff, "410100"),
        (w.sasac, "410105"),
        (w.province_staff, ""),
    ]:
        with pytest.raises(Http404):
            figures(user, code)


def test_lists_have_the_lengths_shown(cov):
    admin = cov.world.admin
    for on in (None, D(2024, 12, 31)):
        result, child = figures(admin, ZHENGZHOU, on=on)
        for figure, region in [
            (result.total, "410100"),
            (child["410102"], "410102"),
            (child["410105"], "410105"),
        ]:
            region = Region.objects.get(code=region)
            for which in selectors.LISTS:
                rows = selectors.rows_behind(admin, region, CoverageScope(), result.on, which)
                assert rows.count() == getattr(figure, which), (region.code, which, on)


def test_trend_matches_the_definition_month_by_month(cov):

    region = Region.objects.get(code=ZHENGZHOU)
    today = D(2026, 3, 15)
    points = selectors.trend(cov.world.admin, region, CoverageScope(), today=today)
    assert len(points) == 24
    assert points[-1]["date"] == "2026-03-15" and points[0]["date"] == "2024-04-30"
    for point in points:
        day = D.fromisoformat(point["date"])
        expected = (
            Enterprise.objects.filter(region__path__startswith=region.path).filter(covered_q(day)).count()
        )
        assert point["covered"] == expected, point
        assert point["in_scope"] == 9
    by_month = {p["month"]: p["covered"] for p in points}
    assert by_month["2024-12"] == 7 and by_month["2025-09"] == 5


def test_month_ends():
    days = month_ends(D(2024, 3, 10))
    assert days[-1] == D(2024, 3, 10)
    assert D(2024, 2, 29) in days and D(2023, 12, 31) in days
    assert days[0] == D(2022, 4, 30)


def test_the_three_sources_agree(cov):
    """Totals (ownership-only scope), fine cells (any other scope of the cells) and the rows give the
    same figures, and the kept month rows give the same trend as the spans read from the rows."""
    admin = cov.world.admin
    everyone = parse_scope({"st_workers_min": "0"})  # every fixture enterprise has S&T workers
    for code in ("", "410000", ZHENGZHOU, "410102"):
        totals, by_totals = figures(admin, code)
        cells, by_cells = figures(admin, code, everyone)
        rows, by_rows = figures(admin, code, everyone, on=D(2099, 1, 1))
        assert counts(totals.total) == counts(cells.total)
        assert {c: counts(f) for c, f in by_totals.items()} == {c: counts(f) for c, f in by_cells.items()}
        assert totals.total.in_scope == rows.total.in_scope
        region = Region.objects.get(code=code) if code else None
        kept = selectors.trend(admin, region, CoverageScope())
        counted = selectors.trend(admin, region, everyone)
        assert kept == counted
    sasac_kept = selectors.trend(cov.world.sasac, Region.objects.get(code="410102"), CoverageScope())
    assert {p["in_scope"] for p in sasac_kept} == {1}


@pytest.mark.parametrize(
    "on", [D(2019, 12, 31), D(2023, 1, 1), D(2024, 12, 31), D(2025, 1, 15), D(2025, 9, 1), None]
)
def test_covered_within_is_covered_q(cov, on):

    for inside in (
        Enterprise.objects.all(),
        Enterprise.objects.filter(region_id="410102"),
        Enterprise.objects.filter(is_high_tech=True),
    ):
        expected = set(inside.filter(covered_q(on)).values_list("pk", flat=True))
        assert (
            set(inside.filter(selectors.covered_within(inside, on)).values_list("pk", flat=True)) == expected
        )
        assert set(inside.exclude(selectors.covered_within(inside, on)).values_list("pk", flat=True)) == (
            set(inside.values_list("pk", flat=True)) - expected
        )


def test_kept_figures_wait_for_tables_brought_to_today(cov, django_assert_num_queries):
    """The usual figure is one statement while the tables are current; when they are not (a new
    day, and a 科协 founded today that the tables have not seen), the figures come after bringing
    the tables to today."""

    region, admin = Region.objects.get(code=ZHENGZHOU), cov.world.admin
    selectors.coverage(admin, region, EVERYTHING)  # the user's roles and the region's children, once
    with django_assert_num_queries(1):
        result = selectors.coverage(admin, region, EVERYTHING)
    assert counts(result.total) == (9, 5, 3, 1)
    today = datetime.date.today()
    CoverageState.objects.update(as_of=today - datetime.timedelta(days=1))
    AssociationFactory(enterprise=cov.e3, founded_on=today)  # written around the hooks, as a day passing
    result, child = figures(cov.world.admin, ZHENGZHOU)
    assert counts(result.total) == (9, 6, 4, 1) and counts(child["410102"]) == (7, 4, 3, 1)
    assert CoverageState.objects.get().as_of == today
