"""A real Chromium (Debian's) opens the coverage dashboard: the figures, the map (ECharts over the
packaged boundaries of 河南) and the trend draw on a canvas, with no console error, on a PC and a
phone; a filter is applied through htmx and the charts are drawn again."""

import os

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from kexie.accounts.enums import Role
from kexie.coverage.services import rebuild
from kexie.regions.models import Region

from ..factories import (
    HENAN,
    JINSHUI,
    ZHONGYUAN,
    AssociationFactory,
    EnterpriseFactory,
    UserFactory,
    grant,
    local,
)
from .test_key_flow import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def province(transactional_db):
    if not Region.objects.exists():
        call_command("load_regions", verbosity=0)
    covered = EnterpriseFactory(name="郑州中原覆盖测试有限公司", region_id=ZHONGYUAN, is_high_tech=True)
    EnterpriseFactory(name="郑州中原未覆盖测试有限公司", region_id=ZHONGYUAN)
    EnterpriseFactory(name="郑州金水覆盖测试有限公司", region_id=JINSHUI)
    EnterpriseFactory(name="开封龙亭覆盖测试有限公司", region_id="410202")
    AssociationFactory(enterprise=covered, founded_on="2025-03-01")
    staff = UserFactory(username="browser_province", display_name="省科员")
    grant(staff, Role.STAFF_REVIEWER, association=local(HENAN))
    rebuild()
    return staff


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}], ids=["pc", "phone"]
)
def test_dashboard_map_and_trend_render(live_server, page_factory, artifacts, province, viewport):
    page = page_factory(viewport=viewport)
    errors = []
    # Chromium's own /favicon.ico request (404) is reported as a console error but never as a page
    # response; every response the page itself asked for is checked instead.
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    login(page, live_server.url, "browser_province")

    page.goto(f"{live_server.url}/coverage/")
    expect(page.locator("h1")).to_contain_text("河南省")
    expect(page.locator(".coverage-summary [data-count=in_scope]")).to_have_text("4", timeout=20_000)
    expect(page.locator(".coverage-summary [data-count=covered]")).to_have_text("1", timeout=20_000)
    expect(page.locator(".coverage-map canvas")).to_have_count(1, timeout=20_000)
    expect(page.locator(".coverage-trend canvas")).to_have_count(1, timeout=20_000)
    page.wait_for_timeout(500)
    assert errors == []
    page.screenshot(path=str(artifacts / f"coverage-dashboard-{viewport['width']}.png"), full_page=True)

    # A filter (htmx): only high-tech enterprises; the figures change and the charts are drawn again.
    page.locator("input[name=is_high_tech]").check()
    expect(page.locator(".coverage-summary [data-count=in_scope]")).to_have_text("1", timeout=20_000)
    expect(page.locator(".coverage-map canvas")).to_have_count(1, timeout=20_000)
    expect(page.locator(".coverage-trend canvas")).to_have_count(1, timeout=20_000)
    assert "is_high_tech=1" in page.url
    page.wait_for_timeout(500)
    assert errors == []

    # Drill down: the count opens the list behind it.
    page.locator(".coverage-summary [data-count=covered]").click()
    expect(page.locator(".result-count")).to_have_attribute("data-total", "1")
    expect(page.locator("text=郑州中原覆盖测试有限公司")).to_have_count(1, timeout=20_000)
    assert errors == []
