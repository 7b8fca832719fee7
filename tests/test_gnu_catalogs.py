"""Real-world catalogs, side by side with GNU gettext: read what msgfmt reads, lose nothing, write msgcat's layout.

The catalogs here are our own, written to reproduce what translators' files look like in the wild
(fuzzy headers from pybabel, long comments, ``# , 2014.``, ``#~|`` previous msgids, CJK text...),
or made at test time by the real tools (pybabel, msgmerge, msgcat, translate-toolkit's pot2po).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from babel.messages.pofile import read_po
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pubkit.catalog.checks import check_catalog
from pubkit.errors import CatalogError
from pubkit.catalog.merge import merge
from pubkit.catalog.polayout import sorted_flags
from pubkit.catalog.pofile import read_catalog, render

BIN = Path(sys.executable).parent

WILD = r'''# German translation of the demo press kit.
# Copyright (C) 2014 Example Press
# This comment line is deliberately much longer than seventy-eight columns, and GNU keeps it as it is.
# Jane Doe <jane@example.com>, 2014.
# , 2014.
#no space after the hash
#
#, fuzzy
msgid ""
msgstr ""
"Project-Id-Version: demo 1.0\n"
"Report-Msgid-Bugs-To: \n"
"POT-Creation-Date: 2014-03-01 10:00+0100\n"
"PO-Revision-Date: 2014-03-02 11:00+0100\n"
"Last-Translator: Jane Doe <jane@example.com>\n"
"Language-Team: German\n"
"Language: de\n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Content-Transfer-Encoding: 8bit\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

#. An extracted comment that is also longer than seventy-eight columns: no rewrapping, please.
#: demo/views.py:10 demo/views.py:42 demo/templates/a-rather-long-template-name.html:120
#: demo/templates/another-long-template-name.html:7
#, python-brace-format, fuzzy
#| msgid "Welcome, {name}"
msgid "Welcome back, {name}"
msgstr "Willkommen, {name}"

#, python-format
msgid "%(count)d file"
msgid_plural "%(count)d files"
msgstr[0] "%(count)d Datei"
msgstr[1] "%(count)d Dateien"

msgctxt "menu"
msgid "Open"
msgstr "Öffnen"

msgid ""
"A long message that goes on and on, with a tab\there, \"quotes\", a backslash \\ and a "
"line break\nin the middle, so that GNU has to wrap it and cut it after the newline."
msgstr ""
"Eine lange Nachricht, die immer weiter geht, mit einem Tabulator\thier, "
"\"Anführungszeichen\", einem Backslash \\ und einem Zeilenumbruch\nin der Mitte."

msgid "Long Japanese text"
msgstr "威橋アルミ加工産業パークは山東省威海市に開業しました。開業式は環境に優しく質の高いアルミ加工の発展をテーマとする会議の一環として行われ、多くの来賓が出席しました。"

#, no-wrap
msgid "A no-wrap message that is longer than seventy-nine columns and still stays on its line."
msgstr "Eine Nachricht ohne Umbruch, die länger als neunundsiebzig Spalten ist und doch bleibt."

# a translator's note on an obsolete entry
#, fuzzy
#~| msgid "Old text"
#~ msgid "Older text"
#~ msgstr "Älterer Text"
'''


def gnu(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], capture_output=True, check=False, cwd=cwd)


def content(catalog: polib.POFile) -> list:
    """Everything a catalog says, in order (flags in GNU's order, which is the only change pubkit makes)."""
    return [catalog.header, list(catalog.metadata.items()), catalog.metadata_is_fuzzy] + [
        (e.obsolete, e.msgctxt, e.msgid, e.msgid_plural, e.msgstr, sorted(e.msgstr_plural.items()), e.tcomment,
         e.comment, e.occurrences, sorted_flags(e.flags), e.previous_msgctxt, e.previous_msgid,
         e.previous_msgid_plural) for e in catalog]


@pytest.fixture
def wild(tmp_path: Path) -> Path:
    path = tmp_path / "wild.po"
    path.write_text(WILD, encoding="utf-8")
    return path


def test_a_real_world_catalog_is_read_like_msgfmt_reads_it(wild: Path) -> None:
    assert gnu("msgfmt", "-c", "-o", "/dev/null", wild).returncode == 0
    catalog = read_catalog(wild)  # a fuzzy header is read, as msgfmt reads it
    assert catalog.metadata_is_fuzzy and catalog.metadata["Language"] == "de"
    assert "# , 2014." not in catalog.header and ", 2014." in catalog.header.split("\n")
    welcome = catalog.find("Welcome back, {name}")
    assert welcome.previous_msgid == "Welcome, {name}" and "fuzzy" in welcome.flags
    assert welcome.comment.startswith("An extracted comment") and "\n" not in welcome.comment
    obsolete = [e for e in catalog if e.obsolete]
    assert [(e.msgid, e.previous_msgid, e.tcomment) for e in obsolete] == [
        ("Older text", "Old text", "a translator's note on an obsolete entry")]


def test_the_round_trip_loses_nothing_and_is_msgcats_layout(wild: Path, tmp_path: Path) -> None:
    catalog = read_catalog(wild)
    written = tmp_path / "written.po"
    written.write_text(render(catalog), encoding="utf-8")

    assert content(read_catalog(written)) == content(catalog)
    assert gnu("msgcat", written).stdout == gnu("msgcat", wild).stdout  # same content by GNU's reading
    assert gnu("msgcat", written).stdout == written.read_bytes()  # and msgcat changes no byte
    assert render(read_catalog(written)) == written.read_text(encoding="utf-8")  # a second write is identical
    text = written.read_text(encoding="utf-8")
    assert "\n# , 2014.\n" in text and "#, fuzzy, python-brace-format\n" in text
    assert "#~| msgid \"Old text\"\n" in text


def test_pubkit_rewrites_msgcat_output_unchanged(wild: Path, tmp_path: Path) -> None:
    gnu_copy = tmp_path / "gnu.po"
    gnu_copy.write_bytes(gnu("msgcat", wild).stdout)
    assert render(read_catalog(gnu_copy)).encode("utf-8") == gnu_copy.read_bytes()


@pytest.mark.parametrize(("name", "lines", "message"), [
    ("msgid without msgstr", ['msgid "Open"', ""], "missing 'msgstr' section"),
    ("msgstr without msgid_plural", ['msgid "a"', 'msgstr[0] "b"'], "missing 'msgid_plural' section"),
    ("plural form index", ['msgid "a"', 'msgid_plural "b"', 'msgstr[1] "c"'], "first plural form has nonzero index"),
])
def test_what_msgfmt_rejects_is_rejected_at_its_line(tmp_path: Path, name: str, lines: list[str], message: str) -> None:
    path = tmp_path / "broken.po"
    head = WILD.split("\n\n")[0] + "\n\n"
    path.write_text(head + "\n".join(lines) + '\n\nmsgid "Next"\nmsgstr "Weiter"\n', encoding="utf-8")
    verdict = gnu("msgfmt", "-o", "/dev/null", path)
    assert verdict.returncode != 0
    gnu_line = int(re.search(rb"broken\.po:(\d+):", verdict.stderr).group(1))
    with pytest.raises(CatalogError) as raised:
        read_catalog(path)
    assert message in raised.value.message and raised.value.line == gnu_line


@pytest.mark.parametrize("expression", ["(n != 1) ? 2 : 0", "n / 0", "n %% 2 +"])
def test_a_broken_plural_forms_is_reported_at_msgfmts_line(wild: Path, expression: str) -> None:
    text = WILD.replace("plural=(n != 1);", f"plural={expression};").replace("#, fuzzy\n", "")
    wild.write_text(text, encoding="utf-8")
    verdict = gnu("msgfmt", "-c", "-o", "/dev/null", wild)
    assert verdict.returncode != 0
    gnu_line = int(re.search(rb":(\d+): (?!warning)", verdict.stderr).group(1))
    with pytest.raises(CatalogError) as raised:
        read_catalog(wild)
    assert raised.value.line == gnu_line == text.split("\n").index('msgstr ""') + 1
    field = text.split("\n").index(f'"Plural-Forms: nplurals=2; plural={expression};\\n"') + 1
    assert raised.value.message.endswith(f"(Plural-Forms at line {field})")


# --- GNU's layout, property-tested against the real msgcat ------------------------------------

words = st.one_of(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=14),
    st.sampled_from(["{name}", "%(count)d", "e.g.", "sys.exit()", "--opt", "a-b", "/path/to", "(x)", "“quoted”",
                     "\t", "\"", "\\", "\n", "日本語の文章です。", "中文句子，很长。", "한국어 문장", "👩‍💻", "Ünïcödé",
                     "https://example.com/a/b?c=d", "100%", "1,000.50", "–", "«»"]),
)
texts = st.lists(words, min_size=1, max_size=40).map(lambda parts: "".join(
    part + (" " if i % 3 else "") for i, part in enumerate(parts)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(messages=st.lists(texts, min_size=1, max_size=15), obsolete=st.booleans())
def test_every_string_is_laid_out_as_msgcat_lays_it_out(tmp_path: Path, messages: list[str], obsolete: bool) -> None:
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for number, text in enumerate(messages):
        catalog.append(polib.POEntry(msgctxt=str(number), msgid=text, msgstr=text[::-1], obsolete=obsolete,
                                     previous_msgid=text if not obsolete else None,
                                     flags=["fuzzy"] if not obsolete else []))
    path = tmp_path / "layout.po"
    path.write_text(render(catalog), encoding="utf-8")
    assert gnu("msgcat", path).stdout.decode("utf-8") == path.read_text(encoding="utf-8")


# --- catalogs written by the tools translators use --------------------------------------------

@pytest.fixture(scope="module")
def tool_catalogs(tmp_path_factory) -> Path:
    """A template by pybabel extract, and catalogs by pybabel update, msginit+msgmerge and pot2po."""
    root = tmp_path_factory.mktemp("tools")
    (root / "app.py").write_text(
        "from gettext import gettext as _, ngettext\n"
        "# TRANSLATORS: shown on the start page, after the visitor signed in with a long, long user name.\n"
        "print(_('Welcome back, {name}! Your dashboard shows everything that changed since your last visit.'))\n"
        "print(ngettext('{n} file', '{n} files', 2))\nprint(_('Open'))\nprint(_('日本語のメッセージ'))\n",
        encoding="utf-8")
    assert gnu(BIN / "pybabel", "extract", "-c", "TRANSLATORS:", "-o", root / "app.pot", root / "app.py",
               cwd=root).returncode == 0
    old = root / "old.po"
    old.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n"Language: de\\n"\n\n'
        'msgid "Open"\nmsgstr "Öffnen"\n\nmsgid "Gone"\nmsgstr "Weg"\n', encoding="utf-8")
    (root / "babel").mkdir()
    babel_po = root / "babel" / "de.po"
    babel_po.write_bytes(old.read_bytes())
    assert gnu(BIN / "pybabel", "update", "-i", root / "app.pot", "-o", babel_po, "-l", "de").returncode == 0
    assert gnu("msgmerge", "--quiet", "-o", root / "msgmerge.po", old, root / "app.pot").returncode == 0
    assert gnu(BIN / "pot2po", "-t", old, root / "app.pot", root / "pot2po.po").returncode == 0
    return root


@pytest.mark.parametrize("name", ["app.pot", "babel/de.po", "msgmerge.po", "pot2po.po"])
def test_catalogs_from_other_tools_are_read_and_kept(tool_catalogs: Path, tmp_path: Path, name: str) -> None:
    path = tool_catalogs / name
    catalog = read_catalog(path)  # pybabel's template has a fuzzy header: read, not refused
    assert catalog.find("Open") is not None
    if name != "app.pot":
        assert catalog.find("Open").msgstr == "Öffnen"  # the translation carried by the other tool is kept
    written = tmp_path / "again.po"
    written.write_text(render(catalog), encoding="utf-8")
    assert content(read_catalog(written)) == content(catalog)
    assert gnu("msgcat", written).stdout == gnu("msgcat", path).stdout
    assert gnu("msgcat", written).stdout == written.read_bytes()

    template = read_catalog(tool_catalogs / "app.pot")
    merged, _ = merge(catalog, template, 2)
    assert [e.msgid for e in merged if not e.obsolete] == [e.msgid for e in template]
    translated = {(e.msgctxt, e.msgid): e.msgstr for e in catalog if e.msgstr and not e.obsolete}
    assert all(merged.find(msgid, msgctxt=ctxt, include_obsolete_entries=True).msgstr == text
               for (ctxt, msgid), text in translated.items())


# --- severities: gettext's own verdict ----------------------------------------------------------

def test_msgfmt_warnings_are_warnings_and_an_unknown_language_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "tlh.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Project-Id-Version: PACKAGE VERSION\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\nmsgid "Hello {name}"\nmsgstr "nuqneH"\n', encoding="utf-8")
    assert gnu("msgfmt", "-c", "-o", "/dev/null", path).returncode == 0
    findings = check_catalog(path, "tlh")  # Klingon: not in CLDR
    assert not [f for f in findings if f.severity == "error" and f.check == "msgfmt"]
    assert [f.severity for f in findings if f.check == "msgfmt"] and all(
        f.severity == "warning" for f in findings if f.check == "msgfmt")
    assert [f.check for f in findings if f.severity == "info"] == ["unknown-language"]
    assert any(f.check == "placeholders" for f in findings)  # what can be checked still is


# --- interop on pubkit's own files --------------------------------------------------------------

def test_every_tool_counts_pubkits_catalog_alike(sample: Path, run, tmp_path: Path) -> None:
    po = sample / "locale" / "de" / "LC_MESSAGES" / "weiqiao-aluminium-park.po"
    catalog = read_catalog(po)
    entries = [e for e in catalog if not e.obsolete]
    entries[0].flags.append("fuzzy")
    entries[1].msgstr = ""
    po.write_text(render(catalog), encoding="utf-8")
    assert gnu("msgcat", po).stdout == po.read_bytes()

    by_polib = polib.pofile(str(po))
    polib_counts = (len(by_polib.translated_entries()), len(by_polib.fuzzy_entries()),
                    len(by_polib.untranslated_entries()))
    with po.open("rb") as handle:
        babel = [m for m in read_po(handle) if m.id]
    babel_counts = (sum(1 for m in babel if m.string and not m.fuzzy), sum(1 for m in babel if m.fuzzy),
                    sum(1 for m in babel if not m.string and not m.fuzzy))
    from translate.storage import factory
    store = [u for u in factory.getobject(str(po)).units if not u.isheader() and not u.isobsolete()]
    toolkit_counts = (sum(1 for u in store if u.istranslated()), sum(1 for u in store if u.isfuzzy()),
                      sum(1 for u in store if not u.istranslated() and not u.isfuzzy()))
    stats = gnu("msgfmt", "--statistics", "-o", "/dev/null", po).stderr.decode()
    numbers = {kind: int(n) for n, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", stats)}
    gnu_counts = (numbers.get("translated", 0), numbers.get("fuzzy", 0), numbers.get("untranslated", 0))
    assert polib_counts == babel_counts == toolkit_counts == gnu_counts == (len(entries) - 2, 1, 1)


def test_msgmerge_with_an_unchanged_template_changes_nothing(sample: Path) -> None:
    for po in (sample / "locale").glob("*/LC_MESSAGES/*.po"):
        pot = sample / "locale" / f"{po.stem}.pot"
        merged = gnu("msgmerge", "--quiet", "-o", "-", po, pot)
        assert merged.returncode == 0 and merged.stdout == po.read_bytes(), po
        assert gnu("msgcat", pot).stdout == pot.read_bytes(), pot


def test_every_catalog_pubkit_writes_survives_msgcat(mini: Path, run) -> None:
    assert run("extract", cwd=mini).code == 0
    assert run("update", cwd=mini).code == 0
    assert run("init", "ja", cwd=mini).code == 0
    written = sorted((mini / "locale").rglob("*.po*"))
    assert len(written) >= 4
    for path in written:
        assert gnu("msgcat", path).stdout == path.read_bytes(), path


def test_an_empty_translator_comment_survives_update_as_msgmerge_keeps_it(mini: Path, run) -> None:
    # GNOME's kk.po: "# " lines in the header's comment and above entries, translated or not.
    run("extract", cwd=mini)
    run("update", cwd=mini)
    path = mini / "locale/de/LC_MESSAGES/launch.po"
    text = path.read_text(encoding="utf-8")
    text = "# Kazakh-style header.\n# \n# Translator, 2010.\n" + text
    text = text.replace('msgctxt "place"', '# \nmsgctxt "place"').replace('msgctxt "title"', '# \n# \nmsgctxt "title"')
    text = text.replace('msgctxt "title"\nmsgid "A new plant opens"\nmsgstr ""',
                        'msgctxt "title"\nmsgid "A new plant opens"\nmsgstr "Ein neues Werk"')
    path.write_text(text, encoding="utf-8")
    expected = gnu("msgcat", path).stdout.decode("utf-8")
    assert expected.count("#\n") >= 4

    assert run("update", cwd=mini).code == 0

    assert path.read_text(encoding="utf-8") == expected
    template = mini / "locale/launch.pot"
    merged = gnu("msgmerge", "--quiet", "--previous", "-o", "-", path, template).stdout.decode("utf-8")
    assert merged == expected
