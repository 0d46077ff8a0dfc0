"""AK表1-1 组织建设: the yearly organisation table a local 科协 files, written as data.

Each line is a cell to file (a non-negative integer, 0 where none) with the place its prefilled value
comes from; ``CHECKS`` say which lines are totals of which (a total must equal, or be at least, the sum
of its parts). The coverage rates are derived from the filed figures, never filed themselves.
The table follows the layout of the organisation table of 《中国科协综合统计报表制度》 (AK表1-1) as
far as the platform holds the data.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

FORM_CODE = "AK表1-1"
FORM_TITLE = _("组织建设")

UNIT_ORGS = _("个")
UNIT_PEOPLE = _("人")
UNIT_FIRMS = _("家")


@dataclass(frozen=True)
class Line:
    code: str
    label: object  # a lazy translation
    unit: object
    source: object  # where the prefilled value comes from (shown on the page, in the docs)
    indent: int = 0  # 1 = “其中：…”


@dataclass(frozen=True)
class Check:
    """``total`` must equal (``equal``) or be at least (otherwise) the sum of ``parts``."""

    total: str
    parts: tuple[str, ...]
    equal: bool = False


@dataclass(frozen=True)
class Rate:
    """A derived percentage: ``part`` ÷ ``whole`` of the filed figures."""

    code: str
    label: object
    part: str
    whole: str


_EA = _("年末（12月31日）正常存续的企业科协（成立日期不晚于年末、撤销日期晚于年末）")
_MEM = _("年末在会的正式会员（入会日期不晚于年末、离会日期晚于年末）")

LINES: tuple[Line, ...] = (
    Line("01", _("企业科协数"), UNIT_ORGS, _EA),
    Line("02", _("国有企业科协"), UNIT_ORGS, _("同上，所在企业为中央企业、驻地央企、省管或市属国企"), 1),
    Line("03", _("民营企业科协"), UNIT_ORGS, _("同上，所在企业为民营企业"), 1),
    Line("04", _("外资企业科协"), UNIT_ORGS, _("同上，所在企业为外资企业"), 1),
    Line("05", _("其他企业科协"), UNIT_ORGS, _("同上，所在企业所有制为“其他”"), 1),
    Line("06", _("本年新建企业科协"), UNIT_ORGS, _("同上，成立日期在本年度内"), 1),
    Line(
        "07",
        _("园区、区域、行业联合科协数"),
        UNIT_ORGS,
        _("年末正常存续的联合科协（园区/区域联建/行业统建）"),
    ),
    Line("08", _("企业科协分会、小组数"), UNIT_ORGS, _("年末正常存续的企业科协分会/小组")),
    Line("09", _("企业科协会员数"), UNIT_PEOPLE, _("企业科协和联合科协中") + _MEM),
    Line("10", _("女性会员"), UNIT_PEOPLE, _("同上，性别为女"), 1),
    Line("11", _("正高级职称会员"), UNIT_PEOPLE, _("同上，职称为正高级"), 1),
    Line("12", _("副高级职称会员"), UNIT_PEOPLE, _("同上，职称为副高级"), 1),
    Line("13", _("35岁及以下会员"), UNIT_PEOPLE, _("同上，按出生年月计至年末不满36周岁"), 1),
    Line(
        "14",
        _("企业科协委员会委员数"),
        UNIT_PEOPLE,
        _("年末在任的企业科协和联合科协委员会成员（含主席、副主席、秘书长、常委、委员）"),
    ),
    Line("15", _("企业科协主席"), UNIT_PEOPLE, _("同上，年末在任的主席"), 1),
    Line("16", _("企业科协联合会、促进会数"), UNIT_ORGS, _("年末正常存续的联合会/促进会")),
    Line("17", _("联合会、促进会会员单位数"), UNIT_ORGS, _("联合会、促进会在册单位会员（截至12月31日）")),
    Line("18", _("规模以上企业数"), UNIT_FIRMS, _("本地区企业名录中标记为规模以上的企业（填报时的名录）")),
    Line(
        "19",
        _("已建立或被联合科协覆盖的规上企业"),
        UNIT_FIRMS,
        _("同上，年末被覆盖（平台统一的覆盖口径）"),
        1,
    ),
    Line(
        "20",
        _("高新技术企业数"),
        UNIT_FIRMS,
        _("本地区企业名录中标记为国家高新技术企业的企业（填报时的名录）"),
    ),
    Line(
        "21",
        _("已建立或被联合科协覆盖的高新技术企业"),
        UNIT_FIRMS,
        _("同上，年末被覆盖（平台统一的覆盖口径）"),
        1,
    ),
)

LINE_BY_CODE = {line.code: line for line in LINES}
CODES = tuple(line.code for line in LINES)

CHECKS: tuple[Check, ...] = (
    Check("01", ("02", "03", "04", "05"), equal=True),
    Check("01", ("06",)),
    Check("09", ("10",)),
    Check("09", ("11", "12")),
    Check("09", ("13",)),
    Check("14", ("15",)),
    Check("18", ("19",)),
    Check("20", ("21",)),
)

RATES: tuple[Rate, ...] = (
    Rate("R1", _("规上企业科协覆盖率"), "19", "18"),
    Rate("R2", _("高新技术企业科协覆盖率"), "21", "20"),
)
