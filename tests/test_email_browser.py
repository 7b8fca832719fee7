"""The HTML part of the e-mail edition judged by the Nu Html Checker and shown in Chromium (en, ar, ja)."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from email import policy
from email import message_from_bytes
from pathlib import Path

import pytest

from conftest import ROOT
from test_email import eml

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")
#: The Nu Html Checker, installed from package-lock.json by tools/dev (npm ci), run on Debian's Java.
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
pytestmark = pytest.mark.slow
SHOWN = (("en", "ltr"), ("ar", "rtl"), ("ja", "ltr"))


def html_parts(root: Path, folder: Path) -> dict[str, Path]:
    """The HTML part of each message as a file, with its images beside it (cid: → file name)."""
    written = {}
    for language, _direction in SHOWN:
        message = message_from_bytes(eml(root, language).read_bytes(), policy=policy.default)
        path = folder / f"{language}.html"
        path.write_text(message.get_body(("html",)).get_content(), encoding="utf-8")
        written[language] = path
    return written


@pytest.fixture(scope="module")
def parts(email_edition: Path, tmp_path_factory) -> dict[str, Path]:
    return html_parts(email_edition, tmp_path_factory.mktemp("html-parts"))


def test_the_html_parts_are_valid_html(parts: dict[str, Path]) -> None:
    assert VNU.is_file() and shutil.which("java"), "the Nu Html Checker is installed by tools/dev (npm ci)"
    checked = subprocess.run(["java", "-jar", str(VNU), "--format", "json", "--exit-zero-always",
                              *map(str, parts.values())], capture_output=True, text=True, timeout=300, check=True)
    messages = json.loads(checked.stderr or checked.stdout)["messages"]
    problems = [f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['type']}: {m['message']}"
                for m in messages if m["type"] == "error" or m.get("subType") == "warning"]
    assert problems == []


@pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="needs Debian's chromium and chromium-driver (tools/dev)")
def test_chromium_shows_each_language_in_its_direction(parts: dict[str, Path], tmp_path: Path) -> None:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="pubkit-chromium-")
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
                     "--disable-background-networking", "--disable-dev-shm-usage", f"--user-data-dir={profile}",
                     "--window-size=800,1200"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(15)
    try:
        for language, direction in SHOWN:
            driver.get(parts[language].as_uri())
            heading = driver.find_element(By.TAG_NAME, "h1")
            assert driver.execute_script("return getComputedStyle(arguments[0]).direction", heading) == direction
            box = driver.execute_script("const r = arguments[0].getBoundingClientRect(); "
                                        "return [r.left, r.right, document.documentElement.clientWidth]", heading)
            text_edge = driver.execute_script(
                "const range = document.createRange(); range.selectNodeContents(arguments[0]);"
                "const r = range.getClientRects()[0]; return [r.left, r.right]", heading)
            if direction == "rtl":  # the headline starts at the right edge of its box
                assert abs(text_edge[1] - box[1]) < 2 and text_edge[0] > box[0] + 20
            else:
                assert abs(text_edge[0] - box[0]) < 2
            assert box[2] >= 640 and box[1] - box[0] <= 640, "the text column is at most 640 px wide"
            table = driver.find_element(By.TAG_NAME, "table")
            assert driver.execute_script("return getComputedStyle(arguments[0]).borderCollapse", table) == "collapse"
            driver.save_screenshot(str(tmp_path / f"{language}.png"))
            assert (tmp_path / f"{language}.png").stat().st_size > 20_000  # a page with text, not a blank one
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
