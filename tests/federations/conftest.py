"""A federation in 中原区 with its own staff (the federation's secretary), and another federation."""

import datetime

import pytest
from django.test import Client

from kexie.accounts.enums import Role
from kexie.associations.enums import Kind, Status
from kexie.associations.models import Association
from tests.factories import ZHONGYUAN, UserFactory, grant, local

FOUNDED = datetime.date(2020, 3, 1)


def make_federation(name: str, region: str = ZHONGYUAN, staff: str | None = None):
    """An active federation under the local 科协 of ``region``; with ``staff``, a user who is its secretary."""
    federation = Association.objects.create(
        kind=Kind.FEDERATION,
        name=name,
        region_id=region,
        parent=local(region),
        status=Status.ACTIVE,
        founded_on=FOUNDED,
    )
    user = None
    if staff:
        user = UserFactory(username=staff)
        grant(user, Role.SECRETARY, association=federation)
    return federation, user


@pytest.fixture
def fed(world):
    """``world`` plus: fed (中原区企业科协联合会) and its staff, other_fed and its staff."""
    world.fed, world.fed_staff = make_federation("中原区企业科协联合会", staff="lianhehui_a")
    world.other_fed, world.other_fed_staff = make_federation("中原区科技创新促进会", staff="lianhehui_b")
    return world


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c
