import datetime

import pytest

from kexie.associations.enums import Kind, Status
from kexie.coverage.services import rebuild

from ..factories import JINSHUI, ZHONGYUAN, AssociationFactory, EnterpriseFactory

D = datetime.date


@pytest.fixture
def cov(world):
    """The hand-computed fixture (on top of ``world``), in 郑州市:

    中原区: ent_a (科协 without founding date: covers always), ent_s (state-owned, uncovered),
      e1 (high-tech, 60 S&T workers, 科协 founded 2024-03-10), e2 and e3 (joint J1, 2023-06-01 to its
      dissolution on 2025-09-01), e4 (joint J2 from 2022-01-01, and its own 科协 2020-01-01 to
      2025-01-15), e5 (科协 still being founded).
    金水区: ent_b (科协 without founding date), e6 (joint J2, which spans both counties).
    二七区 (410103): no enterprise at all.
    Today: 中原区 3 of 7 covered, 金水区 2 of 2, 郑州市 5 of 9; enterprise 科协 2 + 1, joint 1.
    """

    class Cov:
        pass

    c = Cov()
    c.world = world
    c.e1 = EnterpriseFactory(name="覆盖测试一号高新有限公司", is_high_tech=True, st_workers=60)
    c.e2 = EnterpriseFactory(name="覆盖测试二号有限公司", industry="I")
    c.e3 = EnterpriseFactory(name="覆盖测试三号有限公司")
    c.e4 = EnterpriseFactory(name="覆盖测试四号有限公司")
    c.e5 = EnterpriseFactory(name="覆盖测试五号有限公司")
    c.e6 = EnterpriseFactory(name="覆盖测试六号有限公司", region_id=JINSHUI)
    c.a1 = AssociationFactory(enterprise=c.e1, founded_on=D(2024, 3, 10))
    c.a4 = AssociationFactory(
        enterprise=c.e4, founded_on=D(2020, 1, 1), dissolved_on=D(2025, 1, 15), status=Status.DISSOLVED
    )
    c.a5 = AssociationFactory(enterprise=c.e5, status=Status.PREPARING)
    c.j1 = AssociationFactory(
        kind=Kind.JOINT,
        enterprise=None,
        name="中原区测试园区科学技术协会",
        region_id=ZHONGYUAN,
        founded_on=D(2023, 6, 1),
        dissolved_on=D(2025, 9, 1),
        status=Status.DISSOLVED,
    )
    c.j1.covered_enterprises.set([c.e2, c.e3])
    c.j2 = AssociationFactory(
        kind=Kind.JOINT,
        enterprise=None,
        name="郑州测试区域联建科学技术协会",
        region_id=ZHONGYUAN,
        founded_on=D(2022, 1, 1),
    )
    c.j2.covered_enterprises.set([c.e4, c.e6])
    rebuild()
    return c
