"""The whole founding path in a real Chromium: the preparatory group submits, the county 科协 returns
it once with a comment, the group resubmits, the county approves with a number, the group records the
founding congress and files; the 工商联 viewer of 中原区 and the county staff acknowledge, and the 科协
is founded. A 工商联 viewer of another county sees nothing of it."""

import os
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from kexie.accounts.enums import Role
from kexie.associations.enums import Status
from kexie.founding import services
from kexie.founding.enums import Recipient, State
from kexie.founding.models import Filing, FoundingApplication
from kexie.members.enums import Office
from kexie.regions.models import Region

from ..factories import JINSHUI, ZHONGYUAN, EnterpriseFactory, UserFactory, grant, local
from ..founding.conftest import complete_dossier

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def dossier(transactional_db, settings, tmp_path):
    """A private high-tech enterprise of 中原区 whose founding file the county staff opened, with the
    dossier completed through the services; only submitting and what follows is left."""
    settings.MEDIA_ROOT = tmp_path
    # A previous live-server test on this worker ended with a flush of every table.
    if not Region.objects.exists():
        call_command("load_regions", verbosity=0)
    enterprise = EnterpriseFactory(
        name="郑州中原芯片科技有限公司", region_id=ZHONGYUAN, ownership="private", is_high_tech=True
    )
    staff = UserFactory(username="flow_staff", display_name="王科员")
    grant(staff, Role.STAFF_REVIEWER, association=local(ZHONGYUAN))
    founder = UserFactory(username="flow_founder", display_name="刘筹备", phone="13900000000")
    acfic = UserFactory(username="flow_acfic", display_name="中原工商联")
    grant(acfic, Role.ACFIC_VIEWER, region=ZHONGYUAN)
    other_acfic = UserFactory(username="flow_acfic_jinshui", display_name="金水工商联")
    grant(other_acfic, Role.ACFIC_VIEWER, region=JINSHUI)
    application = services.open_application(
        by=staff, enterprise_id=enterprise.pk, contact_username="flow_founder"
    )
    people = complete_dossier(application, founder)
    return application, people


def login(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "kexie-test-pass")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def browser_page(page_factory, errors):
    page = page_factory(viewport=DESKTOP)
    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm questions
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return page


def state_of(application) -> str:
    return FoundingApplication.objects.get(pk=application.pk).state


