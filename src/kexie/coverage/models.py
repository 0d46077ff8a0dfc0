"""Precomputed coverage counts. They are a cache of ``kexie.associations.coverage``: every figure
they give must equal a recount from the rows (``kexie recount_stats``)."""

from django.db import models


class CoverageCell(models.Model):
    """Enterprises of one county with one combination of the scope's attributes, and how many of
    them are covered as of ``CoverageState.as_of``.

    ``flags`` is a bitmask over ``kexie.associations.coverage.SCOPE_FLAGS`` (bit i = i-th flag);
    ``st_bucket`` is 0 for an unknown number of S&T workers, else 1 + the index of the largest
    threshold in ``selectors.ST_THRESHOLDS`` the number reaches. ``province`` and ``city`` are the
    first two codes of the county's path (``city`` is the county itself under a province directly),
    so a region's children are one GROUP BY without a join.
    """

    county = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    province = models.CharField(max_length=6)
    city = models.CharField(max_length=6)
    ownership = models.CharField(max_length=20)
    industry = models.CharField(max_length=1, blank=True)
    flags = models.PositiveSmallIntegerField()
    st_bucket = models.PositiveSmallIntegerField()
    in_scope = models.PositiveIntegerField()
    covered = models.PositiveIntegerField()
    own = models.PositiveIntegerField(help_text="covering enterprise 科协 of these enterprises")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["county", "ownership", "industry", "flags", "st_bucket"], name="coverage_cell_key"
            )
        ]
        indexes = [
            models.Index(fields=["province"], name="coverage_cell_province_idx"),
            models.Index(fields=["city"], name="coverage_cell_city_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.county_id} {self.ownership} {self.industry} {self.flags} {self.st_bucket}"


class CoverageState(models.Model):
    """One row: the day the cells are counted for. When the day changes, the counties where an
    association was founded or dissolved in between are counted again before the next read."""

    as_of = models.DateField()
    built_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"coverage as of {self.as_of}"
