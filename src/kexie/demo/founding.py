"""The founding procedure in the province demo: Henan's routing rules (seed 003) and four founding
applications in 中原区, one at each stage a visitor wants to see, all made through the services by
the demo users themselves (so every history, queue, notification and audit entry is real):

- ``founder``: a DRAFT with a partly filled dossier (what is still missing is listed on its page);
- ``founder2``: SUBMITTED, waiting in ``zhongyuan``'s review queue;
- ``founder3``: APPROVED by the provincial 科协 with a document number (a 驻地央企, routed there by
  Henan's rule), the congress still to be recorded;
- ``founder4``: FILED end to end (return, resubmission, approval, congress, filing acknowledged by
  ``zhongyuan`` and the 郑州 工商联 ``acfic``): the 科协 is active.

Deterministic and idempotent: the enterprises are chosen from the generated rows alone, and an
enterprise that already has an application is left as it is.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kexie.accounts.models import User
from kexie.enterprises.enums import Ownership
from kexie.founding import routing, services
from kexie.founding.enums import State
from kexie.founding.models import Filing, FoundingApplication, RoutingRule
from kexie.members.enums import Office

from .generate import COL, HENAN, ZHONGYUAN

# A one-page PDF standing in for the party organization's consent (its content is not read).
CONSENT_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

# The founding members of each demo application (会员汇总表), the first five the candidates.
PEOPLE = (
    ("男", "1972.05", "硕士研究生", "中共党员", "正高级工程师", "总经理"),
    ("女", "1981.09", "大学本科", "中共党员", "高级工程师", "技术中心主任"),
    ("男", "1986.03", "硕士研究生", "群众", "高级工程师", "研发部经理"),
    ("女", "1990.11", "硕士研究生", "共青团员", "工程师", "人力资源部主管"),
    ("男", "1988.07", "大学本科", "中共党员", "工程师", "质量部工程师"),
    ("男", "1993.02", "大学本科", "群众", "助理工程师", "工艺工程师"),
)
NAMES = {
    "founder": ("宋建军", "高雅琴", "韩立新", "冯晓雪", "曹国栋", "彭宇航"),
    "founder2": ("邓志刚", "许晓燕", "傅明远", "沈佳怡", "曾庆丰", "吕博文"),
    "founder3": ("苏振华", "卢红霞", "蒋文博", "蔡欣然", "贾海洋", "丁浩然"),
    "founder4": ("魏长青", "薛丽萍", "叶子健", "阎梦琪", "余洪涛", "潘一鸣"),
}


@dataclass(frozen=True)
class DemoApplication:
    contact: str  # the demo user who is the preparatory group's contact
    stage: str  # the state the demo leaves it in
    pick: Callable[[tuple], bool]  # which generated enterprises qualify (the first free one is taken)


def _private_high_tech(row: tuple) -> bool:
    return (
        row[COL["ownership"]] == Ownership.PRIVATE
        and row[COL["is_high_tech"]]
        and row[COL["st_workers"]] >= 50
    )


def _resident_central(row: tuple) -> bool:
    return row[COL["ownership"]] == Ownership.RESIDENT_CENTRAL and row[COL["st_workers"]] >= 50


APPLICATIONS = (
    DemoApplication("founder", State.DRAFT, _private_high_tech),
    DemoApplication("founder2", State.SUBMITTED, _private_high_tech),
    DemoApplication("founder3", State.APPROVED, _resident_central),
    DemoApplication("founder4", State.FILED, _private_high_tech),
)


def choose_enterprises(rows: list[tuple], taken: set[int]) -> dict[str, int]:
    """The generated row of each demo application's enterprise: in 中原区, without a 科协 in the
    demo plan, the first that qualifies in row order (so the same on every run)."""
    chosen: dict[str, int] = {}
    used = set(taken)
    for spec in APPLICATIONS:
        index = next(
            i
            for i, r in enumerate(rows)
            if r[COL["region_id"]] == ZHONGYUAN and i not in used and spec.pick(r)
        )
        chosen[spec.contact] = index
        used.add(index)
    return chosen


def ensure_routing_rules() -> int:
    """Henan's rule as data, configured by the province's staff (``henan``), once."""
    henan = User.objects.get(username="henan")
    have = set(RoutingRule.objects.filter(province_id=HENAN).values_list("reason", flat=True))
    added = 0
    for rule in routing.HENAN_RULES:
        if rule["reason"] in have:
            continue
        services.add_routing_rule(by=henan, province_code=HENAN, target_level="province", **rule)
        added += 1
    return added


def _user(username: str) -> User:
    # A fresh instance each time: the scope cached on a user does not see roles given since.
    return User.objects.get(username=username)


def _fill(pk: int, contact: str, *, complete: bool) -> None:
    """The dossier: partly (a draft still being prepared) or completely (ready to submit)."""
    by = _user(contact)
    names = NAMES[contact]
    services.update_dossier(
        pk,
        by=by,
        data={
            "party_organization": "中共本公司委员会",
            "preparatory_report": (
                "经公司党委和经营班子研究同意，成立科协筹备组，起草了章程草案，组织科技人员自愿报名入会，"
                "提出了第一届委员会委员和主席、副主席、秘书长候选人建议名单。"
            )
            if complete
            else "",
        },
    )
    services.set_group_members(
        pk,
        by=by,
        members=[
            {"name": names[0], "position": "总经理", "is_leader": True},
            {"name": names[1], "position": "技术中心主任"},
            {"name": names[3], "position": "人力资源部主管"},
        ],
    )
    people = []
    count = len(PEOPLE) if complete else 3
    for i, (sex, birth, education, political, title, position) in enumerate(PEOPLE[:count]):
        membership = services.add_founding_member(
            pk,
            by=by,
            data={
                "name": names[i],
                "sex": sex,
                "birth_month": birth,
                "education": education,
                "political": political,
                "title_level": {"正高级工程师": "正高", "高级工程师": "副高", "工程师": "中级"}.get(
                    title, "初级"
                ),
                "title_name": title,
                "position": position,
                "phone": f"1390371{sum(map(ord, contact)) % 100:02d}{i:02d}",
            },
        )
        people.append(membership.person)
    services.set_candidacy(pk, by=by, person_id=people[0].pk, office=Office.CHAIR)
    if not complete:
        return
    services.upload_consent(pk, by=by, upload=SimpleUploadedFile("党委同意成立科协的意见.pdf", CONSENT_PDF))
    services.set_candidacy(pk, by=by, person_id=people[1].pk, office=Office.VICE_CHAIR)
    services.set_candidacy(pk, by=by, person_id=people[2].pk, office=Office.SECRETARY_GENERAL)
    services.set_candidacy(pk, by=by, person_id=people[3].pk, office=Office.DEPUTY_SECRETARY_GENERAL)
    services.set_candidacy(pk, by=by, person_id=people[4].pk, office=Office.COMMITTEE)


def _congress(application: FoundingApplication, contact: str, held_on: datetime.date) -> None:
    people = [m.person for m in application.association.memberships.select_related("person").order_by("id")]
    committee = people[:5]
    present = len(people)
    services.record_congress(
        application.pk,
        by=_user(contact),
        data={
            "held_on": held_on,
            "committee_meeting_on": held_on,
            "place": "公司研发中心报告厅",
            "members_total": len(people),
            "members_present": present,
            "approval_read": True,
            "charter_adopted": True,
        },
        committee=[{"person": p.pk, "votes_for": present} for p in committee],
        officers=[
            {"person": committee[0].pk, "office": Office.CHAIR, "votes_for": 5},
            {"person": committee[1].pk, "office": Office.VICE_CHAIR, "votes_for": 5},
            {"person": committee[2].pk, "office": Office.SECRETARY_GENERAL, "votes_for": 4, "abstentions": 1},
            {"person": committee[3].pk, "office": Office.DEPUTY_SECRETARY_GENERAL, "votes_for": 5},
        ],
    )


def _walk(spec: DemoApplication, enterprise_id: int, today: datetime.date) -> None:
    staff = _user("zhongyuan")
    application = services.open_application(
        by=staff, enterprise_id=enterprise_id, contact_username=spec.contact
    )
    pk = application.pk
    _fill(pk, spec.contact, complete=spec.stage != State.DRAFT)
    if spec.stage == State.DRAFT:
        return
    if spec.stage == State.FILED:  # one round of review first: returned, corrected, resubmitted
        services.submit(pk, by=_user(spec.contact))
        services.return_application(
            pk, by=staff, comment="请在筹备工作报告中写明会员的专业构成，并补充副秘书长候选人的工作单位职务。"
        )
        services.update_dossier(
            pk,
            by=_user(spec.contact),
            data={
                "preparatory_report": (
                    "经公司党委和经营班子研究同意，成立科协筹备组。现有会员6人，其中正高级职称1人、"
                    "副高级职称2人、中级职称2人、初级职称1人，涵盖研发、工艺、质量、人力资源等岗位。"
                )
            },
        )
    services.submit(pk, by=_user(spec.contact))
    if spec.stage == State.SUBMITTED:
        return
    application.refresh_from_db()
    reviewer = _user("henan" if application.approver.region_id == HENAN else "zhongyuan")
    approved_on = today - datetime.timedelta(days=10 if spec.stage == State.APPROVED else 60)
    services.approve(pk, by=reviewer, note="同意成立，请按章程召开成立大会并及时报送备案。", on=approved_on)
    if spec.stage == State.APPROVED:
        return
    application.refresh_from_db()
    _congress(application, spec.contact, approved_on + datetime.timedelta(days=14))
    services.submit_filing(pk, by=_user(spec.contact))
    acknowledgers = {"kexie": "zhongyuan", "acfic": "acfic", "sasac": "sasac"}
    for filing in Filing.objects.filter(application_id=pk).order_by("id"):
        services.acknowledge_filing(filing.pk, by=_user(acknowledgers[filing.recipient]))


def load_founding_demo(rows: list[tuple], taken: set[int], eid: Callable[[int], int]) -> int:
    """Routing rules and the four applications; returns how many applications were opened."""
    ensure_routing_rules()
    chosen = choose_enterprises(rows, taken)
    have = set(
        FoundingApplication.objects.filter(enterprise_id__in=[eid(i) for i in chosen.values()]).values_list(
            "enterprise_id", flat=True
        )
    )
    today = timezone.localdate()
    opened = 0
    for spec in APPLICATIONS:
        enterprise_id = eid(chosen[spec.contact])
        if enterprise_id in have:
            continue
        _walk(spec, enterprise_id, today)
        opened += 1
    return opened