def test_founding_path_return_resubmit_approve_congress_filing(live_server, page_factory, artifacts, dossier):
    application, people = dossier
    base = live_server.url
    detail = f"{base}/founding/{application.pk}/"
    errors: list[str] = []
    shot = 0

    def screenshot(page, name):
        nonlocal shot
        shot += 1
        page.screenshot(path=str(artifacts / f"founding-{shot:02d}-{name}.png"), full_page=True)

    # 1. The founder sees a complete dossier and submits it.
    founder = browser_page(page_factory, errors)
    login(founder, base, "flow_founder")
    founder.click("nav.mainnav >> text=筹建申请")
    founder.click("text=郑州中原芯片科技有限公司科学技术协会")
    founder.wait_for_url(detail)
    expect(founder.locator("#problems")).to_have_count(0)
    expect(founder.locator("#route")).to_contain_text("中原区科学技术协会")
    screenshot(founder, "dossier-complete")

    # On the members page a member is added in place (htmx), phone shown masked, then removed again.
    founder.click("nav.tabs >> text=会员")
    founder.fill("#member-form input[name=name]", "孙磊")
    founder.select_option("#member-form select[name=sex]", "M")
    founder.fill("#member-form input[name=birth_month]", "1992.05")
    founder.fill("#member-form input[name=phone]", "13700001234")
    founder.click("#member-form button[type=submit]")
    row = founder.locator("table.members-table tbody tr", has_text="孙磊")
    expect(row).to_contain_text("137****1234")
    expect(row).to_contain_text("1992-05")
    founder.fill("#member-form input[name=birth_month]", "去年")  # refused in place, in Chinese
    founder.fill("#member-form input[name=name]", "周杰")
    founder.click("#member-form button[type=submit]")
    expect(founder.locator("#member-form")).to_contain_text("出生年月“去年”无法识别")
    screenshot(founder, "members")
    row.get_by_role("button", name="移除").click()
    expect(founder.locator("table.members-table tbody tr", has_text="孙磊")).to_have_count(0)
    founder.click("nav.tabs >> text=候选人")
    screenshot(founder, "candidates")
    founder.click("nav.tabs >> text=概览")
    founder.click("#submit-application")
    expect(founder.locator("h1 .status")).to_have_text("已提交，待审核")
    assert state_of(application) == State.SUBMITTED

    # 2. The county staff find it in their queue and return it with a comment.
    staff = browser_page(page_factory, errors)
    login(staff, base, "flow_staff")
    expect(staff.locator(".nav-notifications .unread-count")).to_have_text("1")
    staff.click("nav.mainnav >> text=审核队列")
    screenshot(staff, "queue")
    staff.click("table.queue >> text=郑州中原芯片科技有限公司科学技术协会")
    staff.wait_for_url(detail)
    staff.fill("#review textarea[name=comment]", "请补充主要科技成果，并写明筹备组的分工。")
    staff.click("#review-return")
    expect(staff.locator("h1 .status")).to_have_text("退回修改")
    assert state_of(application) == State.RETURNED

    # 3. The founder sees the comment (and a notification) and resubmits.
    founder.goto(f"{base}/notifications/")
    expect(founder.locator("ul.notifications")).to_contain_text("被退回修改")
    founder.goto(detail)
    expect(founder.locator("#rounds")).to_contain_text("请补充主要科技成果，并写明筹备组的分工。")
    screenshot(founder, "returned-with-comment")
    founder.click("#submit-application")
    expect(founder.locator("h1 .status")).to_have_text("已提交，待审核")
    assert FoundingApplication.objects.get(pk=application.pk).round == 2

    # 4. The county staff approve it: the page shows the document number.
    staff.goto(detail)
    staff.fill("#review textarea[name=comment]", "同意成立。")
    staff.click("#review-approve")
    number = f"中原科协函〔{timezone.localdate().year}〕1号"
    expect(staff.locator("#approval-number")).to_have_text(number)
    screenshot(staff, "approved")

    # 5. The founder records the congress through the form, then files.
    founder.goto(detail)
    expect(founder.locator("#approval-number")).to_have_text(number)
    founder.click("#record-congress")
    day = FoundingApplication.objects.get(pk=application.pk).approval_date.isoformat()
    founder.fill("input[name=held_on]", day)
    founder.fill("input[name=place]", "公司一号报告厅")
    founder.fill("input[name=members_present]", "4")
    for person in people:
        founder.fill(f"input[name=committee-{person.pk}-votes_for]", "4")
    offices = {
        people[0].pk: Office.CHAIR,
        people[1].pk: Office.VICE_CHAIR,
        people[2].pk: Office.SECRETARY_GENERAL,
    }
    for pk, office in offices.items():
        expect(founder.locator(f"select[name=officers-{pk}-office]")).to_have_value(office)
        founder.fill(f"input[name=officers-{pk}-votes_for]", "4")
    founder.fill("input[name=committee_meeting_on]", day)
    screenshot(founder, "congress-form")
    founder.click("#save-congress")
    founder.wait_for_url(detail)
    expect(founder.locator("h1 .status")).to_have_text("已召开成立大会")
    founder.click("#submit-filing")
    expect(founder.locator("h1 .status")).to_have_text("备案中")
    assert {f.recipient for f in Filing.objects.filter(application=application)} == {
        Recipient.KEXIE,
        Recipient.ACFIC,
    }

    # 6. The 工商联 viewer of 中原区 sees the filing in the inbox and acknowledges it.
    acfic = browser_page(page_factory, errors)
    login(acfic, base, "flow_acfic")
    acfic.click("nav.mainnav >> text=备案")
    row = acfic.locator("table.filings-table tbody tr", has_text="郑州中原芯片科技有限公司科学技术协会")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("工商联")
    screenshot(acfic, "acfic-inbox")
    row.get_by_role("button", name="确认备案").click()
    expect(acfic.locator(".messages")).to_contain_text("已确认")
    expect(row).to_contain_text("已确认")

    # 7. The county staff acknowledge the 科协 copy: the application is filed, the 科协 active.
    staff.goto(f"{base}/founding/filings/")
    staff.locator("table.filings-table tbody tr", has_text="同级科协").get_by_role(
        "button", name="确认备案"
    ).click()
    expect(staff.locator(".messages")).to_contain_text("已确认")
    staff.goto(detail)
    expect(staff.locator("h1 .status")).to_have_text("已备案")
    expect(staff.locator("ol.progress .step-done")).to_have_count(8)
    expect(staff.locator("#association-status")).to_have_text("正常")
    screenshot(staff, "filed")
    application.refresh_from_db()
    application.association.refresh_from_db()
    assert application.state == State.FILED and application.association.status == Status.ACTIVE

    # 8. The 工商联 viewer of 金水区 sees no filing, and the acknowledgement URL is a 404 for them.
    other = browser_page(page_factory, errors)
    login(other, base, "flow_acfic_jinshui")
    other.goto(f"{base}/founding/filings/")
    expect(other.locator("table.filings-table")).to_have_count(0)
    expect(other.locator("main")).to_contain_text("没有备案")
    screenshot(other, "other-county-inbox-empty")
    acfic_filing = Filing.objects.get(application=application, recipient=Recipient.ACFIC)
    token = next(c["value"] for c in other.context.cookies() if c["name"] == "csrftoken")
    response = other.request.post(
        f"{base}/founding/filings/{acfic_filing.pk}/acknowledge/",
        headers={"X-CSRFToken": token, "Referer": f"{base}/founding/filings/"},
    )
    assert response.status == 404
    assert other.goto(detail).status == 403  # no founding pages for a 工商联 viewer at all

    assert [e for e in errors if re.search("Content Security Policy", e)] == []
