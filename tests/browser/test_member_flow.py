"""A member's path in a real Chromium: an S&T worker signs up on a phone (with the PIPL consent),
fills in the 会员申请表 and picks association A by searching its name; the secretary approves the
application in the queue; the worker sees 正式会员 and opens the member card; the secretary's
member list shows them, phone masked, and the roster export (paper-layout xlsx) contains them."""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from python_calamine import CalamineWorkbook

from kexie.accounts.enums import Role
from kexie.members.models import Membership
from kexie.regions.models import Region

from ..factories import ZHONGYUAN, AssociationFactory, EnterpriseFactory, UserFactory, grant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def association(transactional_db):
    if not Region.objects.exists():  # a previous live-server test on this worker flushed every table
        call_command("load_regions", verbosity=0)
    enterprise = EnterpriseFactory(name="郑州中原流程测试科技有限公司", region_id=ZHONGYUAN)
    association = AssociationFactory(enterprise=enterprise)
    secretary = UserFactory(username="flow_secretary", display_name="钱秘书")
    grant(secretary, Role.SECRETARY, association=association)
    return association


def test_worker_signs_up_applies_and_gets_a_card(live_server, page_factory, artifacts, association, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    base = live_server.url
    errors: list[str] = []

    def watch(page):
        page.on("dialog", lambda dialog: dialog.accept())
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        return page

    # 1. The worker signs up on a phone; without the consent box the sign-up is refused.
    worker = watch(page_factory(viewport=PHONE, is_mobile=True, has_touch=True))
    worker.goto(f"{base}/members/signup/")
    worker.fill("#id_name", "韩工程")
    worker.fill("#id_phone", "13955551234")
    worker.fill("#id_password", "Kexie-Worker-2026!")
    worker.click("main button[type=submit]")
    expect(worker.locator(".errorlist")).to_contain_text("须同意")
    worker.fill("#id_password", "Kexie-Worker-2026!")
    worker.check("#id_consent")
    worker.screenshot(path=str(artifacts / "member-signup-phone.png"), full_page=True)
    worker.click("main button[type=submit]")
    worker.wait_for_url(f"{base}/members/me/apply/")

    # 2. The application form: search the 科协 (htmx), pick it, fill in a few fields, submit.
    worker.fill("#assoc-q", "流程测试")
    choice = worker.locator("#assoc-choices input[type=radio]")
    expect(choice).to_have_count(1)
    choice.check()
    worker.select_option("#id_education", "bachelor")
    worker.select_option("#id_title_level", "intermediate")
    worker.fill("#id_department", "研发部")
    worker.screenshot(path=str(artifacts / "member-apply-phone.png"), full_page=True)
    worker.click("main button[type=submit]")
    worker.wait_for_url(f"{base}/members/me/memberships/")
    expect(worker.locator("table")).to_contain_text("申请中")
    membership = Membership.objects.get(person__name="韩工程")
    assert membership.status == "applied" and membership.association_id == association.pk

    # 3. The secretary approves it in the queue (bulk form, one ticked).
    secretary = watch(page_factory(viewport=DESKTOP))
    secretary.goto(f"{base}/accounts/login/")
    secretary.fill("#id_username", "flow_secretary")
    secretary.fill("#id_password", "kexie-test-pass")
    secretary.click("main button[type=submit]")
    secretary.wait_for_url(f"{base}/")
    secretary.click("nav.mainnav >> text=会员管理")
    secretary.click(f"text={association.name}")
    secretary.click("text=入会申请")
    secretary.check(f"#app-{membership.pk}")
    secretary.click("button[value=approve]")
    expect(secretary.locator(".messages")).to_contain_text("批准入会")
    membership.refresh_from_db()
    assert membership.status == "approved" and membership.card_code

    # 4. The worker sees 正式会员 and opens the card.
    worker.goto(f"{base}/members/me/")
    expect(worker.locator("table")).to_contain_text("正式会员")
    worker.screenshot(path=str(artifacts / "member-profile-phone.png"), full_page=True)
    card_link = worker.locator("a", has_text="会员证")
    href = card_link.first.get_attribute("href")
    response = worker.request.get(f"{base}{href}")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body()[:5] == b"%PDF-"

    # 5. The secretary's list shows the new member, phone masked.
    secretary.goto(f"{base}/members/association/{association.pk}/")
    row = secretary.locator("table.member-list tbody tr", has_text="韩工程")
    expect(row).to_contain_text("正式会员")
    expect(row).to_contain_text("139****1234")
    secretary.screenshot(path=str(artifacts / "member-list.png"), full_page=True)

    # 6. The secretary exports the roster in the paper layout: the new member is in the file.
    secretary.goto(f"{base}/roster/{association.pk}/export/")
    secretary.click("button:has-text('导出 Excel')")
    download_link = secretary.locator("a:has-text('下载文件')")
    expect(download_link).to_be_visible(timeout=15000)
    with secretary.expect_download() as info:
        download_link.click()
    data = Path(info.value.path()).read_bytes()
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    member_rows = [r for r in rows if "韩工程" in [str(c) for c in r]]
    assert len(member_rows) == 1
    assert "139****1234" in [str(c) for c in member_rows[0]]
    assert [e for e in errors if "Content Security Policy" in e] == []
