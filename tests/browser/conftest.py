import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(
    os.environ.get("KEXIE_TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts")
)


@pytest.fixture(scope="module", autouse=True)
def _reload_regions_after_flush(_regions_after_module):
    """Live-server tests run in committed transactions and end with a flush of every table: the
    shared fixture puts the official regions back for the tests that run after them on this worker."""


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() and shutil.which("chromium")):
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium fonts-wqy-microhei)")
    # Imported here: only once Chromium is known to be there (the test is skipped otherwise).
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page_factory(browser):
    contexts = []

    def make(**kwargs):
        context = browser.new_context(locale="zh-CN", **kwargs)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
