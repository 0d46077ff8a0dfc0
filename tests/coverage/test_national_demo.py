"""The national demo's members, on a small sample: ≥ 5.2 approved members per enterprise in the
enterprise and joint 科协, realistic attributes, no ID numbers, no accounts; the coverage cells
agree with the rows after the load and after ``--reset``."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from kexie.associations.enums import Kind
from kexie.coverage.services import recount
from kexie.demo.models import DemoBatch
from kexie.members.models import Membership, Person

N = 3_000


def national(*args):
    call_command("demo", "--scale", "national", "--enterprises", str(N), *args, stdout=StringIO())


@pytest.mark.django_db
def test_national_members_and_coverage():
    national()
    batch = DemoBatch.objects.get(scale="national")
    memberships = Membership.objects.filter(association_id__gte=batch.first_association_id)
    people = Person.objects.filter(enterprise_id__gte=batch.first_enterprise_id)
    assert memberships.count() >= N * 5.2 * 0.99
    assert people.count() == memberships.count()
    assert set(memberships.values_list("status", flat=True).distinct()) == {"approved"}
    kinds = set(memberships.values_list("association__kind", flat=True).distinct())
    assert Kind.ENTERPRISE in kinds and kinds <= {Kind.ENTERPRISE, Kind.JOINT}  # joints need bigger counties
    assert not people.exclude(id_cipher="", id_digest="", id_masked="").exists()
    assert not people.filter(user__isnull=False).exists()
    sample = list(
        people.values("sex", "education", "title_level", "political", "phone", "birth_month")[:3000]
    )
    sexes = Counter(p["sex"] for p in sample)
    assert 0.5 < sexes["M"] / len(sample) < 0.75
    assert len({p["education"] for p in sample}) == 6 and len({p["political"] for p in sample}) >= 5
    assert all(len(p["phone"]) == 11 and p["phone"].startswith("1") for p in sample)
    assert all(len(p["birth_month"]) == 7 for p in sample)
    # Every member works at the enterprise (or one of the enterprises) of their 科协.
    m = memberships.select_related("person", "association").filter(association__kind=Kind.ENTERPRISE).first()
    assert m.person.enterprise_id == m.association.enterprise_id
    assert recount() == []
    national("--reset")
    assert recount() == []
    batch = DemoBatch.objects.get(scale="national")
    assert Membership.objects.filter(association_id__gte=batch.first_association_id).count() == people.count()
