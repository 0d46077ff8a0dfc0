from django.core.management.base import BaseCommand
from django.utils.translation import gettext

from kexie.associations.services import ensure_local_associations
from kexie.regions.services import load_regions


class Command(BaseCommand):
    help = "载入官方行政区划代码（省、地、县三级），并为每个地区建立地方科协。可重复运行。"

    def handle(self, *args, **options):
        result = load_regions()
        locals_created = ensure_local_associations()
        self.stdout.write(
            gettext(
                "行政区划：共 %(total)s 个（数据截至 %(as_of)s），新增 %(created)s，更新 %(updated)s；"
                "新建地方科协 %(locals)s 个。"
            )
            % {
                "total": result.total,
                "as_of": result.data_as_of,
                "created": result.created,
                "updated": result.updated,
                "locals": locals_created,
            }
        )
