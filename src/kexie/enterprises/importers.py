"""Importing an enterprise list (e.g. the 高新技术企业 list a 科技局 sends).

``plan_import`` reads the file with ``core.tabular`` and judges it with ``EnterpriseImporter``, a
``core.importers`` importer whose columns clean each cell with the field's cleaner
(``cleaning.FIELDS``), then decides per row: create, update (an existing enterprise in the user's
scope), unchanged, or refused with every bad cell named. It writes nothing; ``services`` writes a plan in one transaction.
An empty cell means "not given": it never clears a value an enterprise already has.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext, gettext_lazy

from kexie.accounts import scoping
from kexie.core import audit, xlsx_template
from kexie.core.errors import DomainError
from kexie.core.i18n import join, source
from kexie.core.importers import ImportColumn, Importer
from kexie.core.importers import field as sets
from kexie.core.masking import MASKERS
from kexie.core.tabular import CellError, Column, Table, display, normalise, read_table
from kexie.regions.models import Region

from .cleaning import FIELDS, FIELDS_BY_NAME, clean_region
from .enums import FLAG_FIELDS, Industry, Ownership
from .models import Enterprise
from .permissions import enterprises_for_user
from .validators import make_credit_code, normalize_credit_code

AUDITED_FIELDS = [f.name for f in FIELDS]
TEXT_COLUMNS = ("credit_code", "region", "contact_phone")  # Excel must not turn these into numbers
SAMPLE_SIZES = {"update": 100, "create": 20, "unchanged": 10}
EXAMPLE_CREDIT_CODE = make_credit_code("91410102MA0000000")
EXAMPLE_ROW = {
    "name": "示例科技有限公司（导入前请删除本行）",
    "credit_code": EXAMPLE_CREDIT_CODE,
    "region": "410102",
    "ownership": "民营",
    "industry": "C",
    "is_high_tech": "是",
    "is_above_scale": "是",
    "is_specialized": "否",
    "is_unicorn": "否",
    "is_leading_private": "否",
    "employees": 200,
    "st_workers": 40,
    "address": "郑州市中原区示例路1号",
    "contact_name": "张三",
    "contact_phone": "13800000000",
}

# A column's label and aliases are the header texts matched in uploaded files: they stay Chinese
# whatever the page language (the import page shows each beside its translated field name).
COLUMNS: tuple[Column, ...] = (
    Column("name", "企业名称", ("单位名称", "名称", "企业全称", "公司名称"), required=True),
    Column(
        "credit_code",
        "统一社会信用代码",
        ("信用代码", "社会信用代码", "统一信用代码", "统一代码"),
        required=True,
    ),
    Column(
        "region",
        "注册地区划代码",
        ("所在地区", "区划代码", "注册地", "行政区划代码", "所在区县", "所属区县", "地区", "区县"),
        required=True,
    ),
    Column("ownership", "所有制", ("企业性质", "经济类型", "所有制类型", "登记注册类型")),
    Column("industry", "行业门类", ("行业", "所属行业", "国民经济行业", "行业分类")),
    Column("is_high_tech", "国家高新技术企业", ("是否高新", "高新技术企业", "是否高新技术企业", "高新企业")),
    Column("is_above_scale", "规模以上", ("规上", "是否规上", "规上企业", "是否规模以上", "规模以上企业")),
    Column("is_specialized", "专精特新", ("是否专精特新", "专精特新企业")),
    Column("is_unicorn", "独角兽", ("是否独角兽", "独角兽企业")),
    Column("is_leading_private", "头部民营企业", ("是否头部民营企业",)),
    Column("employees", "职工人数", ("从业人员", "从业人员数", "职工总数", "员工人数", "从业人数")),
    Column("st_workers", "科技工作者人数", ("科技人员", "科技人员数", "科技工作者", "科技人员数量")),
    Column("address", "地址", ("注册地址", "详细地址", "通讯地址", "企业地址")),
    Column("contact_name", "联系人", ("联系人姓名",)),
    Column("contact_phone", "联系电话", ("电话", "手机", "联系方式", "手机号码")),
)

# What 科技局 and statistics lists write for ownership, beyond the platform's own labels.
OWNERSHIP_SYNONYMS = {
    "民营企业": Ownership.PRIVATE,
    "私营": Ownership.PRIVATE,
    "私营企业": Ownership.PRIVATE,
    "外资企业": Ownership.FOREIGN,
    "外商投资企业": Ownership.FOREIGN,
    "外商独资": Ownership.FOREIGN,
    "中外合资": Ownership.FOREIGN,
    "港澳台投资企业": Ownership.FOREIGN,
    "央企": Ownership.CENTRAL,
    "省属国企": Ownership.PROVINCIAL,
    "省管国企": Ownership.PROVINCIAL,
    "市属国有企业": Ownership.MUNICIPAL,
    "市管企业": Ownership.MUNICIPAL,
}
_SIX_DIGITS = re.compile(r"(?<!\d)(\d{6})(?!\d)")
_SCIENTIFIC = re.compile(r"\d(\.\d+)?e\+?\d+", re.IGNORECASE)
NUMBER_HINT = gettext_lazy(
    "该单元格被存成了数字，超过15位的数字会丢失末尾数位，请把该列设为文本格式后重新填写。"
)


@dataclass
class PlannedRow:
    number: int
    action: str  # create | update | unchanged | refused
    enterprise: Enterprise | None = None
    changes: dict[str, list[Any]] = field(default_factory=dict)
    errors: list[CellError] = field(default_factory=list)


@dataclass
class ImportPlan:
    kind: str
    headers: dict[str, str]
    rows: list[PlannedRow]

    def of(self, action: str) -> list[PlannedRow]:
        return [r for r in self.rows if r.action == action]

    def written(self, action: str) -> list[tuple[Enterprise, dict[str, list[Any]]]]:
        """The enterprises the rows of ``action`` (create or update) write, each with its changes."""
        return [(r.enterprise, r.changes) for r in self.of(action) if r.enterprise is not None]

    @property
    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "unchanged": 0, "refused": 0}
        for r in self.rows:
            counts[r.action] += 1
        return {
            "total_rows": len(self.rows),
            "to_create": counts["create"],
            "to_update": counts["update"],
            "unchanged": counts["unchanged"],
            "refused": counts["refused"],
        }

    def error_dicts(self) -> list[dict[str, Any]]:
        return [e.as_dict() for r in self.rows for e in r.errors]

    def sample(self) -> list[dict[str, Any]]:
        taken: dict[str, int] = defaultdict(int)
        out = []
        for r in self.rows:
            limit = SAMPLE_SIZES.get(r.action, 0)
            if taken[r.action] >= limit:
                continue
            taken[r.action] += 1
            ent = r.enterprise
            out.append(
                {
                    "row": r.number,
                    "action": r.action,
                    "name": ent.name,
                    "credit_code": ent.credit_code,
                    "region": ent.region.name,
                    "changes": [
                        {
                            "label": str(FIELDS_BY_NAME[k].label),
                            "before": _shown(k, v[0]),
                            "after": _shown(k, v[1]),
                        }
                        for k, v in r.changes.items()
                    ],
                }
            )
        return out


def _shown(name: str, value: Any) -> str:
    """A field value as the preview shows it: labels for choices, 是/否, masked personal data."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if name == "ownership":
        return str(Ownership(value).label) if value in Ownership.values else str(value)
    if name == "industry":
        return f"{value} {Industry(value).label}" if value in Industry.values else str(value)
    masker = MASKERS.get(Enterprise.PERSONAL_FIELDS.get(name, ""))
    return masker(str(value)) if masker else str(value)


