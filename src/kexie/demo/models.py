from django.db import models


class DemoBatch(models.Model):
    """One bulk load of national demo data. The rows it wrote are contiguous id ranges, so a
    ``--reset`` deletes exactly them, and a re-run sees that the national scale is already there."""

    scale = models.CharField("规模", max_length=16)
    enterprises = models.PositiveIntegerField("企业数")
    associations = models.PositiveIntegerField("组织数")
    covered = models.PositiveIntegerField("联合科协覆盖企业数")
    first_enterprise_id = models.BigIntegerField()
    last_enterprise_id = models.BigIntegerField()
    first_association_id = models.BigIntegerField(null=True, blank=True)
    last_association_id = models.BigIntegerField(null=True, blank=True)
    seconds = models.FloatField("耗时（秒）")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "演示数据批次"
        verbose_name_plural = "演示数据批次"

    def __str__(self) -> str:
        return f"{self.scale}: {self.enterprises} 家企业"
