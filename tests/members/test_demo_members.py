"""The members of the demo home 科协: deterministic, idempotent, quick, with the demo member linked."""

import time

from django.test import Client

from kexie.demo.members import PEOPLE, demo_card_code, load_members_demo
from kexie.members.models import Membership, Person
from kexie.members.selectors import check_card, office_holders

from ..factories import UserFactory


def test_demo_members_are_deterministic_idempotent_and_linked(world):
    member = UserFactory(username="member", phone="13803710007")
    started = time.perf_counter()
    assert load_members_demo(world.assoc_a) == len(PEOPLE)
    assert time.perf_counter() - started < 3
    assert load_members_demo(world.assoc_a) == 0
    statuses = list(Membership.objects.filter(association=world.assoc_a).values_list("status", flat=True))
    assert statuses.count("applied") == 3 and statuses.count("left") == 1 and statuses.count("approved") == 11
    assert [t.membership.person.name for t in office_holders(world.assoc_a, "chair")] == ["高建华"]
    assert Person.objects.get(user=member).name == "孙丽"
    assert check_card(demo_card_code("孙丽")).valid
    client = Client()
    client.force_login(member)
    own = Membership.objects.get(person__user=member)
    assert client.get("/members/me/").status_code == 200
    assert client.get(f"/members/me/card/{own.pk}.pdf").status_code == 200
