from kexie.associations.enums import Kind
from kexie.associations.models import Association
from kexie.regions.models import Region
from kexie.regions.services import load_regions


def test_loader_counts_match_official_data(db):
    assert Region.objects.filter(level="province").count() == 33
    assert Region.objects.filter(level="city").count() == 333
    assert Region.objects.filter(level="county").count() == 2845


def test_loader_is_idempotent(db):
    result = load_regions()
    assert (result.created, result.updated) == (0, 0)
    assert Region.objects.count() == 3211


def test_county_directly_under_province_works(db):
    jiyuan = Region.objects.get(code="419001")
    assert jiyuan.level == "county" and jiyuan.parent_id == "410000"
    assert jiyuan.path == "410000/419001/"
    assert jiyuan.full_name == "河南省济源市"


def test_every_region_has_its_local_association(db):
    assert Association.objects.filter(kind=Kind.LOCAL).count() == Region.objects.count()
    zhongyuan = Association.objects.get(kind=Kind.LOCAL, region_id="410102")
    assert zhongyuan.name == "中原区科学技术协会"
    assert zhongyuan.parent.region_id == "410100"
    assert zhongyuan.parent.parent.region_id == "410000"
