"""The one definition of coverage (associations.coverage), on dates, with joint and dissolved 科协."""

import datetime

import pytest
from django.http import QueryDict

from kexie.core.errors import DomainError
from kexie.coverage.definition import CoverageScope, covered_q, parse_scope
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


def test_scope_parsing_round_trip_and_refusals():

    scope = parse_scope(
        QueryDict("is_high_tech=1&ownership=private,foreign&industry=c&st_workers_min=10&region=410000"),
        ignore={"region"},
    )
    assert scope == CoverageScope(
        is_high_tech=True, ownership=("foreign", "private"), industry=("C",), st_workers_min=10
    )
    assert parse_scope(QueryDict("&".join(f"{k}={v}" for k, v in scope.as_params().items()))) == scope
    assert parse_scope(QueryDict("")).is_everything
    for query, field in [
        ("colour=red", "colour"),
        ("is_high_tech=maybe", "is_high_tech"),
        ("ownership=martian", "ownership"),
        ("industry=Z", "industry"),
        ("st_workers_min=-3", "st_workers_min"),
        ("st_workers_min=2.5", "st_workers_min"),
    ]:
        with pytest.raises(DomainError) as err:
            parse_scope(QueryDict(query))
        assert err.value.field == field


@pytest.mark.django_db
def test_scope_filters_enterprises():

    a = EnterpriseFactory(is_high_tech=True, ownership="private", industry="C", st_workers=50)
    EnterpriseFactory(is_high_tech=False, ownership="private", industry="C", st_workers=50)
    EnterpriseFactory(is_high_tech=True, ownership="central", industry="C", st_workers=50)
    EnterpriseFactory(is_high_tech=True, ownership="private", industry="C", st_workers=5)
    scope = CoverageScope(is_high_tech=True, ownership=("private",), industry=("C",), st_workers_min=10)
    assert list(Enterprise.objects.filter(scope.q())) == [a]
