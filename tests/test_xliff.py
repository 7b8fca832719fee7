"""`pubkit export` / `pubkit import`: catalogs to XLIFF for CAT tools and back, losing nothing."""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib
import pytest
from lxml import etree
from translate.misc.multistring import multistring
from translate.storage import poxliff as tt_poxliff
from translate.storage import xliff as tt_xliff
from translate.storage import xliff2 as tt_xliff2

from conftest import msgfmt_check, schema_folder, snapshot
from pubkit.source.inline import Code, Pair, original, parse
from pubkit.catalog.xliff import NS2, NS12, unit_id

DE = Path("locale/de/LC_MESSAGES/launch.po")
PARAGRAPH = "The plant covers {area} and cost {cost}, with *new* jobs for {people} people."


@pytest.fixture
def project(mini: Path, run) -> Path:
    """The mini project with German half done: translated, fuzzy with previous text, untranslated, comments."""
    return _half_done(mini, run)


def _half_done(mini: Path, run) -> Path:
    run("extract", cwd=mini)
    run("update", cwd=mini)
    catalog = polib.pofile(str(mini / DE))
    title = catalog.find("A new plant opens", msgctxt="title")
    title.msgstr, title.tcomment = "Ein neues Werk öffnet", "Kurz halten, max. 40 Zeichen"
    paragraph = next(e for e in catalog if e.msgid.startswith("The plant covers"))
    paragraph.msgstr = paragraph.msgid.replace("The plant covers", "Das Werk umfasst")
    record = catalog.find("Built in **record** time")
    record.msgstr, record.flags = "In **Rekord**zeit gebaut", ["fuzzy"]
    record.previous_msgid = "Built in record time"
    catalog.save()
    # A catalog as another tool laid it out (GNU msgcat, narrow lines): import must not rewrite it.
    subprocess.run(["msgcat", "--width=50", "-o", str(mini / DE), str(mini / DE)], check=True)
    return mini


def _units(path: Path) -> dict[str, etree._Element]:
    root = etree.parse(str(path)).getroot()
    return {u.get("id"): u for u in root.iter(f"{{{NS12}}}trans-unit", f"{{{NS2}}}unit")}


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_export_then_import_without_edits_changes_no_byte(project: Path, run, version: str) -> None:
    before = snapshot(project / "locale")
    exported = run("export", "--xliff-version", version, cwd=project)
    assert exported.code == 0, exported.err
    files = sorted(str(p.relative_to(project)) for p in (project / "xliff").rglob("*.xlf"))
    assert files == ["xliff/de/launch.xlf", "xliff/de/templates.xlf",
                     "xliff/zh_CN/launch.xlf", "xliff/zh_CN/templates.xlf"]

    imported = run("import", *files, cwd=project)

    assert imported.code == 0, imported.err
    assert snapshot(project / "locale") == before
    assert "locale/de/LC_MESSAGES/launch.po: 0 imported, 0 refused, 3 unchanged (unchanged)" in imported.out


def test_xliff_12_as_translate_toolkit_reads_it(project: Path, run) -> None:
    run("export", cwd=project)
    store = tt_xliff.xlifffile.parsefile(str(project / "xliff/de/launch.xlf"))
    catalog = polib.pofile(str(project / DE))
    entries = [e for e in catalog if not e.obsolete]
    assert len(store.units) == len(entries)
    units = {u.getid().split("\x04")[-1]: u for u in store.units}
    title = units[unit_id("title", "A new plant opens")]
    assert (title.target, title.istranslated(), title.isfuzzy()) == ("Ein neues Werk öffnet", True, False)
    assert title.getnotes() == "title\nKurz halten, max. 40 Zeichen"  # context, then the translator's comment
    record = units[unit_id(None, "Built in **record** time")]
    assert record.isfuzzy() and "Built in record time" in record.getnotes()  # previous source text
    paragraph = units[unit_id(None, next(e.msgid for e in entries if e.msgid.startswith("The plant")))]
    for placeholder in ("{area}", "{cost}", "{people}", "`{code}`"):
        assert placeholder in paragraph.source and placeholder in paragraph.target
    untranslated = units[unit_id("place", "Berlin")]
    assert not untranslated.istranslated() and not untranslated.isfuzzy()
    assert untranslated.getnotes() == "place"
    assert "a list of key facts; keep it short." in units[unit_id(None, "Built in **record** time")].getnotes()


