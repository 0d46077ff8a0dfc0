"""Document numbers (文号): one sequence per issuing 科协 and year, the issuer's pattern, short names,
and no gaps or duplicates when reviewers approve at the same moment."""

import datetime
import re
import threading

import pytest
from django.core.management import call_command
from django.db import connection

from kexie.accounts.enums import Role
from kexie.accounts.models import User
from kexie.core.errors import DomainError
from kexie.founding import numbering, services
from kexie.founding.enums import Action, State
from kexie.founding.models import ApplicationEvent, FoundingApplication, NumberSequence
from kexie.regions.models import Region

from ..factories import JINSHUI, ZHONGYUAN, EnterpriseFactory, UserFactory, grant, local
from .conftest import complete_dossier

NUMBER = re.compile(r"〔(\d{4})〕(\d+)号$")


@pytest.fixture(scope="module", autouse=True)
def _regions_around_transactional_tests(django_db_blocker):
    """The concurrency tests commit for real and end with a flush of every table: make sure the
    regions are there before this module, and put them back for the modules that run after it."""
    with django_db_blocker.unblock():
        if not Region.objects.exists():
            call_command("load_regions", verbosity=0)
    yield
    with django_db_blocker.unblock():
        call_command("load_regions", verbosity=0)


def submitted(by_staff, founder, *, region=ZHONGYUAN, name=None) -> FoundingApplication:
    enterprise = EnterpriseFactory(region_id=region, is_high_tech=True, **({"name": name} if name else {}))
    application = services.open_application(
        by=by_staff, enterprise_id=enterprise.pk, contact_username=founder.username
    )
    founder = fresh(founder)  # the scope cached on the instance predates the new secretary role
    complete_dossier(application, founder)
    services.submit(application.pk, by=founder)
    application.refresh_from_db()
    return application


def sequence_number(application: FoundingApplication) -> tuple[int, int]:
    application.refresh_from_db()
    match = NUMBER.search(application.approval_number)
    assert match, application.approval_number
    return int(match.group(1)), int(match.group(2))


# --- sequences and patterns --------------------------------------------------------------------


def test_each_issuer_counts_from_one_and_a_new_year_starts_again(world, founder):
    on = datetime.date(2026, 3, 2)
    a1 = submitted(world.county_staff, founder)
    a2 = submitted(world.county_staff, founder)
    b1 = submitted(world.other_staff, founder, region=JINSHUI)
    a3 = submitted(world.county_staff, founder)
    assert b1.approver == local(JINSHUI) and a1.approver == local(ZHONGYUAN)

    services.approve(a1.pk, by=world.county_staff, on=on)
    services.approve(b1.pk, by=world.other_staff, on=on)
    services.approve(a2.pk, by=world.county_staff, on=on)
    services.approve(a3.pk, by=world.county_staff, on=datetime.date(2027, 1, 4))

    assert sequence_number(a1) == (2026, 1)
    assert sequence_number(a2) == (2026, 2)
    assert sequence_number(b1) == (2026, 1)  # another issuer: its own sequence
    assert sequence_number(a3) == (2027, 1)  # a new year: from 1 again
    assert a1.approval_number == "中原科协函〔2026〕1号"
    assert b1.approval_number == "金水科协函〔2026〕1号"
    assert a1.approval_date == on and a3.approval_date == datetime.date(2027, 1, 4)
    sequences = {
        (s.issuer.region_id, s.year): s.last for s in NumberSequence.objects.select_related("issuer")
    }
    assert sequences == {(ZHONGYUAN, 2026): 2, (JINSHUI, 2026): 1, (ZHONGYUAN, 2027): 1}


def test_the_issuers_pattern_is_used(world, founder):
    issuer = local(ZHONGYUAN)
    issuer.document_number_pattern = "{prefix}〔{year}〕第{number}号"
    issuer.save()
    application = submitted(world.county_staff, founder)
    services.approve(application.pk, by=world.county_staff, on=datetime.date(2026, 5, 6))
    application.refresh_from_db()
    assert application.approval_number == "中原科协函〔2026〕第1号"

    issuer.document_number_pattern = "中原区科协发[{year}]{number:03d}号"
    issuer.save()
    second = submitted(world.county_staff, founder)
    services.approve(second.pk, by=world.county_staff, on=datetime.date(2026, 5, 7))
    second.refresh_from_db()
    assert second.approval_number == "中原区科协发[2026]002号"