# --- regions -------------------------------------------------------------------


class RegionResolver:
    """Turns a cell (a 6-digit code, or a county name such as “郑州市中原区”) into a county.

    Results are memoised per distinct cell, so a 5,000-row file costs a handful of queries.
    """

    def __init__(self, user):
        self.user = user
        self._memo: dict[str, Region | DomainError] = {}
        self._suffixes: dict[str, list[Region]] | None = None
        self._reach: dict[str, bool] = {}

    def resolve(self, value: Any) -> Region:
        text = "".join(str(value).split())
        if text not in self._memo:
            try:
                self._memo[text] = self._resolve(text)
            except DomainError as exc:
                self._memo[text] = exc
        result = self._memo[text]
        if isinstance(result, DomainError):
            raise result
        return result

    def in_reach(self, region: Region) -> bool:
        if region.code not in self._reach:
            self._reach[region.code] = scoping.region_in_reach(self.user, region)
        return self._reach[region.code]

    def _resolve(self, text: str) -> Region:
        if text.isdigit():
            return clean_region(text)
        codes = _SIX_DIGITS.findall(text)
        if len(codes) == 1:
            return clean_region(codes[0])
        candidates = self._by_suffix().get(text, [])
        if len(candidates) > 1:
            candidates = [r for r in candidates if self.in_reach(r)] or candidates
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            raise DomainError(
                gettext("注册地“%(place)s”对应多个区县，请填写6位区划代码或写上省、市名称。")
                % {"place": text},
                field="region",
            )
        raise DomainError(
            gettext("注册地“%(place)s”不是可识别的区县名称，请填写6位区划代码，如“410102”。")
            % {"place": text},
            field="region",
        )

    def _by_suffix(self) -> dict[str, list[Region]]:
        if self._suffixes is None:
            regions = {r.code: r for r in Region.objects.only("code", "name", "level", "parent_id", "path")}
            self._suffixes = defaultdict(list)
            for region in regions.values():
                if region.level != Region.Level.COUNTY:
                    continue
                names = [region.name]
                parent = regions.get(region.parent_id or "")
                while parent is not None:
                    names.insert(0, parent.name)
                    parent = regions.get(parent.parent_id or "")
                for start in range(len(names)):
                    self._suffixes["".join(names[start:])].append(region)
        return self._suffixes


