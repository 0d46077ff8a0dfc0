"""Who sees an application's phone numbers in full: the preparatory group and the approver's reviewers."""

from kexie.accounts.models import User
from kexie.founding import permissions, services
from kexie.founding.models import RoutingRule

from .conftest import complete_dossier


def fresh(user):
    return User.objects.get(pk=user.pk)  # the scope is cached on the instance


def test_before_submission_only_the_group_sees_contacts(world, application, founder):
    assert permissions.may_see_contacts(fresh(founder), application)
    for user in (world.county_staff, world.county_viewer, world.province_staff, world.admin, world.secretary):
        assert not permissions.may_see_contacts(user, application), user


def test_after_submission_the_approvers_reviewers_see_contacts(world, application, founder):
    complete_dossier(application, fresh(founder))
    services.submit(application.pk, by=fresh(founder))
    application.refresh_from_db()
    assert permissions.may_see_contacts(world.county_staff, application)
    assert permissions.may_see_contacts(fresh(founder), application)
    assert not permissions.may_see_contacts(world.county_viewer, application)  # same 科协, not a reviewer
    assert not permissions.may_see_contacts(world.province_staff, application)  # a reviewer, of another level
    assert not permissions.may_see_contacts(world.admin, application)
    assert not permissions.may_see_contacts(world.secretary, application)  # secretary of another 科协


def test_routed_to_the_province_its_reviewers_see_contacts(world, application, founder):
    RoutingRule.objects.create(
        province_id="410000", flag="is_high_tech", target_level="province", reason="高新技术企业由省科协审批"
    )
    complete_dossier(application, fresh(founder))
    services.submit(application.pk, by=fresh(founder))
    application.refresh_from_db()
    assert application.approver.region_id == "410000"
    assert permissions.may_see_contacts(world.province_staff, application)
    assert not permissions.may_see_contacts(world.county_staff, application)