@pytest.mark.parametrize(
    "pattern",
    [
        "{prefix}〔{year}〕{serial}号",
        "{prefix}〔{year}〕号",
        "{prefix}〔{year}〕{number",
        "{0}{number}",
        "{year.month}{number}",
    ],
)
def test_a_broken_pattern_refuses_the_approval_and_takes_no_number(world, founder, pattern):
    issuer = local(ZHONGYUAN)
    issuer.document_number_pattern = pattern
    issuer.save()
    application = submitted(world.county_staff, founder)
    with pytest.raises(DomainError) as err:
        services.approve(application.pk, by=world.county_staff)
    assert err.value.field == "document_number_pattern" and pattern in err.value.message
    application.refresh_from_db()
    assert application.state == State.SUBMITTED and application.approval_number == ""
    assert not NumberSequence.objects.filter(last__gt=0).exists()


@pytest.mark.parametrize(
    ("region", "short"),
    [
        ("河南省", "河南"),
        ("郑州市", "郑州"),
        ("中原区", "中原"),
        ("新疆维吾尔自治区", "新疆"),
        ("广西壮族自治区", "广西"),
        ("济源市", "济源"),
        ("杞县", "杞县"),  # one character left would not be a name
        ("北京市", "北京"),
    ],
)
def test_short_names(region, short):
    assert numbering.short_name(region) == short


def test_prefix_comes_from_the_issuers_region(db):
    assert numbering.format_number(local("650000"), 2026, 3) == "新疆科协函〔2026〕3号"
    assert numbering.format_number(local("419001"), 2026, 12) == "济源科协函〔2026〕12号"
    assert numbering.format_number(local("410000"), 2027, 1) == "河南科协函〔2027〕1号"


# --- concurrency -----------------------------------------------------------------------------------

APPROVALS = 8

# SQLite in production is a WAL file where IMMEDIATE transactions queue for the write lock (busy
# timeout 20 s). The SQLite *test* database is an in-memory database with a shared cache, whose
# table locks fail at once with "database table is locked" instead of waiting, so it cannot model
# concurrent writers: these tests run on PostgreSQL (`DATABASE_URL=postgres://…`).
concurrent = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite test database is in memory with a shared cache: its table locks fail at once "
    "instead of waiting, so concurrent writers are tested on PostgreSQL only",
)


def _run_together(jobs):
    """Run each job in its own thread and database connection, all released at the same moment.
    Returns what each job returned or raised, in order."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = job()
        except Exception as exc:  # noqa: BLE001 - reported to the test
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return outcomes


def fresh(user):
    return User.objects.get(pk=user.pk)


def _reviewer(username):
    """A fresh user object per thread (the scope is cached on the instance)."""
    return User.objects.get(username=username)


@concurrent
@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_of_one_issuer_get_one_to_n_without_gaps(regions, world, founder):
    applications = [
        submitted(world.county_staff, founder, name=f"郑州并发审批科技有限公司{i}") for i in range(APPROVALS)
    ]
    on = datetime.date(2026, 6, 1)

    def approve(pk):
        return lambda: services.approve(pk, by=_reviewer("zhongyuan_staff"), on=on)

    outcomes = _run_together([approve(a.pk) for a in applications])
    failures = [o for o in outcomes if isinstance(o, Exception)]
    assert not failures, failures

    numbers = sorted(sequence_number(a)[1] for a in applications)
    assert numbers == list(range(1, APPROVALS + 1))
    assert NumberSequence.objects.get(issuer=local(ZHONGYUAN), year=2026).last == APPROVALS
    assert FoundingApplication.objects.filter(state=State.APPROVED).count() == APPROVALS


@concurrent
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_approving_the_same_application_give_one_approval(regions, world, founder):
    second = UserFactory(username="zhongyuan_staff_2")
    grant(second, Role.STAFF_REVIEWER, association=local(ZHONGYUAN))
    application = submitted(world.county_staff, founder)

    outcomes = _run_together(
        [
            lambda: services.approve(application.pk, by=_reviewer("zhongyuan_staff")),
            lambda: services.approve(application.pk, by=_reviewer("zhongyuan_staff_2")),
        ]
    )
    approved = [o for o in outcomes if isinstance(o, FoundingApplication)]
    refused = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(approved) == 1 and len(refused) == 1, outcomes
    assert "不能执行" in refused[0].message and "已批复" in refused[0].message

    application.refresh_from_db()
    assert application.state == State.APPROVED
    assert sequence_number(application)[1] == 1
    assert NumberSequence.objects.get(issuer=local(ZHONGYUAN)).last == 1  # the refused one took no number
    assert ApplicationEvent.objects.filter(application=application, action=Action.APPROVE).count() == 1
