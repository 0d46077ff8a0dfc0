"""Pages of a federation: overview counts, the list (filters, search, pages), the unit's page, the
staff's forms (the refusal shown next to its field), the xlsx export, the link from the 组织 page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from kexie.core import tabular
from kexie.core.models import AuditEntry
from kexie.federations import services
from kexie.federations.models import Dues, TierChange, UnitMember
from tests.factories import EnterpriseFactory

from .conftest import client

TODAY = timezone.localdate()


def html(response) -> str:
    return response.content.decode()


def url(name, *args) -> str:
    return reverse(f"federations:{name}", args=args)


@pytest.fixture
def units(fed):
    """12 理事长单位, 3 常务理事单位 and 2 会员单位 (one withdrawn); ent_a is a 理事长单位."""
    staff = fed.fed_staff
    made = [
        services.admit_unit(
            fed.fed.pk,
            by=staff,
            enterprise_id=fed.ent_a.pk,
            tier="chair",
            joined_on="2024-01-05",
            representative_name="张伟",
            representative_phone="13812345678",
        )
    ]
    for i, tier in enumerate(["chair"] * 11 + ["standing"] * 3 + ["member"] * 2):
        ent = EnterpriseFactory(name=f"中原联合会测试企业{i:02d}有限公司")
        made.append(
            services.admit_unit(fed.fed.pk, by=staff, enterprise_id=ent.pk, tier=tier, joined_on="2024-02-01")
        )
    services.withdraw_unit(made[-1].pk, by=staff, withdrawn_on=TODAY, reason="退出")
    return made


def test_overview_shows_counts_per_tier_and_the_dues_rate(fed, units):
    services.generate_dues(fed.fed.pk, by=fed.fed_staff, year=TODAY.year)
    first = Dues.objects.order_by("pk").first()
    services.settle_dues([first.pk], by=fed.fed_staff, action="pay", paid_on=TODAY)
    page = html(client(fed.county_viewer).get(url("overview", fed.fed.pk)))
    assert '<strong>12</strong><span class="count-label">理事长单位' in page
    assert '<strong>3</strong><span class="count-label">常务理事单位' in page
    assert '<strong>0</strong><span class="count-label">理事单位' in page
    assert "在册 16 家，已退会 1 家。" in page
    assert "6.2%" in page  # 1 of 16
    assert url("admit", fed.fed.pk) not in page  # a viewer has no forms
    assert url("admit", fed.fed.pk) in html(client(fed.fed_staff).get(url("overview", fed.fed.pk)))


def test_the_list_filters_searches_masks_and_pages(fed, units, settings):
    c = client(fed.county_staff)
    page = html(c.get(url("units", fed.fed.pk), {"tier": "chair"}))
    assert "共 12 家单位。" in page
    assert "138****5678" in page and "13812345678" not in page
    assert "共 1 家单位。" in html(c.get(url("units", fed.fed.pk), {"status": "withdrawn"}))
    assert "共 1 家单位。" in html(c.get(url("units", fed.fed.pk), {"q": "中原智能"}))
    assert "共 17 家单位。" in html(c.get(url("units", fed.fed.pk), {"dues": "none"}))
    bad = c.get(url("units", fed.fed.pk), {"tier": "gold"})
    assert bad.status_code == 200 and "会员层级" in html(bad) and "gold" in html(bad)
    settings.KEXIE_PAGE_SIZE = 5
    second = html(c.get(url("units", fed.fed.pk), {"page": 2}))
    assert "第 2 页，共 4 页" in second
    partial = c.get(url("units", fed.fed.pk), {"tier": "standing"}, headers={"HX-Request": "true"})
    assert "<html" not in html(partial) and "共 3 家单位。" in html(partial)


def test_other_jurisdictions_and_federations_get_404(fed, units):
    unit = units[0]
    for user in (fed.other_staff, fed.other_fed_staff):
        c = client(user)
        for path in (
            url("overview", fed.fed.pk),
            url("units", fed.fed.pk),
            url("export", fed.fed.pk),
            url("unit", unit.pk),
        ):
            assert c.get(path).status_code == 404, (user, path)
    assert client(fed.other_fed_staff).get(url("admit", fed.fed.pk)).status_code == 404


def test_the_units_secretary_sees_the_unit_but_not_the_federation(fed, units):
    c = client(fed.secretary)
    page = c.get(url("unit", units[0].pk))
    assert page.status_code == 200 and "理事长单位" in html(page)
    assert url("unit_tier", units[0].pk) not in html(page)
    assert c.get(url("unit", units[1].pk)).status_code == 404
    assert c.get(url("overview", fed.fed.pk)).status_code == 404
    assert c.get(url("unit_tier", units[0].pk)).status_code == 403


def test_admit_form_admits_and_shows_a_refusal_next_to_its_field(fed):
    c = client(fed.fed_staff)
    data = {"credit_code": fed.ent_a.credit_code, "tier": "council", "joined_on": "2025-05-01"}
    response = c.post(url("admit", fed.fed.pk), data)
    assert response.status_code == 302
    unit = UnitMember.objects.get()
    assert (unit.enterprise, unit.tier) == (fed.ent_a, "council")
    again = c.post(url("admit", fed.fed.pk), data)
    assert again.status_code == 200
    assert 'id="id_credit_code_error"' in html(again) and "不能重复入会" in html(again)
    far = c.post(url("admit", fed.fed.pk), {**data, "credit_code": fed.ent_b.credit_code})
    assert "不在“中原区企业科协联合会”的地区范围内" in html(far)
    as_assoc = c.post(
        url("admit", fed.fed.pk), {**data, "credit_code": fed.ent_s.credit_code, "as_association": "on"}
    )
    assert "尚无正常运行的企业科协" in html(as_assoc)
    future = c.post(
        url("admit", fed.fed.pk),
        {
            **data,
            "credit_code": fed.ent_s.credit_code,
            "joined_on": (TODAY + datetime.timedelta(days=3)).isoformat(),
        },
    )
    assert 'id="id_joined_on_error"' in html(future)
    assert UnitMember.objects.count() == 1


def test_tier_withdraw_and_dues_forms(fed, units):
    c = client(fed.fed_staff)
    unit = units[1]
    same = c.post(url("unit_tier", unit.pk), {"tier": "chair", "changed_on": TODAY, "reason": "无变化"})
    assert 'id="id_tier_error"' in html(same)
    ok = c.post(url("unit_tier", unit.pk), {"tier": "standing", "changed_on": TODAY, "reason": "调整"})
    assert ok.status_code == 302 and TierChange.objects.get().to_tier == "standing"
    assert c.post(url("unit_dues", unit.pk), {"year": 2025, "amount": "8000"}).status_code == 302
    dues = Dues.objects.get(unit=unit)
    detail = html(c.get(url("unit", unit.pk)))
    assert "理事长单位 → 常务理事单位" in detail and "入会（理事长单位）" in detail and "8,000.00" in detail
    back = c.post(
        url("dues_settle", fed.fed.pk),
        {"dues": [dues.pk], "action": "pay", "paid_on": TODAY, "next": url("unit", unit.pk)},
    )
    assert back["Location"] == url("unit", unit.pk)
    dues.refresh_from_db()
    assert dues.status == "paid"
    assert c.post(url("unit_withdraw", unit.pk), {"withdrawn_on": TODAY, "reason": "搬迁"}).status_code == 302
    unit.refresh_from_db()
    assert unit.status == "withdrawn"
    assert c.get(url("unit_tier", unit.pk))["Location"] == url("unit", unit.pk)  # read-only now
    assert "以下资料只读" in html(c.get(url("unit", unit.pk)))


def test_dues_page_generates_and_settles_in_bulk(fed, units):
    c = client(fed.fed_staff)
    assert (
        c.post(
            url("dues_generate", fed.fed.pk),
            {
                "year": 2025,
                "amount_chair": "20000",
                "amount_standing": "10000",
                "amount_council": "5000",
                "amount_member": "2000",
            },
        ).status_code
        == 302
    )
    assert Dues.objects.filter(year=2025).count() == 16
    ids = list(Dues.objects.filter(year=2025, unit__tier="standing").values_list("pk", flat=True))
    refused = c.post(
        url("dues_settle", fed.fed.pk), {"dues": ids, "action": "exempt", "note": ""}, follow=True
    )
    assert "请填写备注" in html(refused)
    c.post(url("dues_settle", fed.fed.pk), {"dues": ids, "action": "exempt", "note": "新会员减免"})
    assert Dues.objects.filter(status="exempt").count() == 3
    page = html(c.get(url("dues", fed.fed.pk), {"year": 2025, "status": "exempt"}))
    assert "共 3 条。" in page and "新会员减免" in page
    assert (
        client(fed.county_staff)
        .post(url("dues_settle", fed.fed.pk), {"dues": ids, "action": "pay"})
        .status_code
        == 403
    )


def test_export_xlsx_contents_masks_phones_and_neutralises_formulas(fed, units):
    bad = EnterpriseFactory(name='=HYPERLINK("http://evil","点我")')
    services.admit_unit(
        fed.fed.pk, by=fed.fed_staff, enterprise_id=bad.pk, tier="member", joined_on="2024-06-01"
    )
    response = client(fed.county_staff).get(url("export", fed.fed.pk), {"tier": "member"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    grid, formulas = tabular._workbook_grid(response.content, "xlsx")
    assert formulas == frozenset()
    assert grid[0][0] == "中原区企业科协联合会 单位会员名单"
    assert grid[1][:5] == ["序号", "单位名称", "统一社会信用代码", "入会名义", "会员层级"]
    body = grid[2:]
    assert len(body) == 3
    names = {row[1] for row in body}
    assert '=HYPERLINK("http://evil","点我")' in names
    assert all(row[4] == "会员单位" for row in body)
    chair = client(fed.county_staff).get(url("export", fed.fed.pk), {"q": "中原智能"})
    row = tabular._workbook_grid(chair.content, "xlsx")[0][2]
    assert row[2] == fed.ent_a.credit_code and row[10] == "138****5678"
    assert AuditEntry.objects.filter(action="export", note__contains="3 条").count() == 1


def test_the_association_page_links_to_the_federation(fed):
    page = html(client(fed.county_staff).get(reverse("associations:detail", args=[fed.fed.pk])))
    assert url("overview", fed.fed.pk) in page
    plain = html(client(fed.county_staff).get(reverse("associations:detail", args=[fed.assoc_a.pk])))
    assert "会员概况" not in plain


def test_date_inputs_are_filled_in_the_format_browsers_accept(fed, units):
    page = html(client(fed.fed_staff).get(url("admit", fed.fed.pk)))
    assert f'name="joined_on" value="{TODAY.isoformat()}"' in page
    tier = html(client(fed.fed_staff).get(url("unit_tier", units[0].pk)))
    assert f'name="changed_on" value="{TODAY.isoformat()}"' in tier
