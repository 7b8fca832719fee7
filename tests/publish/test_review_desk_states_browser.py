"""The review desk shows everything not yet published, in Chromium: an embargoed release (marked, with its
embargo line, reviewable side by side), each translation state in the legend's colour, titles with their
values filled in, and completeness counted as `status` counts it (a rejected translation is not done)."""

from __future__ import annotations

import json
import re
import shutil

import polib
import pytest

from pubkit.cli import main
from conftest import PROJECTS
from review_desk import running_desk, wait_until
from test_review_browser import SCREENSHOTS, browser, column, counts  # noqa: F401  (fixture)

from selenium.webdriver.common.by import By  # noqa: E402

SLUG = "altenrhein-plant"
#: The legend's colours (review.css) as the browser computes them.
COLOURS = {"untranslated": "rgba(255, 241, 168, 1)", "fuzzy": "rgba(255, 216, 168, 1)",
           "rejected": "rgba(255, 201, 201, 1)"}
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The second sample (tests/projects/toedi) in British English and German, its embargoed release with
    a changed title (fuzzy in German), a paragraph whose placeholder a translator renamed (rejected) and
    a new one not translated yet."""
    folder = tmp_path_factory.mktemp("embargo") / "desk"
    shutil.copytree(PROJECTS / "toedi", folder)
    config = folder / "pubkit.toml"
    config.write_text(re.sub(r"^languages = .*$", 'languages = ["de"]', config.read_text(encoding="utf-8"),
                             flags=re.MULTILINE), encoding="utf-8")
    source = folder / "sources" / f"{SLUG}.md"
    text = source.read_text(encoding="utf-8").replace("in its Altenrhein plant", "in its plant at Altenrhein")
    source.write_text(text + "\nConstruction starts this summer.\n", encoding="utf-8")  # new, untranslated
    assert main(["-C", str(folder), "extract"]) == 0 and main(["-C", str(folder), "update"]) == 0
    po = polib.pofile(str(folder / "locale/de/LC_MESSAGES" / f"{SLUG}.po"))
    assert "fuzzy" in po.find("title", by="msgctxt").flags  # the changed title keeps its old translation
    hall = next(e for e in po if "{jobs}" in e.msgid)
    hall.msgstr = hall.msgstr.replace("{jobs}", "{stellen}")
    po.save()
    return folder


@pytest.fixture(scope="module")
def desk(project):
    with running_desk(project) as server:
        yield server


def test_the_dashboard_marks_the_embargoed_release_and_fills_in_its_title(desk, browser, capsys):
    browser.get(desk.url)
    release = browser.find_element(By.ID, f"release-{SLUG}")
    assert "embargoed" in release.get_attribute("class").split()
    assert release.find_element(By.TAG_NAME, "h1").text == "Tödi Rail invests CHF 280M in its plant at Altenrhein"
    line = release.find_element(By.CSS_SELECTOR, "p.embargo").text
    assert line.endswith("Embargoed until 2 March 2099, 10:00 CET")  # embargo_zone: Europe/Zurich
    german = release.find_element(By.CSS_SELECTOR, 'tr[data-language="de"]')
    assert german.find_element(By.CSS_SELECTOR, "td.rejected").text == "1"
    assert german.find_element(By.CSS_SELECTOR, "td.fuzzy").text == "1"
    assert german.find_element(By.CSS_SELECTOR, "td.untranslated").text == "1"
    # The desk's percentage is the one `pubkit status` prints: the rejected paragraph is not done.
    assert main(["-C", str(desk.project), "status", "--format", "json", "--lang", "de"]) == 0
    row = next(r for r in json.loads(capsys.readouterr().out)["catalogs"] if r["domain"] == SLUG)
    assert row["rejected"] == 1 and f"{row['percent']:.1f} %" in german.text
    assert german.find_element(By.LINK_TEXT, "page") and german.find_element(By.LINK_TEXT, "PDF")
    browser.save_screenshot(str(SCREENSHOTS / "pubkit-dashboard-embargoed.png"))


def test_the_embargoed_release_is_reviewed_side_by_side_in_the_legends_colours(desk, browser):
    browser.get(f"{desk.url}review/{SLUG}?lang=en_GB&lang=de")
    assert "Embargoed until 2 March 2099, 10:00 CET" in browser.find_element(By.CSS_SELECTOR, "p.embargo").text
    wait_until(lambda: counts(browser, "de"), what="the counts")
    assert counts(browser, "de") == "1 untranslated, 1 fuzzy, 1 rejected"
    assert column(browser, "de").find_elements(By.CSS_SELECTOR, ".thumbnails img")
    legend = {state: browser.find_element(By.CSS_SELECTOR, f".legend mark.{state}")
              .value_of_css_property("background-color") for state in COLOURS}
    assert legend == COLOURS
    browser.switch_to.frame(column(browser, "de").find_element(By.TAG_NAME, "iframe"))
    try:
        # The page says it is embargoed, in German, as its print version does.
        assert browser.find_element(By.CSS_SELECTOR, "p.embargo").text == "Sperrfrist bis 2. März 2099, 10:00 MEZ"
        for state, colour in COLOURS.items():
            marked = browser.find_element(By.CSS_SELECTOR, f'[data-pubkit-state="{state}"]')
            assert marked.value_of_css_property("background-color") == colour, state
    finally:
        browser.switch_to.default_content()
    browser.save_screenshot(str(SCREENSHOTS / "pubkit-review-embargoed.png"))


def test_the_published_site_still_leaves_the_embargoed_release_out(desk):
    assert not list((desk.project / "dist").rglob("*.html"))  # the desk writes previews only
    assert main(["-C", str(desk.project), "build", "--format", "html"]) == 0
    assert not list((desk.project / "dist").rglob(f"{SLUG}/index.html"))
