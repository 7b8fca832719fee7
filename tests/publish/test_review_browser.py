"""The review desk in a real browser: Debian's Chromium driven by Selenium through chromedriver.

`tools/dev` installs chromium and chromium-driver; Selenium is told where the driver is, so Selenium
Manager never downloads anything.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from review_desk import GERMAN, SLUG, UNTRANSLATED, review_project, running_desk, site_url, wait_until

pytest.importorskip("starlette")
webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import (  # noqa: E402
    NoSuchElementException, NoSuchFrameException, StaleElementReferenceException)
from selenium.webdriver.common.by import By  # noqa: E402

#: What Selenium raises when it looks at a page that is being replaced by its reload.
RELOADING = (NoSuchElementException, NoSuchFrameException, StaleElementReferenceException)

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)),
                       reason="needs Debian's chromium and chromium-driver (tools/dev installs them)"),
]
SCREENSHOTS = Path(os.environ.get("PUBKIT_SCREENSHOTS", tempfile.gettempdir()))


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    with running_desk(review_project(tmp_path_factory.mktemp("browser"))) as server:
        yield server


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1600,1000"):
        options.add_argument(argument)
    profile = tmp_path_factory.mktemp("chromium-profile")
    options.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def column(browser, language: str):
    return browser.find_element(By.CSS_SELECTOR, f'.column[data-language="{language}"]')


def frame_text(browser, language: str, selector: str = "body") -> str:
    """The text of an element in a language's page, read inside its frame ("" while the page reloads)."""
    browser.switch_to.default_content()
    try:
        browser.switch_to.frame(column(browser, language).find_element(By.TAG_NAME, "iframe"))
        return browser.find_element(By.CSS_SELECTOR, selector).text
    except RELOADING:
        return ""
    finally:
        browser.switch_to.default_content()


def error_line(browser) -> str | None:
    """The build error shown at the top of the review view ("" when none; None while reloading)."""
    try:
        banner = browser.find_element(By.ID, "pubkit-build-error")
        return banner.text if banner.is_displayed() else ""
    except RELOADING:
        return None


def counts(browser, language: str) -> str:
    """What the review view counts in a language's column ("" while the page reloads)."""
    try:
        return column(browser, language).find_element(By.CSS_SELECTOR, ".counts").text
    except RELOADING:
        return ""


def test_dashboard(desk, browser):
    browser.get(desk.url)
    releases = [section.get_attribute("id") for section in browser.find_elements(By.CSS_SELECTOR, "section.release")]
    assert f"release-{SLUG}" in releases and len(releases) == len(list((desk.project / "sources").glob("*.md")))
    release = browser.find_element(By.ID, f"release-{SLUG}")
    rows = {row.get_attribute("data-language"): row for row in release.find_elements(By.CSS_SELECTOR, "tr[data-language]")}
    assert list(rows) == ["en", "de", "fr"]
    german = rows["de"]
    assert german.find_element(By.CSS_SELECTOR, "td.untranslated").text == "1"
    assert "Deutsch" in german.text and "93.3" in german.text
    assert rows["fr"].find_element(By.CSS_SELECTOR, "td.untranslated").text == "0"
    # links to the page and the PDF, where the site's layout puts them, and to the review view
    assert german.find_element(By.LINK_TEXT, "PDF").get_attribute("href") == \
        desk.url.rstrip("/") + site_url(desk.project, SLUG, "de", "pdf")
    assert german.find_element(By.LINK_TEXT, "page").get_attribute("href") == \
        desk.url.rstrip("/") + site_url(desk.project, SLUG, "de")
    german.find_element(By.PARTIAL_LINK_TEXT, "beside en")


