"""A real Chromium (PC and phone): the federation's staff admits a unit through the form, filters the
list with htmx, opens the unit and changes its tier; no CSP errors, the page does not scroll sideways."""

import os

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from kexie.accounts.enums import Role
from kexie.associations.enums import Kind
from kexie.associations.models import Association
from kexie.federations import services
from kexie.federations.models import UnitMember
from kexie.regions.models import Region

from ..factories import ZHONGYUAN, EnterpriseFactory, UserFactory, grant, local
from .test_key_flow import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def federation(transactional_db):
    if not Region.objects.exists():
        call_command("load_regions", verbosity=0)
    fed = Association.objects.create(
        kind=Kind.FEDERATION,
        name="中原区企业科协联合会",
        region_id=ZHONGYUAN,
        parent=local(ZHONGYUAN),
        status="active",
        founded_on="2020-01-01",
    )
    staff = UserFactory(username="browser_lianhe", display_name="高秘书长")
    grant(staff, Role.SECRETARY, association=fed)
    for i in range(3):
        ent = EnterpriseFactory(name=f"郑州中原联合会成员{i}有限公司")
        services.admit_unit(fed.pk, by=staff, enterprise_id=ent.pk, tier="standing", joined_on="2024-01-01")
    return fed, EnterpriseFactory(name="郑州中原新入会科技有限公司")


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}], ids=["pc", "phone"]
)
def test_admit_filter_and_change_tier(live_server, page_factory, artifacts, federation, viewport):
    fed, newcomer = federation
    page = page_factory(viewport=viewport)
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    login(page, live_server.url, "browser_lianhe")

    page.goto(f"{live_server.url}/federations/{fed.pk}/units/new/")
    page.fill("#id_credit_code", newcomer.credit_code)
    page.select_option("#id_tier", "chair")
    page.fill("#id_representative_phone", "13812345678")
    page.click("form.form-narrow button.primary")
    page.wait_for_url(f"{live_server.url}/federations/{fed.pk}/units/")
    expect(page.locator("text=共 4 家单位。")).to_have_count(1)
    expect(page.locator("text=138****5678")).to_have_count(1)

    page.select_option("#filter-tier", "chair")
    expect(page.locator("text=共 1 家单位。")).to_have_count(1)
    page.screenshot(path=str(artifacts / f"federation-units-{viewport['width']}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    page.locator("a", has_text="郑州中原新入会科技有限公司").first.click()
    page.locator("a", has_text="调整层级").click()
    page.select_option("#id_tier", "standing")
    page.fill("#id_reason", "理事会决定")
    page.click("form.form-narrow button.primary")
    expect(page.locator("text=理事长单位 → 常务理事单位")).to_have_count(1)
    unit = UnitMember.objects.get(enterprise=newcomer)
    services.set_dues(unit.pk, by=unit.created_by, year=2026, amount="2000")
    page.reload()
    page.locator(".settle-row button").click()
    expect(page.locator("text=已登记缴费 1 条。")).to_have_count(1)
    page.screenshot(path=str(artifacts / f"federation-unit-{viewport['width']}.png"), full_page=True)
    page.goto(f"{live_server.url}/federations/{fed.pk}/")
    expect(page.locator(".count-card strong").nth(1)).to_have_text("4")
    page.screenshot(path=str(artifacts / f"federation-overview-{viewport['width']}.png"), full_page=True)
    assert [e for e in errors if "Content Security Policy" in e] == []
