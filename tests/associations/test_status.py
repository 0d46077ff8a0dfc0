"""An association's status is a state machine with one writer: ``set_association_status`` checks the
table, saves with the day, writes the audit log and announces the change. No other module assigns it."""

import ast
import datetime
import pathlib

import pytest

from kexie.associations.enums import STATUS_TRANSITIONS, Status
from kexie.associations.models import Association
from kexie.associations.services import set_association_status
from kexie.core import audit
from kexie.core.errors import DomainError
from kexie.coverage.models import PendingCounty
from kexie.founding import services as founding_services

from ..factories import ZHONGYUAN, AssociationFactory, EnterpriseFactory, UserFactory
from ..founding.conftest import complete_dossier

D = datetime.date
SRC = pathlib.Path(__file__).resolve().parents[2] / "src" / "kexie"
PAIRS = [(before, after) for before in Status.values for after in Status.values if before != after]


@pytest.mark.parametrize(("before", "after"), PAIRS)
def test_every_status_move(world, before, after):
    association = AssociationFactory(enterprise=EnterpriseFactory(region_id=ZHONGYUAN), status=before)
    allowed = after in STATUS_TRANSITIONS[before]
    if not allowed:
        with pytest.raises(DomainError) as refused:
            set_association_status(association, after, by=world.admin, on=D(2026, 3, 1))
        assert refused.value.code == "state" and str(Status(before).label) in refused.value.message
        association.refresh_from_db()
        assert association.status == before
        assert not audit.history(association).filter(action="state").exists()
        assert not PendingCounty.objects.exists()
        return
    set_association_status(association, after, by=world.admin, on=D(2026, 3, 1), reason="测试")
    association.refresh_from_db()
    assert association.status == after
    if after == Status.ACTIVE:
        assert association.founded_on == D(2026, 3, 1)
    if after == Status.DISSOLVED:
        assert association.dissolved_on == D(2026, 3, 1)
    entry = audit.history(association).get(action="state")
    assert entry.changes == {"status": [before, after]} and entry.note == "测试"
    assert list(PendingCounty.objects.values_list("county", flat=True)) == [ZHONGYUAN]  # announced


def test_founding_or_dissolving_needs_the_day(world):
    association = AssociationFactory(enterprise=EnterpriseFactory(), status=Status.PREPARING)
    with pytest.raises(DomainError) as refused:
        set_association_status(association, Status.ACTIVE, by=world.admin)
    assert refused.value.field == "founded_on"
    association.refresh_from_db()
    assert association.status == Status.PREPARING


@pytest.mark.parametrize("how", ["reject", "withdraw"])
def test_an_abandoned_founding_is_in_the_associations_history(world, how):
    """Rejected or withdrawn, the 科协 being founded is abandoned: its own history says so."""
    founder = UserFactory(username="founder", display_name="刘筹备", phone="13900000000")
    enterprise = EnterpriseFactory(region_id=ZHONGYUAN, is_high_tech=True)
    application = founding_services.open_application(
        by=world.county_staff, enterprise_id=enterprise.pk, contact_username="founder"
    )
    if how == "reject":
        complete_dossier(application, by=founder)
        founding_services.submit(application.pk, by=founder)
        founding_services.reject(application.pk, by=world.county_staff, reason="不符合条件")
    else:  # the group withdraws its draft
        founding_services.withdraw(application.pk, by=founder)
    association = Association.objects.get(pk=application.association_id)
    assert association.status == Status.ABANDONED
    entry = audit.history(association).get(action="state")
    assert entry.changes == {"status": [Status.PREPARING, Status.ABANDONED]}


# --- the one writer ---------------------------------------------------------------------------------


def _status_writes(tree: ast.AST, source: str) -> list[int]:
    """Lines assigning an association's status: ``<…association…>.status = …``, ``setattr(…, "status",
    …)`` on an association, or ``Association.objects….update(status=…)``."""
    lines = []
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Attribute) and target.attr == "status":
                if "association" in ast.get_source_segment(source, target.value).lower():
                    lines.append(node.lineno)
        if isinstance(node, ast.Call):
            text = ast.get_source_segment(source, node) or ""
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name == "update" and any(k.arg == "status" for k in node.keywords) and "ssociation" in text:
                lines.append(node.lineno)
            if name == "setattr" and len(node.args) >= 2 and "association" in text.lower():
                if isinstance(node.args[1], ast.Constant) and node.args[1].value == "status":
                    lines.append(node.lineno)
    return lines


def test_only_set_association_status_assigns_an_associations_status():
    writers = {}
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        found = _status_writes(ast.parse(source), source)
        if found:
            writers[str(path.relative_to(SRC))] = found
    # The scan finds the one writer (so it can find others), and nothing else.
    assert list(writers) == ["associations/services.py"], writers
    assert len(writers["associations/services.py"]) == 1


def test_the_scan_would_catch_another_writer():
    source = "def reopen(association):\n    association.status = 'active'\n    association.save()\n"
    assert _status_writes(ast.parse(source), source) == [2]
    source = "Association.objects.filter(pk=1).update(status='dissolved')\n"
    assert _status_writes(ast.parse(source), source) == [1]
