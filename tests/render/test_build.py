"""`pubkit build` to HTML: valid pages with lang and dir, translated and localized, escaped, confined."""

from __future__ import annotations

from pathlib import Path

import html5lib
import polib
import pytest

from conftest import TITLES, configure, page_file, pdf_file, snapshot

HOSTILE = '{{ 7+7 }} {% include "x" %}'


def parse_html(path: Path):
    """Parse as a browser would, but fail on any HTML5 parse error."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(path.read_bytes())


def german(entry: polib.POEntry, domain: str) -> str:
    special = {
        "A new plant opens": "Ein neues Werk öffnet",
        "Opening on {day}": "Eröffnung am {day}",
        "Built in **record** time": "In **Rekordzeit** gebaut",
        "Share of exports: {share}": "Exportanteil: {share}",
        "Berlin": "Berlin",
        "A quote from the *chief engineer*.": "Ein Zitat des *Chefingenieurs*. " + HOSTILE,
    }
    if entry.msgid in special:
        return special[entry.msgid]
    if entry.msgid.startswith("The plant covers"):
        return ("Das Werk umfasst {area} und kostete {cost}; {people} Menschen finden *neue* Arbeit.\n"
                "Die zweite Zeile behält [unseren Link](https://example.com/plant), `{code}` bleibt Code, "
                "und \\{escaped\\} Klammern sind Text.")
    return ""


@pytest.fixture
def translated(make_project) -> Path:
    """The mini project with German translated (a hostile quote among it) and the Chinese title."""
    return make_project("mini", translated={"de": german, "zh_CN": TITLES["zh_CN"]})


def build_html(project: Path, run, *extra: str):
    result = run("build", "--format", "html", *extra, cwd=project)
    assert result.code == 0, result.err
    return result


def test_one_page_per_language_with_its_stylesheets(translated: Path, run) -> None:
    result = build_html(translated, run)
    for language in ("en", "de", "zh_CN"):
        folder = page_file(translated, "launch", language).parent
        assert (folder / "index.html").is_file()
        assert (folder / "screen.css").is_file() and (folder / "base.css").is_file()
        assert not pdf_file(translated, "launch", language).exists(), "--format html makes no PDF"
    assert "built 3 files" in result.out


@pytest.mark.parametrize("language, lang, direction", [("en", "en", "ltr"), ("de", "de", "ltr"), ("zh_CN", "zh-CN", "ltr")])
def test_pages_are_valid_html5_with_lang_and_dir(translated: Path, run, language, lang, direction) -> None:
    build_html(translated, run)
    document = parse_html(page_file(translated, "launch", language))
    assert document.get("lang") == lang and document.get("dir") == direction
    assert document.find("head/meta[@charset]").get("charset") == "utf-8"
    assert [link.get("href") for link in document.findall("head/link[@rel='stylesheet']")] == ["base.css", "screen.css"]


def test_translated_text_with_localized_values(translated: Path, run) -> None:
    build_html(translated, run)
    document = parse_html(page_file(translated, "launch", "de"))
    text = " ".join("".join(document.itertext()).split())
    assert "Ein neues Werk öffnet" in text
    assert "Eröffnung am 4. März" in text
    assert "Das Werk umfasst 12,5 Hektar und kostete 1,25 Mrd. €; 2.500 Menschen" in text.replace("\xa0", " ")
    assert "Exportanteil: 12,5 %" in text.replace("\xa0", " ")
    assert "Berlin, 1. März 2024" in text  # the dateline, from the templates catalog's pattern
    assert document.find(".//h1").text == "Ein neues Werk öffnet"
    strong = [e.text for e in document.iter("strong")]
    assert "Rekordzeit" in strong
    # A block marked i18n: skip and a cell holding only a placeholder are published as written, filled.
    assert "This paragraph is published as written, never translated." in text
    assert "North hall" in text and "12,5 Hektar" in text


def test_translator_markup_and_template_syntax_stay_text(translated: Path, run) -> None:
    build_html(translated, run)
    page = page_file(translated, "launch", "de")
    document = parse_html(page)
    scripts = [e for e in document.iter("script") if e.get("type") != "application/ld+json"]
    assert not scripts, "a translator's <script> must not become an element"
    assert "</script" not in "".join(e.text or "" for e in document.iter("script")), "nor close the JSON-LD"
    assert not [img for img in document.iter("img") if img.get("onerror")]
    quote = "".join(document.find(".//blockquote").itertext())
    assert '{{ 7+7 }} {% include "x" %}' in quote
    assert "14" not in quote


def test_missing_translations_fall_back_to_the_source_with_a_warning(translated: Path, run) -> None:
    result = build_html(translated, run, "--lang", "de", "--preview")
    assert "locale/de/LC_MESSAGES/launch.po:1: warning:" in result.err
    assert "not translated into de (missing, fuzzy or not usable), published in en" in result.err
    document = parse_html(page_file(translated, "launch", "de", output="dist-preview"))
    fallback = [e for e in document.iter() if "untranslated" in (e.get("class") or "").split()]
    assert fallback and all(e.get("lang") == "en" for e in fallback)
    assert any("Production starts in spring" in "".join(e.itertext()) for e in fallback)
    assert document.find("body").get("class") == "preview"


def test_a_language_below_min_completeness_is_skipped(translated: Path, run) -> None:
    configure(translated, min_completeness=90, language={"de": {"min_completeness": 10}})
    result = build_html(translated, run)
    assert (page_file(translated, "launch", "de")).exists(), "de has its own, lower minimum"
    assert not page_file(translated, "launch", "zh_CN").parent.exists()
    assert "locale/zh_CN/LC_MESSAGES/launch.po:1: warning: zh_CN is 6.7% translated, below min_completeness 90%" in result.err
    assert "1 skipped" in result.out


def test_images_are_copied_beside_the_page(translated: Path, run) -> None:
    build_html(translated, run, "--lang", "de")
    folder = page_file(translated, "launch", "de").parent
    images = [img for img in parse_html(folder / "index.html").iter("img")]
    assert len(images) == 1 and images[0].get("alt") == "Aerial view of the plant"
    copied = folder / images[0].get("src")
    assert copied.read_bytes() == (translated / "sources" / "plant.png").read_bytes()


@pytest.mark.parametrize(
    "reference, message",
    [
        ("../../../../../../etc/passwd", "refused resource '../../../../../../etc/passwd': it is outside the project"),
        ("..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd", "it is outside the project"),
        ("/etc/passwd", "refused resource '/etc/passwd': it is outside the project"),
        ("https://example.com/x.png", "refused network resource 'https://example.com/x.png'"),
        ("missing.png", "resource 'missing.png' not found (looked for sources/missing.png)"),
    ],
)
def test_references_outside_the_project_are_refused(translated: Path, run, reference, message) -> None:
    source = translated / "sources" / "launch.md"
    source.write_text(source.read_text(encoding="utf-8").replace("(plant.png)", f"({reference})"), encoding="utf-8")
    before = snapshot(translated)
    result = run("build", "--format", "html", cwd=translated)
    assert result.code == 2
    assert result.err.strip().startswith("sources/launch.md:37: error: "), "the line of the image"
    assert message in result.err
    assert snapshot(translated) == before


def test_file_urls_in_markdown_never_become_images(translated: Path, run) -> None:
    # markdown-it refuses file: (and javascript:) link targets; the text stays text.
    source = translated / "sources" / "launch.md"
    source.write_text(source.read_text(encoding="utf-8").replace("(plant.png)", "(file:///etc/passwd)"), encoding="utf-8")
    build_html(translated, run, "--lang", "en")
    document = parse_html(page_file(translated, "launch", "en"))
    assert not list(document.iter("img"))
    assert not list((translated / "dist").rglob("passwd"))


def test_a_symlink_out_of_the_project_is_refused(translated: Path, run, tmp_path: Path) -> None:
    outside = tmp_path / "secret.png"
    outside.write_bytes((translated / "sources" / "plant.png").read_bytes())
    (translated / "sources" / "plant.png").unlink()
    (translated / "sources" / "plant.png").symlink_to(outside)
    result = run("build", "--format", "html", cwd=translated)
    assert result.code == 2 and "refused resource 'plant.png': it is outside the project" in result.err


def test_project_templates_override_the_built_in_ones(translated: Path, run) -> None:
    build_html(translated, run, "--lang", "en")
    document = parse_html(page_file(translated, "launch", "en"))
    assert "Mini Company press office" in "".join(document.find(".//div[@class='letterhead']").itertext())


def test_a_template_changed_after_a_build_is_compiled_again(translated: Path, run, tmp_path: Path,
                                                             monkeypatch) -> None:
    # templates._compiled_templates: Jinja's cache of compiled templates checks each entry against the
    # template's source; a stale entry would publish the old letterhead, or hide a new mistake.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    letterhead = translated / "templates" / "letterhead.html"
    letterhead.write_text('<div class="letterhead">First letterhead</div>\n', encoding="utf-8")
    build_html(translated, run, "--lang", "en")
    assert list((tmp_path / "cache" / "pubkit" / "templates").rglob("*.cache")), "compiled templates are kept"
    letterhead.write_text('<div class="letterhead">Second letterhead</div>\n', encoding="utf-8")
    build_html(translated, run, "--lang", "en")
    assert "Second letterhead" in page_file(translated, "launch", "en").read_text(encoding="utf-8")
    letterhead.write_text("<div>\n{{ no_such_variable }}\n</div>\n", encoding="utf-8")
    result = run("build", "--format", "html", cwd=translated)
    assert result.err.strip().startswith("templates/letterhead.html:2: error: template error"), result.err


@pytest.mark.parametrize(
    "template, expected",
    [
        ("{% if organization %}<div>{{ _('x') }</div>{% endif %}\n", "templates/letterhead.html:1: error: template syntax error"),
        ("<div>\n{{ no_such_variable }}\n</div>\n", "templates/letterhead.html:2: error: template error: 'no_such_variable' is undefined"),
        ("<div>{{ ''.__class__.__mro__[1].__subclasses__() }}</div>\n", "templates/letterhead.html:1: error: template error: access to attribute '__class__'"),
    ],
)
def test_template_mistakes_are_one_line_at_the_template_line(translated: Path, run, template, expected) -> None:
    (translated / "templates" / "letterhead.html").write_text(template, encoding="utf-8")
    before = snapshot(translated)
    result = run("build", "--format", "html", cwd=translated)
    assert result.code == 2
    assert result.err.strip().startswith(expected), result.err
    assert len(result.err.strip().splitlines()) == 1
    assert snapshot(translated) == before, "no partial output"


@pytest.mark.parametrize(
    "args, message",
    [
        (("--lang", "it"), "pubkit: error: 'it' is not a language of this project (en, de, zh_CN)"),
        (("--lang", "xx"), "pubkit: error: unknown locale 'xx'"),
        (("--source", "nope"), "pubkit: error: no source with slug 'nope' (sources: launch)"),
        (("--format", "docx"), "pubkit: error: --format takes html, pdf or email, or several separated by commas, not 'docx'"),
    ],
)
def test_bad_build_arguments(translated: Path, run, args, message) -> None:
    result = run("build", *args, cwd=translated)
    assert result.code == 2 and result.err.strip().startswith(message)
    assert not (translated / "dist").exists()