def test_xliff_21_states_codes_and_notes(project: Path, run) -> None:
    run("export", "--xliff-version", "2.1", cwd=project)
    path = project / "xliff/de/launch.xlf"
    store = tt_xliff2.Xliff2File.parsefile(str(path))
    units = {u.getid(): u for u in store.units}
    assert len(units) == len([e for e in polib.pofile(str(project / DE)) if not e.obsolete])
    title = units[unit_id("title", "A new plant opens")]
    assert title.istranslated() and not title.isfuzzy()
    assert units[unit_id(None, "Built in **record** time")].isfuzzy()
    assert not units[unit_id("place", "Berlin")].istranslated()

    ours = _units(path)
    notes = {n.get("category"): n.text for n in ours[unit_id("title", "A new plant opens")].iter(f"{{{NS2}}}note")}
    assert notes == {"context": "title", "translator": "Kurz halten, max. 40 Zeichen"}
    previous = ours[unit_id(None, "Built in **record** time")].find(f".//{{{NS2}}}note[@category='previous-source']")
    assert previous.text == "Built in record time" and previous.get("appliesTo") == "source"
    paragraph = next(u for u in ours.values() if "The plant covers" in (u.find(f".//{{{NS2}}}source").text or ""))
    codes = paragraph.find(f".//{{{NS2}}}source").findall(f"{{{NS2}}}ph")
    assert [c.get("equiv") for c in codes] == ["{area}", "{cost}", "{people}", "`{code}`"]
    assert all(c.get("canDelete") == "no" for c in codes)
    link = paragraph.find(f".//{{{NS2}}}source/{{{NS2}}}pc[@type='link']")
    assert link.get("equivEnd") == "](https://example.com/plant)" and link.text == "our link"


def _set_target(path: Path, uid: str, build) -> None:
    """Edit one unit's target as a CAT tool would: ``build(target)`` fills it."""
    tree = etree.parse(str(path))
    unit = next(u for u in tree.getroot().iter(f"{{{NS12}}}trans-unit") if u.get("id") == uid)
    target = unit.find(f"{{{NS12}}}target")
    for child in list(target):
        target.remove(child)
    target.text = None
    build(target)
    target.set("state", "translated")
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


def test_import_takes_a_translation_and_refuses_a_broken_placeholder(project: Path, run) -> None:
    run("export", cwd=project)
    path = project / "xliff/de/launch.xlf"
    opening = unit_id(None, "Opening on {day}")
    share = unit_id(None, "Share of exports: {share}")

    def good(target):  # the CAT tool kept the protected code (its content mangled: only the id counts)
        target.text = "Eröffnung am "
        etree.SubElement(target, f"{{{NS12}}}ph", id="1").text = "{Tag}"

    def broken(target):  # the translator typed the placeholder instead of the code, and misspelt it
        target.text = "Exportanteil: {shares}"

    _set_target(path, opening, good)
    _set_target(path, share, broken)
    line = next(u for u in etree.parse(str(path)).getroot().iter(f"{{{NS12}}}trans-unit")
                if u.get("id") == share).find(f"{{{NS12}}}target").sourceline

    result = run("import", "xliff/de/launch.xlf", cwd=project)

    assert result.code == 1
    assert result.err.strip() == (f"xliff/de/launch.xlf:{line}: error: placeholder {{share}} was renamed "
                                  "to {shares} [placeholders]")
    assert "1 imported, 1 refused" in result.out
    catalog = polib.pofile(str(project / DE))
    assert catalog.find("Opening on {day}").msgstr == "Eröffnung am {day}"
    assert catalog.find("Share of exports: {share}").msgstr == ""
    assert catalog.find("A new plant opens", msgctxt="title").tcomment == "Kurz halten, max. 40 Zeichen"
    assert msgfmt_check(project / DE).returncode == 0
    assert run("check", "--lang", "de", cwd=project).out.count("[placeholders]") == 0


