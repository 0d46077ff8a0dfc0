from django.core.management.base import BaseCommand

from kexie.associations.services import ensure_local_associations
from kexie.regions.services import load_regions


class Command(BaseCommand):
    help = "载入官方行政区划代码（省、地、县三级），并为每个地区建立地方科协。可重复运行。"

    def handle(self, *args, **options):
        result = load_regions()
        locals_created = ensure_local_associations()
        self.stdout.write(
            f"行政区划：共 {result.total} 个（数据截至 {result.data_as_of}），新增 {result.created}，"
            f"更新 {result.updated}；新建地方科协 {locals_created} 个。"
        )
