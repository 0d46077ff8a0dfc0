import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import translation

from kexie.accounts.enums import Role
from kexie.associations.enums import Kind, Status
from kexie.core.errors import DomainError
from kexie.core.models import Notification
from kexie.founding import services
from kexie.founding.enums import Recipient, State
from kexie.founding.models import Filing
from kexie.members.enums import MembershipStatus, Office
from kexie.members.models import OfficeTerm

from ..factories import ZHONGYUAN, EnterpriseFactory, UserFactory, grant
from .conftest import complete_dossier, congress_data


def test_open_application_creates_preparing_association_and_secretary(world, application, founder):
    assert application.state == State.DRAFT
    assert application.association.status == Status.PREPARING
    assert application.charters.get().version == 1
    assert "郑州中原芯片科技有限公司科学技术协会" in application.charters.get().text
    assert founder.roles.filter(role="secretary", association=application.association).exists()
    assert Notification.objects.filter(user=founder).count() == 1


def test_second_application_for_same_enterprise_refused(world, application, high_tech):
    with pytest.raises(DomainError) as err:
        services.open_application(
            by=world.county_staff, enterprise_id=high_tech.pk, contact_username="founder"
        )
    assert err.value.field == "enterprise" and "不能重复筹建" in err.value.message


def test_open_application_for_other_county_enterprise_is_404(world, founder):
    with pytest.raises(Http404):
        services.open_application(
            by=world.other_staff, enterprise_id=world.ent_a.pk + 10**6, contact_username="founder"
        )
    with pytest.raises(Http404):
        services.open_application(
            by=world.other_staff, enterprise_id=world.ent_s.pk, contact_username="founder"
        )


def test_submit_incomplete_names_every_missing_part(application, founder):
    with pytest.raises(DomainError) as err:
        services.submit(application.pk, by=founder)
    message = err.value.message
    for part in ("筹备组成员", "同意文件", "筹备工作报告", "会员", "主席候选人", "秘书长候选人"):
        assert part in message
    application.refresh_from_db()
    assert application.state == State.DRAFT


def test_whole_path_return_resubmit_approve_congress_filing(world, application, founder):
    people = complete_dossier(application, founder)
    services.submit(application.pk, by=founder)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED and application.approver.region_id == "410102"
    assert "默认由企业注册地所在县" in application.route_reason
    assert Notification.objects.filter(user=world.county_staff).exists()

    services.return_application(application.pk, by=world.county_staff, comment="请补充主要科技成果。")
    assert Notification.objects.filter(user=founder, text__contains="退回修改").exists()
    services.submit(application.pk, by=founder)
    application.refresh_from_db()
    assert application.round == 2

    services.approve(application.pk, by=world.county_staff, note="同意成立。")
    application.refresh_from_db()
    assert application.state == State.APPROVED
    assert application.approval_number.startswith("中原科协函〔") and application.approval_number.endswith(
        "〕1号"
    )

    data, committee, officers = congress_data(application, people)
    services.record_congress(application.pk, by=founder, data=data, committee=committee, officers=officers)
    services.submit_filing(application.pk, by=founder)
    filings = {f.recipient: f for f in Filing.objects.filter(application=application)}
    assert set(filings) == {Recipient.KEXIE, Recipient.ACFIC}  # private enterprise → 工商联

    services.acknowledge_filing(filings[Recipient.KEXIE].pk, by=world.county_staff)
    application.refresh_from_db()
    assert application.state == State.FILING
    services.acknowledge_filing(filings[Recipient.ACFIC].pk, by=world.acfic)
    application.refresh_from_db()
    assert application.state == State.FILED
    association = application.association
    association.refresh_from_db()
    assert association.status == Status.ACTIVE and association.founded_on == application.approval_date
    assert association.memberships.filter(status=MembershipStatus.APPROVED).count() == 4
    chair = OfficeTerm.objects.get(membership__association=association, office=Office.CHAIR)
    assert chair.membership.person.name == "张伟"
    events = list(application.events.values_list("to_state", flat=True))
    assert events == ["submitted", "returned", "submitted", "approved", "congress_held", "filing", "filed"]


def test_sasac_cannot_acknowledge_acfic_filing(world, application, founder):
    people = complete_dossier(application, founder)
    services.submit(application.pk, by=founder)
    services.approve(application.pk, by=world.county_staff)
    application.refresh_from_db()
    data, committee, officers = congress_data(application, people)
    services.record_congress(application.pk, by=founder, data=data, committee=committee, officers=officers)
    services.submit_filing(application.pk, by=founder)
    acfic_filing = Filing.objects.get(application=application, recipient=Recipient.ACFIC)
    with pytest.raises(Http404):
        services.acknowledge_filing(acfic_filing.pk, by=world.sasac)
    with pytest.raises(Http404):
        services.acknowledge_filing(acfic_filing.pk, by=world.other_staff)


