"""End to end on the second sample project, tests/projects/toedi: a Swiss rail maker's newsroom in British
English and eight translations (de, es, pt_BR, he, hi, ko, ru, tr) of its own, with an organization profile,
a contact for Brazil, a per-language link, a German chart, an embargoed release and press forms of money."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import PROJECTS, page_file, pdf_file
from pubkit.cli import main
from test_accessibility import VNU, axe_findings, chromium  # noqa: F401  (chromium: the fixture)

LANGUAGES = ("de", "es", "pt_BR", "he", "hi", "ko", "ru", "tr")
TRAINS = "regional-trains"
PLANT = "altenrhein-plant"


@pytest.fixture(scope="module")
def toedi(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("toedi") / "toedi"
    shutil.copytree(PROJECTS / "toedi", project)
    assert main(["-C", str(project), "build", "--format", "html", "-j", "1"]) == 0
    assert main(["-C", str(project), "build", "--format", "pdf", "--lang", "he", "--lang", "hi", "--lang", "ko",
                 "--source", TRAINS, "-j", "2"]) == 0
    return project


def page(project: Path, language: str, slug: str = TRAINS) -> str:
    return page_file(project, slug, language).read_text(encoding="utf-8")


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("\u00a0", " ").replace("\u200f", "").split())


def test_the_translations_pass_the_strictest_check_and_are_complete(toedi, capsys) -> None:
    capsys.readouterr()
    assert main(["-C", str(toedi), "check", "--strict"]) == 0
    assert main(["-C", str(toedi), "status", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["languages"] == list(LANGUAGES) and report["orphans"] == []
    assert {row["domain"] for row in report["catalogs"]} == {TRAINS, PLANT, "templates", "organization"}
    assert all(row["percent"] == 100.0 and row["rejected"] == 0 for row in report["catalogs"])


@pytest.mark.parametrize("language, amount", [
    ("es", "1.200 millones de francos suizos"), ("pt_BR", "1,2 bilhão de francos suíços"),
    ("ru", "1,2 млрд швейцарских франков"), ("tr", "1,2 milyar İsviçre frangı"),
    ("hi", "120 करोड़ स्विस फ़्रैंक"), ("he", "1.2 מיליארד פרנק שוויצרי"), ("ko", "12억 스위스 프랑"),
    ("de", "1,2 Mrd. CHF"),
])
def test_the_order_is_written_as_each_press_writes_it(toedi, language, amount) -> None:
    assert amount in text_of(page(toedi, language))


def test_each_language_gets_the_boilerplate_and_its_own_press_contact(toedi) -> None:
    headings = {"de": "Über Tödi Rail", "es": "Acerca de Tödi Rail", "pt_BR": "Sobre a Tödi Rail",
                "he": "אודות Tödi Rail", "hi": "Tödi Rail के बारे में", "ko": "Tödi Rail 소개",
                "ru": "О компании Tödi Rail", "tr": "Tödi Rail hakkında"}
    for language, heading in headings.items():
        html = page(toedi, language)
        boilerplate = re.search(r'<section class="boilerplate">\s*<h2>(.*?)</h2>', html).group(1)
        assert text_of(boilerplate) == heading, language
        names = re.findall(r'<span class="name" dir="ltr">([^<]+)</span>', html)
        assert names == (["Mariana Souza"] if language == "pt_BR" else ["Anna Keller"]), language
    brazil = page(toedi, "pt_BR")
    assert "Assessora de imprensa para a América Latina" in brazil
    assert '<a class="phone" href="tel:+551130904400" dir="ltr" translate="no">+55 11 3090 4400</a>' in brazil


def test_links_may_point_at_each_languages_own_page(toedi) -> None:
    assert 'href="https://www.toedi-rail.example/de/regionalzuege"' in page(toedi, "de")  # the same host
    assert 'href="https://www.toedi-rail.example.br/trens-regionais"' in page(toedi, "pt_BR")  # link_hosts
    assert 'href="https://www.toedi-rail.example/en/regional-trains"' in page(toedi, "ko")


def test_the_german_page_shows_the_german_chart(toedi) -> None:
    german, spanish = page(toedi, "de"), page(toedi, "es")
    assert re.search(r'src="images/[0-9a-f]+-chart\.de\.png" alt="Diagramm des Lieferplans"', german)
    assert re.search(r'src="images/[0-9a-f]+-chart\.png" alt="Gráfico del plan de entregas"', spanish)
    assert "<figcaption>Auslieferungen nach Jahr</figcaption>" in german


def test_the_embargoed_release_stays_out_and_reads_in_the_offices_zone_for_review(toedi, tmp_path) -> None:
    assert not page_file(toedi, PLANT, "de").exists()
    assert PLANT not in (toedi / "dist" / "de" / "index.html").read_text(encoding="utf-8")
    review = tmp_path / "review"
    shutil.copytree(PROJECTS / "toedi", review)
    assert main(["-C", str(review), "build", "--format", "html", "--include-embargoed", "--source", PLANT,
                 "--lang", "de", "--lang", "tr", "--lang", "hi", "-j", "1"]) == 0
    assert "Sperrfrist bis 2. März 2099, 10:00 MEZ" in text_of(page(review, "de", PLANT))
    assert "35.000 Tonnen Stahl" in text_of(page(review, "de", PLANT))
    assert "35,000 टन इस्पात" in text_of(page(review, "hi", PLANT))  # not "मीट्रिक टन"
    assert "Yayın ambargosu: 2 Mart 2099 10:00 Orta Avrupa Standart Saati" in text_of(page(review, "tr", PLANT))


def test_the_hebrew_feed_says_whose_it_is(toedi) -> None:
    feed = (toedi / "dist" / "he" / "feed.xml").read_text(encoding="utf-8")
    assert "<title>הודעות לעיתונות · Tödi Rail AG</title>" in feed


@pytest.mark.parametrize("language", ["he", "hi", "ko"])
def test_the_pdf_keeps_numbers_and_addresses_whole(toedi, language) -> None:
    text = subprocess.run(["pdftotext", str(pdf_file(toedi, TRAINS, language)), "-"], capture_output=True,
                          text=True, check=True).stdout
    # pdftotext marks right-to-left runs with Unicode embedding controls: read past them.
    lines = [re.sub("[\u202a-\u202e\u200e\u200f]", "", line).strip() for line in text.splitlines()]
    assert "+41 71 555 01 00" in lines and "media@toedi-rail.example" in lines
    assert "9423 Altenrhein" in lines  # a Swiss address line keeps its order on a right-to-left page too


def test_the_pages_with_contacts_and_boilerplate_pass_the_nu_html_checker_and_axe(toedi, chromium) -> None:
    """The organization's markup (boilerplate section, <address>, tel: and mailto: links, directions) is valid
    HTML and has no axe-core finding, in a right-to-left page and in the page with the Brazilian contact."""
    pages = sorted((toedi / "dist").rglob("*.html"))
    result = subprocess.run(["java", "-jar", str(VNU), "--format", "json", *map(str, pages)],
                            capture_output=True, text=True, timeout=300)
    messages = [m for m in json.loads(result.stderr)["messages"] if m.get("type") != "info"]
    assert [f"{m['url'].split('/dist/')[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages] == []
    for language in ("he", "pt_BR"):
        assert axe_findings(chromium, page_file(toedi, TRAINS, language).as_uri(), 1280) == [], language
