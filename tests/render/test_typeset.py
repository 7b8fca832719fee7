"""Layout by script (docs/typesetting.md, "Layout"), read back from the 13-language test release.

One build of tests/projects/typeset (every value type, 13 languages) and one of the same release in a
very narrow column, where every rule about line ends is put to the test: the PDFs are read with
pdftotext and pdffonts, the web pages as HTML.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import polib
import pytest
from pypdf import PdfReader

from conftest import PROJECTS, page_file, pdf_file, problems
from pubkit import load_project, read_sources
from pubkit.render.formatting import Formatter
from pubkit.render.templates import BUILTIN_DIR

pytestmark = pytest.mark.slow
SLUG = "harbour-battery"
LANGUAGES = ["en", "en_US", "de", "fr", "ru", "zh_CN", "zh_TW", "ja", "ko", "ar", "he", "hi", "th"]
NO_ITALIC = ["zh_CN", "zh_TW", "ja", "ko", "ar", "he", "hi", "th"]
NARROW = ["de", "ru", "ko", "zh_CN", "ja", "th", "hi"]
URL = "https://nordlicht.example/press/hybrid-battery-storage-rostock-harbour"
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def dist(projects, tmp_path_factory) -> Path:
    project = projects("typeset", where=tmp_path_factory.mktemp("typeset"), built=["-j", "2"])
    result = projects.build_result(project)
    assert not problems(result.err) and f"built {2 * len(LANGUAGES)} files" in result.out, result.out + result.err
    return project


def narrow_column(root: Path) -> None:
    """The release set in a column 34 mm wide: lines end everywhere a rule could be broken."""
    (root / "templates").mkdir()
    css = (BUILTIN_DIR / "print.css").read_text(encoding="utf-8")
    (root / "templates" / "print.css").write_text(css + "\n.release { width: 34mm; }\n", encoding="utf-8")


@pytest.fixture(scope="module")
def narrow(projects, tmp_path_factory) -> Path:
    """The same release set in a column 34 mm wide: lines end everywhere a rule could be broken."""
    languages = [argument for language in NARROW for argument in ("--lang", language)]
    project = projects("typeset", where=tmp_path_factory.mktemp("narrow"), edit=narrow_column,
                       built=["--format", "pdf", "-j", "2", *languages])
    assert not problems(projects.build_result(project).err)
    return project


def lines(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True)
    cleaned = BIDI_CONTROLS.sub("", text.stdout).replace("\xa0", " ").replace("\u202f", " ")
    return [" ".join(line.split()) for line in cleaned.splitlines() if line.strip()]


def pdf(project: Path, language: str) -> Path:
    """The release's PDF in ``language`` in the built ``project``, where the site's layout puts it."""
    return pdf_file(project, SLUG, language)


def page(project: Path, language: str) -> Path:
    """The release's web page in ``language`` in the built ``project``."""
    return page_file(project, SLUG, language)


def fonts(pdf_path: Path) -> set[str]:
    listing = subprocess.run(["pdffonts", str(pdf_path)], capture_output=True, text=True, check=True).stdout
    return {row.split()[0].split("+", 1)[-1] for row in listing.splitlines()[2:]}


def values(language: str) -> dict[str, str]:
    """Each value of the release as the formatter writes it for ``language``, spaces made plain."""
    project = load_project(PROJECTS / "typeset")
    (source,) = read_sources(project)
    formatter = Formatter(language)
    return {name: " ".join(BIDI_CONTROLS.sub("", formatter.format(value)).replace("\u202f", " ").split())
            for name, value in source.values.items()}


def plain(text: str) -> str:
    return " ".join(BIDI_CONTROLS.sub("", text).replace("\xa0", " ").replace("\u202f", " ").split())


# -- 1. Line breaking per script ------------------------------------------------------------------------

