"""The publish gate: a translation `pubkit check` rejects never reaches any output of build or bundle.

One project is built once (real WeasyPrint, real msgfmt, real pdftotext) with German, Chinese and
Arabic catalogs holding the mistakes translators really make, and one language with nothing translated.
"""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import html5lib
import pytest

from conftest import TITLES, Result, page_file, pdf_file, pubkit, translate

pytestmark = pytest.mark.slow

DE = "locale/de/LC_MESSAGES/launch.po"
DE_UI = "locale/de/LC_MESSAGES/templates.po"
ZH = "locale/zh_CN/LC_MESSAGES/launch.po"


def msgstr_line(project: Path, relative: str, msgstr: str) -> int:
    """The line of ``msgstr "…"`` in a catalog: where a warning about it must point."""
    lines = (project / relative).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if line == f'msgstr "{msgstr}"')


@pytest.fixture(scope="module")
def project(projects, tmp_path_factory) -> Path:
    return projects("mini", where=tmp_path_factory.mktemp("gate"), languages=["de", "zh_CN", "ar", "fr"], translated={
        "de": {
            ("title", "A new plant opens"): "Ein neues Werk öffnet",
            (None, "Opening on {day}"): "Eröffnung am {tag}",  # renamed placeholder
            (None, "Share of exports: {share}"): "Exportanteil: {share}",
            (None, "Built in **record** time"): "In <b>Rekordzeit</b> gebaut",  # typed HTML
            ("dateline", "{place}, {date}"): "{ort}, {date}",  # in the templates catalog
            (None, "Press release"): "Pressemitteilung",
        },
        "zh_CN": {
            ("title", "A new plant opens"): "新工厂落成",
            (None, "Share of exports: {share}"): "出口占比：{增长}",  # a non-ASCII placeholder msgfmt chokes on
        },
        "ar": TITLES["ar"],
    })


@pytest.fixture(scope="module")
def built(project: Path) -> Result:
    result = pubkit("build", "-j", "1", "--lang", "de", "--lang", "ar", "--lang", "fr", cwd=project)
    assert result.code == 0, result.err
    return result


def page(project: Path, language: str, folder: str = "dist"):
    path = page_file(project, "launch", language, output=folder)
    return path.read_text(encoding="utf-8"), html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)


def pdf_text(project: Path, language: str) -> str:
    path = pdf_file(project, "launch", language)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def test_check_rejects_what_the_gate_refuses(project: Path, run) -> None:
    result = run("check", "--lang", "de", "--lang", "zh_CN", cwd=project)
    assert result.code == 1 and "Traceback" not in result.err
    line = msgstr_line(project, DE, "Eröffnung am {tag}")
    assert f"{DE}:{line}: error: placeholder {{day}} was renamed to {{tag}} [placeholders]" in result.out
    zh_line = msgstr_line(project, ZH, "出口占比：{增长}")
    at_zh_line = [f for f in result.out.splitlines() if f.startswith(f"{ZH}:{zh_line}:")]
    # msgfmt rejects it too (its message cuts 增 in half), but one problem is reported once.
    assert at_zh_line == [f"{ZH}:{zh_line}: error: placeholder {{share}} is missing from the translation [placeholders]"]


def test_a_rejected_translation_never_reaches_html_or_pdf(project: Path, built) -> None:
    html, document = page(project, "de")
    text = " ".join("".join(document.itertext()).split())
    pdf = pdf_text(project, "de")
    for refused in ("Eröffnung am", "{tag}", "Rekordzeit", "<b>", "{ort}"):
        assert refused not in html and refused not in pdf, refused
    # The source text takes its place, with its figure written the source language's way.
    assert "Opening on March 4" in text and "Opening on March 4" in pdf
    assert "Built in record time" in text and "Built in record time" in pdf
    assert "Berlin, 1. März 2024" in text and "Berlin, 1. März 2024" in pdf  # the source dateline pattern
    assert "Ein neues Werk öffnet" in text and "Exportanteil: 12,5 %" in text.replace("\xa0", " ")
    heading = next(h for h in document.iter() if h.tag in ("h1", "h2") and "Opening on" in "".join(h.itertext()))
    assert heading.get("lang") == "en" and heading.get("class") == "untranslated"


def test_one_warning_per_rejected_message_at_its_msgstr(project: Path, built) -> None:
    line = msgstr_line(project, DE, "Eröffnung am {tag}")
    warnings = [w for w in built.err.splitlines() if "translation not used" in w]
    assert f"{DE}:{line}: warning: translation not used: placeholder {{day}} was renamed to {{tag}} [placeholders]" \
        in warnings
    ui_line = msgstr_line(project, DE_UI, "{ort}, {date}")
    assert f"{DE_UI}:{ui_line}: warning: translation not used: placeholder {{place}} was renamed to {{ort}} " \
           "[placeholders]" in warnings
    assert any("In <b>Rekordzeit</b> gebaut" not in w and "[html]" in w for w in warnings)
    assert len(warnings) == 3, "once per message, not once per format"
    assert not any("pubkit/templates" in w or "pubkit/render/templates" in w for w in built.err.splitlines()), \
        "never into pubkit's own files"