@pytest.mark.parametrize("action", ["approve", "start_pre_review"])
def test_review_actions_refused_before_submission(world, application, action):
    with pytest.raises(DomainError) as err:
        getattr(services, action)(application.pk, by=world.county_staff)
    assert "不能执行" in err.value.message


def test_congress_before_approval_refused(application, founder):
    people = complete_dossier(application, founder)
    services.submit(application.pk, by=founder)
    with pytest.raises(DomainError) as err:
        services.record_congress(application.pk, by=founder, data={}, committee=[], officers=[])
    assert "不能执行“登记成立大会”" in err.value.message
    assert people


def test_secretary_cannot_review_and_viewer_cannot_review(world, application, founder):
    complete_dossier(application, founder)
    services.submit(application.pk, by=founder)
    with pytest.raises(PermissionDenied):
        services.approve(application.pk, by=founder)
    with pytest.raises(PermissionDenied):
        services.approve(application.pk, by=world.county_viewer)


def test_open_joint_application_covers_several_enterprises(world, founder, high_tech):

    small = [EnterpriseFactory(region_id=ZHONGYUAN, st_workers=3) for _ in range(3)]
    application = services.open_application(
        by=world.county_staff,
        enterprise_id=high_tech.pk,
        contact_username="founder",
        joint_kind="regional",
        covered_ids=[e.pk for e in small],
    )
    association = application.association
    assert association.kind == Kind.JOINT and association.joint_kind == "regional"
    assert association.name == "中原区区域联建科学技术协会"
    assert set(association.covered_enterprises.all()) == {high_tech, *small}


def test_open_joint_application_refuses_out_of_scope_enterprise(world, founder, high_tech):
    with pytest.raises(DomainError) as err:
        services.open_application(
            by=world.county_staff,
            enterprise_id=high_tech.pk,
            contact_username="founder",
            joint_kind="regional",
            covered_ids=[world.ent_b.pk],
        )
    assert err.value.field == "covered"


def test_enterprise_user_starts_the_founding_of_their_own_enterprise(world, high_tech):

    user = UserFactory(username="qiye_user")
    grant(user, Role.ENTERPRISE_USER, enterprise=high_tech)
    application = services.open_application(by=user, enterprise_id=high_tech.pk, contact_username="")
    assert application.created_by == user
    assert user.roles.filter(role="secretary", association=application.association).exists()
    # the enterprise user sees their own enterprise only, and cannot start one for another
    with pytest.raises(Http404):
        services.open_application(by=user, enterprise_id=world.ent_a.pk, contact_username="")


def test_enterprise_user_cannot_name_someone_else_as_contact(world, founder, high_tech):

    user = UserFactory(username="qiye_user")
    grant(user, Role.ENTERPRISE_USER, enterprise=high_tech)
    with pytest.raises(DomainError) as err:
        services.open_application(by=user, enterprise_id=high_tech.pk, contact_username="founder")
    assert err.value.field == "contact_username"
    assert not high_tech.associations.exists()


def test_enterprise_user_open_page_prefills_themselves(client, world, high_tech):

    user = UserFactory(username="qiye_user")
    grant(user, Role.ENTERPRISE_USER, enterprise=high_tech)
    client.force_login(user)
    assert "发起科协筹建" in client.get("/").content.decode()
    response = client.get("/founding/open/")
    assert response.status_code == 200 and 'value="qiye_user"' in response.content.decode()
    response = client.post("/founding/open/", {"enterprise": high_tech.pk, "contact_username": "qiye_user"})
    assert response.status_code == 302
    assert high_tech.associations.get().status == "preparing"


def test_notifications_are_stored_in_the_platform_language(world, application, founder):
    """An English-speaking reviewer returns the application: the secretary still reads Chinese."""

    complete_dossier(application, founder)
    services.submit(application.pk, by=founder)
    with translation.override("en"):
        services.return_application(application.pk, by=world.county_staff, comment="请补充材料。")
        services.submit(application.pk, by=founder)
        services.approve(application.pk, by=world.county_staff)
    texts = list(Notification.objects.filter(user=founder).values_list("text", flat=True))
    assert any("被退回修改" in t for t in texts) and any("已批复" in t for t in texts)
    assert not any("returned" in t.lower() or "approved" in t.lower() for t in texts)
