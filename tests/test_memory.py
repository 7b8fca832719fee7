"""Translation memory in `pubkit update`: boilerplate translated once serves every release."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polib
import pytest
from lxml import etree
from translate.storage import tmx as tt_tmx

from conftest import msgfmt_check, snapshot

ABOUT = ("About Example GmbH: founded in 1990, Example builds aluminium plants in twelve countries "
         "and employs {people} people.")
CONTACT = "Press office: Jane Doe, +49 30 1234567, press@example.com"
TRANSLATED = {
    "de": {ABOUT: "Über die Example GmbH: 1990 gegründet, baut Example Aluminiumwerke in zwölf Ländern "
                  "und beschäftigt {people} Menschen.",
           CONTACT: "Pressestelle: Jane Doe, +49 30 1234567, press@example.com"},
    "zh_CN": {ABOUT: "关于 Example GmbH：Example 成立于 1990 年，在十二个国家建设铝厂，员工 {people} 人。",
              CONTACT: "新闻办公室：Jane Doe，+49 30 1234567，press@example.com"},
}
SECOND = f"""---
title: A second plant opens
contact: "{CONTACT}"
values:
  people: {{number: 2600}}
---
The second plant makes wheels.

{ABOUT}
"""


def po(project: Path, language: str, domain: str) -> Path:
    return project / "locale" / language / "LC_MESSAGES" / f"{domain}.po"


@pytest.fixture
def released(mini: Path, run) -> Path:
    """The first release, with its boilerplate, translated into every language."""
    source = mini / "sources/launch.md"
    text = source.read_text(encoding="utf-8").replace("place: Berlin\n", f'place: Berlin\ncontact: "{CONTACT}"\n')
    source.write_text(text + f"\n{ABOUT}\n", encoding="utf-8")
    run("extract", cwd=mini)
    run("update", cwd=mini)
    for language, translations in TRANSLATED.items():
        catalog = polib.pofile(str(po(mini, language, "launch")))
        for entry in catalog:
            if entry.msgid in translations:
                entry.msgstr = translations[entry.msgid]
        catalog.save()
    return mini


def test_a_second_release_arrives_with_its_boilerplate_translated(released: Path, run) -> None:
    (released / "sources/second.md").write_text(SECOND, encoding="utf-8")
    run("extract", cwd=released)

    result = run("update", cwd=released)

    assert result.code == 0, result.err
    assert "locale/de/LC_MESSAGES/second.po: created (4 messages, 2 from memory)" in result.out
    for language, translations in TRANSLATED.items():
        path = po(released, language, "second")
        catalog = polib.pofile(str(path))
        for msgid, msgstr in translations.items():
            entry = next(e for e in catalog if e.msgid == msgid)
            assert entry.msgstr == msgstr and "fuzzy" not in entry.flags
            assert entry.tcomment == f"memory: locale/{language}/LC_MESSAGES/launch.po"
        assert not next(e for e in catalog if e.msgid == "The second plant makes wheels.").msgstr
        assert msgfmt_check(path).returncode == 0
    status = json.loads(run("status", "--format", "json", cwd=released).out)
    counts = {(r["language"], r["domain"]): r["from_memory"] for r in status["catalogs"]}
    assert counts[("de", "second")] == counts[("zh_CN", "second")] == 2
    assert counts[("de", "launch")] == 0
    # A second update finds nothing more to fill and changes nothing.
    before = snapshot(released / "locale")
    again = run("update", cwd=released)
    assert "second.po: 4 kept, 0 fuzzy, 0 revived, 0 new, 0 obsolete, 0 from memory (unchanged)" in again.out
    assert snapshot(released / "locale") == before


def test_two_different_translations_the_newest_wins_as_fuzzy(released: Path, run) -> None:
    # An older, retired release's catalog translated the contact line differently.
    old = polib.POFile()
    old.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "de",
                    "PO-Revision-Date": "2020-01-01 10:00+0000"}
    old.append(polib.POEntry(msgid=CONTACT, msgctxt="contact", msgstr="Presse: Jane Doe, +49 30 1234567"))
    old.save(str(po(released, "de", "retired")))
    launch = polib.pofile(str(po(released, "de", "launch")))
    launch.metadata["PO-Revision-Date"] = "2024-03-01 10:00+0000"
    launch.save()
    (released / "sources/second.md").write_text(SECOND, encoding="utf-8")
    run("extract", cwd=released)

    assert run("update", "--lang", "de", cwd=released).code == 0

    entry = polib.pofile(str(po(released, "de", "second"))).find(CONTACT, msgctxt="contact")
    assert entry.msgstr == TRANSLATED["de"][CONTACT] and "fuzzy" in entry.flags
    assert " ".join(entry.tcomment.split()) == ("memory: locale/de/LC_MESSAGES/launch.po; differs from "
                                                "'Presse: Jane Doe, +49 30 1234567' in locale/de/LC_MESSAGES/retired.po")


def test_a_similar_message_is_a_fuzzy_suggestion_with_its_previous_text(released: Path, run) -> None:
    changed = ABOUT.replace("twelve countries", "thirteen countries")
    (released / "sources/second.md").write_text(SECOND.replace(ABOUT, changed), encoding="utf-8")
    run("extract", cwd=released)

    run("update", cwd=released)

    entry = polib.pofile(str(po(released, "de", "second"))).find(changed)
    assert entry.msgstr == TRANSLATED["de"][ABOUT]
    assert "fuzzy" in entry.flags and entry.previous_msgid == ABOUT
    assert entry.tcomment == "memory: locale/de/LC_MESSAGES/launch.po (similar text)"


def test_external_memories_tmx_and_compendium(mini: Path, run, tmp_path: Path) -> None:
    run("extract", cwd=mini)
    # A TMX file as a CAT tool exports it (written by translate-toolkit), and a .po compendium.
    memory = tt_tmx.tmxfile(sourcelanguage="en-US")
    memory.addtranslation("A new plant opens", "en-US", "Ein neues Werk öffnet", "de-DE")
    memory.addtranslation("Production starts in spring", "en-US", "La production démarre au printemps", "fr")
    (tmp_path / "agency.tmx").write_bytes(bytes(memory))
    compendium = polib.POFile()
    compendium.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "zh_CN"}
    compendium.append(polib.POEntry(msgid="Berlin", msgctxt="place", msgstr="柏林"))
    compendium.save(str(tmp_path / "compendium.po"))

    result = run("update", "--memory", str(tmp_path / "agency.tmx"), "--memory", str(tmp_path / "compendium.po"),
                 cwd=mini)

    assert result.code == 0, result.err
    de = polib.pofile(str(po(mini, "de", "launch")))
    title = de.find("A new plant opens", msgctxt="title")
    # TMX has no message context: the same text is offered, fuzzy, for the translator to confirm.
    assert title.msgstr == "Ein neues Werk öffnet" and "fuzzy" in title.flags
    assert title.tcomment == "memory: agency.tmx (similar text)"
    assert not de.find("Production starts in spring", msgctxt="subtitle").msgstr  # only French in the TMX
    zh = polib.pofile(str(po(mini, "zh_CN", "launch")))
    place = zh.find("Berlin", msgctxt="place")
    assert place.msgstr == "柏林" and "fuzzy" not in place.flags
    assert not de.find("Berlin", msgctxt="place").msgstr  # the compendium is Chinese


@pytest.mark.parametrize("name,text,line,message", [
    ("bad.tmx", "<tmx version='1.4'>\n<body><tu>\n</body></tmx>", 3, "not well-formed XML"),
    ("bad.tmx", "<?xml version='1.0'?>\n<xliff/>", 2, "not a TMX file"),
    ("bad.po", 'msgid "x"\nmsgstr "y\n', 2, "unterminated string"),
])
def test_an_unreadable_memory_changes_nothing(released: Path, run, name, text, line, message) -> None:
    (released / name).write_text(text, encoding="utf-8")
    (released / "sources/second.md").write_text(SECOND, encoding="utf-8")
    run("extract", cwd=released)
    before = snapshot(released / "locale")

    result = run("update", "--memory", name, cwd=released)

    assert result.code == 2
    assert result.err.startswith(f"{name}:{line}: error: {message}"), result.err
    assert snapshot(released / "locale") == before


# --- TMX out, and back in --------------------------------------------------------------------------

LINKED = "Read the [annual report](https://example.com/report.pdf) and **our figures**: {people} staff."
LINKED_DE = "Lesen Sie den [Jahresbericht](https://example.com/report.pdf) und **unsere Zahlen**: {people} Beschäftigte."


def _approved_and_not(released: Path) -> None:
    """German: the boilerplate approved, a linked paragraph approved, a fuzzy title, a rejected subtitle."""
    catalog = polib.pofile(str(po(released, "de", "launch")))
    catalog.find(LINKED).msgstr = LINKED_DE
    title = catalog.find("A new plant opens", msgctxt="title")
    title.msgstr, title.flags = "Ein neues Werk", ["fuzzy"]
    record = catalog.find("Share of exports: {share}")
    record.msgstr = "Exportanteil: {Anteil}"  # check rejects it: a renamed placeholder
    catalog.save()


@pytest.fixture
def linked(mini: Path, run) -> Path:
    source = mini / "sources/launch.md"
    source.write_text(source.read_text(encoding="utf-8") + f"\n{LINKED}\n", encoding="utf-8")
    return mini


def test_tmx_export_holds_approved_translations_only_and_tools_read_it(linked: Path, run, tmp_path: Path,
                                                                       request) -> None:
    released = request.getfixturevalue("released")
    _approved_and_not(released)

    result = run("export", "--format", "tmx", "-o", str(tmp_path / "press.tmx"), cwd=released)

    assert result.code == 0, result.err
    store = tt_tmx.tmxfile.parsefile(str(tmp_path / "press.tmx"))
    german = {u.source: u.target for u in _tmx(tmp_path / "press.tmx", "de").units}
    assert german[ABOUT] == TRANSLATED["de"][ABOUT] and german[CONTACT] == TRANSLATED["de"][CONTACT]
    assert german[LINKED] == LINKED_DE  # the link's address and the placeholder, as written
    assert "A new plant opens" not in german  # fuzzy
    assert "Share of exports: {share}" not in german  # rejected by check
    assert len(store.units) == 3
    chinese = {u.source: u.target for u in _tmx(tmp_path / "press.tmx", "zh-CN").units}
    assert chinese[ABOUT] == TRANSLATED["zh_CN"][ABOUT]
    # The link is a bpt/ept pair holding its Markdown, so tools protect the address.
    ends = [e.text for e in etree.parse(str(tmp_path / "press.tmx")).iter("ept")]
    assert "](https://example.com/report.pdf)" in ends


def _tmx(path: Path, language: str) -> tt_tmx.tmxfile:
    """translate-toolkit's reading of a TMX file for English into ``language``."""
    with path.open("rb") as handle:
        return tt_tmx.tmxfile(handle, "en", language)


