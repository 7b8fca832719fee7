"""`pubkit import` of XLIFF files as translators' tools really save them.

Each file here is small and shaped like the tool's own output (segmentation, code forms, namespaces,
states, encodings), written for the message of the mini project it translates, and valid against the
OASIS schema of its version (lxml checks each one before it is imported). Nothing may be lost, and
what must be refused is refused at its unit, in one line.
"""

from __future__ import annotations

import codecs
import shutil
from functools import cache
from pathlib import Path

import polib
import pytest

from lxml import etree

from conftest import copy_project, msgfmt_check, schema_folder, snapshot
from pubkit.cli import main
from pubkit.catalog.xliff import NS2, NS12, unit_id

DE = Path("locale/de/LC_MESSAGES/launch.po")
PARAGRAPH = ("The plant covers {area} and cost {cost}, with *new* jobs for {people} people. The second line of "
             "the same paragraph keeps [our link](https://example.com/plant) and `{code}` stays code, while "
             "\\{escaped\\} braces are text.")
FIRST_DE = "Das Werk umfasst {area} und kostete {cost}, mit *neuen* Stellen für {people} Menschen."
SECOND_DE = ("Die zweite Zeile behält [unseren Link](https://example.com/plant) und `{code}` bleibt Code, "
             "während \\{escaped\\} Klammern Text sind.")
SECOND_EN = PARAGRAPH.split("people. ")[1]
WHOLE_DE = f"{FIRST_DE} {SECOND_DE}"
SPANNING = "*Built in one year. Opened in May.*"

# The paragraph's two sentences in XLIFF 2 markup: codes 1, 2, 4 placeholders, 3 emphasis, 5 link, 6 code.
S1_EN_2 = ('The plant covers <ph id="1"/> and cost <ph id="2"/>, with <pc id="3">new</pc> jobs for '
           '<ph id="4"/> people.')
S2_EN_2 = ('The second line of the same paragraph keeps <pc id="5">our link</pc> and <ph id="6"/> stays code, '
           'while \\{escaped\\} braces are text.')
S1_DE_2 = ('Das Werk umfasst <ph id="1"/> und kostete <ph id="2"/>, mit <pc id="3">neuen</pc> Stellen für '
           '<ph id="4"/> Menschen.')
S2_DE_2 = ('Die zweite Zeile behält <pc id="5">unseren Link</pc> und <ph id="6"/> bleibt Code, '
           'während \\{escaped\\} Klammern Text sind.')


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> Path:
    """The mini project, with a paragraph whose emphasis spans two sentences, extracted and merged once."""
    mini = copy_project("mini", tmp_path_factory.mktemp("prepared"))
    source = mini / "sources/launch.md"
    source.write_text(source.read_text(encoding="utf-8") + f"\n{SPANNING}\n", encoding="utf-8")
    assert main(["-C", str(mini), "extract"]) == 0
    assert main(["-C", str(mini), "update"]) == 0
    return mini


@pytest.fixture
def project(prepared: Path, tmp_path: Path) -> Path:
    """A fresh copy of the prepared project for each test (its own catalogs to change)."""
    return Path(shutil.copytree(prepared, tmp_path / "mini"))


def _xliff2(units: str, language: str = "de") -> str:
    """An XLIFF 2.1 document as Okapi or Phrase writes one: segments with ids, ignorables between them."""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="{NS2}" version="2.1" srcLang="en" '
            f'trgLang="{language}">\n<file id="f1" original="locale/de/LC_MESSAGES/launch.po">\n{units}</file>\n'
            '</xliff>\n')


def _xliff12(units: str, language: str = "de", extra_ns: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="{NS12}" version="1.2"{extra_ns}>\n'
            f'<file original="locale/de/LC_MESSAGES/launch.po" datatype="po" source-language="en-US" '
            f'target-language="{language}">\n<body>\n{units}</body>\n</file>\n</xliff>\n')


def _import(project: Path, run, name: str, text: str, encoding: str = "utf-8"):
    _assert_valid(text)
    (project / name).write_bytes(text.encode(encoding))
    return run("import", name, cwd=project)


@cache
def _schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(schema_folder() / name)))


