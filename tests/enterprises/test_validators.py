import pytest
from hypothesis import given
from hypothesis import strategies as st

from kexie.core.errors import DomainError
from kexie.enterprises.validators import (
    CREDIT_CODE_ALPHABET,
    credit_code_check_char,
    is_valid_credit_code,
    make_credit_code,
    normalize_credit_code,
)

# The worked example of GB 32100-2015, and codes made with its algorithm.
REAL_CODES = ["91350100M000100Y43", "91110000100006485K", "91440300708461136T"]

body17 = st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=17, max_size=17)


@pytest.mark.parametrize("code", REAL_CODES)
def test_credit_code_real_codes_accepted(code):
    assert normalize_credit_code(code) == code


@given(body17)
def test_credit_code_made_codes_always_valid(body):
    assert is_valid_credit_code(make_credit_code(body))


@given(body17, st.sampled_from(CREDIT_CODE_ALPHABET))
def test_credit_code_any_other_check_char_refused(body, char):
    good = make_credit_code(body)
    if char == good[17]:
        return
    with pytest.raises(DomainError) as err:
        normalize_credit_code(body + char)
    assert err.value.field == "credit_code"
    assert "校验位" in err.value.message and good[17] in err.value.message


@given(body17, st.integers(min_value=0, max_value=16), st.sampled_from(CREDIT_CODE_ALPHABET))
def test_credit_code_single_substitution_detected(body, position, char):
    """Mod 31 with these weights catches every single-character error."""
    code = make_credit_code(body)
    if code[position] == char:
        return
    changed = code[:position] + char + code[position + 1 :]
    assert not is_valid_credit_code(changed)


@pytest.mark.parametrize("letter", list("IOZSV"))
def test_credit_code_forbidden_letter_named(letter):
    code = "9111000010000648" + letter + "K"
    with pytest.raises(DomainError) as err:
        normalize_credit_code(code)
    assert f"第17位是字母“{letter}”" in err.value.message
    assert err.value.field == "credit_code"


@pytest.mark.parametrize("raw,length", [("9111000010000648", 16), ("91110000100006485KK", 19)])
def test_credit_code_wrong_length_named(raw, length):
    with pytest.raises(DomainError) as err:
        normalize_credit_code(raw)
    assert f"当前为{length}位" in err.value.message


def test_credit_code_fullwidth_lowercase_and_spaces_normalised():
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in "91350100m000100y43")
    assert normalize_credit_code(f" \u3000{fullwidth}  ") == "91350100M000100Y43"


def test_credit_code_empty_refused():
    with pytest.raises(DomainError, match="不能为空"):
        normalize_credit_code("")


def test_credit_code_check_char_known_value():
    assert credit_code_check_char("91110000100006485") == "K"
