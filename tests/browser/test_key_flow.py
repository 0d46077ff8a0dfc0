"""A real Chromium (Debian's) drives the key flow: log in, search an enterprise by a partial
Chinese name, open it, open the association tree and expand a node."""

import os

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from kexie.accounts.enums import Role
from kexie.regions.models import Region

from ..factories import ZHONGYUAN, AssociationFactory, EnterpriseFactory, UserFactory, grant, local

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def county(transactional_db):
    # A previous live-server test on this worker ended with a flush of every table.
    if not Region.objects.exists():
        call_command("load_regions", verbosity=0)
    target = EnterpriseFactory(name="郑州中原精密机械制造有限公司", region_id=ZHONGYUAN, st_workers=88)
    EnterpriseFactory(name="郑州中原食品有限公司", region_id=ZHONGYUAN)
    EnterpriseFactory(name="郑州金水软件有限公司", region_id="410105")
    AssociationFactory(enterprise=target)
    staff = UserFactory(username="browser_staff", display_name="王科员")
    grant(staff, Role.STAFF_REVIEWER, association=local(ZHONGYUAN))
    return target


def login(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "kexie-test-pass")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}], ids=["pc", "phone"]
)
def test_search_open_enterprise_and_tree(live_server, page_factory, artifacts, county, viewport):
    page = page_factory(viewport=viewport)
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    login(page, live_server.url, "browser_staff")

    page.goto(f"{live_server.url}/enterprises/")
    page.fill("input[name=q]", "精密机械")
    page.keyboard.press("Enter")
    # the non-matching enterprise disappears (auto-waits for htmx's swap), the other county's never shows
    expect(page.locator("text=郑州中原食品有限公司")).to_have_count(0)
    expect(page.locator("text=郑州金水软件有限公司")).to_have_count(0)
    result = page.locator("a", has_text="郑州中原精密机械制造有限公司")
    expect(result).to_have_count(1)
    page.screenshot(path=str(artifacts / f"enterprise-search-{viewport['width']}.png"), full_page=True)

    result.first.click()
    page.wait_for_url(f"{live_server.url}/enterprises/{county.pk}/")
    assert "郑州中原精密机械制造有限公司" in page.locator("h1").inner_text()
    assert county.credit_code in page.content()

    page.goto(f"{live_server.url}/associations/")
    root = page.locator("text=中原区科学技术协会").first
    root.wait_for()
    expander = page.locator("[hx-get*='/children/']").first
    expander.click()
    page.locator("text=郑州中原精密机械制造有限公司科学技术协会").first.wait_for()
    page.screenshot(path=str(artifacts / f"association-tree-{viewport['width']}.png"), full_page=True)
    csp_errors = [e for e in errors if "Content Security Policy" in e]
    assert csp_errors == []