def test_strict_build_and_bundle_fail_while_a_translation_is_not_used(project: Path, built, run) -> None:
    again = run("build", "--strict", "--lang", "de", cwd=project)
    assert again.code == 1, "nothing to render, but the refused translation is still there"
    assert "translation not used" in again.err
    assert run("build", "--lang", "de", cwd=project).code == 0, "without --strict: a warning"
    bundled = run("bundle", "--strict", "-o", "out.zip", cwd=project)
    assert bundled.code == 1, bundled.err
    with zipfile.ZipFile(project / "out.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))
        outputs = b"".join(archive.read(n) for n in archive.namelist() if n.endswith(".html"))
    assert "Eröffnung am".encode() not in outputs and b"{tag}" not in outputs
    not_used = manifest["languages"]["de"]["not_used"]
    line = msgstr_line(project, DE, "Eröffnung am {tag}")
    assert {"where": f"{DE}:{line}", "msgid": "Opening on {day}",
            "why": "placeholder {day} was renamed to {tag} [placeholders]"} in not_used
    assert {item["msgid"] for item in not_used} == {"Opening on {day}", "Built in **record** time", "{place}, {date}"}
    assert manifest["languages"]["zh_CN"]["not_used"][0]["msgid"] == "Share of exports: {share}"


def test_fallback_text_in_a_right_to_left_page_keeps_its_direction(project: Path, built) -> None:
    _, document = page(project, "ar")
    assert document.get("dir") == "rtl"
    subtitle = document.find(".//p[@class='subtitle untranslated']")
    assert subtitle is not None and (subtitle.get("lang"), subtitle.get("dir")) == ("en", "ltr")
    kind = document.find(".//p[@class='kind untranslated']")  # "Press release", a template string
    assert kind is not None and (kind.get("lang"), kind.get("dir")) == ("en", "ltr")
    assert document.find(".//h1").get("lang") is None, "the translated title is Arabic"
    assert "PRESS RELEASE" in pdf_text(project, "ar")  # the stylesheet sets it in capitals
    assert "not translated into ar" in built.err


def test_a_language_without_any_usable_translation_is_not_published(project: Path, built) -> None:
    assert not page_file(project, "launch", "fr").parent.exists()
    assert "locale/fr/LC_MESSAGES/launch.po:1: warning: 'launch' has no usable translation into fr: not published" \
        in built.err


def test_preview_marks_why_and_where_in_its_own_folder(project: Path, built, run) -> None:
    before = page_file(project, "launch", "de").read_bytes()
    result = run("build", "--preview", "--format", "html", "--lang", "de", cwd=project)
    assert result.code == 0, result.err
    assert page_file(project, "launch", "de").read_bytes() == before, "never over publishable output"
    _, document = page(project, "de", "dist-preview")
    rejected = next(e for e in document.iter() if "Opening on" in "".join(e.itertext())
                    and e.get("data-pubkit-state") == "rejected")
    line = msgstr_line(project, DE, "Eröffnung am {tag}")
    assert rejected.get("data-pubkit-where") == f"{DE}:{line}"
    assert rejected.get("data-pubkit-finding") == "placeholder {day} was renamed to {tag} [placeholders]"
    subtitle = document.find(".//p[@data-pubkit-state='untranslated']")
    lines = (project / DE).read_text(encoding="utf-8").splitlines()
    empty_msgstr = lines.index('msgid "Production starts in spring"') + 2
    assert subtitle.get("data-pubkit-where") == f"{DE}:{empty_msgstr}"
    dateline = document.find(".//p[@data-pubkit-state='rejected'][@lang='en']")
    assert dateline is not None


@pytest.mark.parametrize("text", ["Ŝĥåŕé öƒ éẋþöŕţš: {share}", "Anteil: {share} \\q", "Anteil {增长}: {share}"])
def test_check_build_and_bundle_survive_odd_catalogs(make_project, run, text: str) -> None:
    root = make_project("mini", translated={"de": TITLES["de"]})
    po = root / DE
    lines = po.read_text(encoding="utf-8").split("\n")
    at = lines.index('msgid "Share of exports: {share}"') + 1
    lines[at] = f'msgstr "{text}"'
    po.write_text("\n".join(lines), encoding="utf-8")
    check = run("check", "--lang", "de", cwd=root)
    assert check.code in (0, 1) and "Traceback" not in check.err, check.err
    for command in (["build", "--format", "html", "--lang", "de"], ["bundle"]):
        result = run(*command, cwd=root)
        assert "Traceback" not in result.err
        if "\\q" in text:  # not a catalog msgfmt can read: bad input, one line
            assert result.code == 2 and result.err.startswith(f"{DE}:{at + 1}: error:"), result.err
            assert f"{DE}:{at + 1}: error:" in check.out
        else:
            assert result.code == 0, result.err
    if "增长" in text:
        html = page_file(root, "launch", "de").read_text(encoding="utf-8")
        assert "增长" not in html and "Share of exports: 12.5%" in html


@pytest.mark.parametrize("dateline", ["{0}, {date}", "{place}{place:>999999999}, {date}", "{place.__class__}, {date}",
                                      "{place}, {date", "{{place}}, {date}"])
def test_a_template_string_str_format_cannot_break_falls_back(make_project, run, dateline: str) -> None:
    root = make_project("mini", translated={"de": TITLES["de"]})
    translate(root, {"de": {("dateline", "{place}, {date}"): dateline}})
    assert run("check", "--lang", "de", cwd=root).code == 1
    result = run("build", "--format", "html", "--lang", "de", cwd=root)
    assert result.code == 0, result.err
    assert f"{DE_UI}:" in result.err and "translation not used" in result.err
    html, document = page(root, "de")
    dateline_element = document.find(".//p[@class='dateline untranslated']")
    assert "".join(dateline_element.itertext()) == "Berlin, 1. März 2024"
    assert len(html) < 100_000


def test_a_configured_preview_folder(make_project, run) -> None:
    root = make_project("mini", config={"preview_dir": "review"}, catalogs=True)
    result = run("build", "--preview", "--format", "html", "--lang", "en", cwd=root)
    assert result.code == 0, result.err
    assert page_file(root, "launch", "en", output="review").exists()
    assert not (root / "dist").exists() and not (root / "dist-preview").exists()
