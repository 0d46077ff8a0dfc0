"""`kexie demo`: deterministic, idempotent demo data, and the national bulk load on a small sample."""

import random
from collections import Counter
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from kexie.accounts.models import RoleAssignment, User
from kexie.associations.enums import Kind, Status
from kexie.associations.models import Association
from kexie.core.models import AuditEntry
from kexie.demo import codes, generate, names, national
from kexie.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from kexie.demo.models import DemoBatch
from kexie.enterprises.models import Enterprise
from kexie.enterprises.permissions import enterprises_for_user
from kexie.enterprises.validators import (
    CREDIT_CODE_ALPHABET,
    CREDIT_CODE_WEIGHTS,
    is_valid_credit_code,
    make_credit_code,
)
from kexie.founding import checks, routing, selectors
from kexie.founding import services as founding_services
from kexie.founding.enums import State
from kexie.founding.models import ApplicationEvent, FoundingApplication, RoutingRule
from kexie.founding.permissions import founding_applications_for_user
from kexie.members.enums import MembershipStatus, Office
from kexie.members.models import OfficeTerm, Person
from kexie.regions.models import Region

HENAN_PATH = "410000/"


def demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "enterprises": Enterprise.objects.count(),
        "associations": Association.objects.count(),
        "covered": Association.covered_enterprises.through.objects.count(),
        "users": User.objects.count(),
        "roles": RoleAssignment.objects.count(),
        "audit": AuditEntry.objects.count(),
        "applications": FoundingApplication.objects.count(),
        "events": ApplicationEvent.objects.count(),
        "rules": RoutingRule.objects.count(),
        "people": Person.objects.count(),
    }


# --- the generator, without the database ---------------------------------------------------


def test_generator_is_deterministic_with_valid_unique_codes_and_names():
    rows = generate.province_rows()
    assert rows == generate.province_rows()
    col = generate.COL
    assert 5_000 <= len(rows) <= 5_100
    assert len({r[col["name"]] for r in rows}) == len(rows)
    assert len({r[col["credit_code"]] for r in rows}) == len(rows)
    assert all(is_valid_credit_code(r[col["credit_code"]]) for r in rows)
    for r in rows:
        code = r[col["credit_code"]]
        assert code[:2] == "91" and code[2:8] == r[col["region_id"]]
        assert 0 <= r[col["st_workers"]] <= r[col["employees"]]


def test_generated_distributions_are_plausible():
    rows = generate.province_rows()
    col = generate.COL
    n = len(rows)

    def share(field):
        return sum(1 for r in rows if r[col[field]]) / n

    assert 0.20 <= share("is_high_tech") <= 0.30
    assert 0.30 <= share("is_above_scale") <= 0.40
    assert 0.05 <= share("is_specialized") <= 0.11
    assert 0 < share("is_unicorn") < 0.005
    assert 0 < share("is_leading_private") < 0.01
    ownership = Counter(r[col["ownership"]] for r in rows)
    assert ownership.most_common(1)[0][0] == "private" and ownership["private"] / n > 0.8
    assert {"provincial", "municipal", "resident_central", "foreign", "other"} <= set(ownership)
    industry = Counter(r[col["industry"]] for r in rows)
    assert (industry["C"] + industry["I"] + industry["M"]) / n > 0.7
    # Size and flags go together: 规上 enterprises are bigger than the others on average.
    above = [r[col["employees"]] for r in rows if r[col["is_above_scale"]]]
    below = [r[col["employees"]] for r in rows if not r[col["is_above_scale"]]]
    assert sum(above) / len(above) > 5 * sum(below) / len(below)


def test_province_plan_covers_every_henan_county_and_three_other_provinces():
    plan = generate.province_plan()
    henan = [c for c, _ in plan if c.province_code == generate.HENAN]
    assert len(henan) == 157 and "419001" in {c.code for c in henan}  # 济源, directly under the province
    assert all(n >= 5 for _, n in plan)
    assert sum(n for c, n in plan if c.province_code == generate.HENAN) == generate.PROVINCE_TOTAL
    assert len({c.province_code for c, _ in plan} - {generate.HENAN}) == 3


