"""The federation part of ``kexie demo``: seed 001's tiers, tier changes, dues, one withdrawal; a second
run changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from kexie.accounts.models import User
from kexie.core.models import AuditEntry
from kexie.federations import selectors
from kexie.federations.models import Dues, TierChange, UnitMember
from kexie.federations.permissions import federations_for_user, may_manage


def demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_federation_has_the_seed_tiers_and_a_second_run_changes_nothing():
    out = demo()
    staff = User.objects.get(username="lianhehui")
    assert "lianhehui" in out
    federation = federations_for_user(staff).get()
    assert federation.name == "郑州市企业科协联合会"
    assert may_manage(staff, federation)
    counts = {row["tier"]: row["count"] for row in selectors.tier_counts(staff, federation)}
    assert counts == {"chair": 12, "standing": 41, "council": 13, "member": 20}
    assert selectors.status_counts(staff, federation) == {"active": 86, "withdrawn": 1}
    units = UnitMember.objects.filter(federation=federation)
    assert all(u.enterprise.region.path.startswith("410000/410100/") for u in units.exclude(enterprise=None))
    assert units.exclude(member_association=None).exists()  # some joined as their 科协
    assert TierChange.objects.filter(unit__federation=federation).count() == 9
    dues_2025 = Dues.objects.filter(unit__federation=federation, year=2025)
    assert dues_2025.count() == 87
    assert dues_2025.filter(status="exempt").count() == 2
    assert dues_2025.filter(status="unpaid").exists() and dues_2025.filter(status="paid").exists()
    dues_2026 = Dues.objects.filter(unit__federation=federation, year=2026)
    assert dues_2026.count() == 86 and dues_2026.filter(status="unpaid").exists()
    assert AuditEntry.objects.filter(actor=staff).count() > 87

    before = (
        UnitMember.objects.count(),
        TierChange.objects.count(),
        Dues.objects.count(),
        AuditEntry.objects.count(),
    )
    assert "未作任何更改" in demo()
    after = (
        UnitMember.objects.count(),
        TierChange.objects.count(),
        Dues.objects.count(),
        AuditEntry.objects.count(),
    )
    assert after == before
