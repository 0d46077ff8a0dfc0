"""The documents of the founding procedure, each written once as blocks (see ``blocks``). The
text is Chinese whatever the page language: these are official forms (seed 003, attachments 1–3;
seed 002, attachment 3). Parts not yet filled in are left blank to be written by hand."""

from __future__ import annotations

import re

from kexie.core.documents.blocks import Block, Cell, PageBreak, Para, Table, Title, header, row
from kexie.members.enums import Office

from ..enums import CongressStage
from .facts import BLANK, Facts, birth, cn_date, title_of

# Column widths in cm: each table fills the 16 cm between the margins of an A4 page.
CANDIDATE_HEADER = (
    "序号",
    "姓名",
    "性别",
    "年龄",
    "技术职称",
    "政治面貌",
    "科协职务",
    "工作单位职务",
    "电话",
)
CANDIDATE_WIDTHS = (1.0, 1.5, 1.0, 1.0, 1.9, 1.8, 1.7, 3.2, 2.9)
MEMBER_HEADER = ("序号", "姓名", "性别", "出生年月", "文化程度", "政治面貌", "职称", "职务", "电话")
MEMBER_WIDTHS = (1.0, 1.5, 1.0, 1.8, 1.8, 1.8, 2.0, 2.2, 2.9)
FORM_WIDTHS = (3.2, 4.8, 3.2, 4.8)


def _or_blank(value) -> str:
    return BLANK if value in (None, "") else str(value)


def _names(names: list[str]) -> str:
    return "、".join(names)


def _signature(*lines: str) -> list[Block]:
    first, *rest = lines
    return [Para(first, align="right", indent=False, gap=True)] + [
        Para(line, align="right", indent=False) for line in rest
    ]


def _paragraphs(text: str) -> list[Block]:
    return [Para(line.strip()) for line in (text or "").splitlines() if line.strip()]


# --- the tables ------------------------------------------------------------------------------


def candidate_rows(facts: Facts) -> list[list]:
    """候选人汇总表, one row per candidacy: 主席, 副主席, 秘书长, 副秘书长, 常委, 委员."""
    rows = []
    for number, candidacy in enumerate(facts.candidacies, start=1):
        person = candidacy.person
        rows.append(
            [
                number,
                person.name,
                person.get_sex_display(),
                person.age if person.age is not None else "",
                title_of(person),
                person.get_political_display(),
                str(Office(candidacy.office).label),
                facts.work_and_position(person),
                facts.phone(person.phone),
            ]
        )
    return rows


def member_rows(facts: Facts) -> list[list]:
    """会员汇总表, one row per founding member in the order they were registered."""
    return [
        [
            number,
            person.name,
            person.get_sex_display(),
            birth(person),
            person.get_education_display(),
            person.get_political_display(),
            title_of(person),
            person.position,
            facts.phone(person.phone),
        ]
        for number, person in enumerate(facts.members, start=1)
    ]


def _roster(title: str, facts: Facts, subtitle: str, head, widths, rows, *, min_rows: int) -> list[Block]:
    body = [row(*values) for values in rows]
    body += [row(*[""] * len(head))] * max(0, min_rows - len(body))  # the paper form's empty lines
    return [
        Title(title),
        Para(subtitle, align="left", indent=False),
        Table(widths=widths, rows=(header(*head), *body), header_rows=1, small=True),
        Para(f"填报单位：{facts.enterprise.name}　　填报日期：{cn_date(None)}", align="right", indent=False),
    ]


CANDIDATES_TITLE = "企业科协主席、副主席、秘书长候选人汇总表"  # seed 003, attachment 2
MEMBERS_TITLE = "企业科协会员汇总表"  # seed 003, attachment 3


def candidates_subtitle(facts: Facts) -> str:
    return f"拟成立科协名称：{facts.name}"


def members_subtitle(facts: Facts) -> str:
    return f"拟成立科协名称：{facts.name}　　会员人数：{len(facts.members)}人"


def candidates(facts: Facts) -> list[Block]:
    return _roster(
        CANDIDATES_TITLE,
        facts,
        candidates_subtitle(facts),
        CANDIDATE_HEADER,
        CANDIDATE_WIDTHS,
        candidate_rows(facts),
        min_rows=5,
    )


def members(facts: Facts) -> list[Block]:
    return _roster(
        MEMBERS_TITLE,
        facts,
        members_subtitle(facts),
        MEMBER_HEADER,
        MEMBER_WIDTHS,
        member_rows(facts),
        min_rows=5,
    )


