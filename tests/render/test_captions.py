"""An image standing alone with a Markdown title is a <figure> with a translated <figcaption>."""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib
import pytest

from conftest import TITLES, page_file, pdf_file
from test_build import parse_html

IMAGE = "![Aerial view of the plant](plant.png)"
CAPTION = "The park seen from the north, {day}"
GERMAN_CAPTION = "Der Park von Norden gesehen, {day} <3 & mehr"


def add_captions(root: Path) -> None:
    """A caption on the mini project's image, and an inline image with a title."""
    source = root / "sources" / "launch.md"
    text = source.read_text(encoding="utf-8")
    assert IMAGE in text
    source.write_text(text.replace(IMAGE, f'![Aerial view of the plant](plant.png "{CAPTION}")\n\n'
                                          'Seen from above: ![a thumbnail](plant.png "A tooltip") in the text.'),
                      encoding="utf-8")


@pytest.fixture
def captioned(make_project, run) -> Path:
    """The mini project with captions, German catalogs and the Chinese title (its caption untranslated), built."""
    project = make_project("mini", edit=add_captions, built=True, translated={
        "de": {("title", "A new plant opens"): "Ein neues Werk öffnet", "Aerial view of the plant": "Luftbild des Werks",
               ("caption", CAPTION): GERMAN_CAPTION},
        "zh_CN": TITLES["zh_CN"]})
    result = run("build", cwd=project)
    assert result.code == 0 and "nothing to render" in result.out, result.out + result.err
    assert "translation not used" not in result.err
    return project


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if needle in line)


def test_extract_puts_the_caption_into_the_catalog_at_the_image_line(captioned: Path) -> None:
    line = line_of(captioned / "sources" / "launch.md", "(plant.png \"The park")
    pot = polib.pofile(str(captioned / "locale" / "launch.pot"))
    caption = pot.find(CAPTION, msgctxt="caption")
    assert caption is not None
    assert caption.occurrences == [("sources/launch.md", str(line))]
    assert "python-brace-format" in caption.flags  # placeholders are checked like in other text
    alt = pot.find("Aerial view of the plant")
    assert alt is not None and alt.msgctxt is None and alt.occurrences == caption.occurrences
    # An inline image's title is part of its paragraph's message, never a caption of its own.
    assert pot.find("A tooltip", msgctxt="caption") is None
    assert [e.msgctxt for e in pot].count("caption") == 1


def figures(page: Path):
    document = parse_html(page)  # strict: any HTML5 parse error fails
    return document, document.findall(".//figure")


def test_the_german_page_shows_a_figure_with_the_translated_caption(captioned: Path) -> None:
    page = page_file(captioned, "launch", "de")
    document, found = figures(page)
    assert len(found) == 1
    figure = found[0]
    image, caption = list(figure)
    assert image.tag == "img" and caption.tag == "figcaption"
    assert image.get("alt") == "Luftbild des Werks"
    assert image.get("src").startswith("images/") and image.get("title") is None
    assert (image.get("width"), image.get("height")) == ("120", "60")
    assert caption.get("class") is None and caption.get("lang") is None
    assert "".join(caption.itertext()) == "Der Park von Norden gesehen, 4. März <3 & mehr"
    assert caption.find("bdi").text == "4. März"  # the value isolated as everywhere
    assert "&lt;3 &amp; mehr</figcaption>" in page.read_text(encoding="utf-8")


def test_an_inline_image_keeps_its_title_as_a_tooltip(captioned: Path) -> None:
    document, _ = figures(page_file(captioned, "launch", "de"))
    inline = [img for img in document.iter("img") if img.get("alt") == "a thumbnail"]
    assert len(inline) == 1
    paragraph = next(p for p in document.iter("p") if inline[0] in list(p))
    assert inline[0].get("title") == "A tooltip"
    assert "Seen from above" in "".join(paragraph.itertext())


def test_an_untranslated_caption_falls_back_to_the_source_marked(captioned: Path) -> None:
    document, found = figures(page_file(captioned, "launch", "zh_CN"))
    assert document.get("lang") == "zh-CN"
    image, caption = list(found[0])
    assert (caption.get("lang"), caption.get("class")) == ("en", "untranslated")
    assert "".join(caption.itertext()) == "The park seen from the north, March 4"  # the source's figures too
    assert (image.get("lang"), image.get("class")) == ("en", "untranslated")  # its alt text fell back too
    assert found[0].get("lang") is None


def test_the_source_page_has_the_figure_unmarked(captioned: Path) -> None:
    _, found = figures(page_file(captioned, "launch", "en"))
    caption = found[0].find("figcaption")
    assert caption.get("class") is None
    assert "".join(caption.itertext()) == "The park seen from the north, March 4"


def test_the_german_pdf_holds_the_translated_caption(captioned: Path) -> None:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf_file(captioned, "launch", "de")), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Der Park von Norden gesehen, 4. März <3 & mehr" in " ".join(text.split())
    assert "The park seen from the north" not in text


def test_a_skipped_image_publishes_its_caption_as_written(mini: Path, run) -> None:
    source = mini / "sources" / "launch.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace(IMAGE, "<!-- translators: the park, not the plant -->\n"
                                          f'![Aerial view of the plant](plant.png "{CAPTION}")\n\n'
                                          "<!-- i18n: skip -->\n"
                                          '![Logo](plant.png "Our *logo* <b>as is</b>")'), encoding="utf-8")
    assert run("extract", cwd=mini).code == 0
    pot = polib.pofile(str(mini / "locale" / "launch.pot"))
    assert pot.find(CAPTION, msgctxt="caption").comment == "the park, not the plant"
    assert not any("logo" in entry.msgid for entry in pot)
    assert run("build", "--format", "html", "--lang", "en", cwd=mini).code == 0
    page = page_file(mini, "launch", "en")
    _, found = figures(page)
    assert ["".join(f.find("figcaption").itertext()) for f in found] == [
        "The park seen from the north, March 4", "Our *logo* <b>as is</b>"]
