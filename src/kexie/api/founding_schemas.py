"""Request and response shapes of the founding procedure (``routers/founding.py``).

As everywhere in the API, schemas check types only; what a value means (a valid phone, an office
that exists, a vote count that fits the attendance) is decided by ``founding.services``.
Output is built by the router as plain dicts, so these classes only document and filter it.
"""

from __future__ import annotations

import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from kexie.core.i18n import source
from kexie.founding.enums import Recipient, State, TargetLevel
from kexie.members.enums import Office

from .schemas import PageQuery, Text

# The OpenAPI descriptions are written in Chinese (the choice labels too, whatever the request's language).
STATE_HELP = "状态：" + "、".join(f"{k}（{source(v)}）" for k, v in State.choices) + "。"
OFFICE_HELP = "职务：" + "、".join(f"{k}（{source(v)}）" for k, v in Office.choices) + "。"
RECIPIENT_HELP = "备案机关：" + "、".join(f"{k}（{source(v)}）" for k, v in Recipient.choices) + "。"
LEVEL_HELP = "审批层级：" + "、".join(f"{k}（{source(v)}）" for k, v in TargetLevel.choices) + "。"
PHONE_HELP = (
    "电话。筹备组（本科协的秘书）和审批科协的审核人员看到完整号码（提交前尚无审批科协，只有筹备组），"
    "其他人看到脱敏号码（如 138****5678）。"
)


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


# --- output ---------------------------------------------------------------------------------------


class Ref(Schema):
    id: int
    name: str


class AssociationRef(Ref):
    status: str
    status_label: str


class ApplicationItem(Schema):
    id: int
    name: str = Field(description="筹建中的科协名称。")
    state: str = Field(description=STATE_HELP)
    state_label: str
    enterprise: Ref
    approver: Ref | None = Field(description="审批科协；提交前为 null。")
    round: int = Field(description="提交轮次：第几次提交（退回后再提交加一）。")
    submitted_at: datetime.datetime | None
    approval_number: str
    updated_at: datetime.datetime


class ApplicationPage(Schema):
    count: int
    items: list[ApplicationItem]


class ApplicationQuery(PageQuery):
    state: Text = Field("", description=STATE_HELP + "不填列出全部。")


class GroupMemberOut(Schema):
    name: str
    position: str
    is_leader: bool
    phone: str = Field(description=PHONE_HELP)


class PersonFields(Schema):
    """The 会员汇总表 columns (序号 aside) and the 候选人汇总表 ones."""

    person: int = Field(description="科技工作者 id（提名候选人、录入选举结果时使用）。")
    name: str
    sex: str
    sex_label: str
    birth_month: str = Field(description="出生年月，YYYY-MM。")
    age: int | None
    education: str
    education_label: str
    political: str
    political_label: str
    title_level: str
    title_level_label: str
    title_name: str
    position: str = Field(description="工作单位职务。")
    phone: str = Field(description=PHONE_HELP)


class MemberOut(PersonFields):
    id: int = Field(description="会员资格 id（删除会员时使用）。")
    status: str
    status_label: str


class MemberPage(Schema):
    count: int
    items: list[MemberOut]


class CandidateOut(PersonFields):
    id: int = Field(description="候选人 id（撤销提名时使用）。")
    office: str = Field(description=OFFICE_HELP)
    office_label: str


class EventOut(Schema):
    action: str
    action_label: str
    from_state: str
    from_state_label: str
    to_state: str
    to_state_label: str
    round: int
    actor: str | None = Field(description="操作人姓名；账号已删除时为 null。")
    comment: str = Field(description="意见：退回或不予批准的理由；批复时为批复文号。")
    at: datetime.datetime


class FilingOut(Schema):
    id: int
    application: int
    association: str
    enterprise: str
    recipient: str = Field(description=RECIPIENT_HELP)
    recipient_label: str
    region: str = Field(description="备案所在地区（审批科协所在地）的区划代码。")
    region_name: str
    submitted_at: datetime.datetime
    acknowledged_at: datetime.datetime | None
    acknowledged_by: str | None


