"""Outreach in the province demo (seed 000: “1,000 enterprises found a 科协”): a province target of
new enterprise 科协 in 2026 (scaled to the demo's 5,000 enterprises), a 郑州 coverage-rate target for
规上 high-tech enterprises, and twenty outreach tasks in 中原区 in every stage, made through the
services by the demo staff (so notifications, histories and audit entries are real):

- the four demo founding applications of 中原区 get a task each, so their stages are read from
  the founding data (筹备中, 已提交申请 ×2, 已建会; the founded one is recorded as it was assigned
  before its 科协 was founded, since a covered enterprise cannot be assigned any more);
- sixteen more, the top of 中原区's gap ranking: seven assigned, six contacted, three declined.

Deterministic and idempotent: enterprises are chosen by the ranking (score, then id), and nothing
is added once the demo targets exist.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from kexie.accounts.models import RoleAssignment, User
from kexie.associations.models import Association
from kexie.core import audit
from kexie.coverage.definition import CoverageScope
from kexie.founding.models import FoundingApplication
from kexie.outreach import selectors, services
from kexie.outreach.enums import TaskState
from kexie.outreach.models import OutreachTask, Target
from kexie.regions.models import Region

from .generate import HENAN, ZHONGYUAN

ZHENGZHOU = "410100"
PROVINCE_TARGET = "2026年全省新建企业科协100家"  # seed 000's 1,000, scaled to the demo province
CITY_TARGET = "郑州市规上高新技术企业科协覆盖率达到60%"
CONTACTS = (
    ("phone", "办公室主任", "已电话说明建会意义，约定上门走访。"),
    ("visit", "总经理", "上门走访，企业有意愿，待董事会研究。"),
    ("meeting", "技术副总", "参加科协座谈会，了解筹建程序。"),
)
DECLINES = (
    "企业正在重组，暂不考虑建会。",
    "科技人员较少，建议参加区域联建。",
    "企业负责人暂无意愿，明年再联系。",
)


def load_outreach_demo() -> int:
    """Add the demo targets and tasks unless they exist; returns the number of tasks created."""
    if Target.objects.filter(title=PROVINCE_TARGET).exists():
        return 0
    with transaction.atomic():
        return _load()


def _load() -> int:
    henan, zhengzhou, zhongyuan = (User.objects.get(username=u) for u in ("henan", "zhengzhou", "zhongyuan"))
    today = timezone.localdate()
    year_start, year_end = datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)
    province = services.create_target(
        by=henan,
        data={
            "title": PROVINCE_TARGET,
            "region": HENAN,
            "metric": "founded",
            "target_value": 100,
            "start_on": year_start,
            "deadline": year_end,
            "note": "对标“千企建会、万场服务”目标，按演示数据规模折算。",
        },
    )
    services.create_target(
        by=zhengzhou,
        data={
            "title": CITY_TARGET,
            "region": ZHENGZHOU,
            "scope": {"is_high_tech": "1", "is_above_scale": "1"},
            "metric": "rate",
            "target_value": 60,
            "start_on": year_start,
            "deadline": year_end,
        },
    )
    due = today + datetime.timedelta(days=45)
    applications = list(
        FoundingApplication.objects.filter(enterprise__region_id=ZHONGYUAN)
        .order_by("id")
        .select_related("enterprise")
    )
    tasks = _founding_tasks(applications, zhongyuan, province, due)
    taken = {a.enterprise_id for a in applications} | set(
        RoleAssignment.objects.filter(enterprise__isnull=False).values_list("enterprise_id", flat=True)
    )
    region = Region.objects.get(code=ZHONGYUAN)
    ranked = selectors.gap_queryset(zhongyuan, region=region, scope=CoverageScope())
    chosen = [e.pk for e in ranked.exclude(pk__in=taken).filter(has_open_task=False)[:16]]
    tasks += services.assign(
        by=henan, enterprise_ids=chosen[:6], due_on=due, note="省科协重点推动企业", target_id=province.pk
    )
    tasks += services.assign(by=zhongyuan, enterprise_ids=chosen[6:], due_on=due, note="区科协年度建会推动")
    by_enterprise = {t.enterprise_id: t for t in tasks}
    ordered = [by_enterprise[pk] for pk in chosen]
    for n, task in enumerate(ordered[7:]):  # 9 tracked: 6 stay contacted, 3 decline
        way, person, outcome = CONTACTS[n % len(CONTACTS)]
        services.log_contact(
            task.pk,
            by=zhongyuan,
            contacted_on=today - datetime.timedelta(days=10 - n),
            way=way,
            person=person,
            outcome=outcome,
        )
        if n >= 6:
            services.decline(task.pk, by=zhongyuan, reason=DECLINES[n - 6])
    return len(tasks)


def _founding_tasks(applications, by, target, due) -> list[OutreachTask]:
    """One task per demo founding application in 中原区, contacted before the file was opened."""
    out = []
    for application in applications:
        enterprise = application.enterprise
        if OutreachTask.objects.filter(enterprise=enterprise).exists():
            continue
        task = OutreachTask.objects.create(
            enterprise=enterprise,
            assigned_to=Association.objects.get(kind="local", region_id=enterprise.region_id),
            assigning_region_id=ZHONGYUAN,
            assigned_by=by,
            target=target,
            note="已开启筹建的企业",
            due_on=due,
            state=TaskState.CONTACTED,
        )
        audit.record(actor=by, action="create", instance=task, changes={"state": [None, task.state]})
        task.contacts.create(
            contacted_on=application.created_at.date(),
            way="visit",
            person="企业负责人",
            outcome="企业同意筹建科协，当场开启筹建。",
            recorded_by=by,
        )
        out.append(task)
    return out