@pytest.mark.parametrize("folder", ["dist", "narrow"])
def test_korean_lines_break_between_words_only(folder: str, request) -> None:
    html = page(request.getfixturevalue("dist"), "ko").read_text(encoding="utf-8")
    inline = re.sub(r"</?(bdi|span|em|strong|a)\b[^>]*>", "", html.split("<body", 1)[1])
    body = plain(re.sub(r"<[^>]+>", " ", inline))
    words = set(body.split()) | {w.strip(".,()") for w in body.split()}
    words |= {piece for w in body.split() for piece in re.split(r"(?<=/)", w)}  # a URL breaks after a slash
    hangul = re.compile("[\uac00-\ud7a3]")
    text = lines(pdf(request.getfixturevalue(folder), "ko"))
    text = [line for line in text if "쪽" not in line]  # the page footer is not in the web page
    split = [token for line in text for token in line.split()
             if hangul.search(token) and token not in words and token.strip(".,()") not in words]
    assert not split, f"Korean words broken across lines: {split}"
    assert "\u2060" not in "".join(text), "the word joiners must not reach the text layer"
    assert "\u2060" not in html, "the web page keeps Korean copyable: keep-all is in screen.css"
    outline = [item.title for item in PdfReader(pdf(request.getfixturevalue(folder), "ko")).outline
               if not isinstance(item, list)]
    assert outline and not [title for title in outline if "\u2060" in title], outline


@pytest.mark.parametrize("language", ["zh_CN", "ja"])
def test_cjk_lines_never_start_with_closing_punctuation_or_small_kana(narrow: Path, language: str) -> None:
    forbidden = "、。，．！？：；）」』】〕ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
    starts = [line for line in lines(pdf(narrow, language)) if line[0] in forbidden]
    assert not starts, f"lines starting with a character strict line breaking forbids there: {starts}"


@pytest.mark.parametrize("language", NARROW)
def test_values_never_break_inside(narrow: Path, language: str) -> None:
    text = lines(pdf(narrow, language))
    joined = " ".join(text)
    for name, value in values(language).items():
        if len(value.split()) < 2 and language not in ("zh_CN", "ja", "ko", "th"):
            continue  # one word: nothing to break
        assert any(value in line for line in text), f"{name} {value!r} is split across lines: {joined[:3000]}"


@pytest.mark.parametrize("language", NARROW)
def test_urls_break_after_slashes_and_headings_are_not_hyphenated(narrow: Path, language: str) -> None:
    text = lines(pdf(narrow, language))
    start = next(i for i, line in enumerate(text) if "https://" in line)
    pieces = [text[start][text[start].index("https://"):]]
    for line in text[start + 1:]:
        if "".join(pieces).startswith(URL) or len(pieces) > 6:
            break
        pieces.append(line.split()[0])
    assert "".join(pieces).startswith(URL), pieces
    for piece in pieces[:-1]:
        assert piece.endswith("/"), f"the URL breaks elsewhere than after a slash: {pieces}"
    if language in ("de", "ru"):  # scripts Pyphen hyphenates
        header = text[: next(i for i, line in enumerate(text) if "2025" in line) + 1]
        assert not [line for line in header if line.endswith(("-", "\u2010"))], f"hyphenated heading: {header}"
        body = text[len(header):start]
        assert any(line.endswith(("-", "\u2010")) for line in body), "the body itself is still hyphenated"


# -- 2. Bidi ---------------------------------------------------------------------------------------------

LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z¥$€₩]+|[¥$€₩][A-Za-z]+")


@pytest.mark.parametrize("language", ["ar", "he"])
def test_latin_runs_and_values_keep_their_order_in_right_to_left_text(dist: Path, language: str) -> None:
    text = " ".join(lines(pdf(dist, language)))
    runs = {run for value in values(language).values() for run in LATIN_RUN.findall(value)}
    runs |= {"Nordlicht Energie", "Shenzhen Volta", "+49 381 555 0100", "presse@nordlicht.example", "https://"}
    for run in sorted(runs):
        assert run in text, f"{run!r} is reordered in the {language} PDF: {text}"
    if language == "ar":
        assert "CN¥" in text and "¥CN" not in text


@pytest.mark.parametrize("language", ["ar", "he"])
def test_every_value_is_isolated_in_the_page_and_in_tables_and_lists(dist: Path, language: str) -> None:
    html = page(dist, language).read_text(encoding="utf-8")
    isolated = re.findall(r'<bdi class="value"[^>]*>(.*?)</bdi>(?!</bdi>)', html)
    shown = {plain(re.sub(r"<[^>]+>", "", piece)) for piece in isolated}
    for name, value in values(language).items():
        assert value in shown, f"{name} ({value!r}) is not in its own <bdi>"
    assert re.search(r'<td><bdi class="value"', html), "table cells"
    assert re.search(r'<li>[^<]*<bdi class="value"', html), "list items"
    assert '<bdi dir="ltr">Shenzhen Volta</bdi>' in html


# -- 3. Emphasis by script, one family per script ------------------------------------------------------

