"""Member statistics: counts by dimension per region and association, each equal to the length of the
list behind it; scoping; the API's refusals; query counts that do not grow with the data."""

import datetime
import io
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from kexie.accounts.models import ApiToken
from kexie.associations.enums import Kind
from kexie.core.models import AuditEntry
from kexie.regions.models import Region
from kexie.statreports import memberstats

from ..factories import JINSHUI, ZHENGZHOU, ZHONGYUAN, AssociationFactory
from .conftest import member, person

ON = "2025-12-31"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_client(user) -> Client:
    token = f"stats-token-{user.username}"
    ApiToken.objects.get_or_create(
        user=user,
        digest=ApiToken.digest_of(token),
        defaults={"prefix": token[:8], "expires_at": "2099-01-01T00:00:00Z"},
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def stats(user, **params):
    response = api_client(user).get("/api/v1/stats/members", {"on": ON, **params})
    return response.status_code, json.loads(response.content)


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        ("title_level", {"senior": 2, "associate_senior": 1, "": 1}),
        ("sex", {"F": 1, "M": 3}),
        ("age_band", {"le35": 1, "36_45": 1, "46_55": 1, "unknown": 1}),
        ("education", {"master": 1, "bachelor": 1, "": 2}),
    ],
)
def test_county_counts_by_each_dimension(zhongyuan_2025, by, expected):
    """Live on 31 Dec 2025 in 中原区: 甲 (F, 正高, 1990-12 → 35), 乙 (副高, 1989-12 → 36), 丁 (正高, left in
    2026, 1970-05 → 55) and 己 (no profile, in a 科协 dissolved on 1 Jan 2026); not 庚, whose 科协 was
    dissolved on 31 Dec, nor those who joined later, left that day or only applied."""
    status, body = stats(zhongyuan_2025.county_staff, by=by)
    assert status == 200 and body["region"] == ZHONGYUAN
    assert {k: v for k, v in body["total"]["counts"].items() if v} == expected
    assert body["total"]["total"] == 4 and body["children"] == []


def test_city_rows_per_county_and_counts_equal_the_lists(zhongyuan_2025, city_staff):
    status, body = stats(city_staff, by="sex")
    assert status == 200 and body["total"]["total"] == 5
    rows = {r["region"]: r for r in body["children"]}
    assert rows[ZHONGYUAN]["total"] == 4 and rows[JINSHUI]["counts"]["F"] == 1
    assert sum(r["total"] for r in body["children"]) == 5
    client = client_for(city_staff)
    for region, row in rows.items():
        for value, count in row["counts"].items():
            response = client.get(
                reverse("statreports:member_list"), {"by": "sex", "on": ON, "child": region, "value": value}
            )
            assert response.context["page_obj"].paginator.count == count, (region, value)


@pytest.mark.parametrize("by", ["title_level", "sex", "age_band", "education"])
def test_each_count_equals_its_drill_down(zhongyuan_2025, by):
    user = zhongyuan_2025.county_staff
    _, body = stats(user, by=by)
    client = client_for(user)
    for value, count in body["total"]["counts"].items():
        response = client.get(reverse("statreports:member_list"), {"by": by, "on": ON, "value": value})
        assert response.status_code == 200
        assert response.context["page_obj"].paginator.count == count, value


def test_drill_down_masks_phones_and_exports_masked(zhongyuan_2025):
    client = client_for(zhongyuan_2025.county_staff)
    page = client.get(reverse("statreports:member_list"), {"by": "sex", "on": ON, "value": "F"})
    html = page.content.decode()
    assert "甲" in html and "138****1234" in html and "13800001234" not in html
    export = client.get(reverse("statreports:member_list"), {"by": "sex", "on": ON, "format": "xlsx"})
    rows = CalamineWorkbook.from_filelike(io.BytesIO(export.content)).get_sheet_by_index(0).to_python()
    people = [r for r in rows[3:] if r[0]]
    assert len(people) == 4 and {r[5] for r in people} == {"138****1234"}
    assert b"13800001234" not in export.content

    assert AuditEntry.objects.filter(action="export", actor=zhongyuan_2025.county_staff).exists()


def test_secretary_sees_only_their_own_association(zhongyuan_2025):
    status, body = stats(zhongyuan_2025.secretary, by="sex")
    assert status == 200 and body["association"] == zhongyuan_2025.assoc_a.pk
    assert body["total"]["total"] == 2  # 甲 and 乙; 丁 is in the joint 科协
    assert stats(zhongyuan_2025.secretary, region=ZHONGYUAN)[0] == 404
    assert stats(zhongyuan_2025.secretary, association=zhongyuan_2025.assoc_b.pk)[0] == 404


def test_refusals_unknown_parameter_bad_dimension_and_out_of_reach(zhongyuan_2025):
    w = zhongyuan_2025
    status, body = stats(w.county_staff, colour="red")
    assert status == 400 and body["field"] == "colour"
    status, body = stats(w.county_staff, by="height")
    assert status == 400 and body["field"] == "by"
    assert stats(w.county_staff, region=JINSHUI)[0] == 404
    assert stats(w.other_staff, region=ZHONGYUAN)[0] == 404
    assert stats(w.county_staff, association=w.assoc_b.pk)[0] == 404
    assert stats(w.member)[0] == 403
    status, body = stats(w.other_staff, by="sex")
    assert status == 200 and body["total"]["total"] == 1  # 壬 in 金水区


def test_per_association_table_on_the_page(zhongyuan_2025):
    response = client_for(zhongyuan_2025.county_staff).get(
        reverse("statreports:members"), {"by": "sex", "on": ON}
    )
    assert response.status_code == 200
    rows = {row.association.name: row.total for row, _ in response.context["per_association"]}
    assert rows[zhongyuan_2025.assoc_a.name] == 2 and rows["中原区联合科协"] == 1
    assert sum(rows.values()) == 4


def test_query_count_does_not_grow_with_members(zhongyuan_2025, city_staff, django_assert_max_num_queries):
    def count_queries():

        with CaptureQueriesContext(connection) as ctx:
            assert stats(city_staff, by="age_band")[0] == 200
            client_for(city_staff).get(reverse("statreports:members"), {"by": "title_level", "on": ON})
        return len(ctx.captured_queries)

    count_queries()  # the first round also creates the token and the session
    before = count_queries()
    for i in range(30):
        member(person(f"新会员{i}", birth=f"19{50 + i}-01", title="junior"), zhongyuan_2025.assoc_b)
    assert count_queries() == before
    with django_assert_max_num_queries(12):
        stats(city_staff, by="age_band")


def test_age_band_boundaries():

    assert memberstats.age_cutoff(datetime.date(2025, 12, 31), 36) == "1989-12"
    assert memberstats.age_cutoff(datetime.date(2026, 3, 15), 56) == "1970-03"


def test_members_of_the_areas_own_associations_count_in_its_total_only(zhongyuan_2025, city_staff):
    """A federation registered at the city itself: its members are in 郑州's total, in no county's row."""

    federation = AssociationFactory(
        kind=Kind.FEDERATION, enterprise=None, name="郑州市联合会", region=Region.objects.get(code=ZHENGZHOU)
    )
    member(person("癸", sex="F"), federation)
    status, body = stats(city_staff, by="sex")
    assert status == 200 and body["total"]["total"] == 6 and body["total"]["counts"]["F"] == 3
    assert sum(r["total"] for r in body["children"]) == 5
