"""A founding application for a private high-tech enterprise in 中原区, and helpers to walk it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kexie.accounts.enums import Role
from kexie.founding import services
from kexie.members.enums import Office

from ..factories import ZHONGYUAN, EnterpriseFactory, UserFactory, grant, local

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

MEMBERS = [
    {
        "name": "张伟",
        "sex": "男",
        "birth_month": "1975.03",
        "education": "硕士研究生",
        "political": "中共党员",
        "title_level": "正高级",
        "position": "总经理",
        "phone": "13800000001",
    },
    {
        "name": "李娜",
        "sex": "女",
        "birth_month": "1982-7",
        "education": "大学本科",
        "political": "群众",
        "title_level": "副高级",
        "position": "技术部经理",
        "phone": "13800000002",
    },
    {
        "name": "王强",
        "sex": "男",
        "birth_month": "1988年11月",
        "education": "大学本科",
        "political": "中共党员",
        "title_level": "中级",
        "position": "工程师",
        "phone": "13800000003",
    },
    {
        "name": "赵敏",
        "sex": "女",
        "birth_month": "199002",
        "education": "硕士研究生",
        "political": "共青团员",
        "title_level": "中级",
        "position": "研发工程师",
        "phone": "13800000004",
    },
]


@pytest.fixture
def founder(world):
    user = UserFactory(username="founder", display_name="刘筹备", phone="13900000000")
    return user


@pytest.fixture
def high_tech(db):
    return EnterpriseFactory(
        name="郑州中原芯片科技有限公司", region_id=ZHONGYUAN, is_high_tech=True, ownership="private"
    )


@pytest.fixture
def application(world, founder, high_tech):
    return services.open_application(
        by=world.county_staff, enterprise_id=high_tech.pk, contact_username="founder"
    )


def complete_dossier(application, by):
    pk = application.pk
    services.update_dossier(
        pk,
        by=by,
        data={
            "contact_name": "刘筹备",
            "contact_phone": "139-0000-0000",
            "preparatory_report": "筹备工作已完成。",
        },
    )
    services.set_group_members(
        pk,
        by=by,
        members=[
            {"name": "张伟", "position": "总经理", "is_leader": True},
            {"name": "李娜", "position": "经理"},
        ],
    )
    services.upload_consent(pk, by=by, upload=SimpleUploadedFile("同意.pdf", PDF))
    people = [services.add_founding_member(pk, by=by, data=m).person for m in MEMBERS]
    services.set_candidacy(pk, by=by, person_id=people[0].pk, office=Office.CHAIR)
    services.set_candidacy(pk, by=by, person_id=people[1].pk, office=Office.VICE_CHAIR)
    services.set_candidacy(pk, by=by, person_id=people[2].pk, office=Office.SECRETARY_GENERAL)
    services.set_candidacy(pk, by=by, person_id=people[3].pk, office=Office.COMMITTEE)
    return people


def congress_data(application, people):
    date = application.approval_date.isoformat()
    data = {
        "held_on": date,
        "committee_meeting_on": date,
        "place": "公司报告厅",
        "members_total": 4,
        "members_present": 4,
        "approval_read": True,
        "charter_adopted": True,
    }
    committee = [{"person": p.pk, "votes_for": 4} for p in people]
    officers = [
        {"person": people[0].pk, "office": Office.CHAIR, "votes_for": 4},
        {"person": people[1].pk, "office": Office.VICE_CHAIR, "votes_for": 4},
        {"person": people[2].pk, "office": Office.SECRETARY_GENERAL, "votes_for": 3, "votes_against": 1},
    ]
    return data, committee, officers


@pytest.fixture
def acfic_zhongyuan_county(world):
    """The 工商联 viewer of 中原区 (the 'world' one is bound to 中原区 too)."""
    return world.acfic


@pytest.fixture
def county_reviewer(world):
    return world.county_staff


__all__ = ["grant", "local", "Role"]