def test_review_view_marks_untranslated_text_where_it_appears(desk, browser):
    browser.get(f"{desk.url}review/{SLUG}?lang=en&lang=de&lang=fr")
    assert [c.get_attribute("data-language") for c in browser.find_elements(By.CSS_SELECTOR, ".column")] == \
        ["en", "de", "fr"]
    wait_until(lambda: counts(browser, "de"), what="the counts")
    assert counts(browser, "de") == "1 untranslated"
    assert counts(browser, "fr") == "everything translated"
    # Every PDF page is a thumbnail that PDFium drew.
    for language in ("en", "de", "fr"):
        images = column(browser, language).find_elements(By.CSS_SELECTOR, ".thumbnails img")
        assert images
        wait_until(lambda: browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth",
                                                  images[0]), what=f"the {language} thumbnail")

    browser.switch_to.frame(column(browser, "de").find_element(By.TAG_NAME, "iframe"))
    marked = browser.find_element(By.CSS_SELECTOR, '[data-pubkit-state="untranslated"]')
    assert marked.text == UNTRANSLATED and marked.get_attribute("lang") == "en"
    where = f"locale/de/LC_MESSAGES/{SLUG}.po:"
    assert marked.get_attribute("data-pubkit-where").startswith(where)
    assert marked.get_attribute("title").startswith("untranslated: ") and where in marked.get_attribute("title")
    background = marked.value_of_css_property("background-color")
    assert background == "rgba(255, 241, 168, 1)"  # highlighted by the review view
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", marked)
    # The pointer over the marked text (in window coordinates: the frame's place plus the element's).
    x, y = browser.execute_script("const r = arguments[0].getBoundingClientRect(), "
                                  "f = window.frameElement.getBoundingClientRect(); "
                                  "return [f.left + r.left + 20, f.top + r.top + r.height / 2]", marked)
    browser.execute_cdp_cmd("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})
    wait_until(lambda: browser.execute_script("return arguments[0].matches(':hover')", marked), what="the hover")
    tooltip = browser.execute_script("return getComputedStyle(arguments[0], '::after').content", marked)
    assert "untranslated: no translation yet" in tooltip and where in tooltip
    browser.switch_to.default_content()
    shot = SCREENSHOTS / "pubkit-review-view.png"
    browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000


def test_a_saved_catalog_appears_without_a_reload_and_errors_show_in_place(desk, browser):
    browser.get(f"{desk.url}review/{SLUG}?lang=en&lang=de&lang=fr")
    wait_until(lambda: counts(browser, "de"), what="the counts")
    browser.execute_script("window.notReloaded = true")  # a manual reload would clear it; ours is scripted
    po = desk.project / "locale/de/LC_MESSAGES" / f"{SLUG}.po"
    good = po.read_text(encoding="utf-8")

    # A translator fills in the message, in any PO editor: the page shows it, nobody presses reload.
    po.write_text(good.replace(f'msgid "{UNTRANSLATED}"\nmsgstr ""', f'msgid "{UNTRANSLATED}"\nmsgstr "{GERMAN}"'),
                  encoding="utf-8")
    saved = time.monotonic()
    wait_until(lambda: GERMAN in frame_text(browser, "de", "h2"), what="the new German text")
    print(f"on screen {time.monotonic() - saved:.2f} s after the save")
    assert browser.execute_script("return window.notReloaded") is None  # the page reloaded itself
    wait_until(lambda: counts(browser, "de") == "everything translated", what="the counts to follow")

    # A broken catalog: the error line is on the page, the server keeps serving.
    fixed = po.read_text(encoding="utf-8")
    po.write_text(fixed.replace(f'msgstr "{GERMAN}"', f'msgstr "{GERMAN}'), encoding="utf-8")
    banner = wait_until(lambda: error_line(browser), what="the error line")
    assert banner.startswith(f"locale/de/LC_MESSAGES/{SLUG}.po:") and ": error: " in banner
    assert len(banner.splitlines()) == 1
    wait_until(lambda: GERMAN in frame_text(browser, "de", "h2"), what="the last good page to stay")

    # The next good save recovers.
    po.write_text(fixed.replace(f'msgstr "{GERMAN}"', 'msgstr "Ein Park für alles rund ums Aluminium"'),
                  encoding="utf-8")
    wait_until(lambda: "Ein Park für alles rund ums Aluminium" in frame_text(browser, "de", "h2"),
               what="the recovered page")
    wait_until(lambda: error_line(browser) == "", what="the error to go away")
