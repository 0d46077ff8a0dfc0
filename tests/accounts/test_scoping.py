import pytest
from django.http import Http404

from kexie.associations.enums import Kind
from kexie.associations.permissions import associations_for_user
from kexie.enterprises.permissions import enterprises_for_user, get_enterprise_for_user


def names(qs):
    return set(qs.values_list("name", flat=True))


def test_admin_sees_every_enterprise(world):
    assert names(enterprises_for_user(world.admin)) >= {world.ent_a.name, world.ent_b.name, world.ent_s.name}


def test_province_staff_sees_whole_subtree(world):
    assert {world.ent_a.name, world.ent_b.name, world.ent_s.name} <= names(
        enterprises_for_user(world.province_staff)
    )


def test_county_staff_sees_only_their_county(world):
    assert names(enterprises_for_user(world.county_staff)) == {world.ent_a.name, world.ent_s.name}
    assert names(enterprises_for_user(world.other_staff)) == {world.ent_b.name}


def test_out_of_scope_detail_is_404(world):
    with pytest.raises(Http404):
        get_enterprise_for_user(world.county_staff, world.ent_b.pk)
    assert get_enterprise_for_user(world.county_staff, world.ent_a.pk) == world.ent_a


def test_sasac_sees_state_owned_only_and_acfic_the_rest(world):
    assert names(enterprises_for_user(world.sasac)) == {world.ent_s.name}
    assert names(enterprises_for_user(world.acfic)) == {world.ent_a.name}


def test_secretary_sees_own_association_and_its_enterprise(world):
    assert names(enterprises_for_user(world.secretary)) == {world.ent_a.name}
    assert set(associations_for_user(world.secretary)) == {world.assoc_a}


def test_member_sees_own_association_and_no_enterprise(world):
    assert enterprises_for_user(world.member).count() == 0
    assert set(associations_for_user(world.member)) == {world.assoc_a}


def test_provider_and_roleless_user_see_nothing(world):
    for user in (world.provider, world.nobody):
        assert enterprises_for_user(user).count() == 0
        assert associations_for_user(user).count() == 0


def test_county_staff_associations_stay_in_county(world):
    visible = associations_for_user(world.county_staff)
    assert world.assoc_a in visible and world.assoc_b not in visible
    assert set(visible.filter(kind=Kind.LOCAL).values_list("region_id", flat=True)) == {"410102"}
