"""Importing the 会员汇总表 of an association: preview, commit, idempotence, every bad input."""

import datetime
import io
import zipfile

import pytest
import xlsxwriter
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404

from kexie.accounts.enums import Role
from kexie.accounts.models import User
from kexie.core import audit
from kexie.core.errors import DomainError
from kexie.core.models import AuditEntry
from kexie.members.cleaning import id_check_character
from kexie.members.models import Membership, Person
from kexie.members.roster import importer, writing
from kexie.members.roster.writing import import_roster

from ..factories import UserFactory, grant
from ..founding.test_numbering import _run_together, concurrent

TITLE = "郑州中原智能装备有限公司科协会员汇总表"
PAPER = ["序号", "姓名", "性别", "出生年月", "文化程度", "政治面貌", "职称", "职务", "电话"]


def id_number(serial: int, born: str = "19850701") -> str:
    first17 = f"410102{born}{serial:03d}"
    return first17 + id_check_character(first17)


def roster_xlsx(rows, *, extra=(), title=TITLE) -> bytes:
    """A roster as people send it: a title row, the paper header merged over two rows (“基本情况”
    above 性别/出生年月/文化程度), optional full-profile columns after the paper ones."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("会员汇总表")
    bold = book.add_format({"bold": True, "align": "center", "border": 1})
    date_format = book.add_format({"num_format": "yyyy年m月"})
    header = [*PAPER, *extra]
    sheet.merge_range(0, 0, 0, len(header) - 1, title, bold)
    for col, label in enumerate(header):
        if label in ("性别", "出生年月", "文化程度"):
            sheet.write(2, col, label, bold)
        else:
            sheet.merge_range(1, col, 2, col, label, bold)
    sheet.merge_range(1, 2, 1, 4, "基本情况", bold)
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row):
            if isinstance(value, datetime.date):
                sheet.write_datetime(r, c, datetime.datetime.combine(value, datetime.time()), date_format)
            elif value is not None:
                sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


ROWS = [
    [1, "张伟", "男", "1975.03", "硕士", "中共党员", "正高级工程师", "总经理", "13800000001"],
    [2, "李娜", "女", 1982.07, "大学本科", "群众", "高级工程师", "技术部经理", 13800000002],
    [3, "王强 ", "男", "1988年7月", "本科", "党员", "工程师", "工程师", "138-0000-0003"],
    [
        4,
        "赵敏",
        "女",
        datetime.date(1990, 2, 1),
        "大专",
        "团员",
        "助理工程师",
        "技术员",
        "０３７１-６７８９０１２",
    ],
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def run(world, data, *, commit=False, strict=False, by=None, name="名单.xlsx"):
    return import_roster(
        world.assoc_a.pk, by=by or world.secretary, data=data, filename=name, commit=commit, strict=strict
    )


def plain_rows(count: int, surname: str, phones_from: int = 1) -> list[list]:
    """``count`` valid rows of the paper layout, named surname + 一, 二, …, with distinct phones."""
    return [
        [
            i,
            f"{surname}{'一二三四五六七八九十'[i - 1]}",
            "男",
            "1980.01",
            "本科",
            "群众",
            "工程师",
            "工程师",
            f"1390000{phones_from + i:04d}",
        ]
        for i in range(1, count + 1)
    ]


def person_entries(**filters):
    return AuditEntry.objects.filter(content_type__model="person", **filters)


def members_of(world):
    return Person.objects.filter(memberships__association=world.assoc_a)


def test_preview_counts_and_writes_nothing(world):
    plan = run(world, roster_xlsx(ROWS))
    assert plan.counts == {"to_create": 4, "to_update": 0, "unchanged": 0, "refused": 0}
    assert (
        plan.sample_rows[0]["action"] == "create"
        and plan.sample_rows[0]["changes"]["phone"][1] == "138****0001"
    )
    assert not Person.objects.exists() and not plan.written


def test_commit_creates_people_with_approved_memberships(world):
    plan = run(world, roster_xlsx(ROWS), commit=True)
    assert plan.written and plan.counts["to_create"] == 4
    people = {p.name: p for p in members_of(world)}
    assert set(people) == {"张伟", "李娜", "王强", "赵敏"}
    assert (people["李娜"].birth_month, people["李娜"].phone, people["李娜"].title_level) == (
        "1982-07",
        "13800000002",
        "associate_senior",
    )
    assert people["赵敏"].phone == "03716789012" and people["赵敏"].birth_month == "1990-02"
    assert people["王强"].political == "cpc" and people["王强"].education == "bachelor"
    membership = Membership.objects.get(person=people["张伟"])
    assert (membership.status, membership.joined_on) == ("approved", datetime.date.today())
    assert membership.decided_by is None  # not decided one by one: the import's entry says who
    assert people["张伟"].enterprise_id == world.ent_a.pk
    # One entry for the import (not one per person): every created person points at it, and it is
    # the first line of their history.
    entry = AuditEntry.objects.get(action="import", object_id=str(world.assoc_a.pk))
    assert entry.actor == world.secretary and entry.changes["members_created"] == [None, 4]
    assert "新增4人" in entry.note and not person_entries(action="create").exists()
    assert {p.import_entry_id for p in people.values()} == {entry.pk}
    assert list(audit.history(people["张伟"])) == [entry]


def test_full_profile_columns_any_order(world):
    extra = ["电子邮箱", "身份证号码", "民族", "入会时间", "部门"]
    row = [*ROWS[0], "ZW@Example.com", id_number(1).lower(), "汉", "2020年5月1日", "研发中心"]
    run(world, roster_xlsx([row], extra=extra), commit=True)
    person = members_of(world).get()
    assert (person.email, person.ethnicity, person.department) == ("zw@example.com", "汉族", "研发中心")
    assert person.id_number == id_number(1) and person.id_masked.startswith("4101")
    assert Membership.objects.get(person=person).joined_on == datetime.date(2020, 5, 1)


def test_reimporting_the_same_file_changes_nothing(world):
    data = roster_xlsx(ROWS)
    run(world, data, commit=True)
    before = person_entries().count()
    plan = run(world, data, commit=True)
    assert plan.counts == {"to_create": 0, "to_update": 0, "unchanged": 4, "refused": 0}
    assert members_of(world).count() == 4 and Membership.objects.count() == 4
    assert person_entries().count() == before


def test_a_changed_cell_updates_and_an_empty_cell_keeps_the_stored_value(world):
    run(world, roster_xlsx(ROWS), commit=True)
    changed = [
        [1, "张伟", "男", "1975.03", "博士", None, None, "董事长", "13800000001"],  # 政治面貌 left empty
        ROWS[1],
    ]
    plan = run(world, roster_xlsx(changed), commit=True)
    assert plan.counts == {"to_create": 0, "to_update": 1, "unchanged": 1, "refused": 0}
    zhang = Person.objects.get(name="张伟")
    assert (zhang.position, zhang.education, zhang.political) == ("董事长", "doctorate", "cpc")
    entry = person_entries().get(action="update", object_id=str(zhang.pk))
    assert entry.changes == {"education": ["master", "doctorate"], "position": ["总经理", "董事长"]}


def test_matched_by_id_number_even_when_the_phone_changed(world):
    extra = ["身份证号"]
    run(world, roster_xlsx([[*ROWS[0], id_number(1)]], extra=extra), commit=True)
    moved = [
        [
            1,
            "张伟",
            "男",
            "1975.03",
            "硕士",
            "中共党员",
            "正高级工程师",
            "总经理",
            "13900000009",
            id_number(1),
        ]
    ]
    plan = run(world, roster_xlsx(moved, extra=extra), commit=True)
    assert plan.counts["to_update"] == 1 and Person.objects.count() == 1
    entry = person_entries().get(action="update")
    assert entry.changes["phone"] == ["138****0001", "139****0009"]


def test_people_of_another_association_are_never_matched(world):
    run(world, roster_xlsx(ROWS[:1]), commit=True)
    Membership.objects.update(association=world.assoc_b)
    plan = run(world, roster_xlsx(ROWS[:1]), commit=True)
    assert plan.counts["to_create"] == 1 and Person.objects.count() == 2


def test_refused_rows_are_reported_and_the_valid_ones_written(world):
    rows = [*ROWS, [5, "孙磊", "男", "1985.07", "本科", "群众", "工程师", "工人", "1380000000"]]
    plan = run(world, roster_xlsx(rows), commit=True)
    assert plan.counts == {"to_create": 4, "to_update": 0, "unchanged": 0, "refused": 1}
    [error] = plan.errors
    assert (error.row, error.column, error.value) == (8, "电话", "1380000000")
    assert "10位" in error.reason and members_of(world).count() == 4


def test_strict_refuses_the_whole_file_when_a_row_is_refused(world):
    rows = [*ROWS, [5, "孙磊", "男", "1985.07", "本科", "群众", "工程师", "工人", "1380000000"]]
    plan = run(world, roster_xlsx(rows), commit=True, strict=True)
    assert not plan.written and plan.refused == 1 and not Person.objects.exists()


def test_a_failure_midway_leaves_no_rows(world, monkeypatch):
    monkeypatch.setattr(importer, "BATCH", 2)

    def boom(written):
        raise RuntimeError("killed")

    monkeypatch.setattr(writing, "_after_batch", boom)
    with pytest.raises(RuntimeError):
        run(world, roster_xlsx(ROWS), commit=True)
    assert not Person.objects.exists() and not Membership.objects.exists()
    assert not person_entries().exists() and not AuditEntry.objects.filter(action="import").exists()


def test_only_the_secretary_of_the_association_or_an_admin_may_import(world):
    with pytest.raises(PermissionDenied):
        run(world, roster_xlsx(ROWS), by=world.county_staff)
    with pytest.raises(Http404):
        import_roster(world.assoc_b.pk, by=world.secretary, data=roster_xlsx(ROWS), filename="a.xlsx")
    assert run(world, roster_xlsx(ROWS), by=world.admin, commit=True).written


def test_csv_is_read_too(world):
    data = "序号,姓名,性别,出生年月,电话\r\n1,王强,男,1988-07,13800000003\r\n".encode("gb18030")
    plan = run(world, data, commit=True, name="名单.csv")
    assert plan.written and Person.objects.get().phone == "13800000003"


# --- bad input: a clear Chinese message, nothing written --------------------------------------------


def refused_cell(world, row):
    plan = run(world, roster_xlsx([ROWS[0], row]), commit=True, strict=True)
    assert not Person.objects.exists()
    [error] = plan.errors
    return error


def test_bad_a_text_file_renamed_xlsx(world):
    with pytest.raises(DomainError) as err:
        run(world, "序号,姓名\n1,张伟\n".encode(), commit=True)
    assert "不是有效的 .xlsx 表格" in err.value.message and not Person.objects.exists()


def test_bad_a_zip_bomb_disguised_as_xlsx(world, settings):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (settings.KEXIE_IMPORT_MAX_UNPACKED_BYTES + 1))
    with pytest.raises(DomainError) as err:
        run(world, buffer.getvalue(), commit=True)
    assert "解压后超过" in err.value.message and not Person.objects.exists()


def test_bad_a_50_mb_file(world):
    with pytest.raises(DomainError) as err:
        run(world, b"PK\x03\x04" + b"\0" * (50 * 1024 * 1024), commit=True)
    assert "文件大小超过上限" in err.value.message and not Person.objects.exists()


def test_bad_a_sheet_without_a_recognisable_header(world):
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["甲", "乙", "丙"])
    sheet.write_row(1, 0, ["张伟", "男", "13800000001"])
    book.close()
    with pytest.raises(DomainError) as err:
        run(world, buffer.getvalue(), commit=True)
    assert "没有找到表头" in err.value.message and not Person.objects.exists()


def test_bad_duplicate_rows_name_the_first_row(world):
    error = refused_cell(world, ROWS[0])
    assert (error.row, error.column) == (5, "姓名") and "与第4行是同一人" in error.reason


def test_bad_a_phone_with_10_digits(world):
    error = refused_cell(world, [2, "李娜", "女", "1982.07", "本科", "群众", "", "", "1380000000"])
    assert error.column == "电话" and "10位" in error.reason and "11位" in error.reason


def test_bad_an_id_number_with_a_wrong_check_digit(world):
    good = id_number(2)
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    plan = run(
        world,
        roster_xlsx([[*ROWS[0], id_number(1)], [*ROWS[1], wrong]], extra=["身份证号"]),
        commit=True,
        strict=True,
    )
    [error] = plan.errors
    assert error.column == "身份证号" and "校验码错误" in error.reason and not Person.objects.exists()


def test_bad_a_birth_month_in_the_future(world):
    later = datetime.date.today().replace(day=1) + datetime.timedelta(days=32)
    error = refused_cell(
        world, [2, "李娜", "女", f"{later.year}.{later.month}", "本科", "群众", "", "", "13800000002"]
    )
    assert error.column == "出生年月" and "晚于本月" in error.reason


def test_bad_a_formula_cell(world):
    error = refused_cell(world, [2, "=1+1", "女", "1982.07", "本科", "群众", "", "", "13800000002"])
    assert error.column == "姓名" and "公式" in error.reason


def test_bad_an_empty_roster(world):
    with pytest.raises(DomainError) as err:
        run(world, roster_xlsx([]), commit=True)
    assert "没有会员数据" in err.value.message


def test_values_that_need_escaping_in_copy_are_stored_as_typed(world):
    """PostgreSQL's COPY text format gives a meaning to backslashes: the writer escapes them."""
    rows = [
        [1, "张伟", "男", "1975.03", "硕士", "中共党员", "正高级工程师", "研发\\一部\\N 主任", "13800000001"],
        [2, "李娜", "女", "1982.07", "大学本科", "群众", "高级工程师", "\\N", "13800000002"],
    ]
    plan = run(world, roster_xlsx(rows), commit=True)
    assert plan.counts["to_create"] == 2
    positions = dict(members_of(world).values_list("name", "position"))
    assert positions == {"张伟": "研发\\一部\\N 主任", "李娜": "\\N"}


@pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="ids are reserved from the sequence on PostgreSQL"
)
def test_ids_are_reserved_only_for_files_that_create_people(world):
    def next_id():
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence('members_person', 'id'))")
            return cursor.fetchone()[0]

    data = roster_xlsx(ROWS)
    run(world, data, commit=True)
    before = next_id()
    assert run(world, data, commit=True).counts["unchanged"] == 4  # nothing created: no id taken
    assert next_id() == before + 1


@concurrent
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("regions")
def test_concurrent_imports_each_write_their_own_rows(world):
    """Three imports at once, each in its own connection with its own writer thread: two into
    科协 A with the same file (the second waits for the first and finds everyone unchanged), one into
    科协 B. Nothing crosses connections; every count is right."""

    grant(UserFactory(username="secretary_b"), Role.SECRETARY, association=world.assoc_b)
    rows_b = plain_rows(8, "王")

    def job(association, username, data):
        return lambda: import_roster(
            association.pk,
            by=User.objects.get(username=username),
            data=data,
            filename="名单.xlsx",
            commit=True,
        )

    outcomes = _run_together(
        [
            job(world.assoc_a, "secretary_a", roster_xlsx(ROWS)),
            job(world.assoc_a, "secretary_a", roster_xlsx(ROWS)),
            job(world.assoc_b, "secretary_b", roster_xlsx(rows_b)),
        ]
    )
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    a_counts = sorted((o.counts["to_create"], o.counts["unchanged"]) for o in outcomes[:2])
    assert a_counts == [(0, 4), (4, 0)] and outcomes[2].counts["to_create"] == 8
    assert Membership.objects.filter(association=world.assoc_a).count() == 4
    assert Membership.objects.filter(association=world.assoc_b).count() == 8
    assert Person.objects.count() == 12 and AuditEntry.objects.filter(action="import").count() == 3