@pytest.mark.parametrize("language", NO_ITALIC)
def test_no_synthetic_oblique_emphasis_is_weight(dist: Path, language: str) -> None:
    names = fonts(pdf(dist, language))
    slanted = {n for n in names if "Oblique" in n or "Italic" in n}
    assert not slanted, f"{language} has no italic: {slanted}"
    assert any(n.endswith("-Bold") and n != "Noto-Sans-Bold" for n in names), names


def test_latin_keeps_its_real_italic(dist: Path) -> None:
    assert "Noto-Sans-Italic" in fonts(pdf(dist, "de"))


@pytest.mark.parametrize("language, families", [
    ("ar", {"Noto-Naskh-Arabic"}), ("he", {"Noto-Sans-Hebrew"}), ("hi", {"Noto-Sans-Devanagari"}),
    ("th", {"Noto-Sans-Thai"}), ("ko", {"Noto-Sans-CJK-KR"}), ("zh_TW", {"Noto-Sans-CJK-TC"}),
])
def test_one_type_family_per_script(dist: Path, language: str, families: set[str]) -> None:
    names = {re.sub(r"-(Bold|Regular)$", "", n) for n in fonts(pdf(dist, language))}
    assert names - {"Noto-Sans"} == families, names


# -- 7. A text layer that searches as written -------------------------------------------------------------

@pytest.mark.parametrize("language, words", [
    ("hi", ["मार्च", "मंज़ूरी", "प्रेस विज्ञप्ति", "रोस्टॉक ने अपने बंदरगाह में हाइब्रिड बैटरी संयंत्र को मंज़ूरी दी",
            "क्षेत्रीय", "परियोजना"]),
    ("th", ["รอสต็อกอนุมัติโรงไฟฟ้าแบตเตอรี่ไฮบริด", "ท่าเรือ"]),
    ("ko", ["하이브리드", "로스토크 시의회는"]),
    ("ar", ["روستوك", "الاستثمار والتمويل"]),
])
def test_text_layer_finds_words_as_written(dist: Path, language: str, words: list[str]) -> None:
    text = unicodedata.normalize("NFC", " ".join(lines(pdf(dist, language))))
    for word in words:
        assert unicodedata.normalize("NFC", word) in text, f"{word!r} not found in the {language} PDF: {text[:400]}"


def test_screen_stylesheet_carries_what_only_browsers_read(dist: Path) -> None:
    css = (page(dist, "ko").parent / "screen.css").read_text(encoding="utf-8")
    assert re.search(r":lang\(ko\)\s*\{\s*word-break:\s*keep-all", css)
    assert re.search(r":lang\(ja\)\s*\{\s*line-break:\s*strict", css)
    assert shutil.which("pdftotext")


def test_actual_text_survives_a_tagged_pdf_ua_build(make_project, run) -> None:
    project = make_project("typeset", config={"pdf_variant": "pdf/ua-1"})
    result = run("build", "--lang", "hi", "--format", "pdf", cwd=project)
    assert result.code == 0 and not problems(result.err), result.err
    text = " ".join(lines(pdf(project, "hi")))
    assert "रोस्टॉक ने अपने बंदरगाह में हाइब्रिड बैटरी संयंत्र को मंज़ूरी दी" in text
    assert "मार्च" in text


def test_source_language_fallback_in_a_right_to_left_page_is_laid_out_as_the_source(make_project, run) -> None:
    """English text that falls back into an Arabic page is one left-to-right sentence, not Latin runs
    isolated one by one (which would be set right to left, in reverse order, around its commas)."""
    project = make_project("typeset")
    po = project / "locale" / "ar" / "LC_MESSAGES" / f"{SLUG}.po"
    catalog = polib.pofile(str(po))
    next(e for e in catalog if e.msgid.startswith("Nordlicht Energie and its partner")).msgstr = ""
    catalog.save()
    assert run("build", "--lang", "ar", "--format", "html", cwd=project).code == 0
    html = page(project, "ar").read_text(encoding="utf-8")
    paragraph = re.search(r'<p[^>]*class="untranslated"[^>]*>(.*?)</p>', html, re.S)
    assert paragraph and "Nordlicht Energie and its partner" in paragraph.group(1)
    assert '<bdi dir="ltr">' not in paragraph.group(1)
    assert '<bdi class="value"' in paragraph.group(1)
    assert '<bdi dir="ltr">Shenzhen Volta</bdi>' not in html.split("untranslated", 1)[1].split("</p>", 1)[0]