# --- planning --------------------------------------------------------------------


def _chunks(items: list[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing(user, codes: list[str], *, for_update: bool) -> tuple[dict[str, Enterprise], set[int]]:
    by_code: dict[str, Enterprise] = {}
    in_scope: set[int] = set()
    for chunk in _chunks(codes):
        qs = Enterprise.objects.filter(credit_code__in=chunk).select_related("region")
        if for_update:
            qs = qs.select_for_update(of=("self",))
        by_code.update({e.credit_code: e for e in qs})
        in_scope.update(enterprises_for_user(user).filter(credit_code__in=chunk).values_list("pk", flat=True))
    return by_code, in_scope


def _duplicates(codes: dict[int, str]) -> dict[int, str]:
    rows_by_code: dict[str, list[int]] = defaultdict(list)
    for number, code in codes.items():
        rows_by_code[code].append(number)
    messages = {}
    for numbers in rows_by_code.values():
        if len(numbers) > 1:
            listed = join(gettext("第%(row)s行") % {"row": n} for n in numbers)
            for n in numbers:
                messages[n] = gettext("该统一社会信用代码在文件中重复出现（%(rows)s），请只保留一行。") % {
                    "rows": listed
                }
    return messages


def _clean_credit_code(value: Any) -> dict[str, str]:
    """The code, or why not; a code Excel stored as a number gets the hint to make the column text."""
    try:
        return {"credit_code": normalize_credit_code(value)}
    except DomainError as exc:
        if isinstance(value, int | float) or (isinstance(value, str) and _SCIENTIFIC.fullmatch(value)):
            # Two sentences: Chinese writes them back to back, English with a space between.
            exc.message = gettext("%(reason)s%(hint)s") % {"reason": exc.message, "hint": NUMBER_HINT}
        raise


def _clean_ownership(value: Any) -> dict[str, str]:
    if isinstance(value, str):
        value = OWNERSHIP_SYNONYMS.get(value, value)
    return {"ownership": FIELDS_BY_NAME["ownership"].clean(value)}


def _import_column(column: Column, regions: RegionResolver) -> ImportColumn:
    """The file's column with the cleaner of its field (the region through ``regions``)."""
    if column.name == "credit_code":
        clean = _clean_credit_code
    elif column.name == "ownership":
        clean = _clean_ownership
    elif column.name == "region":
        clean = sets("region", regions.resolve)
    else:
        clean = sets(column.name, FIELDS_BY_NAME[column.name].clean)
    return ImportColumn(column.name, column.label, column.aliases, column.required, clean=clean)


@dataclass
class _Judged:
    number: int
    cells: list[Any]
    values: dict[str, Any]
    errors: list[CellError]


class EnterpriseImporter(Importer):
    """Cleans every cell through its column (``core.importers``), then decides each row once the
    whole file is known: its credit code repeated in the file, the enterprise already registered (in
    reach or not), the region in reach, what a new enterprise must have, the counts consistent."""

    def __init__(self, user, table: Table, *, for_update: bool):
        self.user = user
        self.regions = RegionResolver(user)
        self.columns = tuple(_import_column(c, self.regions) for c in COLUMNS)
        super().__init__(table)
        self.for_update = for_update
        self.judged: list[_Judged] = []

    def take(self, number: int, cells: list[Any], values: dict[str, Any], errors: list[CellError]) -> None:
        self.judged.append(_Judged(number, cells, values, errors))

    def plan(self) -> list[PlannedRow]:
        self.judge()
        codes = {j.number: j.values["credit_code"] for j in self.judged if "credit_code" in j.values}
        self.duplicates = _duplicates(codes)
        self.existing, self.in_scope = _existing(
            self.user, sorted(set(codes.values())), for_update=self.for_update
        )
        return [self.plan_row(j) for j in self.judged]

    def text(self, judged: _Judged, name: str) -> str:
        position = self.table.positions.get(name)
        if position is None or position >= len(judged.cells):
            return ""
        return display(judged.cells[position]) if normalise(judged.cells[position]) is not None else ""

    def error(self, judged: _Judged, name: str, reason: str) -> CellError:
        label = self.table.label(name, FIELDS_BY_NAME[name].label if name in FIELDS_BY_NAME else name)
        return CellError(judged.number, str(label), self.text(judged, name), reason)

    def _code_errors(
        self, judged: _Judged, code: str | None, existing: Enterprise | None
    ) -> list[tuple[str, str]]:
        """What the row's credit code refuses: the template's example, a repeat in the file, an
        enterprise registered out of the user's reach."""
        errors = []
        if code == EXAMPLE_CREDIT_CODE:
            errors.append(("credit_code", gettext("这是导入模板中的示例行，请删除后再导入。")))
        if judged.number in self.duplicates:
            errors.append(("credit_code", self.duplicates[judged.number]))
        if existing is not None and existing.pk not in self.in_scope:
            errors.append(
                (
                    "credit_code",
                    gettext("该统一社会信用代码已登记在您管辖范围以外的企业，请联系上级科协处理。"),
                )
            )
        return errors

    def plan_row(self, judged: _Judged) -> PlannedRow:
        values = dict(judged.values)
        code = values.get("credit_code")
        existing = self.existing.get(code) if code else None
        errors = self._code_errors(judged, code, existing)  # (field, reason)
        elsewhere = existing is not None and existing.pk not in self.in_scope
        if elsewhere:
            existing = None
        region = self._region(values.pop("region", None), existing, errors)
        employees, st_workers = values.get("employees"), values.get("st_workers")
        if employees is not None and st_workers is not None and st_workers > employees:
            errors.append(("st_workers", gettext("科技工作者人数不能多于职工人数。")))
        if existing is None and not elsewhere:
            errors.extend(self._missing_required(judged))
        elif existing is not None:
            errors.extend(self._cross_check(existing, values))
        cell_errors = judged.errors + [self.error(judged, name, reason) for name, reason in errors]
        if cell_errors or (existing is None and region is None):
            positions = self.table.positions
            cell_errors.sort(key=lambda e: positions.get(self._name_of(e.column), len(positions)))
            return PlannedRow(judged.number, "refused", errors=cell_errors)
        if region is not None:
            values["region"] = region
        if existing is None:
            return PlannedRow(judged.number, "create", enterprise=Enterprise(**values))
        before = audit.snapshot(existing, AUDITED_FIELDS)
        for name, value in values.items():
            setattr(existing, name, value)
        changes = audit.diff(before, audit.snapshot(existing, AUDITED_FIELDS))
        return PlannedRow(
            judged.number, "update" if changes else "unchanged", enterprise=existing, changes=changes
        )

    def _name_of(self, label: str) -> str:
        for name, header in self.table.headers.items():
            if header == label:
                return name
        return label

    def _region(self, region: Region | None, existing: Enterprise | None, errors: list[tuple[str, str]]):
        if region is None:
            return None
        moving = existing is None or existing.region_id != region.code
        if moving and not self.regions.in_reach(region):
            errors.append(
                ("region", gettext("注册地“%(place)s”不在您的管辖范围内。") % {"place": region.full_name})
            )
            return None
        return region

    def _missing_required(self, judged: _Judged) -> list[tuple[str, str]]:
        return [
            (spec.name, gettext("新登记的企业须填写%(label)s。") % {"label": spec.label})
            for spec in FIELDS
            if spec.required and not self.text(judged, spec.name)
        ]

    @staticmethod
    def _cross_check(existing: Enterprise, values: dict[str, Any]) -> list[tuple[str, str]]:
        if "employees" not in values and "st_workers" not in values:
            return []
        employees = values.get("employees", existing.employees)
        st_workers = values.get("st_workers", existing.st_workers)
        if employees is not None and st_workers is not None and st_workers > employees:
            return [("st_workers", gettext("科技工作者人数不能多于职工人数。"))]
        return []


def plan_import(user, data: bytes, *, filename: str, for_update: bool = False) -> ImportPlan:
    """Read and judge every row of the file; write nothing. ``TabularError`` if the file is unusable."""
    table = read_table(data, filename=filename, columns=COLUMNS)
    rows = EnterpriseImporter(user, table, for_update=for_update).plan()
    return ImportPlan(kind=table.kind, headers=table.headers, rows=rows)


# --- the template ---------------------------------------------------------------------


def build_template() -> bytes:
    """The xlsx to fill in: one header row and an example row; allowed values on a second sheet.

    What goes into cells (headers, the example, the allowed values) is Chinese, as the importer
    reads it; the explanations on the second sheet follow the language of the page.
    """
    return xlsx_template.build(_fill_template)


def _fill_template(book) -> None:
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    head_required = book.add_format(
        {"bold": True, "bg_color": "#FCE4D6", "border": 1, "font_color": "#B42318"}
    )
    text = book.add_format({"num_format": "@"})
    example = book.add_format({"num_format": "@", "font_color": "#808080", "italic": True})
    sheet = book.add_worksheet(gettext("企业名单"))
    notes = book.add_worksheet(gettext("可选值"))
    sheet.freeze_panes(1, 0)
    for col, column in enumerate(COLUMNS):
        sheet.write_string(0, col, column.label, head_required if column.required else head)
        width = 24 if column.name in ("name", "address", "credit_code") else 14
        sheet.set_column(col, col, width, text if column.name in TEXT_COLUMNS else None)
        value = EXAMPLE_ROW[column.name]
        if isinstance(value, int):
            sheet.write_number(1, col, value, example)
        else:
            sheet.write_string(1, col, value, example)
    _write_notes(notes, book.add_format({"bold": True}))
    positions = {c.name: i for i, c in enumerate(COLUMNS)}
    yes_no = {"validate": "list", "source": ["是", "否"]}
    for name in FLAG_FIELDS:
        sheet.data_validation(1, positions[name], 5000, positions[name], yes_no)
    sheet.data_validation(
        1,
        positions["ownership"],
        5000,
        positions["ownership"],
        {"validate": "list", "source": [source(label) for label in Ownership.labels]},
    )


def _value_with_meaning(label) -> str:
    """An allowed value as it is written in the file (Chinese), glossed when the page is not Chinese."""
    value, meaning = source(label), str(label)
    if meaning == value:
        return value
    return gettext("%(value)s（%(meaning)s）") % {"value": value, "meaning": meaning}


def _write_notes(sheet, bold) -> None:
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 60)
    title, ownership_title, industry_title, columns_title = (
        gettext("填写说明"),
        gettext("所有制可选值"),
        gettext("行业门类可选值"),
        gettext("列名"),
    )
    titles = {title, ownership_title, industry_title, columns_title}
    lines: list[tuple[str, str]] = [
        (title, ""),
        (
            gettext("必填列"),
            gettext("企业名称、统一社会信用代码、注册地区划代码；新登记的企业还须填写所有制。"),
        ),
        (
            gettext("注册地区划代码"),
            gettext("填写县级行政区划的6位代码（如 410102），也可填写区县名称（如 郑州市中原区）。"),
        ),
        (
            gettext("是/否列"),
            gettext("国家高新技术企业、规模以上、专精特新、独角兽、头部民营企业填写“是”或“否”。"),
        ),
        (gettext("空白单元格"), gettext("留空表示不提供，导入不会清除企业已有的信息。")),
        (gettext("公式"), gettext("单元格中不要使用公式，请直接填写内容。")),
        (gettext("示例行"), gettext("第2行是示例，导入前请删除。")),
        ("", ""),
        (ownership_title, ""),
        *[("", _value_with_meaning(label)) for label in Ownership.labels],
        ("", ""),
        (industry_title, gettext("填写字母或名称均可")),
        *[(key, _value_with_meaning(label)) for key, label in Industry.choices],
        ("", ""),
        (columns_title, gettext("可识别的其他写法")),
        *[(c.label, "、".join(c.aliases)) for c in COLUMNS],
    ]
    for row, (left, right) in enumerate(lines):
        sheet.write_string(row, 0, left, bold if left in titles else None)
        sheet.write_string(row, 1, right, bold if left in titles else None)