def test_import_of_a_fuzzy_unit_marked_translated_clears_fuzzy_and_previous(project: Path, run) -> None:
    run("export", cwd=project)
    path = project / "xliff/de/launch.xlf"
    tree = etree.parse(str(path))
    unit = next(u for u in tree.getroot().iter(f"{{{NS12}}}trans-unit")
                if u.get("id") == unit_id(None, "Built in **record** time"))
    unit.find(f"{{{NS12}}}target").set("state", "signed-off")  # the reviewer approved it as it is
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")

    assert run("import", "xliff/de/launch.xlf", cwd=project).code == 0

    entry = polib.pofile(str(project / DE)).find("Built in **record** time")
    assert entry.msgstr == "In **Rekord**zeit gebaut"
    assert "fuzzy" not in entry.flags and entry.previous_msgid is None


def test_a_unit_whose_source_changed_since_export_comes_back_fuzzy(project: Path, run) -> None:
    run("export", "--xliff-version", "2.1", cwd=project)
    path = project / "xliff/de/launch.xlf"
    tree = etree.parse(str(path))
    unit = next(u for u in tree.getroot().iter(f"{{{NS2}}}unit") if u.get("id") == unit_id("subtitle", "Production starts in spring"))
    segment = unit.find(f"{{{NS2}}}segment")
    etree.SubElement(segment, f"{{{NS2}}}target").text = "Die Produktion beginnt im Frühjahr"
    segment.set("state", "final")
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    # Meanwhile the editor changed the subtitle.
    source = project / "sources/launch.md"
    source.write_text(source.read_text().replace("starts in spring", "starts in early spring"))
    run("extract", cwd=project)
    run("update", cwd=project)

    assert run("import", "xliff/de/launch.xlf", cwd=project).code == 0

    entry = polib.pofile(str(project / DE)).find("Production starts in early spring", msgctxt="subtitle")
    assert entry.msgstr == "Die Produktion beginnt im Frühjahr"
    assert "fuzzy" in entry.flags and entry.previous_msgid == "Production starts in spring"