# --- the letters -----------------------------------------------------------------------------


def _candidates_sentence(facts: Facts) -> str:
    parts = []
    for office in (
        Office.CHAIR,
        Office.VICE_CHAIR,
        Office.SECRETARY_GENERAL,
        Office.DEPUTY_SECRETARY_GENERAL,
    ):
        names = facts.candidates_for(office)
        if names or office in (Office.CHAIR, Office.SECRETARY_GENERAL):
            parts.append(f"{Office(office).label}候选人{_names(names) or BLANK}")
    return "，".join(parts)


def _committee_size(facts: Facts) -> int:
    return len({c.person_id for c in facts.candidacies})


def application(facts: Facts) -> list[Block]:
    """《关于成立企业科学技术协会的申请》 (seed 003, attachment 1, material 1)."""
    app, enterprise = facts.application, facts.enterprise
    high_tech = "，是国家高新技术企业" if enterprise.is_high_tech else ""
    consent_by = app.party_organization or "企业党组织或管理层"
    blocks: list[Block] = [
        Title(f"关于成立{facts.name}的申请"),
        Para(f"{facts.approver_name or BLANK}：", align="left", indent=False, gap=True),
        Para(
            f"{enterprise.name}（统一社会信用代码：{enterprise.credit_code}）注册于{enterprise.region.full_name}，"
            f"所有制类型为{enterprise.get_ownership_display()}{high_tech}，"
            f"现有职工{_or_blank(enterprise.employees)}人，其中科技工作者{_or_blank(enterprise.st_workers)}人。"
        ),
        Para(
            "为团结凝聚本单位科技工作者，促进企业科技进步和技术创新，根据中国科协《企业科学技术协会组织通则》，"
            f"经{consent_by}同意，我单位成立了{facts.name}筹备工作组（组长：{_or_blank(app.group_leader)}），"
            f"起草了《{facts.name}章程（草案）》，登记会员{len(facts.members)}名，"
            f"提出第一届委员会委员候选人{_committee_size(facts)}名，其中{_candidates_sentence(facts)}。"
        ),
        Para(f"现申请成立{facts.name}，请予批准。"),
        Para("附件：1.《" + facts.name + "章程（草案）》", gap=True),
        Para("　　　2. 企业党组织或管理层同意成立企业科协的文件"),
        *_signature(enterprise.name + "（盖章）", cn_date(app.submitted_at)),
        Para(
            f"（联系人：{_or_blank(app.contact_name)}，联系电话：{_or_blank(facts.phone(app.contact_phone))}）",
            gap=True,
        ),
    ]
    return blocks


def _count_list(counts: list[tuple[str, int]]) -> str:
    return "、".join(f"{label}{n}名" for label, n in counts if n) or "无"


def _statistics(facts: Facts) -> Table:
    titles, education = facts.title_counts(), facts.education_counts()
    lines = max(len(titles), len(education))
    titles += [("", "")] * (lines - len(titles))
    education += [("", "")] * (lines - len(education))
    body = [row(t, tn, e, en) for (t, tn), (e, en) in zip(titles, education, strict=True)]
    body.append(row(Cell("合计", bold=True), len(facts.members), Cell("合计", bold=True), len(facts.members)))
    return Table(
        widths=(4.5, 3.5, 4.5, 3.5), rows=(header("职称", "人数", "文化程度", "人数"), *body), header_rows=1
    )