def test_tmx_export_comes_back_losslessly_through_update_memory(linked: Path, run, tmp_path: Path, request) -> None:
    released = request.getfixturevalue("released")
    _approved_and_not(released)
    assert run("export", "--format", "tmx", "--lang", "de", "-o", str(tmp_path / "de.tmx"), cwd=released).code == 0
    approved = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(po(released, "de", "launch")))
                if e.msgstr and "fuzzy" not in e.flags and e.msgid != "Share of exports: {share}"}
    # A fresh copy of the project that never saw these translations.
    fresh = tmp_path / "fresh"
    shutil.copytree(released / "sources", fresh / "sources")
    shutil.copy(released / "pubkit.toml", fresh / "pubkit.toml")
    if (released / "templates").exists():
        shutil.copytree(released / "templates", fresh / "templates")
    run("extract", cwd=fresh)

    result = run("update", "--lang", "de", "--memory", str(tmp_path / "de.tmx"), cwd=fresh)

    assert result.code == 0, result.err
    filled = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(po(fresh, "de", "launch")))
              if e.msgstr and "fuzzy" not in e.flags}
    assert filled == approved  # every approved translation, contexts included, character for character


def test_the_memory_never_offers_a_translation_check_rejects(released: Path, run) -> None:
    catalog = polib.pofile(str(po(released, "de", "launch")))
    catalog.find(ABOUT).msgstr = TRANSLATED["de"][ABOUT].replace("{people}", "{Leute}")  # renamed: rejected
    catalog.save()
    (released / "sources/second.md").write_text(SECOND.replace("employs {people}", "employs over {people}"),
                                                  encoding="utf-8")
    run("extract", cwd=released)

    assert run("update", cwd=released).code == 0

    german = polib.pofile(str(po(released, "de", "second")))
    about = next(e for e in german if e.msgid.startswith("About Example GmbH"))
    assert about.msgstr == "" and "fuzzy" not in about.flags  # no suggestion from the rejected text
    chinese = polib.pofile(str(po(released, "zh_CN", "second")))
    assert next(e for e in chinese if e.msgid.startswith("About Example GmbH")).msgstr  # the good one is offered


