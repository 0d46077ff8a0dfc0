"""The federation's lists answer in a fixed number of queries, however many rows they show."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kexie.federations import services
from tests.api.conftest import ApiClient, token_for
from tests.factories import AssociationFactory, EnterpriseFactory

from .conftest import client


def add_units(w, n: int) -> None:
    for i in range(n):
        if i % 2:
            kwargs = {"association_id": AssociationFactory().pk}
        else:
            kwargs = {"enterprise_id": EnterpriseFactory().pk}
        unit = services.admit_unit(
            w.fed.pk,
            by=w.fed_staff,
            tier="member",
            joined_on="2024-01-01",
            representative_phone="13800001111",
            **kwargs,
        )
        services.set_dues(unit.pk, by=w.fed_staff, year=2025, amount="100")


def count(get) -> int:
    get()  # the first call may stamp a token's last use or fill caches
    with CaptureQueriesContext(connection) as ctx:
        response = get()
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_pages_and_api_lists_do_not_grow_with_rows(fed):
    page = client(fed.county_staff)
    api = ApiClient(token_for(fed.county_staff))
    gets = {
        "units": lambda: page.get(reverse("federations:units", args=[fed.fed.pk]), {"year": 2025}),
        "dues": lambda: page.get(reverse("federations:dues", args=[fed.fed.pk]), {"year": 2025}),
        "overview": lambda: page.get(reverse("federations:overview", args=[fed.fed.pk])),
        "export": lambda: page.get(reverse("federations:export", args=[fed.fed.pk])),
        "api": lambda: api.get(f"/federations/{fed.fed.pk}/units"),
    }
    add_units(fed, 2)
    few = {name: count(get) for name, get in gets.items()}
    add_units(fed, 12)
    many = {name: count(get) for name, get in gets.items()}
    assert many == few