BAD = {
    "not-xml": ("<xliff version='1.2'>\n<file>\n</xliff>\n", 3, "not well-formed XML"),
    "not-xliff": ("<?xml version='1.0'?>\n<html/>\n", 2, "not an XLIFF file"),
    "unknown-version": (f"\n<xliff xmlns='{NS12}' version='1.1'/>\n", 2, "unknown XLIFF version '1.1'"),
    "unknown-language": (f"<xliff xmlns='{NS12}' version='1.2'>\n<file original='launch.po' source-language='en'"
                         " target-language='pt-BR' datatype='po'><body/></file></xliff>", 2, "unknown language 'pt-BR'"),
    "unknown-catalog": (f"<xliff xmlns='{NS12}' version='1.2'>\n<file original='locale/de/LC_MESSAGES/other.po' "
                        "source-language='en' target-language='de' datatype='po'><body/></file></xliff>", 2,
                        "unknown catalog 'locale/de/LC_MESSAGES/other.po'"),
    "unknown-unit": (f"<xliff xmlns='{NS12}' version='1.2'><file original='locale/de/LC_MESSAGES/launch.po' "
                     "source-language='en' target-language='de' datatype='po'><body>\n<trans-unit id='m0'>"
                     "<source>x</source><target>y</target></trans-unit></body></file></xliff>", 2,
                     "unit 'm0' is not a message of launch.po"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_xliff_file_changes_nothing(project: Path, run, case: str) -> None:
    run("export", cwd=project)
    good = project / "xliff/de/launch.xlf"
    tree = etree.parse(str(good))  # a good file in the same import is not applied either
    next(tree.getroot().iter(f"{{{NS12}}}target")).text = "Ein neues Werk eröffnet"
    tree.write(str(good), xml_declaration=True, encoding="UTF-8")
    text, line, message = BAD[case]
    (project / "bad.xlf").write_text(text, encoding="utf-8")
    before = snapshot(project / "locale")

    result = run("import", "xliff/de/launch.xlf", "bad.xlf", cwd=project)

    assert result.code == 2
    assert result.err.startswith(f"bad.xlf:{line}: error: {message}"), result.err
    assert len(result.err.strip().splitlines()) == 1
    assert snapshot(project / "locale") == before


def test_inline_split_is_lossless_and_finds_codes() -> None:
    nodes = parse("Built in **record** time, see [the *site*](https://x.example/a_b) and `{raw}` for {area}.")
    assert nodes[1] == Pair("strong", "**", "**", ["record"])
    assert nodes[3] == Pair("link", "[", "](https://x.example/a_b)", ["the ", Pair("em", "*", "*", ["site"])])
    assert Code("code", "`{raw}`") in nodes and Code("placeholder", "{area}") in nodes
    for text in ("a * b", "[no link", "snake_case_name", "\\{escaped\\}", "**open", "x_", "![alt](p.png)"):
        assert original(parse(text)) == text


@pytest.mark.parametrize("version,schema", [("1.2", "xliff-core-1.2-strict.xsd"), ("2.1", "xliff_core_2.0.xsd")])
def test_exported_files_validate_against_the_oasis_schemas(plural_project: Path, run, version: str,
                                                           schema: str) -> None:
    project = plural_project  # plural messages, links and example values included
    validator = etree.XMLSchema(etree.parse(str(schema_folder() / schema)))
    run("export", "--xliff-version", version, cwd=project)
    files = list((project / "xliff").rglob("*.xlf"))
    assert len(files) == 4
    for path in files:
        assert validator.validate(etree.parse(str(path))), (path, validator.error_log)
    # The validator is strict: a unit without its source is refused.
    broken = etree.parse(str(files[0]))
    source = next(broken.getroot().iter(f"{{{NS12}}}source", f"{{{NS2}}}source"))
    source.getparent().remove(source)
    assert not validator.validate(broken)


def test_link_targets_and_emphasis_come_from_the_source(project: Path, run) -> None:
    run("export", cwd=project)
    path = project / "xliff/de/launch.xlf"
    paragraph = next(e.msgid for e in polib.pofile(str(project / DE)) if e.msgid.startswith("The plant covers"))
    tree = etree.parse(str(path))
    unit = next(u for u in tree.getroot().iter(f"{{{NS12}}}trans-unit") if u.get("id") == unit_id(None, paragraph))
    target = unit.find(f"{{{NS12}}}target")
    for child in list(target):
        target.remove(child)
    # The translator reordered the sentence: the link (id 5) first, then the placeholders.
    target.text = "Siehe "
    link = etree.SubElement(target, f"{{{NS12}}}g", id="5", ctype="link")
    link.text = "unseren Link"
    link.tail = ": "
    for key, words in (("1", " und "), ("2", ", "), ("4", " Menschen, "), ("6", " bleibt Code, "),):
        etree.SubElement(target, f"{{{NS12}}}ph", id=key).tail = words
    emphasis = etree.SubElement(target, f"{{{NS12}}}g", id="3", ctype="italic")
    emphasis.text = "neue"
    emphasis.tail = " Stellen; \\{escaped\\} ist Text."
    target.set("state", "translated")
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")

    result = run("import", "xliff/de/launch.xlf", cwd=project)

    assert result.code == 0, result.err
    assert polib.pofile(str(project / DE)).find(paragraph).msgstr == (
        "Siehe [unseren Link](https://example.com/plant): {area} und {cost}, {people} Menschen, "
        "`{code}` bleibt Code, *neue* Stellen; \\{escaped\\} ist Text."
    )


def test_a_file_saved_by_translate_toolkit_imports(project: Path, run) -> None:
    run("export", cwd=project)
    path = project / "xliff/de/launch.xlf"
    store = tt_xliff.xlifffile.parsefile(str(path))
    unit = next(u for u in store.units if u.getid().endswith(unit_id("place", "Berlin")))
    unit.target = "Berlin (Hauptstadt)"
    unit.markfuzzy(False)
    unit.markapproved(True)
    path.write_bytes(bytes(store))

    result = run("import", str(path.relative_to(project)), cwd=project)

    assert result.code == 0, result.err
    entry = polib.pofile(str(project / DE)).find("Berlin", msgctxt="place")
    assert entry.msgstr == "Berlin (Hauptstadt)" and "fuzzy" not in entry.flags


# --- plural messages -----------------------------------------------------------------------------

DE_TEMPLATES = Path("locale/de/LC_MESSAGES/templates.po")
ZH_TEMPLATES = Path("locale/zh_CN/LC_MESSAGES/templates.po")
OFFICES = ("{count} office worldwide", "{count} offices worldwide")
OFFICES_DE = {0: "{count} Büro weltweit", 1: "{count} Büros weltweit"}


@pytest.fixture
def plural_project(mini: Path, run) -> Path:
    """The half-done project whose letterhead has an ngettext message: German translates both forms,
    Chinese (nplurals=1) has its one form untranslated; the German catalog laid out by msgcat."""
    letterhead = mini / "templates/letterhead.html"
    letterhead.write_text(letterhead.read_text() + '<p>{{ ngettext("%s", "%s", offices) }}</p>\n' % OFFICES)
    _half_done(mini, run)
    catalog = polib.pofile(str(mini / DE_TEMPLATES))
    entry = catalog.find(OFFICES[0])
    assert entry.msgid_plural == OFFICES[1]
    entry.msgstr_plural = dict(OFFICES_DE)
    entry.tcomment = "Büro, not Geschäftsstelle"
    catalog.save()
    subprocess.run(["msgcat", "--width=50", "-o", str(mini / DE_TEMPLATES), str(mini / DE_TEMPLATES)], check=True)
    assert len(polib.pofile(str(mini / ZH_TEMPLATES)).find(OFFICES[0]).msgstr_plural) == 1
    return mini


def _plural_group(path: Path) -> etree._Element:
    uid = unit_id(None, OFFICES[0])
    return next(g for g in etree.parse(str(path)).getroot().iter(f"{{{NS12}}}group") if g.get("id") == uid)


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_plural_messages_round_trip_byte_for_byte(plural_project: Path, run, version: str) -> None:
    before = snapshot(plural_project / "locale")
    assert run("export", "--xliff-version", version, cwd=plural_project).code == 0
    files = sorted(str(p.relative_to(plural_project)) for p in (plural_project / "xliff").rglob("*.xlf"))

    imported = run("import", *files, cwd=plural_project)

    assert imported.code == 0, imported.err
    assert snapshot(plural_project / "locale") == before
    templates = len([e for e in polib.pofile(str(plural_project / DE_TEMPLATES)) if not e.obsolete])
    assert f"{DE_TEMPLATES.as_posix()}: 0 imported, 0 refused, 1 unchanged (unchanged)" in imported.out
    counted = {u.get("id") for u in _units(plural_project / "xliff/de/templates.xlf").values()}
    if version == "1.2":  # one trans-unit per form, plus the singular messages
        assert unit_id(None, OFFICES[0]) + "[1]" in counted and len(counted) == templates + 1
    else:
        assert unit_id(None, OFFICES[0]) in counted and len(counted) == templates


def test_translate_toolkit_reads_plural_units(plural_project: Path, run) -> None:
    run("export", cwd=plural_project)
    uid = unit_id(None, OFFICES[0])
    german = tt_poxliff.PoXliffFile.parsefile(str(plural_project / "xliff/de/templates.xlf"))
    unit = next(u for u in german.units if u.getid().split("\x04")[-1] == uid)
    assert unit.hasplural()
    assert [str(s) for s in unit.source.strings] == list(OFFICES)
    assert [str(s) for s in unit.target.strings] == list(OFFICES_DE.values())
    # The states are on the forms' trans-units: XLIFF 1.2 allows no `approved` on a <group>.
    assert all(u.istranslated() and not u.isfuzzy() for u in unit.units)
    assert "Büro, not Geschäftsstelle" in unit.getnotes()
    assert [u.getid().split("\x04")[-1] for u in unit.units] == [f"{uid}[0]", f"{uid}[1]"]
    assert len(german.units) == len([e for e in polib.pofile(str(plural_project / DE_TEMPLATES)) if not e.obsolete])
    chinese = tt_poxliff.PoXliffFile.parsefile(str(plural_project / "xliff/zh_CN/templates.xlf"))
    unit = next(u for u in chinese.units if u.getid().split("\x04")[-1] == uid)
    assert unit.hasplural() and [str(s) for s in unit.source.strings] == [OFFICES[0]]
    assert not unit.units[0].istranslated()


def test_a_plural_translation_saved_by_translate_toolkit_imports(plural_project: Path, run) -> None:
    run("export", cwd=plural_project)
    path = plural_project / "xliff/zh_CN/templates.xlf"
    store = tt_poxliff.PoXliffFile.parsefile(str(path))
    unit = next(u for u in store.units if u.getid().split("\x04")[-1] == unit_id(None, OFFICES[0]))
    unit.target = multistring(["全球 {count} 个办事处"])
    for form in unit.units:
        form.xmlelement.find(f"{{{NS12}}}target").set("state", "translated")
    path.write_bytes(bytes(store))

    result = run("import", str(path.relative_to(plural_project)), cwd=plural_project)

    assert result.code == 0, result.err
    entry = polib.pofile(str(plural_project / ZH_TEMPLATES)).find(OFFICES[0])
    assert entry.msgstr_plural == {0: "全球 {count} 个办事处"} and "fuzzy" not in entry.flags
    assert msgfmt_check(plural_project / ZH_TEMPLATES).returncode == 0


def test_xliff_21_plural_unit_has_one_segment_per_form_and_imports(plural_project: Path, run) -> None:
    run("export", "--xliff-version", "2.1", cwd=plural_project)
    path = plural_project / "xliff/de/templates.xlf"
    tree = etree.parse(str(path))
    unit = next(u for u in tree.getroot().iter(f"{{{NS2}}}unit") if u.get("id") == unit_id(None, OFFICES[0]))
    segments = unit.findall(f"{{{NS2}}}segment")
    assert unit.get("type") == "pubkit:plurals" and [s.get("id") for s in segments] == ["p0", "p1"]
    assert [s.get("state") for s in segments] == ["translated", "translated"]
    assert [s.find(f"{{{NS2}}}source/{{{NS2}}}ph").get("id") for s in segments] == ["p0-1", "p1-1"]
    assert [s.find(f"{{{NS2}}}source").xpath("string()") for s in segments] == [" office worldwide",
                                                                                  " offices worldwide"]
    target = segments[1].find(f"{{{NS2}}}target")
    target.find(f"{{{NS2}}}ph").tail = " Niederlassungen weltweit"
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")

    result = run("import", "xliff/de/templates.xlf", cwd=plural_project)

    assert result.code == 0, result.err
    entry = polib.pofile(str(plural_project / DE_TEMPLATES)).find(OFFICES[0])
    assert entry.msgstr_plural == {0: OFFICES_DE[0], 1: "{count} Niederlassungen weltweit"}
    assert entry.tcomment == "Büro, not Geschäftsstelle"


def test_a_wrong_number_of_plural_forms_is_refused_at_its_line(plural_project: Path, run) -> None:
    run("export", cwd=plural_project)
    path = plural_project / "xliff/zh_CN/templates.xlf"  # Chinese has one form; the translator added a second
    tree = etree.parse(str(path))
    group = next(g for g in tree.getroot().iter(f"{{{NS12}}}group") if g.get("id") == unit_id(None, OFFICES[0]))
    first = group.find(f"{{{NS12}}}trans-unit")
    second = etree.fromstring(etree.tostring(first))
    second.set("id", unit_id(None, OFFICES[0]) + "[1]")
    group.append(second)
    for form in group.iter(f"{{{NS12}}}target"):
        form.text, form.attrib["state"] = "全球办事处", "translated"
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    line = _plural_group(path).sourceline
    before = snapshot(plural_project / "locale")

    result = run("import", "xliff/zh_CN/templates.xlf", cwd=plural_project)

    assert result.code == 1
    assert result.err.strip() == (f"xliff/zh_CN/templates.xlf:{line}: error: 2 plural forms, but Plural-Forms "
                                  "says nplurals=1 [plural-forms]")
    assert snapshot(plural_project / "locale") == before


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_a_broken_placeholder_in_one_plural_form_is_refused_at_its_line(plural_project: Path, run,
                                                                        version: str) -> None:
    run("export", "--xliff-version", version, cwd=plural_project)
    path = plural_project / "xliff/de/templates.xlf"
    tree = etree.parse(str(path))
    ns = NS12 if version == "1.2" else NS2
    if version == "1.2":
        holder = next(g for g in tree.getroot().iter(f"{{{ns}}}group") if g.get("id") == unit_id(None, OFFICES[0]))
    else:
        holder = next(u for u in tree.getroot().iter(f"{{{ns}}}unit") if u.get("id") == unit_id(None, OFFICES[0]))
    first, second = list(holder.iter(f"{{{ns}}}target"))
    first.find(f"{{{ns}}}ph").tail = " Standort weltweit"  # a good change in form 0
    for child in list(second):
        second.remove(child)
    second.text = "{Anzahl} Standorte weltweit"  # typed instead of the protected code, and renamed
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    line = next(t for t in etree.parse(str(path)).getroot().iter(f"{{{ns}}}target")
                if t.text == "{Anzahl} Standorte weltweit").sourceline
    before = snapshot(plural_project / "locale")

    result = run("import", "xliff/de/templates.xlf", cwd=plural_project)

    assert result.code == 1
    assert result.err.strip() == (f"xliff/de/templates.xlf:{line}: error: placeholder {{count}} was renamed "
                                  "to {Anzahl} [placeholders]")
    assert snapshot(plural_project / "locale") == before  # neither form is taken


def test_translators_see_where_links_point_and_how_values_read(project: Path, run) -> None:
    paragraph = next(e.msgid for e in polib.pofile(str(project / DE)) if e.msgid.startswith("The plant covers"))
    run("export", cwd=project)
    store = tt_xliff.xlifffile.parsefile(str(project / "xliff/de/launch.xlf"))
    unit = next(u for u in store.units if u.getid().endswith(unit_id(None, paragraph)))
    notes = unit.getnotes()
    assert "“our link” links to https://example.com/plant" in notes
    assert "{area} reads “12,5 Hektar”" in notes and "{people} reads “2.500”" in notes  # German, from CLDR

    run("export", "--xliff-version", "2.1", cwd=project)
    source = _units(project / "xliff/zh_CN/launch.xlf")[unit_id(None, paragraph)].find(f".//{{{NS2}}}source")
    displayed = {code.get("equiv") or code.get("equivStart"): code.get("disp") or code.get("dispStart")
                 for code in source if code.tag in (f"{{{NS2}}}ph", f"{{{NS2}}}pc")}
    assert displayed["{area}"] == "{area} = 12.5公顷" and displayed["["] == "[→ https://example.com/plant]"
