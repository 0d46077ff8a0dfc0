"""The founding fixtures (an application in 中原区 and its contact) serve the member tests too."""

import pytest

from kexie.accounts.models import User
from kexie.members import services

from ..founding.conftest import application, founder, high_tech

__all__ = ["application", "founder", "high_tech"]

PASSWORD = "Kexie-Worker-2026!"


def sign_up(name: str, phone: str) -> User:
    return services.sign_up(name=name, phone=phone, email="", password=PASSWORD, consent=True)


def apply_to(user: User, association, **data):
    return services.apply(
        by=user, association_id=association.pk, data={"name": user.display_name, **data}, consent=True
    )


@pytest.fixture
def worker(world):
    """An S&T worker who signed up (no role) and applied to association A."""
    user = sign_up("李工程", "13912340001")
    membership = apply_to(user, world.assoc_a, title_level="中级", id_number="11010519491231002X")
    return user, membership
