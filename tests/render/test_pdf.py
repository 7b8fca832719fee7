"""PDFs as a printer and a reader's software see them: text, fonts, page size, metadata, direction."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import polib
import pytest
from pypdf import PdfReader

from conftest import ROOT, configure, page_file, pdf_file, snapshot

pytestmark = pytest.mark.slow
SLUG = "weiqiao-aluminium-park"
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
MM = 72 / 25.4


@pytest.fixture(scope="module")
def sample_dist(projects, tmp_path_factory) -> Path:
    project = projects("sample", where=tmp_path_factory.mktemp("sample"), built=True)
    result = projects.build_result(project)
    assert "built 12 files" in result.out and result.err == "", result.out + result.err
    return project


def pdf_text(path: Path) -> str:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(BIDI_MARKS.sub("", text).replace("\xa0", " ").replace("\u202f", " ").split())


def pdf(project: Path, language: str) -> Path:
    return pdf_file(project, SLUG, language)


@pytest.mark.parametrize(
    "language, expected",
    [
        ("en", ["Düsseldorf, July 25, 2023", "July 17", "713 hectares", "CN¥3B", "€375M", "100,000", "Page 1 of 2"]),
        ("de", ["Düsseldorf, 25. Juli 2023", "17. Juli", "713 Hektar", "3 Mrd. CN¥", "375 Mio. €", "100.000", "Seite 1 von 2"]),
        ("fr", ["Düsseldorf, le 25 juillet 2023", "17 juillet", "713 hectares", "3 Md CNY", "375 M €", "100 000"]),
        ("zh_CN", ["杜塞尔多夫，2023年7月25日", "7月17日", "713公顷", "30亿元", "3.75亿欧元", "100,000", "第1页，共1页"]),
        ("ja", ["2023年7月25日", "7月17日", "713 ヘクタール", "30億元", "3.75億ユーロ", "100,000"]),
        # pdftotext puts mixed-direction runs in visual order: check the Arabic words and the figures.
        ("ar", ["دوسلدورف", "يوليو", "2023", "713", "هكتار", "مليار", "375", "مليون", "100,000", "الصفحة"]),
    ],
)
def test_localized_figures_in_every_pdf(sample_dist: Path, language: str, expected: list[str]) -> None:
    text = pdf_text(pdf(sample_dist, language))
    for figure in expected:
        assert figure in text, f"{figure!r} not in the {language} PDF"


@pytest.mark.parametrize("language", ["en", "de", "fr", "zh_CN", "ar", "ja"])
def test_every_font_is_embedded_and_subset(sample_dist: Path, language: str) -> None:
    listing = subprocess.run(["pdffonts", str(pdf(sample_dist, language))], capture_output=True, text=True, check=True)
    rows = listing.stdout.splitlines()[2:]
    assert rows, "no fonts at all"
    for row in rows:
        name, emb, sub = row.split()[0], row.split()[-5], row.split()[-4]
        assert (emb, sub) == ("yes", "yes"), row
        assert re.match(r"^[A-Z]{6}\+", name), f"not a subset: {row}"
    names = " ".join(row.split()[0] for row in rows)
    script_font = {"zh_CN": "Noto-Sans-CJK-SC", "ja": "Noto-Sans-CJK-JP", "ar": "Noto-Naskh-Arabic"}.get(language, "Noto-Sans")
    assert script_font in names, "Han characters take the language's own forms; Arabic its own font"


@pytest.mark.parametrize("language", ["en", "de", "fr", "zh_CN", "ar", "ja"])
def test_metadata_page_size_and_bookmarks(sample_dist: Path, language: str) -> None:
    reader = PdfReader(pdf(sample_dist, language))
    page = reader.pages[0]
    assert (round(float(page.mediabox.width) / MM), round(float(page.mediabox.height) / MM)) == (210, 297)
    assert reader.trailer["/Root"]["/Lang"] == language.replace("_", "-")
    title = reader.metadata.title
    catalog = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / f"{SLUG}.po")) if language != "en" else None
    expected_title = catalog.find("Weiqiao opens a high-end aluminium processing park in Weihai", msgctxt="title").msgstr if catalog else "Weiqiao opens a high-end aluminium processing park in Weihai"
    assert title == expected_title
    assert reader.metadata.author == "WEIQIAO Germany GmbH"
    outline = [item.title for item in flatten(reader.outline)]
    assert outline[0] == expected_title, "bookmarks come from the headings"
    # The title, the release's two section headings, and the organization's press contacts (pubkit.toml).
    assert len(outline) == 4, outline
    contact = catalog_text(language, "Press contact")
    assert outline[-1] == contact


def catalog_text(language: str, msgid: str) -> str:
    """A template string as the sample's templates catalog translates it (the source text in English)."""
    if language == "en":
        return msgid
    entry = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "templates.po")).find(msgid)
    return entry.msgstr if entry and entry.msgstr else msgid


def flatten(items):
    for item in items:
        if isinstance(item, list):
            yield from flatten(item)
        else:
            yield item


