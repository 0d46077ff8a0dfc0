"""Precomputed coverage counts. They are a cache of ``kexie.coverage.definition``: every figure
they give must equal a recount from the rows (``kexie recount_stats`` checks all four tables).

Regions are addressed by the codes of their path: ``province`` and ``city`` are its first two codes
(``city`` is the county itself for a county directly under a province). A region's children are the
rows whose ``parent`` is its code (the provinces have parent ""), so no figure needs a join."""

from django.db import models


class CoverageCell(models.Model):
    """Enterprises of one county with one combination of the scope's attributes, and how many of
    them are covered as of ``CoverageState.as_of`` (``own``: their covering enterprise 科协).

    ``flags`` is a bitmask over ``kexie.coverage.definition.SCOPE_FLAGS`` (bit i = i-th flag);
    ``st_bucket`` is 0 for an unknown number of S&T workers, else 1 + the index of the largest
    threshold in ``services.ST_THRESHOLDS`` the number reaches."""

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
            # A flag filter reads the cells of the matching bitmasks only, and from the index alone.
            models.Index(
                fields=["flags", "province", "in_scope", "covered", "own"], name="coverage_cell_flags_idx"
            ),
            models.Index(fields=["city"], name="coverage_cell_city_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.county_id} {self.ownership} {self.industry} {self.flags} {self.st_bucket}"


class CoverageTotal(models.Model):
    """The cells of a region's whole subtree summed over everything but ownership, for every
    province, city and county: the figures of a scope that filters on ownership only."""

    region = models.CharField(max_length=6)
    parent = models.CharField(max_length=6, blank=True)
    ownership = models.CharField(max_length=20)
    in_scope = models.PositiveIntegerField()
    covered = models.PositiveIntegerField()
    own = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "ownership"], name="coverage_total_key")]
        indexes = [models.Index(fields=["parent"], name="coverage_total_parent_idx")]

    def __str__(self) -> str:
        return f"{self.region} {self.ownership}"


class CoverageJoint(models.Model):
    """A covering joint 科协 and the attributes of the enterprises it covers in one county (one row
    per distinct combination): joint 科协 are counted distinct, so they cannot be summed."""

    association = models.ForeignKey("associations.Association", on_delete=models.CASCADE, related_name="+")
    county = models.CharField(max_length=6)
    province = models.CharField(max_length=6)
    city = models.CharField(max_length=6)
    ownership = models.CharField(max_length=20)
    industry = models.CharField(max_length=1, blank=True)
    flags = models.PositiveSmallIntegerField()
    st_bucket = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["association", "county", "ownership", "industry", "flags", "st_bucket"],
                name="coverage_joint_key",
            )
        ]
        indexes = [
            models.Index(fields=["province"], name="coverage_joint_province_idx"),
            models.Index(fields=["city"], name="coverage_joint_city_idx"),
            models.Index(fields=["county"], name="coverage_joint_county_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.association_id} @ {self.county}"


class CoverageJointTotal(models.Model):
    """Covering joint 科协 counted distinct under each region, for the three reaches a user can have:
    every ownership (``all``), state-owned (``state``, 国资委) and the others (``nonstate``, 工商联)."""

    region = models.CharField(max_length=6)
    parent = models.CharField(max_length=6, blank=True)
    group = models.CharField(max_length=8)
    joint = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "group"], name="coverage_joint_total_key")]
        indexes = [models.Index(fields=["parent", "group"], name="coverage_jtotal_parent_idx")]

    def __str__(self) -> str:
        return f"{self.region} {self.group}: {self.joint}"


class CoverageMonth(models.Model):
    """Enterprises covered at a month end (the trend), per region and ownership: ``leaf`` rows are
    counted from the rows for a county, the others are the sums of the leaves of a city or province."""

    region = models.CharField(max_length=6)
    parent = models.CharField(max_length=6, blank=True)
    province = models.CharField(max_length=6)
    city = models.CharField(max_length=6, blank=True)
    leaf = models.BooleanField()
    ownership = models.CharField(max_length=20)
    day = models.DateField()
    covered = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "ownership", "day"], name="coverage_month_key")
        ]
        indexes = [
            models.Index(fields=["parent"], name="coverage_month_parent_idx"),
            models.Index(fields=["province", "leaf"], name="coverage_month_province_idx"),
            models.Index(fields=["city", "leaf"], name="coverage_month_city_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.ownership} {self.day}"


class CoverageState(models.Model):
    """One row: the day the cells are counted for. When the day changes, the counties where an
    association was founded or dissolved in between are counted again before the next read; when
    the month changes, the month ends of the trend are counted again."""

    as_of = models.DateField()
    built_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"coverage as of {self.as_of}"


class PendingCounty(models.Model):
    """The outbox coverage consumes: a county whose enterprises or covering associations changed since
    its rows were counted. A write anywhere only adds a row here (no lock, no counting: see
    ``receivers``); the next reader of the figures, or ``kexie recount_stats``, counts those counties
    again and removes the rows it handled, in one transaction (``services.ensure_current``)."""

    county = models.CharField(max_length=6)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.county} changed"