def report(facts: Facts) -> list[Block]:
    """《企业科学技术协会筹备工作报告》 with the candidate and member tables as its attachments."""
    app, enterprise = facts.application, facts.enterprise
    group = list(app.group_members.all())
    others = [f"{m.name}（{m.position}）" if m.position else m.name for m in group if not m.is_leader]
    consent_by = app.party_organization or "企业党组织或管理层"
    blocks: list[Block] = [
        Title(f"{facts.name}筹备工作报告"),
        Para(f"{facts.approver_name or BLANK}：", align="left", indent=False, gap=True),
        Para("一、筹备工作组", bold=True),
        Para(
            f"经{consent_by}同意，{enterprise.name}成立了{facts.name}筹备工作组，"
            f"组长{_or_blank(app.group_leader)}，成员{_names(others) or BLANK}。"
            f"联系人{_or_blank(app.contact_name)}，联系电话{_or_blank(facts.phone(app.contact_phone))}。"
        ),
        Para("二、筹备工作情况", bold=True),
        *_paragraphs(app.preparatory_report),
        Para("三、会员登记情况", bold=True),
        Para(
            f"按照章程（草案）会员条款，共登记会员{len(facts.members)}名（见附件2）。"
            f"其中按职称分：{_count_list(facts.title_counts())}；"
            f"按文化程度分：{_count_list(facts.education_counts())}。"
        ),
        _statistics(facts),
        Para("四、委员会及负责人候选人", bold=True),
        Para(
            f"经酝酿协商，提出第一届委员会委员候选人{_committee_size(facts)}名（见附件1），"
            f"其中{_candidates_sentence(facts)}。"
        ),
        Para("特此报告。"),
        Para("附件：1. 企业科协主席、副主席、秘书长候选人汇总表", gap=True),
        Para("　　　2. 企业科协会员汇总表"),
        *_signature(f"{facts.name}筹备工作组", cn_date(app.submitted_at)),
        PageBreak(),
        Para("附件1", align="left", indent=False, bold=True),
        *candidates(facts),
        PageBreak(),
        Para("附件2", align="left", indent=False, bold=True),
        *members(facts),
    ]
    return blocks


def form(facts: Facts) -> list[Block]:
    """企业科协组织申请表 (seed 002, attachment 3), with the boxes to sign and seal left empty."""
    app, enterprise = facts.application, facts.enterprise
    titled = facts.titled()
    label = lambda text: Cell(text, bold=True)  # noqa: E731
    value = lambda text, span=1: Cell("" if text in (None, "") else str(text), span=span)  # noqa: E731
    sign = "签字（盖章）：\n" + cn_date(None)
    rows = [
        (label("企业名称"), value(enterprise.name, 3)),
        (
            label("统一社会信用代码"),
            value(enterprise.credit_code),
            label("所有制"),
            value(enterprise.get_ownership_display()),
        ),
        (
            label("所在地区"),
            value(enterprise.region.full_name),
            label("所属行业"),
            value(enterprise.get_industry_display()),
        ),
        (
            label("国家高新技术企业"),
            value("是" if enterprise.is_high_tech else "否"),
            label("职工人数"),
            value(enterprise.employees),
        ),
        (
            label("科技工作者人数"),
            value(enterprise.st_workers),
            label("会员职称情况"),
            value(f"高级{titled['高级']}人，中级{titled['中级']}人，初级{titled['初级']}人"),
        ),
        (label("企业党组织"), value(app.party_organization, 3)),
        (label("拟成立科协名称"), value(facts.name, 3)),
        (
            label("拟任主席"),
            value(_names(facts.candidates_for(Office.CHAIR))),
            label("拟任秘书长"),
            value(_names(facts.candidates_for(Office.SECRETARY_GENERAL))),
        ),
        (label("拟任副主席"), value(_names(facts.candidates_for(Office.VICE_CHAIR)), 3)),
        (
            label("会员人数"),
            value(len(facts.members)),
            label("委员会候选人数"),
            value(_committee_size(facts)),
        ),
        (label("联系人"), value(app.contact_name), label("联系电话"), value(facts.phone(app.contact_phone))),
        (label("企业意见"), Cell(sign, span=3, align="right", valign="bottom", height=4.0)),
        (label("科协审批意见"), Cell(sign, span=3, align="right", valign="bottom", height=4.5)),
    ]
    return [
        Title("企业科协组织申请表"),
        Table(widths=FORM_WIDTHS, rows=tuple(tuple(r) for r in rows), small=True),
        Para("注：本表一式两份，企业和审批科协各存一份。", align="left", indent=False),
    ]


def approval(facts: Facts) -> list[Block]:
    """The approval letter (批复), issued by the approving 科协 with its document number."""
    app = facts.application
    blocks: list[Block] = [
        Title(facts.approver_name, issuer=True),
        Title(app.approval_number, level=2),
        Title(f"关于同意成立{facts.name}的批复"),
        Para(f"{facts.enterprise.name}、{facts.name}筹备工作组：", align="left", indent=False, gap=True),
        Para(f"你单位《关于成立{facts.name}的申请》收悉。经研究，现批复如下："),
        Para(f"一、同意成立{facts.name}。"),
        Para(
            "二、请按照中国科协《企业科学技术协会组织通则》和章程，及时召开成立大会，"
            "选举产生第一届委员会及主席、副主席、秘书长，并将大会结果报我会备案。"
        ),
        *_paragraphs(app.approval_note),
        Para("此复。"),
        *_signature(facts.approver_name, cn_date(app.approval_date)),
    ]
    return blocks


