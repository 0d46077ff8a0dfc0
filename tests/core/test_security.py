import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.urls import reverse

import kexie
from kexie import settings as project_settings
from kexie.accounts.middleware import SESSION_STARTED

SRC = Path(kexie.__file__).parent


def test_healthz_answers_when_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_security_headers_on_every_page(client, db):
    response = client.get(reverse("accounts:login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"\sstyle\s*=", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
# Print templates (under a ``documents/`` folder) are rendered to PDF by WeasyPrint and never sent to
# a browser, so the page CSP does not apply to them.
TEMPLATES = sorted(
    p for p in SRC.glob("**/templates/**/*.html") if "documents" not in p.relative_to(SRC).parts
)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(SRC)))
def test_templates_have_no_inline_script_or_style(template):
    text = template.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), "inline <script> is blocked by the CSP"
    assert not INLINE_STYLE.search(text), "style= attributes are blocked by the CSP"
    assert not INLINE_HANDLER.search(text), "on*= handlers are blocked by the CSP"


def test_login_locks_out_after_five_failures(client, world):
    url = reverse("accounts:login")
    for _ in range(5):
        client.post(url, {"username": "zhongyuan_staff", "password": "wrong-password"})
    response = client.post(url, {"username": "zhongyuan_staff", "password": "kexie-test-pass"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_login_with_right_password_works(client, world):
    response = client.post(
        reverse("accounts:login"), {"username": "zhongyuan_staff", "password": "kexie-test-pass"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.county_staff.pk)


def test_login_error_message_is_chinese(client, world):
    response = client.post(reverse("accounts:login"), {"username": "zhongyuan_staff", "password": "nope"})
    assert "用户名或密码错误。" in response.content.decode()


def test_session_idle_timeout_is_refreshed_on_each_request(settings):
    assert project_settings.SESSION_SAVE_EVERY_REQUEST is True
    assert project_settings.SESSION_COOKIE_AGE == 30 * 60
    assert project_settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_session_absolute_lifetime_logs_out(client, world, settings):
    client.force_login(world.county_staff)
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session[SESSION_STARTED] = int(time.time()) - settings.SESSION_ABSOLUTE_SECONDS - 10
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_production_hashes_passwords_with_argon2():
    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_deploy_check_clean_under_production_profile(tmp_path):
    env = {
        **os.environ,
        "KEXIE_ENV": "production",
        "SECRET_KEY": "a-long-random-production-secret-for-the-check-0123456789abcdefXYZ",
        "ALLOWED_HOSTS": "kexie.example.org",
        "KEXIE_VAR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests of this process
    result = subprocess.run(
        [sys.executable, "-m", "kexie", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
