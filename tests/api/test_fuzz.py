"""Whatever JSON a client sends, the API answers with a status it documents, never a 500."""

import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kexie.enterprises.cleaning import FIELDS
from kexie.enterprises.enums import Ownership

from ..factories import JINSHUI, JIYUAN, ZHENGZHOU, ZHONGYUAN, credit_code_for

CJK = re.compile(r"[\u4e00-\u9fff]")
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text including what breaks databases: NUL and lone surrogates.
any_text = st.text(alphabet=st.characters(exclude_categories=()), max_size=30)
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats()
)
json_values = st.recursive(
    scalars | any_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(any_text, inner, max_size=3),
    max_leaves=6,
)
flags = st.booleans() | st.sampled_from(["true", "0", "maybe"])
PLAUSIBLE = {
    "name": st.sampled_from(["郑州测试科技有限公司", "", "  ", "测" * 201]) | st.text(max_size=30),
    "credit_code": st.builds(credit_code_for, st.integers(0, 10**6))
    | st.sampled_from(["91410102MA00000000", "x"]),
    "region": st.sampled_from([ZHONGYUAN, JINSHUI, ZHENGZHOU, JIYUAN, "999999", "41010", "４１０１０２"]),
    "ownership": st.sampled_from([*Ownership.values, *Ownership.labels, "国企"]).map(str),  # labels are lazy
    "industry": st.sampled_from(["C", "c", "C 制造业", "Z", "制造业", ""]),
    "is_high_tech": flags,
    "is_above_scale": flags,
    "is_specialized": flags,
    "is_unicorn": flags,
    "is_leading_private": flags,
    "employees": st.integers(-5, 10**8) | st.sampled_from(["300", "1,000", "abc", 1.5, None]),
    "st_workers": st.integers(-5, 10**8) | st.sampled_from(["30", "", 2.0, None]),
    "address": any_text,
    "contact_name": any_text,
    "contact_phone": st.sampled_from(["13800138000", "+86 138-0013-8000", "12", "abc", ""]),
}
assert set(PLAUSIBLE) == {spec.name for spec in FIELDS}
REQUIRED = [spec.name for spec in FIELDS if spec.required]
OPTIONAL = {name: value for name, value in PLAUSIBLE.items() if name not in REQUIRED}
# Well-typed bodies reach the services' own checks (and now and then create a row) ...
typed_bodies = st.fixed_dictionaries({name: PLAUSIBLE[name] for name in REQUIRED}, optional=OPTIONAL)
# ... and anything at all tests the schema layer.
any_bodies = st.one_of(
    st.fixed_dictionaries({}, optional=PLAUSIBLE),
    st.fixed_dictionaries({}, optional={**{name: json_values for name in PLAUSIBLE}, "unknown": json_values}),
    json_values,
)


def assert_documented(response, allowed):
    assert response.status_code in allowed, response.content
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"message", "field"}
        assert CJK.search(body["message"]), body


def test_enterprise_create_typed_json_never_500(world, as_user):
    client = as_user(world.county_staff)
    seen = set()

    @FUZZ
    @given(body=typed_bodies)
    def check(body):
        response = client.post("/enterprises", json.dumps(body))
        seen.add(response.status_code)
        assert_documented(response, {201, 400, 422})

    check()
    assert {201, 400} <= seen  # the strategy does reach the services


def test_enterprise_create_random_json_never_500(world, as_user):
    client = as_user(world.county_staff)

    @FUZZ
    @given(body=any_bodies)
    def check(body):
        assert_documented(client.post("/enterprises", json.dumps(body)), {201, 400, 422})

    check()


def test_enterprise_patch_random_json_never_500(world, as_user):
    client = as_user(world.county_staff)
    path = f"/enterprises/{world.ent_a.pk}"

    @FUZZ
    @given(body=any_bodies)
    def check(body):
        assert_documented(client.patch(path, json.dumps(body)), {200, 400, 422})

    check()


def test_enterprise_list_random_query_never_500(world, as_user):
    client = as_user(world.county_staff)
    printable = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=20)
    names = ["q", "region", "ownership", "industry", "is_high_tech", "limit", "offset", "unknown"]

    @FUZZ
    @given(params=st.dictionaries(st.sampled_from(names), printable, max_size=4))
    def check(params):
        assert_documented(client.get("/enterprises", **params), {200, 400, 422})

    check()
