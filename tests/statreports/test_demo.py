"""The statistics demo: 郑州's county tables in their states, the city table in draft, idempotent."""

from kexie.accounts.enums import Role
from kexie.demo.statreports import load_statreports_demo
from kexie.regions.models import Region
from kexie.statreports import selectors
from kexie.statreports.models import ReportEvent, StatReport

from ..factories import ZHENGZHOU, ZHONGYUAN, UserFactory, grant, local


def test_demo_tables_in_every_state_and_a_second_run_changes_nothing(world):
    grant(UserFactory(username="zhengzhou"), Role.STAFF_REVIEWER, association=local(ZHENGZHOU))
    grant(UserFactory(username="zhongyuan"), Role.STAFF_REVIEWER, association=local(ZHONGYUAN))
    assert load_statreports_demo() > 0
    counties = list(Region.objects.filter(parent_id=ZHENGZHOU).order_by("code"))
    states = dict(StatReport.objects.filter(year=2025).values_list("region_id", "state"))
    assert states[ZHENGZHOU] == "draft"
    assert states["410105"] == "returned" and states["410103"] == "submitted"
    assert counties[-1].code not in states
    accepted = [c.code for c in counties if states.get(c.code) == "accepted"]
    assert ZHONGYUAN in accepted and len(accepted) == len(counties) - 3
    rollup = selectors.rollup(world.admin, Region.objects.get(code=ZHENGZHOU), 2025)
    assert [c.region.code for c in rollup.included] == accepted
    before = (StatReport.objects.count(), ReportEvent.objects.count())
    assert load_statreports_demo() == 0
    assert (StatReport.objects.count(), ReportEvent.objects.count()) == before