def _assert_valid(text: str) -> None:
    """The test's file is real XLIFF: valid against the OASIS schema of its version (the 1.2 strict
    schema for 1.2; Trados's own elements, in its namespace, taken out, as the schema cannot know them)."""
    root = etree.fromstring(text.encode("utf-8"))
    for foreign in root.xpath("//*[namespace-uri() = 'http://sdl.com/FileTypes/SdlXliff/1.0']"):
        foreign.getparent().remove(foreign)
    schema = _schema("xliff-core-1.2-strict.xsd" if root.get("version") == "1.2" else "xliff_core_2.0.xsd")
    assert schema.validate(root), schema.error_log


def _entry(project: Path, msgid: str = PARAGRAPH) -> polib.POEntry:
    return polib.pofile(str(project / DE)).find(msgid)


def _line(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# --- segments ----------------------------------------------------------------------------------


def _okapi_paragraph(second_target: str | None, state: str = "translated") -> str:
    second = f"<target>{second_target}</target>" if second_target is not None else ""
    second_state = state if second_target is not None else "initial"
    return _xliff2(
        f'<unit id="{unit_id(None, PARAGRAPH)}">\n'
        # Okapi's match module: a memory's suggestion for the first sentence, never the translation.
        f'<mtc:matches xmlns:mtc="urn:oasis:names:tc:xliff:matches:2.0"><mtc:match ref="#s1" similarity="82">'
        f'<source>The plant covers <ph id="m1"/>.</source><target>Ein Vorschlag.</target></mtc:match>'
        '</mtc:matches>\n'
        f'<segment id="s1" state="{state}"><source>{S1_EN_2}</source><target>{S1_DE_2}</target></segment>\n'
        '<ignorable><source xml:space="preserve"> </source></ignorable>\n'
        f'<segment id="s2" state="{second_state}"><source>{S2_EN_2}</source>{second}</segment>\n'
        '</unit>\n')


def test_okapi_and_phrase_segments_join_into_the_whole_translation(project: Path, run) -> None:
    result = _import(project, run, "okapi.xlf", _okapi_paragraph(S2_DE_2))

    assert result.code == 0, result.err
    entry = _entry(project)
    assert entry.msgstr == WHOLE_DE and "fuzzy" not in entry.flags
    assert msgfmt_check(project / DE).returncode == 0


def test_a_segment_without_target_makes_the_message_fuzzy_never_shorter(project: Path, run) -> None:
    text = _okapi_paragraph(None)

    result = _import(project, run, "phrase.xlf", text)

    assert result.code == 0, result.err
    entry = _entry(project)
    # The untranslated sentence stays in English: the translation is whole, and fuzzy so it is not published.
    assert entry.msgstr == f"{FIRST_DE} {SECOND_EN}" and "fuzzy" in entry.flags
    assert result.err.strip() == (f"phrase.xlf:{_line(text, '<unit ')}: note: some segments have no translation: "
                                  "imported fuzzy, their source text in their place")


def test_a_half_translated_unit_never_replaces_a_translation(project: Path, run) -> None:
    catalog = polib.pofile(str(project / DE))
    catalog.find(PARAGRAPH).msgstr = WHOLE_DE
    catalog.save()
    before = snapshot(project / "locale")

    result = _import(project, run, "phrase.xlf", _okapi_paragraph(None))

    assert result.code == 0 and "the catalog's translation is kept" in result.err
    assert snapshot(project / "locale") == before


TRADOS = """<trans-unit id="{uid}" xml:space="preserve">
<source>{source}</source>
<seg-source><mrk mtype="seg" mid="1">{s1}</mrk> <mrk mtype="seg" mid="2">{s2}</mrk></seg-source>
<target><mrk mtype="seg" mid="1">{t1}</mrk> <mrk mtype="seg" mid="2">{t2}</mrk></target>
<sdl:seg-defs><sdl:seg id="1" conf="{conf1}" origin="interactive"/><sdl:seg id="2" conf="{conf2}" origin="tm" percent="100"/></sdl:seg-defs>
</trans-unit>
"""
S1_EN_12 = ('The plant covers <x id="1"/> and cost <x id="2"/>, with <g id="3" ctype="italic">new</g> jobs for '
            '<x id="4"/> people.')
S2_EN_12 = ('The second line of the same paragraph keeps <g id="5" ctype="link">our link</g> and <x id="6"/> stays '
            'code, while \\{escaped\\} braces are text.')
S1_DE_12 = ('Das Werk umfasst <x id="1"/> und kostete <x id="2"/>, mit <g id="3">neuen</g> Stellen für '
            '<x id="4"/> Menschen.')
S2_DE_12 = ('Die zweite Zeile behält <g id="5">unseren Link</g> und <x id="6"/> bleibt Code, '
            'während \\{escaped\\} Klammern Text sind.')


def _trados(conf1: str = "Translated", conf2: str = "ApprovedSignOff", t2: str = S2_DE_12) -> str:
    unit = TRADOS.format(uid=unit_id(None, PARAGRAPH), source=f"{S1_EN_12} {S2_EN_12}", s1=S1_EN_12, s2=S2_EN_12,
                         t1=S1_DE_12, t2=t2, conf1=conf1, conf2=conf2)
    return _xliff12(unit, "de-DE", ' xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0"')


def test_trados_segmented_file_imports_whole_and_maps_de_de_to_de(project: Path, run) -> None:
    text = _trados()

    result = _import(project, run, "launch.sdlxliff", text)

    assert result.code == 0, result.err
    assert _entry(project).msgstr == WHOLE_DE and "fuzzy" not in _entry(project).flags
    assert result.err.strip() == (f"launch.sdlxliff:{_line(text, '<file ')}: note: target language 'de-DE' is "
                                  "imported as the project's 'de'")


def test_trados_segment_in_draft_makes_the_message_fuzzy(project: Path, run) -> None:
    assert _import(project, run, "launch.sdlxliff", _trados(conf2="Draft")).code == 0
    entry = _entry(project)
    assert entry.msgstr == WHOLE_DE and "fuzzy" in entry.flags


def test_trados_empty_second_segment_is_never_a_truncated_translation(project: Path, run) -> None:
    assert _import(project, run, "launch.sdlxliff", _trados(t2="")).code == 0
    entry = _entry(project)
    assert entry.msgstr == f"{FIRST_DE} {SECOND_EN}" and "fuzzy" in entry.flags


def test_matecat_segments_with_a_placeholder_in_the_second(project: Path, run) -> None:
    # Matecat: mids from 0, no xml:space, target state on the target; codes as the source had them.
    unit = (f'<trans-unit id="{unit_id(None, PARAGRAPH)}">\n<source>{S1_EN_12} {S2_EN_12}</source>\n'
            f'<seg-source><mrk mid="0" mtype="seg">{S1_EN_12}</mrk> <mrk mid="1" mtype="seg">{S2_EN_12}</mrk>'
            f'</seg-source>\n<target state="translated"><mrk mid="0" mtype="seg">{S1_DE_12}</mrk> '
            f'<mrk mid="1" mtype="seg">{S2_DE_12}</mrk></target>\n</trans-unit>\n')

    result = _import(project, run, "matecat.xlf", _xliff12(unit))

    assert result.code == 0, result.err
    assert _entry(project).msgstr == WHOLE_DE


# --- every code form ---------------------------------------------------------------------------

CODE_FORMS_12 = {
    "bx-ex": ('<bx id="3" rid="3"/>neuen<ex id="3b" rid="3"/>', '<bx id="5"/>unseren Link<ex id="5"/>'),
    "bpt-ept": ('<bpt id="3" ctype="italic">&lt;i&gt;</bpt>neuen<ept id="3">&lt;/i&gt;</ept>',
                '<bpt id="5">&lt;a&gt;</bpt>unseren Link<ept id="5">&lt;/a&gt;</ept>'),
    "it": ('<it id="3" pos="open">&lt;i&gt;</it>neuen<it id="3" pos="close">&lt;/i&gt;</it>',
           '<it id="5" pos="open"/>unseren Link<it id="5" pos="close"/>'),
    "g-in-mrk": ('<mrk mtype="term">neuen</mrk>'.replace("neuen", '<g id="3">neuen</g>'),
                 '<g id="5"><mrk mtype="x-protected">unseren Link</mrk></g>'),
}


@pytest.mark.parametrize("form", sorted(CODE_FORMS_12))
def test_xliff_12_code_forms_are_rebuilt_from_the_source(project: Path, run, form: str) -> None:
    emphasis, link = CODE_FORMS_12[form]
    target = (f'Das Werk umfasst <ph id="1">{{Fläche}}</ph> und kostete <x id="2"/>, mit {emphasis} Stellen für '
              f'<x id="4"/> Menschen. Die zweite Zeile behält {link} und <ph id="6">`x`</ph> bleibt Code, '
              'während \\{escaped\\} Klammern Text sind.')
    unit = (f'<trans-unit id="{unit_id(None, PARAGRAPH)}" xml:space="preserve">\n'
            f'<source>{S1_EN_12} {S2_EN_12}</source>\n<target state="final">{target}</target>\n</trans-unit>\n')

    result = _import(project, run, "memoq.xlf", _xliff12(unit))

    assert result.code == 0, result.err
    assert _entry(project).msgstr == WHOLE_DE  # what the tool put inside a code does not count


def test_okapi_start_and_end_codes_across_segments(project: Path, run) -> None:
    unit = (f'<unit id="{unit_id(None, SPANNING)}">\n'
            '<segment id="1" state="translated"><source><sc id="1"/>Built in one year.</source>'
            '<target><sc id="1" canCopy="no"/>In einem Jahr gebaut.</target></segment>\n'
            '<ignorable><source xml:space="preserve"> </source></ignorable>\n'
            '<segment id="2" state="reviewed"><source>Opened in May.<ec startRef="1"/></source>'
            '<target>Im Mai eröffnet.<ec startRef="1"/></target></segment>\n</unit>\n')

    result = _import(project, run, "okapi.xlf", _xliff2(unit))

    assert result.code == 0, result.err
    assert _entry(project, SPANNING).msgstr == "*In einem Jahr gebaut. Im Mai eröffnet.*"


def test_isolated_codes_and_annotations_of_xliff_2(project: Path, run) -> None:
    unit = (f'<unit id="{unit_id(None, SPANNING)}" xml:space="preserve">\n<segment state="final"><source><pc id="1">Built '
            'in one year. Opened in May.</pc></source><target><sc id="1" isolated="yes"/><mrk id="m1" '
            'type="term">In einem Jahr</mrk> gebaut.<sm id="c1" type="comment" value="check"/> Im Mai eröffnet.'
            '<em startRef="c1"/><ec id="1" isolated="yes"/></target></segment>\n</unit>\n')

    result = _import(project, run, "tool.xlf", _xliff2(unit))

    assert result.code == 0, result.err
    assert _entry(project, SPANNING).msgstr == "*In einem Jahr gebaut. Im Mai eröffnet.*"


def test_a_code_the_source_does_not_have_is_refused_at_its_target(project: Path, run) -> None:
    unit = (f'<unit id="{unit_id(None, SPANNING)}">\n<segment state="final"><source><pc id="1">Built in one year. '
            'Opened in May.</pc></source>\n<target><sc id="9"/>In einem Jahr gebaut.</target></segment>\n</unit>\n')
    text = _xliff2(unit)
    before = snapshot(project / "locale")

    result = _import(project, run, "tool.xlf", text)

    assert result.code == 1
    assert result.err.strip() == (f"tool.xlf:{_line(text, '<target>')}: error: paired code id '9' is not a code "
                                  "of the source [inline-code]")
    assert snapshot(project / "locale") == before


# --- whitespace --------------------------------------------------------------------------------


def test_layout_of_a_reindented_file_is_not_text(project: Path, run) -> None:
    # The tool dropped xml:space="preserve" and indented the file: the line breaks are layout.
    unit = (f'    <trans-unit id="{unit_id(None, PARAGRAPH)}">\n      <source>\n        {S1_EN_12}\n        '
            f'{S2_EN_12}\n      </source>\n      <target state="translated">\n        {S1_DE_12}\n'
            f'        {S2_DE_12}\n      </target>\n    </trans-unit>\n')

    result = _import(project, run, "reindented.xlf", _xliff12(unit))

    assert result.code == 0, result.err
    assert _entry(project).msgstr == WHOLE_DE


def test_inside_xml_space_preserve_every_character_counts(project: Path, run) -> None:
    msgid = "Line with a hard break\\\nand its continuation."
    unit = (f'<trans-unit id="{unit_id(None, msgid)}" xml:space="preserve">\n<source>{msgid}</source>\n'
            '<target state="translated">Zeile mit hartem  Umbruch\\\nund Fortsetzung.</target>\n</trans-unit>\n')

    result = _import(project, run, "kept.xlf", _xliff12(unit))

    assert result.code == 0, result.err
    assert _entry(project, msgid).msgstr == "Zeile mit hartem  Umbruch\\\nund Fortsetzung."


# --- source drift ------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_a_source_edited_in_the_tool_is_refused_at_its_unit(project: Path, run, version: str) -> None:
    uid = unit_id(None, "Built in **record** time")
    if version == "1.2":
        text = _xliff12(f'<trans-unit id="{uid}" xml:space="preserve">\n<source>Built in <g id="1" ctype="bold">'
                        'record</g> time, on budget</source>\n<target state="translated">In <g id="1">Rekord</g>zeit '
                        'gebaut, im Budget</target>\n</trans-unit>\n')
    else:
        text = _xliff2(f'<unit id="{uid}">\n<segment state="translated"><source>Built in <pc id="1">record</pc> '
                       'time, on budget</source>\n<target>In <pc id="1">Rekord</pc>zeit gebaut, im Budget</target>'
                       '</segment>\n</unit>\n')
    before = snapshot(project / "locale")

    result = _import(project, run, "edited.xlf", text)

    assert result.code == 1
    unit_line = _line(text, "<trans-unit " if version == "1.2" else "<unit ")
    assert result.err.strip() == (f"edited.xlf:{unit_line}: error: source text changed in the translation tool; "
                                  "re-export [source-changed]")
    assert snapshot(project / "locale") == before


# --- tools' own attributes and elements ----------------------------------------------------------


def test_swordfish_alt_trans_is_a_suggestion_not_a_translation(project: Path, run) -> None:
    record, berlin = unit_id(None, "Built in **record** time"), unit_id("place", "Berlin")
    units = (f'<trans-unit id="{record}" xml:space="preserve">\n<source>Built in <g id="1" ctype="bold">record</g> '
             'time</source>\n<target state="needs-translation"/>\n<alt-trans match-quality="87" origin="Swordfish TM">'
             '<source>Built in record time</source><target>In Rekordzeit errichtet</target></alt-trans>\n'
             '</trans-unit>\n'
             f'<trans-unit id="{berlin}" resname="place" xml:space="preserve">\n<source>Berlin</source>\n'
             '<target state="translated">Berlin</target>\n<alt-trans origin="mt"><target>Berlín</target>'
             '</alt-trans>\n</trans-unit>\n')

    result = _import(project, run, "swordfish.xlf", _xliff12(units))

    assert result.code == 0, result.err
    assert _entry(project, "Built in **record** time").msgstr == ""
    assert polib.pofile(str(project / DE)).find("Berlin", msgctxt="place").msgstr == "Berlin"


def test_crowdin_attributes_and_approval(project: Path, run) -> None:
    record = "Built in **record** time"
    units = (f'<trans-unit id="{unit_id(None, record)}" translate="yes">\n<source>Built in <g id="1" ctype="bold">'
             'record</g> time</source>\n<target state="needs-translation">Built in <g id="1">record</g> time</target>'
             '\n</trans-unit>\n'  # untranslated: Crowdin copies the source into the target
             f'<trans-unit id="{unit_id("place", "Berlin")}" resname="place" approved="yes" translate="yes" '
             'size-unit="char" maxwidth="40">\n<source>Berlin</source>\n<target state="translated" '
             'state-qualifier="exact-match">Berlin-Mitte</target>\n<note from="Crowdin">place</note>\n'
             '</trans-unit>\n'
             f'<trans-unit id="{unit_id("button", "Open")}" resname="button" translate="no">\n<source>Open'
             '</source>\n<target state="translated">Zu</target>\n</trans-unit>\n')

    result = _import(project, run, "crowdin.xliff", _xliff12(units, "de"))

    assert result.code == 0, result.err
    catalog = polib.pofile(str(project / DE))
    assert catalog.find("Berlin", msgctxt="place").msgstr == "Berlin-Mitte"
    assert catalog.find("Open", msgctxt="button").msgstr == ""  # locked in the tool: not brought back
    assert catalog.find(record).msgstr == "" and "fuzzy" not in catalog.find(record).flags


# --- encodings and languages -------------------------------------------------------------------


@pytest.mark.parametrize("encoding,declared,bom", [
    ("utf-8", "UTF-8", b""), ("utf-8", "UTF-8", codecs.BOM_UTF8),
    ("utf-16-le", "UTF-16", codecs.BOM_UTF16_LE), ("utf-16-be", "UTF-16", codecs.BOM_UTF16_BE),
])
def test_encodings_tools_save_in(project: Path, run, encoding: str, declared: str, bom: bytes) -> None:
    text = _okapi_paragraph(S2_DE_2).replace('encoding="UTF-8"', f'encoding="{declared}"')
    data = bom + text.encode(encoding)
    (project / "saved.xlf").write_bytes(data)

    result = run("import", "saved.xlf", cwd=project)

    assert result.code == 0, result.err
    assert _entry(project).msgstr == WHOLE_DE


@pytest.mark.parametrize("tag,language", [("zh-cn", "zh_CN"), ("zh-Hans-CN", "zh_CN"), ("de-AT", "de")])
def test_a_region_of_a_project_language_maps_to_it(project: Path, run, tag: str, language: str) -> None:
    uid = unit_id("place", "Berlin")
    unit = f'<trans-unit id="{uid}" resname="place"><source>Berlin</source><target>柏林</target></trans-unit>\n'
    text = _xliff12(unit, tag).replace("locale/de/", f"locale/{language}/")

    result = _import(project, run, "lang.xlf", text)

    assert result.code == 0, result.err
    catalog = polib.pofile(str(project / f"locale/{language}/LC_MESSAGES/launch.po"))
    assert catalog.find("Berlin", msgctxt="place").msgstr == "柏林"
    assert ("note: target language" in result.err) == (tag != "zh-cn")


def test_a_foreign_language_stays_an_error(project: Path, run) -> None:
    text = _xliff12("", "fr-FR")
    result = _import(project, run, "fr.xlf", text)
    assert result.code == 2
    assert result.err.strip() == (f"fr.xlf:{_line(text, '<file ')}: error: unknown language 'fr-FR' "
                                  "(this project translates into de, zh_CN)")


# --- messages ----------------------------------------------------------------------------------


def test_a_duplicated_placeholder_says_so(project: Path, run) -> None:
    uid = unit_id(None, "Share of exports: {share}")
    text = _xliff12(f'<trans-unit id="{uid}">\n<source>Share of exports: <ph id="1"/></source>\n'
                    '<target state="translated">Exportanteil: <ph id="1"/> (<ph id="1"/>)</target>\n</trans-unit>\n')

    result = _import(project, run, "dup.xlf", text)

    assert result.code == 1
    assert result.err.strip() == (f"dup.xlf:{_line(text, '<target')}: error: placeholder {{share}} appears twice "
                                  "in the translation but once in the source [placeholders]")


def test_paths_are_shown_as_given_and_normalised(project: Path, run) -> None:
    (project / "work").mkdir()
    outside = project.parent / "agency"
    outside.mkdir()
    text = _xliff12("", "fr")
    for folder in (project, outside):
        (folder / "bad.xlf").write_text(text, encoding="utf-8")

    inside = run("import", "work/../bad.xlf", cwd=project)
    beside = run("import", "work/../../agency/bad.xlf", cwd=project)

    assert inside.err.startswith("bad.xlf:3: error: unknown language 'fr'"), inside.err
    assert beside.err.startswith("../agency/bad.xlf:3: error: unknown language 'fr'"), beside.err


def test_between_segments_the_target_keeps_its_own_joins(project: Path, run) -> None:
    # Chinese sentences are not separated by a space: the tool's target skeleton has none.
    unit = (f'<trans-unit id="{unit_id(None, SPANNING)}" xml:space="preserve">\n'
            '<source><g id="1" ctype="italic">Built in one year. Opened in May.</g></source>\n'
            '<seg-source><g id="1" ctype="italic"><mrk mtype="seg" mid="1">Built in one year.</mrk> '
            '<mrk mtype="seg" mid="2">Opened in May.</mrk></g></seg-source>\n'
            '<target state="translated"><g id="1"><mrk mtype="seg" mid="1">一年建成。</mrk>'
            '<mrk mtype="seg" mid="2">五月开业。</mrk></g></target>\n</trans-unit>\n')
    text = _xliff12(unit, "zh-CN").replace("locale/de/", "locale/zh_CN/")

    result = _import(project, run, "trados-zh.xlf", text)

    assert result.code == 0, result.err
    catalog = polib.pofile(str(project / "locale/zh_CN/LC_MESSAGES/launch.po"))
    assert catalog.find(SPANNING).msgstr == "*一年建成。五月开业。*"


def test_a_segment_missing_from_a_segmented_target_takes_the_sources_place(project: Path, run) -> None:
    unit = (f'<trans-unit id="{unit_id(None, PARAGRAPH)}" xml:space="preserve">\n<source>{S1_EN_12} {S2_EN_12}'
            f'</source>\n<seg-source><mrk mtype="seg" mid="1">{S1_EN_12}</mrk> <mrk mtype="seg" mid="2">{S2_EN_12}'
            f'</mrk></seg-source>\n<target state="translated"><mrk mtype="seg" mid="1">{S1_DE_12}</mrk></target>\n'
            '</trans-unit>\n')

    result = _import(project, run, "memoq.xlf", _xliff12(unit))

    assert result.code == 0, result.err
    entry = _entry(project)
    assert entry.msgstr == f"{FIRST_DE} {SECOND_EN}" and "fuzzy" in entry.flags


def test_segments_inside_a_paired_code_are_found(project: Path, run) -> None:
    # memoQ: the emphasis around both sentences, the segment markers inside it; the tool wrote only the first.
    unit = (f'<trans-unit id="{unit_id(None, SPANNING)}" xml:space="preserve">\n'
            '<source><g id="1" ctype="italic">Built in one year. Opened in May.</g></source>\n'
            '<seg-source><g id="1" ctype="italic"><mrk mtype="seg" mid="1">Built in one year.</mrk> '
            '<mrk mtype="seg" mid="2">Opened in May.</mrk></g></seg-source>\n'
            '<target state="translated"><g id="1"><mrk mtype="seg" mid="1">In einem Jahr gebaut.</mrk></g></target>\n'
            '</trans-unit>\n')

    result = _import(project, run, "memoq.xlf", _xliff12(unit))

    assert result.code == 0, result.err
    entry = _entry(project, SPANNING)
    assert entry.msgstr == "*In einem Jahr gebaut. Opened in May.*" and "fuzzy" in entry.flags


def test_targets_reordered_by_the_tool_are_joined_in_their_order(project: Path, run) -> None:
    # XLIFF 2 `order`: the German puts the second English sentence first.
    unit = (f'<unit id="{unit_id(None, SPANNING)}">\n'
            '<segment id="1" state="translated"><source><sc id="1"/>Built in one year.</source>'
            '<target order="3">in einem Jahr gebaut.<ec startRef="1"/></target></segment>\n'
            '<ignorable><source xml:space="preserve"> </source></ignorable>\n'
            '<segment id="2" state="translated"><source>Opened in May.<ec startRef="1"/></source>'
            '<target order="1"><sc id="1"/>Im Mai eröffnet,</target></segment>\n</unit>\n')

    result = _import(project, run, "okapi.xlf", _xliff2(unit))

    assert result.code == 0, result.err
    assert _entry(project, SPANNING).msgstr == "*Im Mai eröffnet, in einem Jahr gebaut.*"
