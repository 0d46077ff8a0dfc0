"""Cleaning what people write about a person (the 会员汇总表 fields)."""

import datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from kexie.core.errors import DomainError
from kexie.core.tabular import normalise
from kexie.members.cleaning import (
    FAST_PATHS,
    PERSON_FIELDS,
    clean_birth_month,
    clean_name,
    clean_person,
    clean_phone,
    id_check_character,
)

THIS_YEAR = datetime.date.today().year
FULLWIDTH = str.maketrans("0123456789.-/", "０１２３４５６７８９．－／")

years = st.integers(min_value=1900, max_value=THIS_YEAR - 1)  # this year: only months already begun
months = st.integers(min_value=1, max_value=12)
days = st.integers(min_value=1, max_value=28)


def written(year: int, month: int, day: int, style: int):
    """The ways a birth month arrives from a hand-filled roster."""
    return [
        f"{year}.{month:02d}",
        f"{year}.{month}",
        f"{year}-{month}",
        f"{year}-{month:02d}",
        f"{year}/{month}",
        f"{year}年{month}月",
        f"{year}年{month:02d}月",
        f"{year}年{month}月{day}日",
        f"{year}{month:02d}",
        f"{year}{month:02d}{day:02d}",
        f"{year}-{month:02d}-{day:02d}",
        f" {year} 年 {month} 月 ",
        f"{year}.{month:02d}".translate(FULLWIDTH),
        f"{year}年{month}月".translate(FULLWIDTH),
        datetime.date(year, month, day),
        datetime.datetime(year, month, day, 0, 0),
        int(f"{year}{month:02d}"),  # 198507 typed into a number cell
        float(f"{year}.{month:02d}"),  # 1985.07 typed into a number cell (1985.10 is kept as 1985.1)
    ][style]


@given(years, months, days, st.integers(min_value=0, max_value=17))
@example(1985, 7, 1, 0)
@example(1985, 10, 1, 17)
@example(THIS_YEAR - 1, 12, 28, 8)
def test_every_way_of_writing_a_birth_month_gives_yyyy_mm(year, month, day, style):
    assert clean_birth_month(written(year, month, day, style)) == f"{year:04d}-{month:02d}"


@given(years, st.integers(min_value=2, max_value=12))
def test_a_month_without_its_zero_in_a_number_cell(year, month):
    # 1985.7 in a number cell is July (1985.70 cannot be a month); 1985.1 stays October, as
    # Excel keeps 1985.10.
    assert clean_birth_month(float(f"{year}.{month}")) == f"{year:04d}-{month:02d}"


def test_1985_point_1_in_a_number_cell_is_october():
    assert clean_birth_month(1985.1) == "1985-10"
    assert clean_birth_month("1985.1") == "1985-01"  # written as text it is January


@given(
    st.integers(min_value=1000, max_value=1899) | st.integers(min_value=THIS_YEAR + 1, max_value=9999), months
)
def test_a_year_out_of_range_is_refused(year, month):
    with pytest.raises(DomainError) as err:
        clean_birth_month(f"{year}-{month:02d}")
    reason = "晚于本月" if year > THIS_YEAR else "不在合理范围内"
    assert err.value.field == "birth_month" and reason in err.value.message


def test_a_birth_month_later_than_this_month_is_refused():
    today = datetime.date.today()
    later = today.replace(day=1) + datetime.timedelta(days=32)
    with pytest.raises(DomainError) as err:
        clean_birth_month(f"{later.year}.{later.month}")
    assert err.value.field == "birth_month" and "晚于本月" in err.value.message
    assert clean_birth_month(f"{today.year}-{today.month}") == f"{today.year}-{today.month:02d}"


@given(years, st.integers(min_value=13, max_value=99))
def test_a_month_out_of_range_is_refused(year, month):
    with pytest.raises(DomainError) as err:
        clean_birth_month(f"{year}-{month}")
    assert err.value.field == "birth_month"


@pytest.mark.parametrize(
    "value", ["85年7月", "七月", "1985", "1985.07.", "1985-07-15-3", "abc", "1985.7.1.2"]
)
def test_what_is_not_a_birth_month_is_refused_saying_how_to_write_it(value):
    with pytest.raises(DomainError) as err:
        clean_birth_month(value)
    assert "1985-07" in err.value.message and err.value.field == "birth_month"


@given(st.text(max_size=12))
def test_the_birth_month_cleaner_never_crashes(value):
    try:
        result = clean_birth_month(value)
    except DomainError as exc:
        assert exc.field == "birth_month"
    else:
        assert result == "" or (len(result) == 7 and result[4] == "-")


@pytest.mark.parametrize("value", ["", None, "   ", "\u3000"])
def test_an_empty_birth_month_is_empty(value):
    assert clean_birth_month(value) == ""