class FilingPage(Schema):
    count: int
    items: list[FilingOut]


class FilingQuery(PageQuery):
    pending: bool = Field(False, description="true 时只列出尚未确认的备案。")


class ResultOut(Schema):
    stage: str
    stage_label: str
    person: int
    name: str
    office: str
    office_label: str
    votes_for: int
    votes_against: int
    abstentions: int
    elected: bool


class CongressOut(Schema):
    held_on: datetime.date
    place: str
    members_total: int
    members_present: int
    committee_meeting_on: datetime.date
    results: list[ResultOut]


class DocumentOut(Schema):
    name: str = Field(
        description="application 成立申请、report 筹备工作报告、candidates 候选人汇总表、members 会员汇总表、"
        "form 申请表、approval 批复（批复后）、filing 成立备案表（成立大会后）、charter 章程、"
        "dossier 全部材料合订为一个 PDF（申请在第一页）。"
    )
    title: str = Field(description="文件名称（中文）。")
    format: str = Field(description="docx、xlsx（两张汇总表）或 pdf。")
    url: str = Field(description="下载地址（页面地址，需浏览器登录会话；每次下载记入审计日志）。")


class ApplicationDetail(Schema):
    id: int
    name: str = Field(description="筹建中的科协名称。")
    state: str = Field(description=STATE_HELP)
    state_label: str
    enterprise: Ref
    association: AssociationRef
    approver: Ref | None = Field(
        description="审批科协。尚可修改（筹备中、退回修改）时为按当前规则提交后将审批的科协；无法确定时为 null。"
    )
    route_reason: str = Field(description="审批路由说明：为什么由该科协审批。")
    route_final: bool = Field(description="false 表示审批科协是按当前规则预计的，提交时才确定。")
    round: int
    submitted_at: datetime.datetime | None
    decided_at: datetime.datetime | None
    approval_number: str = Field(description="批复文号，如 X科协函〔2026〕12号；未批复时为空。")
    approval_date: datetime.date | None
    approval_note: str
    group_leader: str
    contact_name: str
    contact_phone: str = Field(description=PHONE_HELP)
    party_organization: str
    preparatory_report: str
    consent_uploaded: bool = Field(description="是否已上传企业党组织或管理层的同意文件。")
    phones_masked: bool = Field(description="本响应中的电话是否已脱敏。")
    problems: list[str] = Field(description="提交前尚缺的材料，每条一句；为空表示可以提交。")
    warnings: list[str] = Field(description="提示（不阻止提交）：按惯例通常应有而未有的情况。")
    group_members: list[GroupMemberOut]
    charter_version: int | None = Field(description="章程当前版本号。")
    members_count: int
    candidates: list[CandidateOut]
    events: list[EventOut] = Field(description="每一次状态变化（含每轮退回意见），按时间先后。")
    filings: list[FilingOut] = Field(description="本申请的备案及各备案机关的确认情况。")
    congress: CongressOut | None
    documents: list[DocumentOut] = Field(description="已可下载的正式文书，每种格式一条。")


class QueueItem(ApplicationItem):
    age_days: int = Field(description="已等待的天数（自提交起）。")
    overdue: bool = Field(description="等待时间超过审核时限（KEXIE_REVIEW_OVERDUE_DAYS）。")


class QueuePage(Schema):
    count: int
    items: list[QueueItem]


class RuleOut(Schema):
    id: int
    province: str = Field(description="省级区划代码。")
    province_name: str
    ownership: str
    flag: str
    target_level: str = Field(description=LEVEL_HELP)
    target_level_label: str
    priority: int
    reason: str
    active: bool


class RulePage(Schema):
    count: int
    items: list[RuleOut]


class RouteOut(Schema):
    enterprise: Ref
    approver: Ref
    reason: str
    rule: int | None = Field(description="命中的规则 id；按默认规则（注册地县级科协）时为 null。")


class RouteQuery(Schema):
    enterprise: int = Field(description="企业 id，须在您的权限范围内。")


class CharterOut(Schema):
    version: int
    text: str
    created_at: datetime.datetime


