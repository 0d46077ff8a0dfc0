"""Every list answers in a fixed number of queries, however many rows it shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kexie.associations.enums import Kind

from ..factories import ZHENGZHOU, ZHONGYUAN, AssociationFactory, EnterpriseFactory, local


def add_rows(n):
    for ent in EnterpriseFactory.create_batch(n, region_id=ZHONGYUAN):
        parent = AssociationFactory(enterprise=ent)
        AssociationFactory(kind=Kind.SUBUNIT, enterprise=ent, parent=parent, name=f"{ent.name}分会")


LISTS = {
    "enterprises": ("/enterprises", dict),
    "associations": ("/associations", dict),
    "association-roots": ("/associations/tree", dict),
    "association-children": ("/associations/tree", lambda: {"parent": local(ZHONGYUAN).pk}),
    "regions": ("/regions", lambda: {"parent": ZHENGZHOU}),
}


@pytest.mark.parametrize("name", LISTS)
def test_list_query_count_does_not_grow_with_rows(world, as_user, name):
    path, make_params = LISTS[name]
    client = as_user(world.county_staff)
    params = make_params()

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path, **params)
        assert response.status_code == 200
        return len(ctx.captured_queries), response.json()

    client.get(path, **params)  # the first call may stamp the token's last use
    few, before = queries()
    add_rows(10)
    many, after = queries()
    assert many == few
    if name in ("enterprises", "associations", "association-children"):
        assert after["count"] >= before["count"] + 10
