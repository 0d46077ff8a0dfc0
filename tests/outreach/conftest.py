"""A hand-made 中原区 fixture for the gap finder: enterprises without a 科协 whose scores are known."""

import pytest

from ..factories import ZHONGYUAN, EnterpriseFactory


@pytest.fixture
def gap_world(world):
    """Four uncovered 中原区 enterprises (plus the world's ent_s), scores worked out by hand:

    - 甲 high-tech, above-scale, 320 S&T workers: 31 + 20 + 15 = 66
    - 乙 state-owned (provincial), 9 S&T workers: 13 + 10 = 23
    - 丙 specialized, no S&T workers recorded: 10
    - 丁 specialized, 0 S&T workers: 10 (ties with 丙: by name, 丁 < 丙 in code-point order? no: by name)
    """
    ns = type("GapWorld", (), {})()
    ns.jia = EnterpriseFactory(
        name="郑州甲科技有限公司", region_id=ZHONGYUAN, is_high_tech=True, is_above_scale=True, st_workers=320
    )
    ns.yi = EnterpriseFactory(name="郑州乙国有公司", region_id=ZHONGYUAN, ownership="provincial", st_workers=9)
    ns.bing = EnterpriseFactory(name="郑州丙精密有限公司", region_id=ZHONGYUAN, is_specialized=True, st_workers=None)
    ns.ding = EnterpriseFactory(name="郑州丁精密有限公司", region_id=ZHONGYUAN, is_specialized=True, st_workers=0)
    return ns