def test_arabic_page_reads_right_to_left(sample_dist: Path) -> None:
    html = page_file(sample_dist, SLUG, "ar").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl" data-script="Arab">' in html
    assert "713 هكتار" in html and "375 مليون €" in html.replace("\xa0", " ")
    # In the PDF, paragraphs hug the right margin: their right edges align, their left edges do not.
    layout = subprocess.run(["pdftotext", "-bbox-layout", "-f", "1", "-l", "1", str(pdf(sample_dist, "ar")), "-"],
                            capture_output=True, text=True, check=True).stdout
    found = re.findall(r'<block xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"', layout)
    # The body, between the letterhead and the centred page footer.
    blocks = [(float(a), float(c)) for a, b, c in found if 60 * MM < float(b) < 270 * MM]
    right_edges = [round(x_max) for _, x_max in blocks]
    assert len(right_edges) >= 5
    margin = max(right_edges)
    assert margin > 500, "text ends at the right margin"
    assert all(edge > margin - 40 for edge in right_edges), "list items indent from the right only"
    assert sum(edge >= margin - 3 for edge in right_edges) >= 0.7 * len(right_edges), right_edges
    left_edges = [round(x_min) for x_min, _ in blocks]
    assert max(left_edges) - min(left_edges) > 50, "short lines start further right"


def test_pages_look_right_as_images(sample_dist: Path, tmp_path: Path) -> None:
    # A rendered page has ink: neither empty nor a wall of missing-glyph boxes (checked by fonts above).
    for language in ("zh_CN", "ar"):
        subprocess.run(["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", str(pdf(sample_dist, language)),
                        str(tmp_path / language)], check=True)
        image = next(tmp_path.glob(f"{language}*.png"))
        assert image.stat().st_size > 3000


# --- Print options on the mini project -----------------------------------------------------------


@pytest.fixture
def mini_built(make_project, run):
    """Builds the mini project's PDFs with the settings given; German is published (one message translated)."""
    project = make_project("mini", translated={"de": {"Share of exports: {share}": "Exportanteil: {share}"}})

    def _build(*args: str, **settings):
        if settings:
            configure(project, **settings)
        result = run("build", "--format", "pdf", *args, cwd=project)
        return project, result

    return _build


def test_us_letter_for_en_us(mini_built) -> None:
    project, result = mini_built("--lang", "en")
    result = mini_built("--lang", "en_US", source_language="en_US")[1]
    assert result.code == 0, result.err
    page = PdfReader(pdf_file(project, "launch", "en_US")).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)


def test_paper_size_setting_overrides_the_locale(mini_built) -> None:
    project, result = mini_built("--lang", "de", language={"de": {"paper_size": "Letter"}})
    assert result.code == 0, result.err
    page = PdfReader(pdf_file(project, "launch", "de")).pages[0]
    assert round(float(page.mediabox.width)) == 612


def test_bleed_and_crop_marks_enlarge_the_page(mini_built) -> None:
    project, result = mini_built("--lang", "de", crop_marks=True, bleed="3mm")
    assert result.code == 0, result.err
    page = PdfReader(pdf_file(project, "launch", "de")).pages[0]
    width_mm = float(page.mediabox.width) / MM
    assert width_mm > 216, "A4 plus bleed plus room for the crop marks"


def test_pdf_a_variant(mini_built) -> None:
    project, result = mini_built("--lang", "de", pdf_variant="pdf/a-3b")
    assert result.code == 0, result.err
    reader = PdfReader(pdf_file(project, "launch", "de"))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfaid:part(>|=\")3", xmp) and re.search(r"pdfaid:conformance(>|=\")B", xmp), xmp


def test_a_glyph_no_font_has_fails_the_build(mini_built) -> None:
    project, _ = mini_built("--lang", "en")
    po = project / "locale" / "de" / "LC_MESSAGES" / "launch.po"
    catalog = polib.pofile(str(po))
    catalog.find("A new plant opens", msgctxt="title").msgstr = "Ein neues Werk \U0010fffd öffnet"
    catalog.save()
    before = snapshot(project)
    _, result = mini_built("--lang", "de")
    assert result.code == 2
    assert "sources/launch.md:1: error: no installed font has a glyph for '\U0010fffd' (U+10FFFD)" in result.err
    assert snapshot(project) == before, "no PDF presented as complete"


def test_a_translation_cannot_attach_files_or_run_code(mini_built) -> None:
    project, _ = mini_built("--lang", "en")
    po = project / "locale" / "de" / "LC_MESSAGES" / "launch.po"
    catalog = polib.pofile(str(po))
    catalog.find("A new plant opens", msgctxt="title").msgstr = (
        '<a rel="attachment" href="file:///etc/passwd">x</a><script>alert(1)</script>'
    )
    catalog.find("Berlin", msgctxt="place").msgstr = '<img src="file:///etc/passwd">'
    catalog.save()
    _, result = mini_built("--lang", "de")
    assert result.code == 0, result.err
    path = pdf_file(project, "launch", "de")
    reader = PdfReader(path)
    assert not reader.attachments
    assert b"root:x:0:0" not in path.read_bytes()
    text = pdf_text(path)
    assert "rel=" not in text and "A new plant opens" in text, "the refused translation gives way to the source"
