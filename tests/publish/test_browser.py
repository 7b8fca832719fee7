"""The newsroom in a real browser: Debian's chromium and chromium-driver, driven by Selenium.

The site is served from a local http.server on 127.0.0.1; every wait is bounded.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import tempfile
import threading

import pytest

from pubkit import load_project

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="needs Debian's chromium and chromium-driver (tools/dev)"),
]
LAB = "weiqiao-joint-laboratory"
WAIT = 15  # seconds: the most any page may take to load or react


@pytest.fixture(scope="module")
def site(projects, tmp_path_factory):
    """The whole sample newsroom (web pages only), served on a free port of 127.0.0.1."""
    root = projects("newsroom", where=tmp_path_factory.mktemp("browser"), built=["--format", "html"])
    handler = functools.partial(_QuietHandler, directory=str(root / "dist"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root / "dist", f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002  keep the test output readable
        pass


def _browser(language: str = "en-US"):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="pubkit-chromium-")
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", f"--user-data-dir={profile}", f"--lang={language}"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": language})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(WAIT)
    driver.set_script_timeout(WAIT)
    return driver, profile


@pytest.fixture(scope="module")
def browser():
    driver, profile = _browser()
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def test_the_chooser_offers_every_language(site, browser) -> None:
    _folder, base = site
    browser.get(base + "index.html#choose")  # #choose: stay on the list whatever the browser prefers
    links = browser.find_elements(By.CSS_SELECTOR, "ul.languages a")
    assert [a.text for a in links] == ["English", "Deutsch", "français", "中文（中国）", "العربية", "日本語"]
    next(a for a in links if a.text == "Deutsch").click()
    WebDriverWait(browser, WAIT).until(EC.url_to_be(base + "de/index.html"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Pressemitteilungen"


def test_the_chooser_picks_the_browsers_language(site) -> None:
    _folder, base = site
    driver, profile = _browser("ar")
    try:
        driver.get(base + "index.html")
        WebDriverWait(driver, WAIT).until(EC.url_to_be(base + "ar/index.html"))
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl"
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def test_the_switcher_leads_from_german_to_arabic(site, browser) -> None:
    _folder, base = site
    browser.get(base + f"de/{LAB}/index.html")
    html = browser.find_element(By.TAG_NAME, "html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("de", "ltr")
    assert browser.find_element(By.CSS_SELECTOR, ".switcher [aria-current=page]").text == "Deutsch"
    browser.find_element(By.CSS_SELECTOR, ".switcher a[hreflang=ar]").click()
    WebDriverWait(browser, WAIT).until(EC.url_to_be(base + f"ar/{LAB}/index.html"))
    html = browser.find_element(By.TAG_NAME, "html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")
    assert browser.execute_script("return getComputedStyle(document.body).direction") == "rtl"
    assert browser.find_element(By.CSS_SELECTOR, ".switcher [aria-current=page]").text == "العربية"


def test_every_hreflang_target_exists(site, browser) -> None:
    folder, base = site
    browser.get(base + f"ar/{LAB}/index.html")
    targets = browser.execute_script(
        "return Array.from(document.querySelectorAll('link[hreflang]'), l => l.getAttribute('href'))")
    assert len(targets) == 7  # six languages and x-default
    base_url = load_project(folder.parent).base_url
    for target in targets:
        assert target.startswith(base_url)
        path = folder / target[len(base_url):] / "index.html"
        assert path.is_file(), target
        browser.get(base + target[len(base_url):])
        assert browser.execute_script("return document.documentElement.lang"), target


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("page", ["index.html#choose", "de/index.html", f"de/{LAB}/index.html",
                                  f"ar/{LAB}/index.html", f"zh-cn/{LAB}/index.html", "ja/index.html"])
def test_nothing_overflows_on_a_phone_or_a_wide_screen(site, browser, page: str, width: int, tmp_path) -> None:
    _folder, base = site
    browser.set_window_size(width, 900)
    browser.get(base + page)
    WebDriverWait(browser, WAIT).until(lambda d: d.execute_script("return document.readyState") == "complete")
    inner, scroll = browser.execute_script("return [window.innerWidth, document.documentElement.scrollWidth]")
    assert scroll <= inner, f"{page} is {scroll}px wide in a {inner}px window"
    shot = tmp_path / f"{page.replace('/', '_').replace('#', '')}-{width}.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 1000
