"""Importing the 会员汇总表 of a 科协 being founded, from files laid out like the paper table."""

import datetime
import io

import pytest
import xlsxwriter
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from kexie.core import audit
from kexie.core.errors import DomainError
from kexie.core.models import AuditEntry
from kexie.core.tabular import TabularError
from kexie.founding import services
from kexie.founding.enums import State
from kexie.founding.services import import_founding_roster
from kexie.members.enums import MembershipStatus
from kexie.members.models import Membership, Person
from kexie.members.roster.importer import title_level_of

from ..founding.conftest import complete_dossier

TITLE = "郑州中原芯片科技有限公司科协会员汇总表"


def xlsx(rows, *, merged_header=True, date_cells=(), formulas=()) -> bytes:
    """A roster the way enterprises send it: a title over the table, a header merged over two rows
    (“基本情况” above 性别/出生年月/文化程度), the columns not in the paper's order."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("会员汇总表")
    bold = book.add_format({"bold": True, "align": "center", "valign": "vcenter", "border": 1})
    date_format = book.add_format({"num_format": "yyyy年m月"})
    sheet.merge_range(0, 0, 0, 8, TITLE, bold)
    # 序号 | 姓名 | 电话 | 基本情况: 性别 出生年月 文化程度 | 政治面貌 | 技术职称 | 职务
    header = ["序号", "姓名", "手机号"]
    for col, label in enumerate(header):
        sheet.merge_range(1, col, 2, col, label, bold) if merged_header else sheet.write(2, col, label, bold)
    if merged_header:
        sheet.merge_range(1, 3, 1, 5, "基本情况", bold)
    for col, label in enumerate(["性别", "出生年月", "学历"], start=3):
        sheet.write(2, col, label, bold)
    for col, label in enumerate(["政治面貌", "技术职称", "职务"], start=6):
        if merged_header:
            sheet.merge_range(1, col, 2, col, label, bold)
        else:
            sheet.write(2, col, label, bold)
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row):
            if value is None:
                continue
            if (r - 3, c) in date_cells:
                sheet.write_datetime(r, c, value, date_format)
            elif (r - 3, c) in formulas:
                sheet.write_formula(r, c, value)
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, value)
    book.close()
    return buffer.getvalue()


def upload(data: bytes, name: str = "会员汇总表.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


ROWS = [
    # 序号, 姓名, 手机号, 性别, 出生年月, 学历, 政治面貌, 技术职称, 职务
    [1, "张伟", "13800000001", "男", "1975.03", "硕士", "中共党员", "正高级工程师", "总经理"],
    [2, "李娜", 13800000002, "女", 1982.07, "大学本科", "群众", "高级工程师", "技术部经理"],  # number cells
    [3, "王强", "138-0000-0003", "男", "1988-7", "本科", "党员", "工程师", "工程师"],
    [
        4,
        "赵敏",
        "１３８０００００００４",
        "女",
        "1990年2月",
        "研究生",
        "团员",
        "中级",
        "研发工程师",
    ],  # full-width
    [5, "孙磊", "13800000005", "男性", "199011", "大专", "群众", "助理工程师", "技术员"],
    [6, "周芳", "13800000006", "女", None, "博士", "民主党派", "副高", "副总工程师"],  # a real date cell
    [7, "吴刚", "0371-6789012", "男", "1985.07", "本科", "群众", "", "工人"],  # a landline
    [8, "郑洁", "12345", "女", "1979-13", "中学", "党员", "", "会计"],  # three bad cells
    [None, None, None, None, None, None, None, None, None],  # an empty line
    [10, None, None, None, None, None, None, None, None],  # a numbered empty line of the template
    [11, "冯涛", "13800000011", "男", "1984.10", "本科", "群众", "讲师", "培训主管"],
]


@pytest.fixture
def roster(application, founder):
    rows = [list(r) for r in ROWS]
    rows[5][4] = datetime.datetime(1986, 9, 15)
    data = xlsx(rows, date_cells={(5, 4)})
    return import_founding_roster(application.pk, by=founder, upload=upload(data))


def members(application) -> dict[str, Person]:
    return {
        m.person.name: m.person
        for m in Membership.objects.filter(association=application.association).select_related("person")
    }


def test_a_roster_laid_out_like_the_paper_table_is_read(application, roster):
    assert roster.created == 8 and roster.updated == 0
    people = members(application)
    assert set(people) == {"张伟", "李娜", "王强", "赵敏", "孙磊", "周芳", "吴刚", "冯涛"}
    assert {m.status for m in Membership.objects.filter(association=application.association)} == {
        MembershipStatus.FOUNDING
    }
    zhang, li, wang, zhao = people["张伟"], people["李娜"], people["王强"], people["赵敏"]
    assert (zhang.sex, zhang.birth_month, zhang.education, zhang.political) == (
        "M",
        "1975-03",
        "master",
        "cpc",
    )
    assert (zhang.title_level, zhang.title_name, zhang.position) == ("senior", "正高级工程师", "总经理")
    assert zhang.enterprise == application.enterprise
    assert (li.phone, li.birth_month, li.title_level) == ("13800000002", "1982-07", "associate_senior")
    assert (wang.phone, wang.birth_month, wang.education, wang.title_level) == (
        "13800000003",
        "1988-07",
        "bachelor",
        "intermediate",
    )
    assert (zhao.phone, zhao.birth_month, zhao.political, zhao.title_level) == (
        "13800000004",
        "1990-02",
        "cyl",
        "intermediate",
    )
    assert zhao.title_name == ""  # a level was written, not a title
    assert people["孙磊"].birth_month == "1990-11" and people["孙磊"].title_level == "junior"
    assert people["孙磊"].education == "college" and people["孙磊"].sex == "M"
    assert people["周芳"].birth_month == "1986-09" and people["周芳"].political == "democratic_party"
    assert people["吴刚"].phone == "03716789012" and people["吴刚"].title_level == ""
    assert people["冯涛"].birth_month == "1984-10"


def test_every_bad_cell_is_reported_with_the_files_own_header(application, roster):
    assert Person.objects.filter(name="郑洁").count() == 0  # a row with an error is left out
    errors = {(row, column): (value, reason) for row, column, value, reason in roster.errors}
    assert set(errors) == {(11, "手机号"), (11, "出生年月"), (11, "学历")}  # spreadsheet row 11
    assert errors[(11, "手机号")][0] == "12345" and "格式不正确" in errors[(11, "手机号")][1]
    assert errors[(11, "出生年月")][0] == "1979-13" and "不在合理范围内" in errors[(11, "出生年月")][1]
    assert errors[(11, "学历")][0] == "中学" and "可选：" in errors[(11, "学历")][1]
    assert roster.refused_rows == 1


def test_importing_again_updates_instead_of_duplicating(application, founder, roster):
    rows = [
        [1, "张伟", "13800000001", "男", "1975.03", "博士", "中共党员", "正高级工程师", "董事长"],  # changed
        [2, "李娜", "13800000002", "女", "1982.07", "大学本科", "群众", "高级工程师", "技术部经理"],  # same
        [
            3,
            "王强",
            "13900000003",
            "男",
            "1988-7",
            "本科",
            "党员",
            "工程师",
            "工程师",
        ],  # new phone: a new person
        [4, "钱七", "13800000009", "男", "1992-01", None, None, None, None],  # new
    ]
    again = import_founding_roster(application.pk, by=founder, upload=upload(xlsx(rows)))
    assert (again.created, again.updated, again.unchanged, again.errors) == (2, 1, 1, [])
    assert Person.objects.filter(name="张伟").count() == 1
    zhang = Person.objects.get(name="张伟")
    assert (zhang.education, zhang.position) == ("doctorate", "董事长")
    assert Person.objects.filter(name="王强").count() == 2
    assert Membership.objects.filter(association=application.association).count() == 10

    # An empty cell never clears what is stored.
    sparse = [[1, "张伟", "13800000001", None, None, None, None, None, None]]
    third = import_founding_roster(application.pk, by=founder, upload=upload(xlsx(sparse)))
    assert (third.created, third.updated, third.unchanged) == (0, 0, 1)
    zhang.refresh_from_db()
    assert zhang.position == "董事长" and zhang.birth_month == "1975-03"


def test_the_same_person_twice_in_a_file_is_reported(application, founder):
    rows = [
        [1, "张伟", "13800000001", "男", "1975.03", None, None, None, None],
        [2, "张伟", "13800000001", "男", "1975.03", None, None, None, None],
        [3, "张伟", "13800000099", "男", "1981.03", None, None, None, None],  # another 张伟
    ]
    result = import_founding_roster(application.pk, by=founder, upload=upload(xlsx(rows)))
    assert result.created == 2
    assert result.errors == [(5, "姓名", "张伟", "与第4行是同一人（姓名和电话相同），请只保留一行。")]


def test_the_import_is_audited_with_masked_phones(application, founder, roster):
    entry = audit.history(application).get(action="import")
    assert entry.actor == founder and "新增8人" in entry.note
    created = AuditEntry.objects.filter(action="create", object_repr="张伟").get()
    assert created.changes["phone"][1] != "13800000001" and "*" in created.changes["phone"][1]


def test_a_formula_is_never_trusted(application, founder):
    rows = [
        [1, "张伟", "13800000001", "男", "1975.03", None, None, None, None],
        [2, "李娜", "13800000002", "女", '=TEXT(DATE(1982,7,1),"yyyy.mm")', None, None, None, None],
    ]
    result = import_founding_roster(application.pk, by=founder, upload=upload(xlsx(rows, formulas={(1, 4)})))
    assert result.created == 1
    assert len(result.errors) == 1
    row, column, _value, reason = result.errors[0]
    assert (row, column) == (5, "出生年月") and "公式" in reason
    assert not Person.objects.filter(name="李娜").exists()


def test_a_flat_header_and_a_csv_in_gbk(application, founder):
    flat = xlsx(ROWS[:2], merged_header=False)
    assert import_founding_roster(application.pk, by=founder, upload=upload(flat)).created == 2

    csv_text = (
        "某某公司科协会员汇总表\r\n"
        "序号,姓名,性别,出生年月,文化程度,政治面貌,职称,职务,联系电话\r\n"
        "1,王强,男,1988.07,本科,党员,工程师,工程师,13800000003\r\n"
        ",,,,,,,,\r\n"
        "2,赵敏,女,１９９０．０２,硕士研究生,共青团员,中级,研发工程师,＋86 138 0000 0004\r\n"
        "3,,女,1990.02,硕士研究生,,,,\r\n"
    )
    result = import_founding_roster(
        application.pk, by=founder, upload=upload(csv_text.encode("gb18030"), "会员.csv")
    )
    assert (result.created, result.updated) == (2, 0)
    assert result.errors == [(6, "姓名", "", "姓名不能为空。")]
    people = members(application)
    assert people["赵敏"].phone == "13800000004" and people["赵敏"].birth_month == "1990-02"


def test_a_file_that_is_not_a_roster_is_refused(application, founder):
    not_roster = xlsx([])  # headers only, no rows
    with pytest.raises(DomainError) as err:
        import_founding_roster(application.pk, by=founder, upload=upload(not_roster))
    assert err.value.field == "file" and "没有会员数据" in err.value.message

    other = b"\xef\xbb\xbf\xe4\xbc\x81\xe4\xb8\x9a\xe5\x90\x8d\xe7\xa7\xb0,\xe5\x9c\xb0\xe5\x9d\x80\r\nA,B\r\n"  # 企业名称,地址
    with pytest.raises(TabularError) as err:
        import_founding_roster(application.pk, by=founder, upload=upload(other, "list.csv"))
    assert "表头" in err.value.message

    with pytest.raises(TabularError):
        import_founding_roster(application.pk, by=founder, upload=upload(b"%PDF-1.4", "roster.pdf"))
    assert not Membership.objects.exists()


def test_only_the_preparatory_group_may_import_and_only_while_editable(world, application, founder):
    data = xlsx(ROWS[:2])
    with pytest.raises(PermissionDenied):
        import_founding_roster(application.pk, by=world.county_staff, upload=upload(data))
    with pytest.raises(Http404):
        import_founding_roster(application.pk, by=world.secretary, upload=upload(data))  # another 科协's
    assert not Membership.objects.filter(association=application.association).exists()

    complete_dossier(application, founder)
    services.submit(application.pk, by=founder)
    with pytest.raises(DomainError) as err:
        import_founding_roster(application.pk, by=founder, upload=upload(xlsx([ROWS[10]])))
    assert "材料不能再修改" in err.value.message
    assert not Person.objects.filter(name="冯涛").exists()
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_the_valid_rows_are_written_together_or_not_at_all(application, founder, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", boom)  # the last write of the import fails
    with pytest.raises(RuntimeError):
        import_founding_roster(application.pk, by=founder, upload=upload(xlsx(ROWS[:4])))
    assert not Person.objects.exists() and not Membership.objects.exists()


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("正高级工程师", "senior"),
        ("教授级高级工程师", "senior"),
        ("研究员", "senior"),
        ("高级工程师", "associate_senior"),
        ("高级经济师", "associate_senior"),
        ("副研究员", "associate_senior"),
        ("副教授", "associate_senior"),
        ("工程师", "intermediate"),
        ("助理研究员", "intermediate"),
        ("讲师", "intermediate"),
        ("主治医师", "intermediate"),
        ("助理工程师", "junior"),
        ("技术员", "junior"),
        ("医师", "junior"),
        ("厂长", ""),
    ],
)
def test_a_title_name_tells_its_level(name, level):
    assert title_level_of(name) == level
