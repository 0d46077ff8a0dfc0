"""Coverage listens to the writes instead of being called by them: a write only notes the counties it
touched (``PendingCounty``, in its own transaction, no lock); the next read counts them again, so
what a user sees always equals a recount from the rows — also with many writers at once."""

import datetime
import threading

import pytest
from django.db import OperationalError, connection, transaction

from kexie.accounts.models import User
from kexie.associations import services as association_services
from kexie.associations.enums import Kind, Status
from kexie.associations.models import Association
from kexie.coverage import selectors
from kexie.coverage.definition import CoverageScope
from kexie.coverage.models import CoverageCell, CoverageState, PendingCounty
from kexie.coverage.services import ensure_current, rebuild, recount
from kexie.enterprises import services as enterprise_services
from kexie.enterprises.models import Enterprise
from kexie.regions.models import Region

from ..factories import JINSHUI, ZHONGYUAN, EnterpriseFactory, credit_code_for
from ..founding.test_numbering import _run_together, concurrent

D = datetime.date


def _new_enterprise(by, number: int, county: str) -> Enterprise:
    return enterprise_services.create_enterprise(
        by=by,
        data={
            "name": f"覆盖监听测试{number}有限公司",
            "credit_code": credit_code_for(number, county),
            "region": county,
            "ownership": "private",
        },
    )


def test_a_write_notes_its_county_and_the_next_read_counts_it(cov):
    staff = User.objects.get(pk=cov.world.county_staff.pk)
    cells_before = list(CoverageCell.objects.filter(county_id=ZHONGYUAN).values_list("in_scope", flat=True))
    _new_enterprise(staff, 71001, ZHONGYUAN)
    # The write counted nothing: it left a note for coverage.
    assert list(PendingCounty.objects.values_list("county", flat=True)) == [ZHONGYUAN]
    assert (
        list(CoverageCell.objects.filter(county_id=ZHONGYUAN).values_list("in_scope", flat=True))
        == cells_before
    )
    # What anyone reads counts it first.
    figures = selectors.coverage(staff, Region.objects.get(code=ZHONGYUAN), CoverageScope())
    assert figures.total.in_scope == 8 and figures.total.covered == 3
    assert not PendingCounty.objects.exists()
    assert recount() == []


def test_an_enterprise_that_moves_notes_both_counties(cov):
    admin = User.objects.get(pk=cov.world.admin.pk)
    enterprise_services.update_enterprise(cov.e1.pk, by=admin, data={"region": JINSHUI})
    assert set(PendingCounty.objects.values_list("county", flat=True)) == {ZHONGYUAN, JINSHUI}
    assert recount() == []  # recount reads after bringing the tables up to date


def test_a_status_change_is_announced_to_coverage(cov):
    admin = User.objects.get(pk=cov.world.admin.pk)
    association_services.set_association_status(cov.a5, Status.ACTIVE, by=admin, on=D(2026, 1, 5))
    assert list(PendingCounty.objects.values_list("county", flat=True)) == [ZHONGYUAN]
    ensure_current()
    assert not PendingCounty.objects.exists() and recount() == []


def test_a_rebuild_answers_the_changes_noted_before_it(cov):
    staff = User.objects.get(pk=cov.world.county_staff.pk)
    _new_enterprise(staff, 71002, ZHONGYUAN)
    rebuild()
    assert not PendingCounty.objects.exists() and recount() == []


def _counties(n: int) -> list[str]:
    """``n`` counties of 河南 other than the fixture's two, each with no enterprise yet."""
    return list(
        Region.objects.filter(level=Region.Level.COUNTY, path__startswith="410000/")
        .exclude(code__in=[ZHONGYUAN, JINSHUI])
        .order_by("code")
        .values_list("code", flat=True)[:n]
    )


@concurrent
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("regions")
def test_many_writers_in_many_counties_at_once_leave_exact_figures(world):
    """Six writers at the same moment, each in its own county and connection: one creates
    enterprises, one flags them, one moves one away, one founds a 科协, one dissolves one, one
    abandons one being founded. None waits on the others' figures; afterwards the figures read equal
    a recount from the rows."""
    admin = User.objects.get(pk=world.admin.pk)
    counties = _counties(6)
    seeded = {}
    for i, county in enumerate(counties):
        seeded[county] = [EnterpriseFactory(region_id=county) for _ in range(3)]
        seeded[county].append(
            Association.objects.create(
                kind=Kind.ENTERPRISE,
                name=f"并发测试{i}科学技术协会",
                region_id=county,
                parent=Association.objects.get(kind=Kind.LOCAL, region_id=county),
                enterprise=seeded[county][0],
                status=Status.ACTIVE if i == 4 else Status.PREPARING,
                founded_on=D(2020, 1, 1) if i == 4 else None,
            )
        )
    rebuild()

    def creates():
        for n in range(5):
            _new_enterprise(User.objects.get(pk=admin.pk), 72000 + n, counties[0])

    def flags():
        for enterprise in seeded[counties[1]][:3]:
            enterprise_services.update_enterprise(
                enterprise.pk, by=User.objects.get(pk=admin.pk), data={"is_high_tech": True}
            )

    def moves():
        enterprise_services.update_enterprise(
            seeded[counties[2]][1].pk, by=User.objects.get(pk=admin.pk), data={"region": counties[5]}
        )

    def founds():
        with transaction.atomic():
            association = Association.objects.select_for_update().get(pk=seeded[counties[3]][3].pk)
            association_services.set_association_status(
                association, Status.ACTIVE, by=User.objects.get(pk=admin.pk), on=D(2026, 1, 5)
            )

    def dissolves():
        with transaction.atomic():
            association = Association.objects.select_for_update().get(pk=seeded[counties[4]][3].pk)
            association_services.set_association_status(
                association, Status.DISSOLVED, by=User.objects.get(pk=admin.pk), on=D(2026, 1, 5)
            )

    def abandons():
        with transaction.atomic():
            association = Association.objects.select_for_update().get(pk=seeded[counties[5]][3].pk)
            association_services.set_association_status(
                association, Status.ABANDONED, by=User.objects.get(pk=admin.pk)
            )

    outcomes = _run_together([creates, flags, moves, founds, dissolves, abandons])
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert set(PendingCounty.objects.values_list("county", flat=True)) == set(counties)
    assert recount() == []
    assert not PendingCounty.objects.exists()
    henan = selectors.coverage(admin, Region.objects.get(code="410000"), CoverageScope())
    assert henan.total.in_scope == Enterprise.objects.filter(region__path__startswith="410000/").count()


@concurrent
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("regions")
def test_a_write_never_waits_while_the_figures_are_being_counted(world):
    """While a reader holds the tables' lock (counting the figures again), a write elsewhere goes
    through at once: it only adds its note. (Before coverage listened, every write took that lock.)"""
    rebuild()
    holding, release = threading.Event(), threading.Event()

    def counting():
        try:
            with transaction.atomic():
                CoverageState.objects.select_for_update().get()
                holding.set()
                release.wait(30)
        finally:
            connection.close()

    reader = threading.Thread(target=counting)
    reader.start()
    assert holding.wait(10)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            _new_enterprise(User.objects.get(pk=world.county_staff.pk), 73001, ZHONGYUAN)
    except OperationalError as exc:  # the lock timeout: the write waited for the figures
        pytest.fail(f"the write waited for the coverage lock: {exc}")
    finally:
        release.set()
        reader.join(10)
    assert list(PendingCounty.objects.values_list("county", flat=True)) == [ZHONGYUAN]
    assert recount() == []
