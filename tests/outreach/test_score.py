"""The gap finder's score and ranking on a hand-made fixture, and the reason text."""

import datetime

import pytest

from kexie.core.errors import DomainError
from kexie.coverage.definition import CoverageScope, parse_scope
from kexie.outreach import selectors, services
from kexie.regions.models import Region

from ..factories import JINSHUI, ZHONGYUAN, AssociationFactory, EnterpriseFactory


def ranking(user, region=ZHONGYUAN, scope=None):
    qs, targets = selectors.gaps(
        user, selectors.GapQuery(region=Region.objects.get(code=region), scope=scope or CoverageScope(), q="")
    )
    return [(r.name, r.score, selectors.reason(r, targets)) for r in qs]


def test_scores_and_ranking_by_hand(world, gap_world):
    assert ranking(world.county_staff) == [
        ("郑州甲科技有限公司", 66, "科技工作者 320 人 +31；国家高新 +20；规上 +15"),
        ("河南中原国有控股集团有限公司", 30, "科技工作者 40 人 +20；国有企业 +10"),
        ("郑州乙国有公司", 23, "科技工作者 9 人 +13；国有企业 +10"),
        ("郑州丙精密有限公司", 10, "专精特新 +10"),
        ("郑州丁精密有限公司", 10, "专精特新 +10"),
    ]


def test_ties_are_broken_by_registration_order_whatever_the_name(world, gap_world):
    twin = EnterpriseFactory(
        name="郑州〇精密有限公司", region_id=ZHONGYUAN, is_specialized=True, st_workers=0
    )
    names = [name for name, score, _ in ranking(world.county_staff) if score == 10]
    assert names == ["郑州丙精密有限公司", "郑州丁精密有限公司", twin.name]


def test_covered_enterprises_are_not_gaps(world, gap_world):
    AssociationFactory(enterprise=gap_world.jia)
    names = [name for name, _, _ in ranking(world.county_staff)]
    assert "郑州甲科技有限公司" not in names and world.ent_a.name not in names


def test_a_preparing_association_does_not_cover(world, gap_world):
    AssociationFactory(enterprise=gap_world.jia, status="preparing")
    assert ranking(world.county_staff)[0][0] == "郑州甲科技有限公司"


def test_scope_filters_the_gaps(world, gap_world):
    scope = parse_scope({"is_high_tech": "1"})
    assert [n for n, _, _ in ranking(world.county_staff, scope=scope)] == ["郑州甲科技有限公司"]
    scope = parse_scope({"ownership": "provincial", "st_workers_min": "10"})
    assert [n for n, _, _ in ranking(world.county_staff, scope=scope)] == ["河南中原国有控股集团有限公司"]


def test_no_bonus_gives_a_plain_reason(world, gap_world):
    EnterpriseFactory(name="郑州无标签有限公司", region_id=ZHONGYUAN, st_workers=None)
    assert ranking(world.county_staff)[-1] == ("郑州无标签有限公司", 0, "无加分项")


def test_open_target_with_a_gap_adds_points_in_proportion(world, gap_world):
    today = datetime.date.today()
    target = services.create_target(
        by=world.county_staff,
        data={
            "title": "中原区高新企业全覆盖",
            "region": ZHONGYUAN,
            "scope": {"is_high_tech": "1"},
            "metric": "covered",
            "target_value": 1,
            "start_on": today - datetime.timedelta(days=10),
            "deadline": today + datetime.timedelta(days=10),
        },
    )
    # Nothing covered yet: the whole gap, 20 points, for the one high-tech enterprise only.
    rows = ranking(world.county_staff)
    assert rows[0] == (
        "郑州甲科技有限公司",
        86,
        "科技工作者 320 人 +31；国家高新 +20；规上 +15；计入目标“中原区高新企业全覆盖” +20",
    )
    assert rows[1][1] == 30
    # A closed target adds nothing.
    services.close_target(target.pk, by=world.county_staff)
    assert ranking(world.county_staff)[0][1] == 66


def test_largest_gap_target_wins(world, gap_world):
    today = datetime.date.today()
    common = {
        "start_on": today - datetime.timedelta(days=10),
        "deadline": today + datetime.timedelta(days=10),
    }
    # Two targets 乙 counts toward: “半” is half way (one 科协 founded since the start, target 2: 10
    # points); “全” has nothing yet (the founded one has too few S&T workers to count: 20 points).
    founded = EnterpriseFactory(region_id=ZHONGYUAN, ownership="provincial", st_workers=1)
    AssociationFactory(enterprise=founded, founded_on=today - datetime.timedelta(days=5))
    services.create_target(
        by=world.county_staff,
        data={
            "title": "半",
            "region": ZHONGYUAN,
            "scope": {"ownership": "provincial"},
            "metric": "covered",
            "target_value": 2,
            **common,
        },
    )
    services.create_target(
        by=world.county_staff,
        data={
            "title": "全",
            "region": ZHONGYUAN,
            "scope": {"ownership": "provincial", "st_workers_min": "5"},
            "metric": "rate",
            "target_value": 100,
            **common,
        },
    )
    bonuses = selectors.target_bonuses(world.county_staff, Region.objects.get(code=ZHONGYUAN))
    assert [(b.target.title, b.points) for b in bonuses] == [("全", 20), ("半", 10)]
    rows = {n: (s, r) for n, s, r in ranking(world.county_staff)}
    assert rows["郑州乙国有公司"] == (23 + 20, "科技工作者 9 人 +13；国有企业 +10；计入目标“全” +20")


def test_region_out_of_reach_is_refused_by_name(world, gap_world):
    with pytest.raises(DomainError) as err:
        selectors.parse_gap_query(world.county_staff, {"region": JINSHUI})
    assert err.value.field == "region"


def test_unknown_filter_is_refused_by_name(world):
    with pytest.raises(DomainError) as err:
        selectors.parse_gap_query(world.county_staff, {"colour": "red"})
    assert err.value.field == "colour"


def test_ranking_is_one_query(world, gap_world, django_assert_max_num_queries):
    query = selectors.GapQuery(region=Region.objects.get(code=ZHONGYUAN), scope=CoverageScope(), q="")
    qs, _ = selectors.gaps(world.county_staff, query)
    with django_assert_max_num_queries(1):
        rows = list(qs[:50])
    assert len(rows) == 5