def test_a_memory_outside_the_project_is_named_as_given(released: Path, run) -> None:
    agency = released.parent / "agency"
    agency.mkdir()
    (agency / "old.tmx").write_text("<?xml version='1.0'?>\n<xliff/>", encoding="utf-8")

    result = run("update", "--memory", "sources/../../agency/old.tmx", cwd=released)

    assert result.code == 2
    assert result.err.strip() == "../agency/old.tmx:2: error: not a TMX file: the root element is <xliff>"


def test_tmx_export_to_a_file_outside_the_project(released: Path, run) -> None:
    result = run("export", "--format", "tmx", "--lang", "zh_CN", "-o", "../out/zh.tmx", cwd=released)

    assert result.code == 0, result.err
    assert result.out.strip() == "wrote ../out/zh.tmx (2 units in zh_CN)"
    assert (released.parent / "out/zh.tmx").read_text(encoding="utf-8").count("<tu ") == 2


def test_tmx_export_takes_no_xliff_version(released: Path, run) -> None:
    result = run("export", "--format", "tmx", "--xliff-version", "2.1", cwd=released)
    assert result.code == 2 and not (released / "memory.tmx").exists()
    assert result.err.strip() == "pubkit: error: --xliff-version is for --format xliff; a TMX file is TMX 1.4b"
