"""`pubkit build --pseudo`: en-XA and ar-XB pages from the source text, into dist-pseudo/ only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import page_file, pdf_file
from pubkit.source.inline import Code, Pair, parse
from pubkit.render.pseudo import pseudo_text

PARAGRAPH = "The plant covers {area}, see [our site](https://example.com/a_b) and `{code}` or *new* &amp; <b>x</b>."


def test_en_xa_accents_lengthens_and_brackets_but_keeps_codes() -> None:
    text = pseudo_text(PARAGRAPH, "en_XA")
    assert text.startswith("[") and text.endswith("]")
    nodes = parse(text)
    assert Code("placeholder", "{area}") in nodes and Code("code", "`{code}`") in nodes
    link = next(n for n in nodes if isinstance(n, Pair) and n.kind == "link")
    assert link.end == "](https://example.com/a_b)"
    assert "&amp;" in text and "<b>" in text and "</b>" in text
    letters = [ch for ch in re.sub(r"\{\w+\}|`[^`]*`|\(https[^)]*\)|&amp;|</?b>", "", text) if ch.isalpha()]
    assert not any(ch.isascii() for ch in letters)  # every letter accented: unextracted text stands out
    grown = len(text) - len("[]") - len(PARAGRAPH)
    assert grown >= round(0.35 * sum(ch.isalpha() for ch in PARAGRAPH))
    assert len(pseudo_text("Open", "en_XA")) >= len("Open") * 1.35


def test_ar_xb_forces_every_word_right_to_left_and_keeps_codes() -> None:
    text = pseudo_text(PARAGRAPH, "ar_XB")
    assert "\u202eplant\u202c" in text and "{area}" in text and "](https://example.com/a_b)" in text
    assert "`{code}`" in text and "&amp;" in text and "<b>" in text
    assert text.replace("\u202e", "").replace("\u202c", "") == PARAGRAPH


@pytest.fixture(scope="module")
def built(projects, tmp_path_factory) -> Path:
    return projects("mini", where=tmp_path_factory.mktemp("pseudo"), built=["--pseudo", "-j", "1"])


@pytest.mark.slow
def test_pseudo_build_renders_every_page_in_en_xa_and_ar_xb(built: Path) -> None:
    assert not (built / "dist").exists()  # never mixed with the real outputs, so never in a bundle
    assert not (built / "locale").exists()  # no catalog was needed, none was written
    output = built / "dist-pseudo"
    pages = sorted(p.relative_to(output).as_posix() for p in output.glob("*/*/index.html"))
    assert pages == sorted(page_file(built, "launch", language, output="dist-pseudo").relative_to(output).as_posix()
                           for language in ("ar_XB", "en", "en_XA"))
    xa = page_file(built, "launch", "en_XA", output="dist-pseudo").read_text(encoding="utf-8")
    assert '<html lang="en-XA" dir="ltr" data-script="Latn">' in xa
    assert '<h1>[ÅÅ ñééŵ þļååñţ ööþééñš]</h1>' in xa
    assert 'href="https://example.com/plant"' in xa and "<code>{code}</code>" in xa
    assert "12.5 hectares" in xa and "2,500" in xa  # values formatted as in English, untouched
    assert "This paragraph is published as written" in xa  # skipped text stays plain: it shows
    xb = page_file(built, "launch", "ar_XB", output="dist-pseudo").read_text(encoding="utf-8")
    assert '<html lang="ar-XB" dir="rtl" data-script="Arab">' in xb and "\u202eplant\u202c" in xb
    assert 'href="https://example.com/plant"' in xb
    for language in ("en_XA", "ar_XB"):
        pdf = PdfReader(pdf_file(built, "launch", language, output="dist-pseudo"))
        text = "".join(page.extract_text() for page in pdf.pages)
        assert "2,500" in text or "2.500" in text or "2500" in text
    accented = PdfReader(pdf_file(built, "launch", "en_XA", output="dist-pseudo"))
    assert "ŵĥîîļéé" in "".join(p.extract_text() for p in accented.pages)


def test_pseudo_build_refuses_a_language(mini: Path, run) -> None:
    result = run("build", "--pseudo", "--lang", "de", cwd=mini)
    assert result.code == 2 and "--pseudo" in result.err and not (mini / "dist-pseudo").exists()