# --- choices with the words people use ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "written", "stored"),
    [
        ("sex", "男", "M"),
        ("sex", "女性", "F"),
        ("sex", "f", "F"),
        ("sex", "M", "M"),
        ("education", "博士研究生", "doctorate"),
        ("education", "博士", "doctorate"),
        ("education", "硕士", "master"),
        ("education", "研究生", "master"),
        ("education", "本科", "bachelor"),
        ("education", "大学本科", "bachelor"),
        ("education", "大专", "college"),
        ("education", "中专", "secondary"),
        ("education", "初中", "high_school"),
        ("political", "中共党员", "cpc"),
        ("political", "党员", "cpc"),
        ("political", "预备党员", "cpc_probationary"),
        ("political", "团员", "cyl"),
        ("political", "无党派", "non_party"),
        ("political", " 群众 ", "masses"),
        ("title_level", "正高", "senior"),
        ("title_level", "正高级", "senior"),
        ("title_level", "副高", "associate_senior"),
        ("title_level", "高级", "associate_senior"),
        ("title_level", "中级", "intermediate"),
        ("title_level", "初级", "junior"),
        ("title_level", "无", "none"),
        ("title_level", "无职称", "none"),
        ("title_level", "", ""),
    ],
)
def test_choices_accept_their_labels_keys_and_aliases(field, written, stored):
    values, errors = clean_person({"name": "张伟", field: written})
    assert errors == []
    assert values[field] == stored


@pytest.mark.parametrize(
    ("field", "written", "label"),
    [("sex", "未知", "性别"), ("education", "中学", "文化程度"), ("political", "党外", "政治面貌")],
)
def test_an_unknown_choice_names_the_field_the_value_and_what_is_allowed(field, written, label):
    _values, errors = clean_person({"name": "张伟", field: written})
    assert len(errors) == 1 and errors[0].field == field
    assert errors[0].message.startswith(f"{label}“{written}”不是有效选项，可选：")


def test_all_errors_of_a_row_at_once():
    values, errors = clean_person(
        {"name": "", "sex": "x", "birth_month": "1985-13", "phone": "abc", "position": "经理" * 30}
    )
    assert [e.field for e in errors] == ["name", "sex", "birth_month", "position", "phone"]
    assert values == {}
    _values, errors = clean_person({"sex": "男"})
    assert [e.field for e in errors] == ["name"]
    _values, errors = clean_person({"sex": "男"}, partial=True)
    assert errors == []


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("13800000001", "13800000001"),
        ("138-0000-0001", "13800000001"),
        ("138 0000 0001", "13800000001"),
        ("+86 138 0000 0001", "13800000001"),
        ("１３８０００００００１", "13800000001"),
        (13800000001, "13800000001"),
        (13800000001.0, "13800000001"),
        ("(0371)6789012", "03716789012"),
        ("0371-67890123", "037167890123"),
        ("010-12345678", "01012345678"),
        ("", ""),
    ],
)
def test_phones(written, stored):
    assert clean_phone(written) == stored


@pytest.mark.parametrize(
    "written",
    ["12345", "23800000001", "1380000000a", "1380000000112345", "1380000000", "12800000001", "6789012"],
)
def test_bad_phones(written):
    with pytest.raises(DomainError) as err:
        clean_phone(written)
    assert err.value.field == "phone" and written in err.value.message


@pytest.mark.parametrize(
    ("written", "stored"), [(" 张 伟 ", "张伟"), ("欧阳\u3000娜娜", "欧阳娜娜"), ("Ａｌｉ", "Ali")]
)
def test_names(written, stored):
    assert clean_name(written) == stored


# --- the roster import's fast paths agree with the full path ----------------------------------------


def full_path(name, raw):
    """What the roster import does with a cell off the fast path: normalise, then the full cleaner
    (None when refused or blank)."""

    value = normalise(raw)
    if value is None or (isinstance(value, str) and value.startswith("=")):
        return None
    try:
        return PERSON_FIELDS[name](value) or None
    except DomainError:
        return None


def valid_id(digits17: str) -> str:

    return digits17 + id_check_character(digits17)


cells = st.one_of(
    st.text(max_size=60),
    st.text(alphabet="0123456789-+ ()Xx*", max_size=22),
    st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=60),
    st.from_regex(r"1[0-9]{2}-?[0-9]{4}-?[0-9]{4}", fullmatch=True),
    st.from_regex(
        r"[1-9][0-9]{5}(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[0-9]{3}", fullmatch=True
    ).map(lambda d: valid_id(d)),
    st.from_regex(r"[a-zA-Z0-9._=+-]{1,10}@[a-zA-Z0-9-]{1,8}\.[a-zA-Z]{2,4}", fullmatch=True),
    st.integers(min_value=0, max_value=10**12),
)


@pytest.mark.parametrize("name", ["name", "phone", "id_number", "email"])
@given(raw=cells)
@example(raw="张伟")
@example(raw="138-0000-0001")
@example(raw="410102197503070012")
@example(raw="ZW@Example.COM")
@example(raw="=HYPERLINK(1)")
@example(raw="一" * 51)
def test_fast_paths_agree_with_the_full_path(name, raw):
    """A fast path either declines (None) or returns exactly what the full path returns."""

    fast = FAST_PATHS[name](raw)
    if fast is not None:
        assert fast == full_path(name, raw)


def test_fast_paths_take_the_plain_values():

    assert FAST_PATHS["name"]("张伟") == "张伟"
    assert FAST_PATHS["phone"]("138-0000-0001") == "13800000001"
    assert FAST_PATHS["id_number"](valid_id("41010219750307001").lower()) == valid_id("41010219750307001")
    assert FAST_PATHS["email"]("ZW@Example.COM") == "zw@example.com"
    assert FAST_PATHS["phone"]("1380000000") is None and FAST_PATHS["name"]("阿卜杜拉·买买提") is None
