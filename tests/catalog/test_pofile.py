"""Strict PO reading: real-world encodings accepted, every malformed input a located pubkit error."""

from __future__ import annotations

import codecs
import string
from pathlib import Path

import polib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import msgfmt_check
from pubkit.errors import CatalogError, PubkitError, SourceError
from pubkit.catalog.pofile import read_catalog
from pubkit.source.sources import read_source

HEADER = (
    'msgid ""\nmsgstr ""\n"Language: de\\n"\n"Content-Type: text/plain; charset={charset}\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
)


def test_bom_and_crlf_are_read_correctly(tmp_path: Path) -> None:
    path = tmp_path / "de.po"
    text = HEADER.format(charset="UTF-8") + 'msgctxt "place"\nmsgid "Berlin"\nmsgstr "Berlin (Hauptstadt)"\n'
    path.write_bytes(codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode("utf-8"))
    catalog = read_catalog(path)
    assert catalog.metadata["Language"] == "de"
    assert [(e.msgctxt, e.msgid, e.msgstr) for e in catalog] == [("place", "Berlin", "Berlin (Hauptstadt)")]


def test_a_latin1_catalog_is_read_and_rewritten_as_utf8(mini: Path, run) -> None:
    assert run("extract", cwd=mini).code == 0
    assert run("update", cwd=mini).code == 0
    po = mini / "locale" / "de" / "LC_MESSAGES" / "launch.po"
    catalog = polib.pofile(str(po))
    catalog.find("Berlin", msgctxt="place").msgstr = "Berlín"
    catalog.metadata["Content-Type"] = "text/plain; charset=ISO-8859-1"
    po.write_bytes(str(catalog).encode("latin-1"))
    assert read_catalog(po).find("Berlin", msgctxt="place").msgstr == "Berlín"
    assert run("update", cwd=mini).code == 0
    data = po.read_bytes()
    assert "Berlín".encode("utf-8") in data and b"charset=UTF-8" in data
    assert msgfmt_check(po).returncode == 0


po_lines = st.lists(
    st.one_of(
        st.sampled_from(['msgid ""', 'msgstr ""', 'msgctxt "x"', 'msgid "a"', 'msgstr "b"', 'msgid_plural "c"',
                         'msgstr[0] "d"', 'msgstr[1] "e"', '"Plural-Forms: nplurals=2; plural=n>1;\\n"', '#, fuzzy',
                         '#~ msgid "old"', '#| msgid "prev"', '"Content-Type: text/plain; charset=UTF-8\\n"', "",
                         '"continued"', "<<<<<<< HEAD", 'msgstr "unterminated', 'msgid "\\q"']),
        st.text(alphabet=string.printable + "éü中\u200f\\\"", max_size=30),
    ),
    max_size=25,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=po_lines, tail=st.binary(max_size=8))
def test_the_po_reader_parses_or_reports_a_located_error(tmp_path: Path, lines: list[str], tail: bytes) -> None:
    path = tmp_path / "fuzz.po"
    path.write_bytes("\n".join(lines).encode("utf-8") + tail)
    try:
        read_catalog(path)
    except CatalogError as error:
        assert error.path == path and error.line is not None and error.line >= 1
        assert "\n" not in error.format()


source_text = st.builds(
    lambda front, body: f"---\n{front}\n---\n{body}",
    front=st.lists(st.sampled_from([
        "title: T", "title: [x", "place: Berlin", "date: 2023-07-25", "date: 2023-13-01", "values:",
        "  a: {number: 3}", "  b: {money: 5, currency: EUR}", "  c: {unit: area-hectare, value: .nan}",
        "  d: {date: x}", "  e: {percent: 0.5, notation: compact}", "slug: a/b", "t: &x 1", "u: *x", "- item",
        "\tbad: tab", "summary: |", "  multi", ": :",
    ]), max_size=10).map("\n".join),
    body=st.text(alphabet=string.printable + "{}<>!-*`#|中ع", max_size=200),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=source_text)
def test_the_source_reader_parses_or_reports_a_located_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "fuzz.md"
    path.write_text(text, encoding="utf-8")
    try:
        read_source(path)
    except SourceError as error:
        assert error.path == path and error.line is not None and 1 <= error.line <= text.count("\n") + 1
    except PubkitError as error:  # pragma: no cover - any other pubkit error must still be located
        raise AssertionError(f"unexpected error kind: {error!r}")
