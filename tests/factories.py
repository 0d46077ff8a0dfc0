"""factory_boy factories. Regions come from the official loader (loaded once per test database)."""

import factory
from factory.django import DjangoModelFactory

from kexie.accounts.models import RoleAssignment, User
from kexie.accounts.services import assign_role
from kexie.associations.enums import Kind, Status
from kexie.associations.models import Association
from kexie.enterprises.enums import Ownership
from kexie.enterprises.models import Enterprise
from kexie.enterprises.validators import CREDIT_CODE_ALPHABET, make_credit_code
from kexie.regions.models import Region

# Henan: 郑州市 中原区, 郑州市 金水区, 开封市 龙亭区; 济源 sits directly under the province.
ZHONGYUAN, JINSHUI, LONGTING, JIYUAN = "410102", "410105", "410202", "419001"
HENAN, ZHENGZHOU, KAIFENG = "410000", "410100", "410200"
HEBEI_COUNTY = "130102"  # 石家庄市 长安区


def credit_code_for(n: int, region_code: str = "410102") -> str:
    """A valid, unique 统一社会信用代码 for the n-th test enterprise."""
    body = ""
    k = n
    for _ in range(9):
        body = CREDIT_CODE_ALPHABET[k % 31] + body
        k //= 31
    return make_credit_code("91" + region_code + body)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.django.Password("kexie-test-pass")


class EnterpriseFactory(DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"郑州测试科技有限公司{n:05d}")
    credit_code = factory.Sequence(lambda n: credit_code_for(n))
    region = factory.LazyFunction(lambda: Region.objects.get(code=ZHONGYUAN))
    ownership = Ownership.PRIVATE
    industry = "C"
    employees = 200
    st_workers = 40


class AssociationFactory(DjangoModelFactory):
    class Meta:
        model = Association

    kind = Kind.ENTERPRISE
    name = factory.LazyAttribute(lambda o: f"{o.enterprise.name}科学技术协会" if o.enterprise else "测试科协")
    enterprise = factory.SubFactory(EnterpriseFactory)
    region = factory.LazyAttribute(
        lambda o: o.enterprise.region if o.enterprise else Region.objects.get(code=ZHONGYUAN)
    )
    parent = factory.LazyAttribute(lambda o: Association.objects.get(kind=Kind.LOCAL, region=o.region))
    status = Status.ACTIVE


def grant(user, role, *, association=None, region=None, enterprise=None) -> RoleAssignment:
    if region is not None and not isinstance(region, Region):
        region = Region.objects.get(code=region)

    return assign_role(user, role, association=association, region=region, enterprise=enterprise)


def local(code: str) -> Association:
    return Association.objects.get(kind=Kind.LOCAL, region_id=code)
