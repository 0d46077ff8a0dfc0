"""The secretary's pages: the member list (masked), the queue with bulk decisions, the member
detail with the reveal button, edits, leave and transfer, offices; and who sees what."""

import pytest
from django.test import Client

from kexie.accounts.enums import Role
from kexie.core.models import AuditEntry, Notification
from kexie.members import services
from kexie.members.models import Membership
from kexie.members.roster.writing import import_roster

from ..factories import AssociationFactory, UserFactory, grant
from .conftest import apply_to, sign_up
from .test_roster_import import ROWS, roster_xlsx


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def other_secretary(world):
    user = UserFactory(username="secretary_b")
    grant(user, Role.SECRETARY, association=world.assoc_b)
    return user


def test_member_list_is_masked_filtered_and_paginated(world, worker, settings):
    _user, membership = worker
    client = signed_in(world.secretary)
    page = client.get(f"/members/association/{world.assoc_a.pk}/").content.decode()
    assert "李工程" in page and "139****0001" in page and "13912340001" not in page
    assert "1101**********002X" in page and "11010519491231002X" not in page
    assert (
        "李工程"
        not in client.get(f"/members/association/{world.assoc_a.pk}/?status=approved").content.decode()
    )
    assert (
        "李工程"
        in client.get(f"/members/association/{world.assoc_a.pk}/?title_level=intermediate").content.decode()
    )
    assert "李工程" not in client.get(f"/members/association/{world.assoc_a.pk}/?q=张").content.decode()
    bad = client.get(f"/members/association/{world.assoc_a.pk}/?status=nonsense")
    assert bad.status_code == 200 and "无效" in bad.content.decode()
    settings.KEXIE_PAGE_SIZE = 1
    apply_to(sign_up("第二人", "13912340002"), world.assoc_a)
    page = client.get(f"/members/association/{world.assoc_a.pk}/").content.decode()
    assert "第 1 页，共 2 页" in page


def test_staff_see_the_list_masked_but_cannot_reveal(world, worker):
    _user, membership = worker
    staff = signed_in(world.county_staff)
    assert staff.get(f"/members/association/{world.assoc_a.pk}/").status_code == 200
    detail = staff.get(f"/members/{membership.pk}/").content.decode()
    assert "139****0001" in detail and "显示" not in detail
    assert staff.post(f"/members/{membership.pk}/reveal/phone/").status_code == 403
    assert signed_in(world.county_viewer).post(f"/members/{membership.pk}/reveal/phone/").status_code == 403
    assert not AuditEntry.objects.filter(action="reveal").exists()


def test_out_of_scope_is_404(world, worker, other_secretary):
    _user, membership = worker
    for user in (world.other_staff, other_secretary):
        client = signed_in(user)
        assert client.get(f"/members/association/{world.assoc_a.pk}/").status_code == 404
        assert client.get(f"/members/{membership.pk}/").status_code == 404
    assert signed_in(other_secretary).post(f"/members/{membership.pk}/reveal/phone/").status_code == 404
    assert signed_in(world.member).get(f"/members/{membership.pk}/").status_code == 403


