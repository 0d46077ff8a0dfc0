import pytest
from django.http import Http404

from kexie.accounts import scoping
from kexie.associations.enums import Kind


def names(qs):
    return set(qs.values_list("name", flat=True))


def test_admin_sees_every_enterprise(world):
    assert names(scoping.enterprises(world.admin)) >= {world.ent_a.name, world.ent_b.name, world.ent_s.name}


def test_province_staff_sees_whole_subtree(world):
    assert {world.ent_a.name, world.ent_b.name, world.ent_s.name} <= names(
        scoping.enterprises(world.province_staff)
    )


def test_county_staff_sees_only_their_county(world):
    assert names(scoping.enterprises(world.county_staff)) == {world.ent_a.name, world.ent_s.name}
    assert names(scoping.enterprises(world.other_staff)) == {world.ent_b.name}


def test_out_of_scope_detail_is_404(world):
    with pytest.raises(Http404):
        scoping.get_enterprise(world.county_staff, world.ent_b.pk)
    assert scoping.get_enterprise(world.county_staff, world.ent_a.pk) == world.ent_a


def test_sasac_sees_state_owned_only_and_acfic_the_rest(world):
    assert names(scoping.enterprises(world.sasac)) == {world.ent_s.name}
    assert names(scoping.enterprises(world.acfic)) == {world.ent_a.name}


def test_secretary_sees_own_association_and_its_enterprise(world):
    assert names(scoping.enterprises(world.secretary)) == {world.ent_a.name}
    assert set(scoping.associations(world.secretary)) == {world.assoc_a}


def test_member_sees_own_association_and_no_enterprise(world):
    assert scoping.enterprises(world.member).count() == 0
    assert set(scoping.associations(world.member)) == {world.assoc_a}


def test_provider_and_roleless_user_see_nothing(world):
    for user in (world.provider, world.nobody):
        assert scoping.enterprises(user).count() == 0
        assert scoping.associations(user).count() == 0


def test_county_staff_associations_stay_in_county(world):
    visible = scoping.associations(world.county_staff)
    assert world.assoc_a in visible and world.assoc_b not in visible
    assert set(visible.filter(kind=Kind.LOCAL).values_list("region_id", flat=True)) == {"410102"}