def test_credit_code_tables_agree_with_the_validator_for_every_entry():
    for g, (strings, sums) in enumerate(codes.group_tables()):
        weights = CREDIT_CODE_WEIGHTS[8 + 3 * g : 11 + 3 * g]
        assert len(strings) == 31**3
        for s, total in zip(strings, sums, strict=True):
            assert (
                total == sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(s, weights, strict=True)) % 31
            )
    rng = random.Random(7)
    serials = [0, 1, codes.ORG_SPACE - 1, *(rng.randrange(codes.ORG_SPACE) for _ in range(5_000))]
    for county in generate.counties():
        serial = serials[int(county.code) % len(serials)]
        code = codes.credit_code(county.code, serial)
        assert code == make_credit_code(code[:17]) and is_valid_credit_code(code)
    for serial in serials:
        code = codes.credit_code("410102", serial)
        assert code == make_credit_code(code[:17])


def test_distinct_serials_give_distinct_codes():
    produced = {codes.credit_code("410102", s) for s in range(20_000)}
    assert len(produced) == 20_000


@pytest.mark.parametrize(
    ("full", "short"),
    [
        ("中原区", "中原"),
        ("管城回族区", "管城"),
        ("巩义市", "巩义"),
        ("杞县", "杞县"),
        ("济源市", "济源"),
        ("青龙满族自治县", "青龙"),
        ("东乡族自治县", "东乡"),
        ("巴里坤哈萨克自治县", "巴里坤"),
        ("积石山保安族东乡族撒拉族自治县", "积石山"),
    ],
)
def test_county_short_names(full, short):
    assert names.county_short_name(full) == short


def test_city_and_province_short_names():
    assert names.city_short_name("郑州市") == "郑州"
    assert names.city_short_name("恩施土家族苗族自治州") == "恩施"
    assert names.city_short_name("伊犁哈萨克自治州") == "伊犁"
    assert names.province_short_name("广西壮族自治区") == "广西"
    assert names.province_short_name("河南省") == "河南"


def test_national_generator_sample_is_unique_and_spread_over_every_county():
    seen_names, seen_codes, regions = set(), set(), set()
    total = 0
    for county, rows in generate.national_rows(20_000):
        regions.add(county.code)
        for r in rows:
            seen_names.add(r[0])
            seen_codes.add(r[1])
            total += 1
    assert total == 20_000
    assert len(seen_names) == len(seen_codes) == total
    assert len(regions) == len(generate.counties()) == 2_845
    province = generate.province_rows()
    assert not seen_codes & {r[1] for r in province}
    assert not seen_names & {r[0] for r in province}


# --- the province demo in the database ------------------------------------------------------


@pytest.mark.django_db
def test_province_demo_creates_henan_enterprises_as_generated():
    out = demo()
    expected = generate.province_rows()
    assert Enterprise.objects.count() == len(expected)
    stored = list(Enterprise.objects.order_by("id").values_list("name", "credit_code")[:50])
    assert stored == [(r[0], r[1]) for r in expected[:50]]

    codes_ = list(Enterprise.objects.values_list("credit_code", flat=True))
    assert all(is_valid_credit_code(c) for c in codes_)
    assert len(set(codes_)) == len(codes_)
    assert Enterprise.objects.values("name").distinct().count() == len(codes_)
    assert not Enterprise.objects.exclude(region__level=Region.Level.COUNTY).exists()

    henan_counties = set(
        Region.objects.filter(level=Region.Level.COUNTY, path__startswith=HENAN_PATH).values_list(
            "code", flat=True
        )
    )
    with_enterprises = set(
        Enterprise.objects.filter(region__path__startswith=HENAN_PATH).values_list("region_id", flat=True)
    )
    assert with_enterprises == henan_counties and "419001" in henan_counties
    assert 4_900 <= Enterprise.objects.filter(region__path__startswith=HENAN_PATH).count() <= 5_100
    elsewhere = Enterprise.objects.exclude(region__path__startswith=HENAN_PATH)
    assert len({code[:2] for code in elsewhere.values_list("region_id", flat=True)}) >= 2

    for account in DEMO_ACCOUNTS:
        assert account.username in out
    assert DEMO_PASSWORD in out


