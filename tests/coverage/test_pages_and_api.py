"""The dashboard, the lists behind its numbers (every link walked), the xlsx export and the API."""

import io
import re
from html import unescape

import pytest
import python_calamine
from django.test import Client

from kexie.accounts.models import ApiToken

LINK = re.compile(r'<a[^>]*data-count="(\w+)"[^>]*href="([^"]+)"[^>]*>([\d,]+)</a>')


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_for(user) -> Client:
    token = f"coverage-token-{user.pk}"
    ApiToken.objects.get_or_create(
        user=user,
        digest=ApiToken.digest_of(token),
        defaults={"prefix": token[:8], "expires_at": "2099-01-01T00:00:00Z"},
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def walk(client, url):
    """Open the dashboard, follow every count link, compare the list's length with the number."""
    page = client.get(url)
    assert page.status_code == 200
    links = LINK.findall(page.content.decode())
    assert links, "the dashboard shows counts"
    for which, href, shown in links:
        listing = client.get(unescape(href))
        assert listing.status_code == 200, href
        total = re.search(r'data-total="(\d+)"', listing.content.decode())
        assert int(total.group(1)) == int(shown.replace(",", "")), (which, href)
    return links


@pytest.mark.parametrize(
    "query",
    [
        "?region=410100",
        "?region=410100&date=2024-12-31",
        "?region=410100&is_high_tech=1",
        "?region=410102",
        "?region=410100&st_workers_min=41",
    ],
)
def test_every_link_on_the_dashboard_lists_the_number_shown(cov, query):
    links = walk(client_for(cov.world.admin), f"/coverage/{query}")
    if query == "?region=410100":
        children = 12  # the districts and counties of 郑州市, each with 5 counts, and 郑州市 itself
        assert len(links) == 5 * (1 + children)


def test_viewer_sees_only_their_ownerships_and_the_links_agree(cov):
    links = walk(client_for(cov.world.sasac), "/coverage/?region=410102")
    shown = {which: int(n) for which, _, n in links}
    assert shown["in_scope"] == 1 and shown["covered"] == 0
    walk(client_for(cov.world.acfic), "/coverage/")  # home region 中原区


def test_dashboard_page(cov):
    client = client_for(cov.world.county_staff)
    body = client.get("/coverage/").content.decode()
    assert "中原区" in body and "口径说明" in body
    assert "coverage-chart coverage-trend" in body and "coverage/dashboard.js" in body
    assert "42.9%" in body  # 3 of 7
    # Provinces have a map (boundaries from the echarts package's files), counties do not.
    province = client_for(cov.world.province_staff).get("/coverage/?region=410000").content.decode()
    assert 'data-geo-url="/static/coverage/geo/410000' in province
    national = client_for(cov.world.admin).get("/coverage/").content.decode()
    assert "coverage/geo/100000" in national and "河南省" in national
    assert "coverage-chart coverage-map" not in body


def test_sorting_children(cov):
    client = client_for(cov.world.admin)

    def order(sort):
        body = client.get(f"/coverage/?region=410100&sort={sort}").content.decode()
        return re.findall(r'<tr data-region="(\d+)"', body)

    assert order("-rate")[:2] == ["410105", "410102"]
    assert order("rate")[:2] == ["410102", "410105"]
    assert order("-in_scope")[0] == "410102"
    assert order("-uncovered")[0] == "410102"
    assert order("-covered")[0] == "410102"
    assert order("name")[0] < order("name")[1]


def test_htmx_answers_the_results_only(cov):
    client = client_for(cov.world.admin)
    response = client.get("/coverage/?region=410100&is_high_tech=1", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and "coverage-table" in body


def test_bad_filter_is_shown_on_the_page(cov):
    client = client_for(cov.world.admin)
    body = client.get("/coverage/?region=410100&colour=red").content.decode()
    assert "colour" in body and 'role="alert"' in body
    body = client.get("/coverage/?region=410100&date=2024-13-01").content.decode()
    assert "统计日期" in body and 'role="alert"' in body


def test_out_of_reach_region_is_404(cov):
    w = cov.world
    assert client_for(w.county_staff).get("/coverage/?region=410105").status_code == 404
    assert client_for(w.county_staff).get("/coverage/list/?region=410100").status_code == 404
    assert client_for(w.admin).get("/coverage/?region=999999").status_code == 404
    assert client_for(w.secretary).get("/coverage/").status_code == 403


def test_xlsx_export_has_the_rows_of_the_list(cov):
    client = client_for(cov.world.admin)
    response = client.get("/coverage/list/?region=410102&list=uncovered&format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    rows = book.get_sheet_by_index(0).to_python()
    assert rows[0][0] == "企业名称"
    names = sorted(r[0] for r in rows[1:])
    assert names == sorted([cov.world.ent_s.name, cov.e2.name, cov.e3.name, cov.e5.name])
    assert all(isinstance(r[1], str) for r in rows[1:])  # credit codes stay text
    joint = client.get("/coverage/list/?region=410100&list=joint_associations&format=xlsx")
    rows = (
        python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(joint.content))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert [r[0] for r in rows[1:]] == [cov.j2.name]


def test_list_is_paginated(cov, settings):
    settings.KEXIE_PAGE_SIZE = 2
    body = client_for(cov.world.admin).get("/coverage/list/?region=410102&list=in_scope").content.decode()
    assert 'data-total="7"' in body and "第 1 页，共 4 页" in body


# --- API -------------------------------------------------------------------------------------------


def test_api_coverage_shape(cov):
    response = api_for(cov.world.admin).get("/api/v1/stats/coverage?region=410100&ownership=private,foreign")
    assert response.status_code == 200
    data = response.json()
    assert data["region"]["code"] == "410100" and data["region"]["in_scope"] == 8
    assert data["region"]["covered"] == 5 and data["region"]["rate"] == round(5 / 8, 4)
    children = {c["code"]: c for c in data["children"]}
    assert children["410103"]["rate"] is None and children["410103"]["in_scope"] == 0
    assert children["410102"]["covered"] == 3
    assert data["scope"] == {"ownership": "foreign,private"}
    assert data["source"] == "cells" and len(data["date"]) == 10
    dated = api_for(cov.world.admin).get("/api/v1/stats/coverage?region=410102&date=2024-12-31").json()
    assert dated["region"]["covered"] == 5 and dated["source"] == "rows" and dated["date"] == "2024-12-31"


def test_api_defaults_to_the_home_region_and_scopes_like_the_pages(cov):
    data = api_for(cov.world.county_staff).get("/api/v1/stats/coverage").json()
    assert data["region"]["code"] == "410102" and data["children"] == []
    sasac = api_for(cov.world.sasac).get("/api/v1/stats/coverage").json()
    assert sasac["region"]["in_scope"] == 1


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("colour=red", "colour"),
        ("date=2024-02-30", "date"),
        ("date=yesterday", "date"),
        ("ownership=pirate", "ownership"),
        ("industry=Z", "industry"),
        ("st_workers_min=-1", "st_workers_min"),
        ("is_unicorn=maybe", "is_unicorn"),
    ],
)
def test_api_bad_parameters_are_400_naming_them(cov, query, field):
    for path in ("/api/v1/stats/coverage", "/api/v1/stats/coverage/trend"):
        if field == "date" and path.endswith("trend"):
            continue
        response = api_for(cov.world.admin).get(f"{path}?region=410100&{query}")
        assert response.status_code == 400, (path, response.content)
        assert response.json()["field"] == field
        assert field in response.json()["message"] or response.json()["message"]


def test_api_out_of_reach_is_404(cov):
    w = cov.world
    assert api_for(w.county_staff).get("/api/v1/stats/coverage?region=410105").status_code == 404
    assert api_for(w.county_staff).get("/api/v1/stats/coverage/trend?region=410100").status_code == 404
    assert api_for(w.province_staff).get("/api/v1/stats/coverage?region=130000").status_code == 404
    assert api_for(w.admin).get("/api/v1/stats/coverage?region=000000").status_code == 404
    assert api_for(w.member).get("/api/v1/stats/coverage").status_code == 403


def test_api_trend(cov):
    data = api_for(cov.world.admin).get("/api/v1/stats/coverage/trend?region=410100").json()
    assert data["region"] == "410100" and len(data["points"]) == 24
    assert data["points"][-1]["covered"] == 5 and data["points"][-1]["in_scope"] == 9