def filing(facts: Facts) -> list[Block]:
    """企业科协成立备案表: the congress, the elected committee and officers with their votes."""
    app, congress = facts.application, facts.congress
    label = lambda text: Cell(text, bold=True)  # noqa: E731
    value = lambda text, span=1: Cell("" if text in (None, "") else str(text), span=span)  # noqa: E731
    yes = lambda flag: "是" if flag else "否"  # noqa: E731
    facts_table = Table(
        widths=FORM_WIDTHS,
        rows=(
            (label("科协名称"), value(facts.name, 3)),
            (
                label("所在企业"),
                value(facts.enterprise.name),
                label("统一社会信用代码"),
                value(facts.enterprise.credit_code),
            ),
            (label("批复单位"), value(facts.approver_name), label("批复文号"), value(app.approval_number)),
            (
                label("批复日期"),
                value(cn_date(app.approval_date) if app.approval_date else ""),
                label("成立大会日期"),
                value(cn_date(congress.held_on)),
            ),
            (label("大会地点"), value(congress.place, 3)),
            (
                label("应到会员"),
                value(f"{congress.members_total}人"),
                label("实到会员"),
                value(f"{congress.members_present}人"),
            ),
            (
                label("宣读批复"),
                value(yes(congress.approval_read)),
                label("通过章程"),
                value(yes(congress.charter_adopted)),
            ),
            (label("委员会第一次会议"), value(cn_date(congress.committee_meeting_on), 3)),
        ),
        small=True,
    )

    def results(stage: str, with_office: bool) -> Table:
        head = ("序号", "姓名", *(("职务",) if with_office else ()), "赞成票", "反对票", "弃权票", "是否当选")
        widths = (1.4, 3.2, 2.6, 2.0, 2.0, 2.0, 2.8) if with_office else (1.4, 4.2, 2.6, 2.6, 2.6, 2.6)
        body = [
            row(
                n,
                r.person.name,
                *((str(Office(r.office).label),) if with_office else ()),
                r.votes_for,
                r.votes_against,
                r.abstentions,
                yes(r.elected),
            )
            for n, r in enumerate(facts.stage(stage), start=1)
        ]
        return Table(widths=widths, rows=(header(*head), *body), header_rows=1, small=True)

    recipients = Table(
        widths=(7.0, 4.5, 4.5),
        rows=(header("备案机关", "报送日期", "确认日期"), *(row(*r) for r in facts.recipients())),
        header_rows=1,
        small=True,
    )
    sign = "签字（盖章）：\n" + cn_date(None)
    boxes = Table(
        widths=FORM_WIDTHS,
        rows=(
            (label("企业科协意见"), Cell(sign, span=3, align="right", valign="bottom", height=2.0)),
            (label("备案机关意见"), Cell(sign, span=3, align="right", valign="bottom", height=2.0)),
        ),
        small=True,
        keep=True,
    )
    return [
        Title("企业科协成立备案表"),
        facts_table,
        Para("一、成立大会选举产生委员会", bold=True, indent=False, gap=True),
        results(CongressStage.COMMITTEE, with_office=False),
        Para("二、委员会第一次会议选举产生负责人", bold=True, indent=False, gap=True),
        results(CongressStage.OFFICERS, with_office=True),
        Para("三、备案机关", bold=True, indent=False, gap=True),
        recipients,
        Para("", indent=False),
        boxes,
    ]


CHAPTER = re.compile(r"^第[一二三四五六七八九十百]+章")


def charter(facts: Facts) -> list[Block]:
    """The current charter version, titled, with the chapter headings bold."""
    lines = [line.strip() for line in (facts.charter.text if facts.charter else "").splitlines()]
    lines = [line for line in lines if line]
    title = f"{facts.name}章程"
    if lines and lines[0].endswith("章程") and not CHAPTER.match(lines[0]):
        title = lines.pop(0)
    blocks: list[Block] = [Title(title)]
    if not facts.adopted:
        blocks.append(Title("（草案）", level=2))
    for line in lines:
        if CHAPTER.match(line):
            blocks.append(Para(line, align="center", indent=False, bold=True, gap=True))
        else:
            blocks.append(Para(line))
    return blocks