@pytest.mark.django_db
def test_province_demo_builds_the_organisation_tree():
    demo()
    # The 科协 of the demo founding applications are checked in the founding tests below.
    enterprise_assocs = Association.objects.filter(
        kind=Kind.ENTERPRISE, founding_application__isnull=True
    ).select_related("parent", "enterprise")
    assert enterprise_assocs.count() == 400
    assert {a.status for a in enterprise_assocs} == {Status.ACTIVE}
    years = {a.founded_on.year for a in enterprise_assocs}
    assert min(years) == 2015 and max(years) == 2026
    for a in enterprise_assocs:
        assert a.parent.kind == Kind.LOCAL
        assert a.region_id == a.enterprise.region_id
        routed = (
            a.enterprise.ownership in ("provincial", "resident_central") or a.enterprise.is_leading_private
        )
        if a.region.path.startswith(HENAN_PATH) and routed:
            assert a.parent.region_id == "410000"
        else:
            assert a.parent.region_id == a.region_id
    assert Association.objects.filter(kind=Kind.ENTERPRISE, parent__region_id="410000").exists()

    subunits = Association.objects.filter(kind=Kind.SUBUNIT).select_related("parent")
    assert subunits.exists() and all(s.parent.kind == Kind.ENTERPRISE for s in subunits)

    joints = Association.objects.filter(kind=Kind.JOINT)
    assert joints.count() == 10
    assert {j.joint_kind for j in joints} == {"park", "regional", "industry"}
    for joint in joints:
        covered = list(joint.covered_enterprises.all())
        assert 5 <= len(covered) <= 20
        assert {e.region_id for e in covered} == {joint.region_id}
        assert all(e.employees < 300 for e in covered)

    federations = {
        a.name: a for a in Association.objects.filter(kind=Kind.FEDERATION).select_related("parent")
    }
    assert federations["郑州市企业科协联合会"].parent.region_id == "410100"
    assert federations["洛阳市企业科技创新促进会"].parent.region_id == "410300"


