"""English is a real second language: a complete catalogue, pages and API errors that follow the
language the user chose (the cookie set by /i18n/setlang/) or asked for (Accept-Language).

Chinese is the default and the source text (docs/decisions/0001-chinese-msgids.md).
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from kexie.enterprises.validators import credit_code_check_char

from ..api.conftest import ApiClient, token_for
from ..factories import ZHONGYUAN, credit_code_for

SRC = Path(settings.BASE_DIR)
PO = SRC / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
CJK = re.compile(r"[\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"%\(\w+\)s")

needs_gettext = pytest.mark.skipif(
    not (shutil.which("msgfmt") and shutil.which("xgettext") and shutil.which("msgmerge")),
    reason="GNU gettext (msgfmt, xgettext, msgmerge) is not installed",
)


@pytest.fixture(scope="module", autouse=True)
def _compiled_catalogue():
    """The .mo is compiled at install and by ``make test``; compile it here if missing or stale."""
    if not MO.exists() or MO.stat().st_mtime < PO.stat().st_mtime:
        if not shutil.which("msgfmt"):
            pytest.skip("the English catalogue is not compiled and msgfmt is not installed")
        subprocess.run(["msgfmt", "--check-format", "-o", str(MO), str(PO)], check=True)  # noqa: S603, S607
        # Changing LOCALE_PATHS makes Django drop its cached catalogues, so the new .mo is read.
        with override_settings(LOCALE_PATHS=list(settings.LOCALE_PATHS)):
            pass


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    # A request activates its language for the thread; later tests must start in Chinese again.
    yield
    translation.deactivate()


# --- the catalogue ---------------------------------------------------------------------------------


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file (without the header): msgctxt, msgid, msgid_plural, msgstr[...], flags."""
    entries, current, key = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if current and "msgid" in current and current["msgid"]:
                entries.append(current)
            current = key = None
            continue
        current = current if current is not None else {"flags": set()}
        if line.startswith("#,"):
            current["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] += ast.literal_eval(line)
        else:
            key, _, literal = line.partition(" ")
            current[key] = ast.literal_eval(literal)
    return entries


def msgstrs(entry: dict) -> list[str]:
    return [value for key, value in entry.items() if key.startswith("msgstr")]


@needs_gettext
def test_english_catalogue_has_no_untranslated_or_fuzzy_entry():
    result = subprocess.run(  # noqa: S603
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"\d+ translated messages?\.", result.stderr.strip()), result.stderr


def test_every_english_entry_is_a_real_translation_that_keeps_its_placeholders():
    entries = read_po(PO)
    assert len(entries) > 300
    for entry in entries:
        assert "fuzzy" not in entry["flags"], entry["msgid"]
        wanted = set(PLACEHOLDER.findall(entry["msgid"]))
        for text in msgstrs(entry):
            assert text and text != entry["msgid"], entry["msgid"]
            assert set(PLACEHOLDER.findall(text)) == wanted, entry["msgid"]
            # Chinese may appear only quoted inside English (the headers and values files hold).
            words = PLACEHOLDER.sub("", text)
            assert not CJK.search(words) or re.search(r"[A-Za-z]{3}", words), entry["msgid"]


@needs_gettext
def test_english_catalogue_is_up_to_date_with_the_sources(tmp_path, monkeypatch):
    """Extracting the messages again (as ``kexie makemessages -l en --ignore=demo/*`` does) adds nothing:
    every translatable string in the code and templates has its English entry."""
    work = tmp_path / "kexie"
    shutil.copytree(
        SRC, work, ignore=shutil.ignore_patterns("demo", "__pycache__", "*.pyc", "*.mo", "static")
    )
    monkeypatch.chdir(work)
    with override_settings(LOCALE_PATHS=[work / "locale"]):
        call_command("makemessages", locale=["en"], verbosity=0)

    def ids(path: Path) -> set[tuple[str | None, str]]:
        return {(e.get("msgctxt"), e["msgid"]) for e in read_po(path)}

    fresh = work / PO.relative_to(SRC)
    assert ids(fresh) - ids(PO) == set(), "new messages: run makemessages and translate them"
    assert ids(PO) - ids(fresh) == set(), "obsolete messages: run makemessages"


# --- pages ---------------------------------------------------------------------------------------------


def test_enterprise_list_is_chinese_by_default_and_english_after_switching(world, client):
    client.force_login(world.county_staff)
    url = reverse("enterprises:list")

    page = client.get(url).content.decode()
    assert '<html lang="zh-CN">' in page
    for text in ("行政区划", "组织体系", "企业名录", "所有制", "民营", "退出", "共 2 家企业。"):
        assert text in page

    response = client.post(reverse("set_language"), {"language": "en", "next": url})
    assert response.status_code == 302 and response["Location"] == url

    page = client.get(url).content.decode()
    assert '<html lang="en">' in page
    for text in (
        ">Administrative divisions<",  # navigation
        ">Enterprises<",
        ">Organisation tree<",
        "<h1>Enterprise directory</h1>",
        ">Ownership<",
        ">Private<",  # the ownership choice label, in the filter and in the results
        '<td data-label="Ownership">Private</td>',
        "Specialised &amp; innovative (SRDI)",
        "2 enterprises.",
        "Sign out",
    ):
        assert text in page, text
    for text in ("民营", "所有制", "企业名录", "行政区划"):
        assert text not in page, text
    assert world.ent_a.name in page  # data stays as it was entered

    client.post(reverse("set_language"), {"language": "zh-hans", "next": url})
    assert "企业名录" in client.get(url).content.decode()


def test_domain_errors_on_a_page_follow_the_language(world, client):
    client.force_login(world.county_staff)
    form = {
        "name": "郑州新企业有限公司",
        "credit_code": "91410102",
        "region": ZHONGYUAN,
        "ownership": "private",
    }

    page = client.post(reverse("enterprises:create"), form).content.decode()
    assert "统一社会信用代码应为18位，当前为8位。" in page

    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.post(reverse("enterprises:create"), form).content.decode()
    assert "A Unified Social Credit Code has 18 characters; this one has 8." in page
    assert "Please correct the fields marked in red, then save." in page


def test_success_message_and_history_follow_the_language(world, client):
    client.force_login(world.county_staff)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    enterprise = world.ent_a
    form = {
        "name": enterprise.name,
        "credit_code": enterprise.credit_code,
        "region": enterprise.region_id,
        "ownership": "foreign",
        "employees": "300",
    }
    response = client.post(reverse("enterprises:edit", args=[enterprise.pk]), form, follow=True)
    assert f"The details of enterprise “{enterprise.name}” have been saved." in response.content.decode()

    page = client.get(reverse("enterprises:history", args=[enterprise.pk])).content.decode()
    assert '<span class="change-field">Ownership</span>: ' in page
    assert '<span class="change-after">Foreign-invested</span>' in page
    assert ">Edit<" in page  # the audit action


# --- the API --------------------------------------------------------------------------------------------


def bad_check_character(code: str) -> tuple[str, str]:
    right = credit_code_check_char(code[:17])
    wrong = "0" if right != "0" else "1"
    return code[:17] + wrong, right


def new_enterprise(code: str, **extra) -> dict:
    return {
        "name": "郑州中原新材料科技有限公司",
        "credit_code": code,
        "region": ZHONGYUAN,
        "ownership": "private",
        **extra,
    }


def test_api_errors_are_chinese_by_default_and_english_on_request(world):
    code, right = bad_check_character(credit_code_for(90001))
    token = token_for(world.county_staff)

    chinese = ApiClient(token).post("/enterprises", new_enterprise(code))
    assert chinese.status_code == 400
    assert chinese.json() == {
        "message": f"统一社会信用代码校验位错误：第18位应为“{right}”，实际为“{code[17]}”，请核对代码。",
        "field": "credit_code",
    }

    english = ApiClient(token, HTTP_ACCEPT_LANGUAGE="en").post("/enterprises", new_enterprise(code))
    assert english.status_code == 400
    assert english.json() == {
        "message": (
            "Wrong check character in the Unified Social Credit Code: the 18th character should be "
            f"“{right}”, not “{code[17]}”. Please check the code."
        ),
        "field": "credit_code",
    }


def test_api_schema_and_auth_errors_follow_accept_language(world):
    english = ApiClient(token_for(world.county_staff), HTTP_ACCEPT_LANGUAGE="en")
    response = english.post("/enterprises", new_enterprise(credit_code_for(90002), name="坏\x00名"))
    assert response.status_code == 422
    assert (
        response.json()["message"]
        == "The field “name” is invalid: must not contain a null character (U+0000)."
    )

    chinese = ApiClient(token_for(world.county_staff))
    response = chinese.post("/enterprises", new_enterprise(credit_code_for(90002), name="坏\x00名"))
    assert response.json()["message"] == "字段“name”格式不正确：不能包含空字符（U+0000）。"

    response = ApiClient("not-a-token", HTTP_ACCEPT_LANGUAGE="en").get("/enterprises")
    assert response.status_code == 401
    assert response.json()["message"] == "The API token is invalid or has expired. Please obtain a new token."


def test_api_in_a_browser_session_follows_the_chosen_language(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.county_staff)
    client.get(reverse("enterprises:list"))  # sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    code, _right = bad_check_character(credit_code_for(90003))

    def create(**headers):
        return client.post(
            "/api/v1/enterprises",
            json.dumps(new_enterprise(code)),
            content_type="application/json",
            HTTP_X_CSRFTOKEN=csrf,
            **headers,
        )

    assert create().json()["message"].startswith("统一社会信用代码校验位错误")
    assert create(HTTP_ACCEPT_LANGUAGE="en").json()["message"].startswith("Wrong check character")

    client.post(reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": csrf})
    response = create()  # the language cookie, no Accept-Language header
    assert response.status_code == 400
    assert response.json()["message"].startswith("Wrong check character")
    listing = client.get("/api/v1/enterprises").json()
    assert {item["ownership_label"] for item in listing["items"]} == {"Private", "Provincial SOE"}