# --- input ----------------------------------------------------------------------------------------


class ApplicationIn(Strict):
    enterprise: int = Field(description="企业 id，须在您的管辖范围内，且尚无筹建中或已成立的科协。")
    contact_username: Text = Field(description="筹备组联系人的账号；他将成为该科协的秘书。")
    name: Text = Field("", description="科协名称；不填则为“企业名称+科学技术协会”。")


class DossierPatch(Strict):
    """Only the fields sent are changed."""

    name: Text | None = Field(None, description="科协名称。")
    group_leader: Text | None = None
    contact_name: Text | None = None
    contact_phone: Text | None = None
    party_organization: Text | None = None
    preparatory_report: Text | None = Field(None, description="筹备工作报告全文。")


class GroupMemberIn(Strict):
    name: Text
    position: Text = ""
    is_leader: bool = False
    phone: Text = ""


class CharterIn(Strict):
    text: Text = Field(description="章程全文；与当前版本相同时不新建版本。")


class MemberIn(Strict):
    """One row of the 会员汇总表. Choice fields take the code or the Chinese name (“硕士”“党员”…)."""

    name: Text
    sex: Text = Field("", description="男 / 女（或 M / F）。")
    birth_month: Text = Field("", description="出生年月，如 1985-07、1985.07、1985年7月。")
    education: Text = Field("", description="文化程度。")
    political: Text = Field("", description="政治面貌。")
    title_level: Text = Field("", description="职称级别：正高级、副高级、中级、初级、无。")
    title_name: Text = Field("", description="职称名称，如 高级工程师。")
    position: Text = Field("", description="工作单位职务。")
    phone: Text = ""


class CandidateIn(Strict):
    person: int = Field(description="已登记会员的科技工作者 id（会员列表中的 person）。")
    office: Text = Field(description=OFFICE_HELP)


class ReviewIn(Strict):
    action: Literal["pre_review", "return", "reject", "approve"] = Field(
        description="pre_review 开始初审；return 退回修改（须写意见）；reject 不予批准（须写理由）；"
        "approve 批复同意（自动编批复文号）。"
    )
    comment: Text = Field("", description="退回意见、不予批准理由，或批复意见。")


class CommitteeVoteIn(Strict):
    person: int = Field(description="会员的科技工作者 id。")
    votes_for: int = Field(ge=0, le=1_000_000)
    votes_against: int = Field(0, ge=0, le=1_000_000)
    abstentions: int = Field(0, ge=0, le=1_000_000)


class OfficerVoteIn(CommitteeVoteIn):
    office: Text = Field(description=OFFICE_HELP)


class CongressIn(Strict):
    held_on: datetime.date = Field(description="成立大会日期，不早于批复日期。")
    committee_meeting_on: datetime.date | None = Field(
        None, description="委员会第一次会议日期；不填为大会当天。"
    )
    place: Text
    members_total: int = Field(ge=0, le=1_000_000, description="应到会员人数。")
    members_present: int = Field(ge=0, le=1_000_000, description="实到会员人数，须达到三分之二。")
    approval_read: bool = Field(description="大会是否宣读了批复。")
    charter_adopted: bool = Field(description="大会是否通过了章程。")
    committee: list[CommitteeVoteIn] = Field(description="成立大会选举委员会的得票；过半数当选。")
    officers: list[OfficerVoteIn] = Field(
        description="委员会第一次会议选举主席、副主席、秘书长等的得票；须选出主席和秘书长各一名。"
    )


class RuleIn(Strict):
    province: Text = Field(description="省级区划代码，如 410000；须是您所在的省。")
    ownership: Text = Field("", max_length=20, description="所有制条件，如 provincial；不填表示不限。")
    flag: Text = Field("", max_length=30, description="企业标签条件，如 is_leading_private；不填表示不限。")
    target_level: Text = Field(description=LEVEL_HELP)
    reason: Text = Field(description="规则说明，会显示给申请人。")
    priority: int = Field(100, ge=0, le=32767, description="优先级，数小者先匹配。")
