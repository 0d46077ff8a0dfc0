"""The yearly table: prefill from the platform's data, validation of filed figures, the workflow,
the roll-up to the level above and the deadline list."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from kexie.core import audit
from kexie.core.errors import DomainError, Forbidden
from kexie.core.models import Notification
from kexie.regions.models import Region
from kexie.statreports import prefill, selectors, services
from kexie.statreports.enums import TRANSITIONS, Action, ReportState
from kexie.statreports.lines import CHECKS, CODES, LINES
from kexie.statreports.models import ReportEvent, StatCell
from kexie.statreports.permissions import get_stat_report_for_user, stat_reports_for_user

from ..factories import HENAN, JINSHUI, ZHENGZHOU, ZHONGYUAN
from .conftest import ZHONGYUAN_2025, make_table


def test_lines_are_data_with_unique_codes_and_checks_on_known_codes():
    assert len(CODES) == len(set(CODES)) and 15 <= len(LINES) <= 25
    for check in CHECKS:
        assert check.total in CODES and set(check.parts) <= set(CODES)


# --- prefill ---------------------------------------------------------------------------------------


def test_prefill_matches_the_figures_computed_by_hand(zhongyuan_2025):
    """01: assoc A (no founding date, active), the state-owned one founded 2025-06-01 and the one dissolved
    on 2026-01-01 — not the one dissolved on 31 Dec 2025, founded 2026 or still preparing. 09: members
    joined on 31 Dec, left in 2026 or with no dates count; joined 2026, left on 31 Dec, applied, in the
    dissolved 科协 or in 金水区 do not."""

    assert prefill.compute(Region.objects.get(code=ZHONGYUAN), 2025) == ZHONGYUAN_2025


def test_prefill_of_the_city_includes_both_counties_and_of_an_earlier_year_less(zhongyuan_2025):

    city = prefill.compute(Region.objects.get(code=ZHENGZHOU), 2025)
    assert city["01"] == ZHONGYUAN_2025["01"] + 1  # assoc B in 金水区
    assert city["09"] == ZHONGYUAN_2025["09"] + 1 and city["10"] == ZHONGYUAN_2025["10"] + 1
    before = prefill.compute(Region.objects.get(code=ZHONGYUAN), 2024)
    # no state-owned one yet; A and both later-dissolved ones (still working on 31 Dec 2024)
    assert before["06"] == 0 and before["01"] == 3 and before["02"] == 0
    assert before["16"] == 0  # the federation was founded on 31 Dec 2025


def test_open_report_prefills_every_cell_and_is_idempotent(zhongyuan_2025):
    w = zhongyuan_2025
    report = services.open_report(by=w.county_staff, region_code=ZHONGYUAN, year=2025)
    assert report.state == ReportState.DRAFT and report.due_on.isoformat() == "2026-03-31"
    cells = dict(report.cells.values_list("code", "prefilled"))
    assert cells == ZHONGYUAN_2025
    assert dict(report.cells.values_list("code", "filed")) == ZHONGYUAN_2025
    again = services.open_report(by=w.county_staff, region_code=ZHONGYUAN, year=2025)
    assert again.pk == report.pk and StatCell.objects.filter(report=report).count() == len(CODES)
    assert audit.history(report).filter(action="create").count() == 1


def test_only_the_own_level_opens_a_table(world, city_staff):
    with pytest.raises(Forbidden) as refused:
        services.open_report(by=city_staff, region_code=ZHONGYUAN, year=2025)
    assert refused.value.code == "forbidden"
    with pytest.raises(Http404):
        services.open_report(by=world.other_staff, region_code=ZHONGYUAN, year=2025)
    with pytest.raises(PermissionDenied):
        services.open_report(by=world.county_viewer, region_code=ZHONGYUAN, year=2025)
    with pytest.raises(DomainError) as refused:
        services.open_report(by=world.county_staff, region_code=ZHONGYUAN, year=2099)
    assert refused.value.field == "year"


# --- validation ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("-1", "不能为负数"),
        (-3, "不能为负数"),
        ("1.5", "不能填写小数"),
        (2.5, "不能填写小数"),
        ("三个", "不是数字"),
        ("", "不能为空"),
        (None, "没有的填0"),
        (True, "没有的填0"),
        ("1000000000", "数值过大"),
    ],
)
def test_a_bad_figure_is_refused_naming_the_cell(draft, world, value, words):
    with pytest.raises(DomainError) as refused:
        services.update_cells(
            draft.pk, by=world.county_staff, cells={"07": {"value": value, "reason": "核对"}}
        )
    assert refused.value.field == "07"
    assert "园区、区域、行业联合科协数" in refused.value.message and "07" in refused.value.message
    assert words in refused.value.message
    assert draft.cells.get(code="07").filed == 0


def test_a_change_needs_a_reason_and_is_kept_per_cell(draft, world):
    with pytest.raises(DomainError) as refused:
        services.update_cells(draft.pk, by=world.county_staff, cells={"16": {"value": "2", "reason": "  "}})
    assert refused.value.field == "16" and "原因" in refused.value.message
    services.update_cells(
        draft.pk, by=world.county_staff, cells={"16": {"value": " 2 ", "reason": "新成立两家"}}
    )
    cell = draft.cells.get(code="16")
    assert (cell.prefilled, cell.filed, cell.reason, cell.changed_by) == (
        0,
        2,
        "新成立两家",
        world.county_staff,
    )
    assert cell.changed_at is not None
    entry = audit.history(cell).get(action="update")
    assert entry.changes["filed"] == [0, 2]
    # Same value again: nothing changes, no reason needed.
    services.update_cells(draft.pk, by=world.county_staff, cells={"16": {"value": 2}})
    assert audit.history(cell).count() == 1


def test_an_unknown_cell_is_refused_by_its_code(draft, world):
    with pytest.raises(DomainError) as refused:
        services.update_cells(draft.pk, by=world.county_staff, cells={"99": {"value": 1, "reason": "x"}})
    assert refused.value.field == "99"


def test_a_total_must_equal_the_sum_of_its_parts(draft, world):
    """01 = 02+03+04+05: raising a part without the total is refused, naming the total; both together pass."""
    with pytest.raises(DomainError) as refused:
        services.update_cells(draft.pk, by=world.county_staff, cells={"03": {"value": 2, "reason": "补录"}})
    assert (
        refused.value.field == "01"
        and "企业科协数" in refused.value.message
        and "应等于" in refused.value.message
    )
    assert draft.cells.get(code="03").filed == 0  # nothing written
    services.update_cells(
        draft.pk,
        by=world.county_staff,
        cells={"01": {"value": 2, "reason": "补录"}, "03": {"value": 2, "reason": "补录"}},
    )
    assert dict(draft.cells.filter(code__in=["01", "03"]).values_list("code", "filed")) == {"01": 2, "03": 2}


def test_a_total_bounds_its_of_which_parts(draft, world):
    """09 ≥ 11+12: two title counts above the member count are refused naming 09."""
    cells = {
        "09": {"value": 5, "reason": "核对"},
        "11": {"value": 3, "reason": "核对"},
        "12": {"value": 3, "reason": "核对"},
    }
    with pytest.raises(DomainError) as refused:
        services.update_cells(draft.pk, by=world.county_staff, cells=cells)
    assert refused.value.field == "09" and "不能小于" in refused.value.message
    cells["12"]["value"] = 2
    services.update_cells(draft.pk, by=world.county_staff, cells=cells)
    with pytest.raises(DomainError) as refused:
        services.update_cells(draft.pk, by=world.county_staff, cells={"19": {"value": 1, "reason": "x"}})
    assert refused.value.field == "18"


def test_only_the_filer_edits_and_only_while_editable(draft, world, city_staff):
    with pytest.raises(Forbidden) as refused:
        services.update_cells(draft.pk, by=city_staff, cells={"16": {"value": 1, "reason": "x"}})
    assert refused.value.code == "forbidden"
    with pytest.raises(Http404):
        services.update_cells(draft.pk, by=world.other_staff, cells={})
    draft.state = ReportState.SUBMITTED
    draft.save()
    with pytest.raises(DomainError) as refused:
        services.update_cells(draft.pk, by=world.county_staff, cells={"16": {"value": 1, "reason": "x"}})
    assert refused.value.code == "state"


# --- workflow -----------------------------------------------------------------------------------------


def _actor(action, world, city_staff):
    return world.county_staff if action == Action.SUBMIT else city_staff


@pytest.mark.parametrize("state", ReportState.values)
@pytest.mark.parametrize("action", Action.values)
def test_every_action_in_every_state(draft, world, city_staff, action, state):
    draft.state = state
    draft.save()
    target = TRANSITIONS.get((action, state))
    by = _actor(action, world, city_staff)
    if target is None:
        with pytest.raises(DomainError) as refused:
            services.transition(draft.pk, by=by, action=action, comment="请核对")
        assert refused.value.code == "state" and refused.value.field == "action"
        draft.refresh_from_db()
        assert draft.state == state and not ReportEvent.objects.filter(report=draft).exists()
    else:
        services.transition(draft.pk, by=by, action=action, comment="请核对")
        draft.refresh_from_db()
        assert draft.state == target
        event = ReportEvent.objects.get(report=draft)
        assert (event.from_state, event.to_state, event.actor) == (state, target, by)
        assert audit.history(draft).filter(action="state").count() == 1


def test_the_full_round_with_notifications(draft, world, city_staff):
    services.transition(draft.pk, by=world.county_staff, action="submit")
    assert Notification.objects.filter(user=city_staff, text__contains="请审核").exists()
    with pytest.raises(DomainError) as refused:
        services.transition(draft.pk, by=city_staff, action="return", comment="")
    assert refused.value.field == "comment"
    services.transition(draft.pk, by=city_staff, action="return", comment="栏目07请核对")
    assert Notification.objects.filter(user=world.county_staff, text__contains="栏目07请核对").exists()
    services.update_cells(
        draft.pk, by=world.county_staff, cells={"07": {"value": 1, "reason": "漏报园区科协"}}
    )
    draft = services.transition(draft.pk, by=world.county_staff, action="submit")
    assert draft.state == ReportState.RESUBMITTED
    draft = services.transition(draft.pk, by=city_staff, action="accept")
    assert draft.state == ReportState.ACCEPTED and draft.first_submitted_at <= draft.submitted_at
    assert [e.action for e in draft.events.all()] == ["submit", "return", "submit", "accept"]


def test_only_the_level_directly_above_reviews(draft, world, city_staff):
    services.transition(draft.pk, by=world.county_staff, action="submit")
    for user in (world.county_staff, world.province_staff):  # itself; two levels up
        with pytest.raises(Forbidden) as refused:
            services.transition(draft.pk, by=user, action="accept")
        assert refused.value.code == "forbidden"
    with pytest.raises(Http404):
        services.transition(draft.pk, by=world.other_staff, action="accept")
    with pytest.raises(PermissionDenied):
        services.transition(draft.pk, by=world.county_viewer, action="accept")
    with pytest.raises(Forbidden) as refused:
        services.transition(draft.pk, by=city_staff, action="submit")
    assert refused.value.code == "forbidden"


def test_a_city_table_goes_to_the_province_and_a_province_table_to_the_admin(world, city_staff):
    city = make_table(ZHENGZHOU, 2025, by=city_staff)
    services.transition(city.pk, by=city_staff, action="submit")
    assert services.transition(city.pk, by=world.province_staff, action="accept").state == "accepted"
    province = make_table(HENAN, 2025, by=world.province_staff)
    services.transition(province.pk, by=world.province_staff, action="submit")
    with pytest.raises(Forbidden):
        services.transition(province.pk, by=world.province_staff, action="accept")
    assert services.transition(province.pk, by=world.admin, action="accept").state == "accepted"


def test_submit_needs_the_signature_names(world):
    report = make_table(ZHONGYUAN, 2025, by=world.county_staff, head="")
    with pytest.raises(DomainError) as refused:
        services.transition(report.pk, by=world.county_staff, action="submit")
    assert refused.value.field == "head_name"


# --- roll-up and deadline -------------------------------------------------------------------------------

ERQI, GUANCHENG = "410103", "410104"


def test_the_city_sees_the_sum_of_accepted_county_tables(world, city_staff):

    make_table(
        ZHONGYUAN, 2025, state="accepted", figures={"01": 3, "03": 3, "09": 40, "10": 12, "18": 9, "19": 4}
    )
    make_table(
        JINSHUI,
        2025,
        state="accepted",
        figures={"01": 5, "02": 1, "03": 4, "09": 60, "10": 20, "18": 10, "19": 7},
    )
    make_table(ERQI, 2025, state="submitted", figures={"01": 100, "03": 100})
    make_table(GUANCHENG, 2025, state="returned", figures={"01": 100, "03": 100})
    rollup = selectors.rollup(city_staff, Region.objects.get(code=ZHENGZHOU), 2025)
    assert rollup.totals["01"] == 8 and rollup.totals["02"] == 1 and rollup.totals["03"] == 7
    assert rollup.totals["09"] == 100 and rollup.totals["10"] == 32
    assert rollup.totals["18"] == 19 and rollup.totals["19"] == 11 and rollup.totals["07"] == 0
    assert [c.region.code for c in rollup.included] == [ZHONGYUAN, JINSHUI]
    children = Region.objects.filter(parent_id=ZHENGZHOU).count()
    assert len(rollup.missing) == children - 2
    states = {c.region.code: c.state_label for c in rollup.missing}
    assert states[ERQI] == "已报送" and states[GUANCHENG] == "退回修改"
    assert all(label == "未填报" for code, label in states.items() if code not in (ERQI, GUANCHENG))


def test_not_filed_by_the_deadline(world, city_staff, settings):

    on_time = timezone.make_aware(datetime.datetime(2026, 3, 31, 18, 0))
    late = timezone.make_aware(datetime.datetime(2026, 4, 1, 9, 0))
    make_table(ZHONGYUAN, 2025, state="accepted").__class__.objects.filter(region_id=ZHONGYUAN).update(
        first_submitted_at=on_time
    )
    make_table(JINSHUI, 2025, state="submitted").__class__.objects.filter(region_id=JINSHUI).update(
        first_submitted_at=late
    )
    make_table(ERQI, 2025, state="draft")
    missing = selectors.not_filed(city_staff, Region.objects.get(code=ZHENGZHOU), 2025)
    codes = [c.region.code for c in missing]
    assert ZHONGYUAN not in codes and JINSHUI in codes and ERQI in codes
    assert len(codes) == Region.objects.filter(parent_id=ZHENGZHOU).count() - 1
    settings.KEXIE_STATS_DUE = "04-30"
    assert services.due_date(2025).isoformat() == "2026-04-30"
    missing = selectors.not_filed(city_staff, Region.objects.get(code=ZHENGZHOU), 2025)
    assert JINSHUI not in [c.region.code for c in missing]


def test_scoping_jinshui_staff_do_not_see_zhongyuan_tables(draft, world):

    with pytest.raises(Http404):
        get_stat_report_for_user(world.other_staff, draft.pk)
    assert not stat_reports_for_user(world.other_staff).exists()
    assert stat_reports_for_user(world.province_staff).filter(pk=draft.pk).exists()
    assert not stat_reports_for_user(world.secretary).exists()
