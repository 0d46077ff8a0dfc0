import pytest
from django.core.management import call_command
from django.utils import translation

from kexie.accounts.enums import Role
from kexie.regions.models import Region

from .factories import (
    HENAN,
    JINSHUI,
    ZHONGYUAN,
    AssociationFactory,
    EnterpriseFactory,
    UserFactory,
    grant,
    local,
)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database holds the official regions and their local 科协 (loaded once)."""
    with django_db_blocker.unblock():
        call_command("load_regions", verbosity=0)


@pytest.fixture(scope="module")
def _regions_after_module(django_db_blocker):
    """Put the official regions back when a module with transactional tests ends: each of those
    tests ends with a flush of every table, and with ``--dist loadfile`` other modules' tests run
    after it on the same worker."""
    yield
    with django_db_blocker.unblock():
        call_command("load_regions", verbosity=0)


@pytest.fixture
def regions(_regions_after_module, transactional_db):
    """For a transactional test: the official regions (committed), loaded again if an earlier
    transactional test flushed them, and put back after its module."""

    if not Region.objects.exists():
        call_command("load_regions", verbosity=0)


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    # Argon2 is the production hasher (tested separately); tests hash with MD5 for speed.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    """Two jurisdictions and one persona per role (healthchecks-style named users).

    中原区 (410102) holds enterprise A (private) with its 科协 and enterprise S (state-owned);
    金水区 (410105), a sibling county, holds enterprise B with its 科协.
    """

    class World:
        pass

    w = World()
    w.ent_a = EnterpriseFactory(name="郑州中原智能装备有限公司", region_id=ZHONGYUAN)
    w.ent_s = EnterpriseFactory(
        name="河南中原国有控股集团有限公司", region_id=ZHONGYUAN, ownership="provincial"
    )
    w.ent_b = EnterpriseFactory(name="郑州金水信息技术有限公司", region_id=JINSHUI)
    w.assoc_a = AssociationFactory(enterprise=w.ent_a)
    w.assoc_b = AssociationFactory(enterprise=w.ent_b)
    w.admin = UserFactory(username="admin")
    grant(w.admin, Role.PLATFORM_ADMIN)
    w.province_staff = UserFactory(username="henan_staff")
    grant(w.province_staff, Role.STAFF_REVIEWER, association=local(HENAN))
    w.county_staff = UserFactory(username="zhongyuan_staff")
    grant(w.county_staff, Role.STAFF_REVIEWER, association=local(ZHONGYUAN))
    w.county_viewer = UserFactory(username="zhongyuan_viewer")
    grant(w.county_viewer, Role.STAFF_VIEWER, association=local(ZHONGYUAN))
    w.other_staff = UserFactory(username="jinshui_staff")
    grant(w.other_staff, Role.STAFF_REVIEWER, association=local(JINSHUI))
    w.secretary = UserFactory(username="secretary_a")
    grant(w.secretary, Role.SECRETARY, association=w.assoc_a)
    w.member = UserFactory(username="member_a")
    grant(w.member, Role.MEMBER, association=w.assoc_a)
    w.sasac = UserFactory(username="sasac_zhongyuan")
    grant(w.sasac, Role.SASAC_VIEWER, region=ZHONGYUAN)
    w.acfic = UserFactory(username="acfic_zhongyuan")
    grant(w.acfic, Role.ACFIC_VIEWER, region=ZHONGYUAN)
    w.provider = UserFactory(username="provider")
    grant(w.provider, Role.PROVIDER)
    w.nobody = UserFactory(username="nobody")
    return w


@pytest.fixture(autouse=True)
def _reset_language():
    """A request's language stays active in the thread; every test starts in the default one."""

    yield
    translation.deactivate()
