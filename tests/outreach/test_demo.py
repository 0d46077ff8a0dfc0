"""The outreach part of the province demo: two targets, twenty 中原区 tasks in every stage; idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command

from kexie.accounts.models import User
from kexie.core.models import Notification
from kexie.demo.outreach import CITY_TARGET, PROVINCE_TARGET, load_outreach_demo
from kexie.outreach import selectors
from kexie.outreach.models import ContactEntry, OutreachTask, Target
from kexie.regions.models import Region


@pytest.mark.django_db
def test_demo_targets_and_tasks_in_every_stage():
    call_command("demo", stdout=StringIO())
    assert set(Target.objects.values_list("title", flat=True)) == {PROVINCE_TARGET, CITY_TARGET}
    staff = User.objects.get(username="zhongyuan")
    tasks = selectors.task_list(staff, region=Region.objects.get(code="410102"))
    stages = {}
    for task in tasks:
        stages[task.stage] = stages.get(task.stage, 0) + 1
    assert stages == {
        "assigned": 7,
        "contacted": 6,
        "declined": 3,
        "preparing": 1,
        "applied": 2,
        "founded": 1,
    }
    assert Notification.objects.filter(user=staff, text__contains="建会推动任务").exists()
    (row,) = selectors.conversion(staff, Region.objects.get(code="410102"))
    assert row.total == 20
    target = Target.objects.get(title=PROVINCE_TARGET)
    assert selectors.progress(target).target == 100
    before = (Target.objects.count(), OutreachTask.objects.count(), ContactEntry.objects.count())
    assert load_outreach_demo() == 0
    call_command("demo", stdout=StringIO())
    assert (Target.objects.count(), OutreachTask.objects.count(), ContactEntry.objects.count()) == before