def test_secretary_reveals_with_an_audit_entry(world, worker):
    _user, membership = worker
    client = signed_in(world.secretary)
    detail = client.get(f"/members/{membership.pk}/").content.decode()
    assert "显示" in detail and "13912340001" not in detail
    response = client.post(f"/members/{membership.pk}/reveal/phone/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "13912340001" in response.content.decode()
    entry = AuditEntry.objects.get(action="reveal")
    assert entry.actor == world.secretary and entry.object_id == str(membership.person_id)
    assert "手机号" in entry.note and "13912340001" not in entry.note + str(entry.changes)
    assert client.post(f"/members/{membership.pk}/reveal/password/").status_code == 404
    # The history on the detail page shows the reveal, still masked.
    page = client.get(f"/members/{membership.pk}/").content.decode()
    assert "显示手机号" in page and "13912340001" not in page


def test_queue_bulk_approve_and_refusal(world):
    chosen = [apply_to(sign_up(f"排队{i}", f"1391234200{i}"), world.assoc_a) for i in range(3)]
    client = signed_in(world.secretary)
    page = client.get(f"/members/association/{world.assoc_a.pk}/pending/").content.decode()
    assert all(f"排队{i}" in page for i in range(3))
    response = client.post(
        f"/members/association/{world.assoc_a.pk}/pending/",
        {"membership": [chosen[0].pk, chosen[1].pk], "action": "reject"},
    )
    assert response.status_code == 400 and "原因" in response.content.decode()
    response = client.post(
        f"/members/association/{world.assoc_a.pk}/pending/",
        {"membership": [chosen[0].pk, chosen[1].pk], "action": "approve"},
    )
    assert response.status_code == 302
    assert Membership.objects.get(pk=chosen[0].pk).status == "approved"
    assert Membership.objects.get(pk=chosen[2].pk).status == "applied"
    assert (
        signed_in(world.county_staff).get(f"/members/association/{world.assoc_a.pk}/pending/").status_code
        == 403
    )


def test_decide_one_edit_leave_transfer_pages(world, worker):
    user, membership = worker
    client = signed_in(world.secretary)
    response = client.post(f"/members/{membership.pk}/decide/", {"action": "approve"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == "approved"
    response = client.post(f"/members/{membership.pk}/edit/", {"name": "李工程", "position": "总工程师"})
    assert response.status_code == 302
    membership.person.refresh_from_db()
    assert membership.person.position == "总工程师" and membership.person.phone == "13912340001"
    response = client.post(
        f"/members/{membership.pk}/offices/", {"office": "committee", "start": "2024-01-01"}
    )
    assert response.status_code == 302 and membership.offices.count() == 1
    assert client.get(f"/members/{membership.pk}/transfer/").status_code == 200
    response = client.post(f"/members/{membership.pk}/leave/", {"reason": ""})
    assert response.status_code == 200 and "原因" in response.content.decode()
    response = client.post(f"/members/{membership.pk}/leave/", {"reason": "离职", "on": "2026-01-05"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == "left" and str(membership.left_on) == "2026-01-05"
    assert str(membership.offices.get().end) == "2026-01-05"


def test_offices_page_answers_for_a_date(world):
    a = Membership.objects.create(
        person=__import__("kexie.members.models", fromlist=["Person"]).Person.objects.create(name="老主席"),
        association=world.assoc_a,
        status="approved",
    )
    term = services.appoint(a.pk, by=world.secretary, office="chair", start="2020-01-01")
    services.end_term(term.pk, by=world.secretary, end="2024-01-01")
    client = signed_in(world.member)  # members see their 科协's offices
    page = client.get(f"/members/association/{world.assoc_a.pk}/offices/?on=2023-06-01").content.decode()
    assert "2023-06-01 的任职情况" in page and "老主席" in page.split("全部任职记录")[0]
    page = client.get(f"/members/association/{world.assoc_a.pk}/offices/?on=2025-06-01").content.decode()
    assert "该日期没有登记的任职" in page
    assert (
        "格式不正确" in client.get(f"/members/association/{world.assoc_a.pk}/offices/?on=x").content.decode()
    )


def test_index_lists_the_secretarys_association_with_waiting_count(world, worker):
    page = signed_in(world.secretary).get("/members/").content.decode()
    assert world.assoc_a.name in page and world.assoc_b.name not in page


def test_member_list_query_count_does_not_grow(world, django_assert_max_num_queries):
    for i in range(5):
        apply_to(sign_up(f"计数{i}", f"1391234300{i}"), world.assoc_a)
    client = signed_in(world.secretary)
    with django_assert_max_num_queries(14):
        client.get(f"/members/association/{world.assoc_a.pk}/")


def test_audit_history_of_a_phone_change_stays_masked(world, worker):
    _user, membership = worker
    client = signed_in(world.secretary)
    response = client.post(f"/members/{membership.pk}/edit/", {"name": "李工程", "phone": "13800005678"})
    assert response.status_code == 302
    page = client.get(f"/members/{membership.pk}/").content.decode()
    assert "139****0001" in page and "138****5678" in page
    assert "13912340001" not in page and "13800005678" not in page
    entry = AuditEntry.objects.filter(action="update", object_id=str(membership.person_id)).latest("pk")
    assert entry.changes["phone"] == ["139****0001", "138****5678"]


def test_transfer_tells_the_target_secretary_and_the_member(world, worker):

    user, membership = worker
    services.approve(membership.pk, by=world.secretary)
    target = AssociationFactory()
    target_secretary = UserFactory(username="secretary_t")
    grant(target_secretary, Role.SECRETARY, association=target)
    client = signed_in(world.secretary)
    search = client.get("/members/search/associations/", {"q": target.name[:8], "field": "to_association"})
    assert f'name="to_association" value="{target.pk}"' in search.content.decode()
    response = client.post(
        f"/members/{membership.pk}/transfer/", {"to_association": target.pk, "reason": "调动"}
    )
    assert response.status_code == 302
    assert Notification.objects.filter(user=target_secretary, text__contains="李工程").exists()
    assert Notification.objects.filter(user=user, text__contains="转出").exists()
    incoming = Membership.objects.get(person=membership.person, association=target)
    queue = signed_in(target_secretary).get(f"/members/association/{target.pk}/pending/").content.decode()
    assert f'value="{incoming.pk}"' in queue and "李工程" in queue
    assert incoming.status == "applied"


def test_member_detail_query_count_does_not_grow_with_history(world, worker, django_assert_max_num_queries):
    _user, membership = worker
    services.approve(membership.pk, by=world.secretary)
    for office in ("committee", "standing", "vice_chair"):
        services.appoint(membership.pk, by=world.secretary, office=office, start="2024-01-01")
    client = signed_in(world.secretary)
    with django_assert_max_num_queries(30):
        assert client.get(f"/members/{membership.pk}/").status_code == 200


def test_an_imported_members_history_starts_with_the_import(world):
    """One audit entry per import: the member's page shows it as the first line of their history."""

    import_roster(
        world.assoc_a.pk, by=world.secretary, data=roster_xlsx(ROWS[:1]), filename="名单.xlsx", commit=True
    )
    membership = Membership.objects.get(association=world.assoc_a, person__name="张伟")
    page = signed_in(world.secretary).get(f"/members/{membership.pk}/").content.decode()
    history = page[page.index('class="card history"') :]
    entry = AuditEntry.objects.get(action="import")
    assert entry.actor == world.secretary and membership.person.import_entry_id == entry.pk
    assert "导入会员汇总表：新增1人" in history and f">{entry.actor_display}<" in history
