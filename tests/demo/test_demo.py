"""`kexie demo`: deterministic, idempotent demo data, and the national bulk load on a small sample."""

import random
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from kexie.accounts import scoping
from kexie.accounts.models import RoleAssignment, User
from kexie.associations.enums import Kind, Status
from kexie.associations.models import Association
from kexie.core.models import AuditEntry
from kexie.demo import codes, generate, names, national
from kexie.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from kexie.demo.models import DemoBatch
from kexie.enterprises.models import Enterprise
from kexie.enterprises.validators import (
    CREDIT_CODE_ALPHABET,
    CREDIT_CODE_WEIGHTS,
    is_valid_credit_code,
    make_credit_code,
)
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
    enterprise_assocs = Association.objects.filter(kind=Kind.ENTERPRISE).select_related(
        "parent", "enterprise"
    )
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
        if account.at_home_association:
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
    assert set(scoping.enterprises(zhongyuan).values_list("region_id", flat=True)) == {generate.ZHONGYUAN}
    secretary = User.objects.get(username="secretary")
    home = RoleAssignment.objects.get(user=secretary).association
    assert list(scoping.enterprises(secretary)) == [home.enterprise]
    sasac = User.objects.get(username="sasac")
    assert set(scoping.enterprises(sasac).values_list("ownership", flat=True)) <= {
        "central",
        "resident_central",
        "provincial",
        "municipal",
    }
    assert scoping.enterprises(sasac).exists()


@pytest.mark.django_db
def test_province_demo_leaves_a_history():
    demo()
    updates = AuditEntry.objects.filter(action="update")
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
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        demo("--enterprises", "10")
