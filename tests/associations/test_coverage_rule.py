"""The one definition of coverage (associations.coverage), on dates, with joint and dissolved 科协."""

import datetime

import pytest

from kexie.associations.coverage import covered_q
from kexie.enterprises.models import Enterprise
from tests.factories import AssociationFactory, EnterpriseFactory

D = datetime.date


@pytest.mark.django_db
def test_covered_on_dates():
    own = EnterpriseFactory()
    AssociationFactory(enterprise=own, founded_on=D(2020, 3, 1))
    gone = EnterpriseFactory()
    AssociationFactory(
        enterprise=gone, founded_on=D(2019, 1, 1), status="dissolved", dissolved_on=D(2022, 6, 1)
    )
    preparing = EnterpriseFactory()
    AssociationFactory(enterprise=preparing, status="preparing", founded_on=None)
    in_park = EnterpriseFactory()
    park = AssociationFactory(kind="joint", joint_kind="park", enterprise=None, founded_on=D(2021, 1, 1))
    park.covered_enterprises.add(in_park)
    legacy = EnterpriseFactory()
    AssociationFactory(enterprise=legacy, founded_on=None)
    bare = EnterpriseFactory()

    def covered(on):
        return set(Enterprise.objects.filter(covered_q(on)).values_list("pk", flat=True))

    assert covered(D(2018, 12, 31)) == {legacy.pk}
    assert covered(D(2020, 3, 1)) == {legacy.pk, gone.pk, own.pk}
    assert covered(D(2021, 1, 1)) == {legacy.pk, gone.pk, own.pk, in_park.pk}
    assert covered(D(2022, 6, 1)) == {legacy.pk, own.pk, in_park.pk}
    assert bare.pk not in covered(D(2026, 1, 1)) and preparing.pk not in covered(D(2026, 1, 1))
