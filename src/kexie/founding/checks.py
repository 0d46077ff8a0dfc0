"""What an application still lacks (blocks submission) and what practice would expect (warnings)."""

from __future__ import annotations

from django.utils.translation import gettext

from kexie.members.enums import MembershipStatus, Office

from .models import FoundingApplication

# A committee of fewer people cannot hold a chair, a secretary-general and a member apart.
MIN_COMMITTEE = 3


def _dossier_problems(application: FoundingApplication) -> list[str]:
    """What the dossier lacks: the group, its contact, the consent, the charter, the report, members."""
    problems = []
    if not application.group_members.exists():
        problems.append(gettext("尚未登记筹备组成员。"))
    elif not application.group_members.filter(is_leader=True).exists():
        problems.append(gettext("筹备组尚未指定组长。"))
    if not application.contact_name or not application.contact_phone:
        problems.append(gettext("尚未填写筹备组联系人及联系电话。"))
    if not application.consent_document:
        problems.append(gettext("尚未上传企业党组织或管理层的同意文件。"))
    if not application.charters.exists():
        problems.append(gettext("尚未起草章程。"))
    if not application.preparatory_report.strip():
        problems.append(gettext("尚未填写筹备工作报告。"))
    if not application.association.memberships.filter(status=MembershipStatus.FOUNDING).exists():
        problems.append(gettext("尚未登记会员。"))
    return problems


def _candidate_problems(application: FoundingApplication) -> list[str]:
    """One candidate each for 主席 and 秘书长, and enough candidates for a committee."""
    problems = []
    offices = list(application.candidacies.values_list("office", flat=True))
    for office, label in ((Office.CHAIR, gettext("主席")), (Office.SECRETARY_GENERAL, gettext("秘书长"))):
        count = offices.count(office)
        if count != 1:
            problems.append(
                gettext("%(office)s候选人须有且只有一名，当前为%(count)d名。")
                % {"office": label, "count": count}
            )
    people = application.candidacies.values("person").distinct().count()
    if people < MIN_COMMITTEE:
        problems.append(
            gettext("委员会候选人不少于%(min)d人，当前为%(count)d人。")
            % {"min": MIN_COMMITTEE, "count": people}
        )
    return problems


def submission_problems(application: FoundingApplication) -> list[str]:
    """Every missing part, each as a whole sentence. Empty means the application can be submitted."""
    return _dossier_problems(application) + _candidate_problems(application)


def candidate_warnings(application: FoundingApplication) -> list[str]:
    """Soft warnings: practice expects these, the rules do not require them."""
    warnings = []
    candidacies = list(application.candidacies.select_related("person"))
    if not any(c.office == Office.VICE_CHAIR for c in candidacies):
        warnings.append(gettext("未提名副主席候选人：多数企业科协设副主席一至数名。"))
    chair = next((c for c in candidacies if c.office == Office.CHAIR), None)
    if chair is not None and not _looks_like_leader(chair.person.position):
        warnings.append(
            gettext("主席候选人“%(name)s”的职务为“%(position)s”，通常由企业负责人或分管科技的领导担任。")
            % {"name": chair.person.name, "position": chair.person.position or gettext("未填写")}
        )
    return warnings


LEADER_WORDS = (
    "董事长",
    "总经理",
    "总裁",
    "副总",
    "总工",
    "总工程师",
    "书记",
    "厂长",
    "经理",
    "院长",
    "主任",
    "负责人",
)


def _looks_like_leader(position: str) -> bool:
    return any(word in (position or "") for word in LEADER_WORDS)
