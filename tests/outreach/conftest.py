"""Hand-made 中原区 fixtures for outreach: enterprises without a 科协 whose scores are worked out by hand."""

import datetime

import pytest

from kexie.outreach import services

from ..factories import ZHONGYUAN, EnterpriseFactory


@pytest.fixture
def gap_world(world):
    """Four uncovered 中原区 enterprises besides the world's ent_s (provincial, 40 S&T workers:
    round(12.5·log10 41) = 20, +10 state-owned = 30). Scores by hand (12.5 points per tenfold):

    - 甲 high-tech, above-scale, 320 S&T workers: round(12.5·log10 321) = 31, +20, +15 = 66
    - 乙 provincial, 9 S&T workers: 12.5·log10 10 = 12.5 → 13, +10 = 23
    - 丙 specialized, S&T workers unknown: 10
    - 丁 specialized, 0 S&T workers: 10 (ties with 丙; 丙 was registered first, so it ranks first)
    """
    ns = type("GapWorld", (), {})()
    ns.jia = EnterpriseFactory(
        name="郑州甲科技有限公司", region_id=ZHONGYUAN, is_high_tech=True, is_above_scale=True, st_workers=320
    )
    ns.yi = EnterpriseFactory(
        name="郑州乙国有公司", region_id=ZHONGYUAN, ownership="provincial", st_workers=9
    )
    ns.bing = EnterpriseFactory(
        name="郑州丙精密有限公司", region_id=ZHONGYUAN, is_specialized=True, st_workers=None
    )
    ns.ding = EnterpriseFactory(
        name="郑州丁精密有限公司", region_id=ZHONGYUAN, is_specialized=True, st_workers=0
    )
    return ns


def due(days: int = 30) -> datetime.date:
    return datetime.date.today() + datetime.timedelta(days=days)


@pytest.fixture
def task(world, gap_world):
    """Enterprise 甲 assigned by the province staff to the 中原区 科协."""
    return services.assign(
        by=world.province_staff, enterprise_ids=[gap_world.jia.pk], due_on=due(), note="重点企业"
    )[0]
