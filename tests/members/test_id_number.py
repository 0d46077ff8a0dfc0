"""GB 11643 居民身份证号码: check character, province, birth date; historical county codes pass."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kexie.core.errors import DomainError
from kexie.members.cleaning import clean_id_number, clean_person, id_check_character


def make_id(first17: str) -> str:
    return first17 + id_check_character(first17)


def test_known_valid_numbers():
    assert clean_id_number("11010519491231002x") == "11010519491231002X"
    assert clean_id_number(" " + make_id("44052419800101001") + " ") == make_id("44052419800101001")
    # 410101 (郑州市市辖区) no longer exists as a county code: the number stays valid.
    assert clean_id_number(make_id("41010119850701123")) == make_id("41010119850701123")


@pytest.mark.parametrize(
    "value, fragment",
    [
        ("11010519491231002", "18位"),
        ("1101051949123100ZX", "18位"),
        ("110105194912310021", "校验码错误：最后一位应为X"),
        (make_id("99010519491231002"), "前两位“99”"),
        (make_id("41010119850231123"), "出生日期“19850231”"),
        (make_id("41010130000101123"), "出生日期“30000101”"),
    ],
)
def test_refused_with_the_reason(value, fragment):
    with pytest.raises(DomainError) as err:
        clean_id_number(value)
    assert err.value.field == "id_number"
    assert fragment in str(err.value)


@given(
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2020, 12, 31)), st.integers(0, 999)
)
def test_any_real_birth_date_with_its_check_character_passes(born, seq):
    value = make_id(f"410102{born:%Y%m%d}{seq:03d}")
    assert clean_id_number(value) == value


@given(st.integers(0, 9))
def test_a_changed_digit_is_caught(digit):
    value = make_id("41010219850701123")
    changed = value[:16] + str(digit) + value[17]
    if changed != value:
        with pytest.raises(DomainError):
            clean_id_number(changed)


def test_new_profile_fields_are_cleaned():
    values, errors = clean_person(
        {
            "name": "李四",
            "ethnicity": "回",
            "degree": "硕士学位",
            "email": " Li@Example.COM ",
            "school": "郑州大学",
        }
    )
    assert not errors
    assert (
        values["ethnicity"] == "回族" and values["degree"] == "master" and values["email"] == "li@example.com"
    )
    _values, errors = clean_person({"name": "李四", "ethnicity": "火星", "email": "nope"})
    assert {e.field for e in errors} == {"ethnicity", "email"}