@pytest.mark.django_db
def test_demo_users_have_their_roles_and_log_in_with_the_demo_password(client):
    demo()
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert user.display_name == account.display_name and len(user.phone) == 11
        assignment = RoleAssignment.objects.select_related("association", "region").get(user=user)
        assert assignment.role == account.role
        if account.region:
            assert assignment.region_id == account.region
        if account.at_local:
            assert assignment.association.kind == Kind.LOCAL
            assert assignment.association.region_id == account.region
        if account.at_home_association or account.founding:
            assert assignment.association.kind == Kind.ENTERPRISE
            assert assignment.association.region_id == generate.ZHONGYUAN
        response = client.post(
            reverse("accounts:login"), {"username": account.username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, account.username
        assert client.session["_auth_user_id"] == str(user.pk)
        client.logout()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert not User.objects.get(username="henan").is_superuser

    # The roles reach what they should.
    zhongyuan = User.objects.get(username="zhongyuan")
    assert set(enterprises_for_user(zhongyuan).values_list("region_id", flat=True)) == {generate.ZHONGYUAN}
    secretary = User.objects.get(username="secretary")
    home = RoleAssignment.objects.get(user=secretary).association
    assert list(enterprises_for_user(secretary)) == [home.enterprise]
    sasac = User.objects.get(username="sasac")
    assert set(enterprises_for_user(sasac).values_list("ownership", flat=True)) <= {
        "central",
        "resident_central",
        "provincial",
        "municipal",
    }
    assert enterprises_for_user(sasac).exists()


@pytest.mark.django_db
def test_province_demo_leaves_a_history():
    demo()
    updates = AuditEntry.objects.filter(
        action="update", content_type=ContentType.objects.get_for_model(Enterprise)
    )
    assert set(updates.values_list("actor__username", flat=True)) == {"zhongyuan", "secretary", "zhengzhou"}
    assert AuditEntry.objects.filter(
        action="create", actor__username="zhongyuan", object_repr__contains="科学技术协会"
    ).exists()
    phone_change = updates.get(actor__username="zhongyuan").changes["contact_phone"]
    assert "13803710006" not in phone_change  # personal data is masked in the log


@pytest.mark.django_db
def test_second_run_changes_nothing_and_says_so():
    demo()
    before = counts()
    out = demo()
    assert counts() == before
    assert "未作任何更改" in out


# --- the founding procedure in the province demo ---------------------------------------------------


def demo_application(contact: str) -> FoundingApplication:
    return FoundingApplication.objects.select_related(
        "association", "enterprise__region", "approver__region", "created_by"
    ).get(association__in=RoleAssignment.objects.filter(user__username=contact).values("association"))


@pytest.mark.django_db
def test_province_demo_configures_henans_routing_rules():
    demo()
    rules = RoutingRule.objects.filter(province_id="410000", active=True)
    assert sorted(rules.values_list("reason", flat=True)) == sorted(r["reason"] for r in routing.HENAN_RULES)
    assert set(rules.values_list("target_level", flat=True)) == {"province"}
    created = AuditEntry.objects.filter(
        action="create", content_type=ContentType.objects.get_for_model(RoutingRule)
    )
    assert set(created.values_list("actor__username", flat=True)) == {"henan"}


@pytest.mark.django_db
def test_province_demo_has_a_founding_application_at_each_stage(client):
    out = demo()
    zhongyuan = User.objects.get(username="zhongyuan")

    draft = demo_application("founder")
    assert draft.state == State.DRAFT and draft.created_by == zhongyuan
    enterprise = draft.enterprise
    assert enterprise.region_id == generate.ZHONGYUAN and enterprise.ownership == "private"
    assert enterprise.is_high_tech
    assert list(Association.objects.filter(enterprise=enterprise)) == [draft.association]  # no other 科协
    assert draft.association.status == Status.PREPARING
    assert draft.contact_name == "宋建军" and draft.group_members.count() == 3
    assert draft.association.memberships.count() == 3 and draft.candidacies.count() == 1
    problems = "".join(checks.submission_problems(draft))  # partly filled: what is missing is named
    assert "同意文件" in problems and "秘书长候选人" in problems and "筹备工作报告" in problems

    submitted = demo_application("founder2")
    assert submitted.state == State.SUBMITTED and submitted.approver.region_id == generate.ZHONGYUAN
    assert submitted in [w.application for w in selectors.review_queue(zhongyuan)]
    assert "默认由企业注册地所在县" in submitted.route_reason

    approved = demo_application("founder3")
    assert approved.state == State.APPROVED
    assert approved.enterprise.ownership == "resident_central"
    assert approved.approver.region_id == "410000" and "驻地央企由省科协审批" in approved.route_reason
    assert approved.approval_number.startswith("河南科协函〔") and approved.approval_number.endswith("〕1号")
    assert approved.approval_date < timezone.localdate()
    assert not selectors.review_queue(zhongyuan)[1:]  # only founder2's waits there

    filed = demo_application("founder4")
    assert filed.state == State.FILED and filed.association.status == Status.ACTIVE
    assert filed.approval_number == f"中原科协函〔{filed.approval_date.year}〕1号"
    assert list(filed.events.values_list("to_state", flat=True)) == [
        "submitted",
        "returned",
        "submitted",
        "approved",
        "congress_held",
        "filing",
        "filed",
    ]
    assert filed.association.founded_on == filed.congress.held_on > filed.approval_date
    chair = OfficeTerm.objects.get(membership__association=filed.association, office=Office.CHAIR)
    assert chair.membership.person.name == "魏长青"
    assert filed.association.memberships.filter(status=MembershipStatus.APPROVED).count() == 6

    # The 郑州 工商联 acknowledged the private enterprise's filing: its inbox has history.
    acfic = User.objects.get(username="acfic")
    inbox = list(selectors.filing_inbox(acfic))
    assert [f.application_id for f in inbox] == [filed.pk]
    assert inbox[0].recipient == "acfic" and inbox[0].acknowledged_by == acfic
    assert not selectors.filing_inbox(User.objects.get(username="sasac")).exists()

    # Each contact logs in and sees their own application, not the others'.
    for contact, application in (("founder", draft), ("founder2", submitted), ("founder3", approved)):
        user = User.objects.get(username=contact)
        assert list(founding_applications_for_user(user)) == [application]
        response = client.post(reverse("accounts:login"), {"username": contact, "password": DEMO_PASSWORD})
        assert response.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)
        client.logout()
    for contact in ("founder", "founder2", "founder3", "founder4"):
        assert contact in out
    assert f"{draft.association.name}（筹备中，材料未齐）" in out


@pytest.mark.django_db
def test_second_run_opens_no_second_application():
    demo()
    states = dict(FoundingApplication.objects.values_list("association__name", "state"))
    demo()
    assert dict(FoundingApplication.objects.values_list("association__name", "state")) == states
    assert sorted(states.values()) == sorted(["draft", "submitted", "approved", "filed"])


# --- the national scale on a small sample --------------------------------------------------


@pytest.mark.django_db
def test_national_sample_loads_every_county_and_is_rerunnable():
    demo("--scale", "national", "--enterprises", "20000")
    province = len(generate.province_rows())
    assert Enterprise.objects.count() == province + 20_000
    batch = DemoBatch.objects.get(scale="national")
    assert batch.enterprises == 20_000
    assert batch.last_enterprise_id - batch.first_enterprise_id + 1 == 20_000

    national_qs = Enterprise.objects.filter(id__gte=batch.first_enterprise_id)
    assert national_qs.values("region_id").distinct().count() == 2_845
    stored = list(national_qs.order_by("id").values_list("name", "credit_code")[:50])
    expected = [(r[0], r[1]) for _, rows in generate.national_rows(20_000) for r in rows]
    assert stored == expected[:50]
    codes_ = list(Enterprise.objects.values_list("credit_code", flat=True))
    assert all(is_valid_credit_code(c) for c in codes_)
    assert Enterprise.objects.values("name").distinct().count() == len(codes_)

    national_assocs = Association.objects.filter(id__gte=batch.first_association_id)
    assert national_assocs.count() == batch.associations
    share = national_assocs.filter(kind=Kind.ENTERPRISE).count() / 20_000
    assert 0.035 <= share <= 0.06
    joints = national_assocs.filter(kind=Kind.JOINT)
    assert joints.exists()
    through = Association.covered_enterprises.through
    per_joint = Counter(
        through.objects.filter(association__in=joints).values_list("association_id", flat=True)
    )
    assert per_joint and all(5 <= n <= 20 for n in per_joint.values())
    assert not national_assocs.filter(kind=Kind.SUBUNIT).exclude(parent__kind=Kind.ENTERPRISE).exists()
    # New rows after the explicit ids get fresh ones from the sequence.
    fresh = Enterprise.objects.create(
        name="序列检查有限公司", credit_code=make_credit_code("91410102MA0000000"), region_id="410102"
    )
    assert fresh.pk > batch.last_enterprise_id
    fresh.delete()

    before = counts()
    out = demo("--scale", "national", "--enterprises", "20000")
    assert "全国规模演示数据已存在" in out and counts() == before

    demo("--scale", "national", "--enterprises", "20000", "--reset")
    assert counts() == before
    assert DemoBatch.objects.count() == 1
    again = DemoBatch.objects.get()
    reloaded = Enterprise.objects.filter(id__gte=again.first_enterprise_id).order_by("id")
    assert list(reloaded.values_list("name", "credit_code")[:50]) == stored


@pytest.mark.django_db
def test_bulk_mode_puts_back_every_index_and_foreign_key(monkeypatch):
    table = Enterprise._meta.db_table

    def constraints():
        with connection.cursor() as cursor:
            found = connection.introspection.get_constraints(cursor, table)
        return {name: (c["columns"], c["unique"], c["foreign_key"], c["index"]) for name, c in found.items()}

    demo()
    before = constraints()
    monkeypatch.setattr(national, "BULK_MODE_FROM", 0)
    out = demo("--scale", "national", "--enterprises", "3000")
    assert "重建索引" in out
    assert constraints() == before
    assert Enterprise.objects.filter(region__level=Region.Level.COUNTY).count() == Enterprise.objects.count()


@pytest.mark.django_db
def test_province_options_are_rejected():

    with pytest.raises(CommandError):
        demo("--enterprises", "10")


@pytest.mark.django_db
def test_demo_enterprise_user_can_start_founding_of_own_enterprise():

    call_command("demo", verbosity=0)
    qiye = User.objects.get(username="qiye")
    enterprise = qiye.roles.get(role="enterprise_user").enterprise
    assert enterprise.region_id == "410102" and not enterprise.associations.exists()
    application = founding_services.open_application(
        by=qiye, enterprise_id=enterprise.pk, contact_username=""
    )
    assert application.association.enterprise == enterprise
