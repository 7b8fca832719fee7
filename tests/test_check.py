"""`pubkit check`: one finding a line, `path:line: severity: message [check-id]`, exit 1 on errors."""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest

PARAGRAPH = (
    "The plant covers {area} and cost {cost}, with *new* jobs for {people} people. The second line of the "
    "same paragraph keeps [our link](https://example.com/plant) and `{code}` stays code, while \\{escaped\\} "
    "braces are text."
)
GOOD_PARAGRAPH = (
    "Das Werk umfasst {area} und kostete {cost}, mit *neuen* Stellen für {people} Menschen. Die zweite Zeile "
    "behält [unseren Link](https://example.com/plant), und `{code}` bleibt Code, während \\{escaped\\} Text ist."
)
DE = Path("locale/de/LC_MESSAGES/launch.po")


@pytest.fixture
def checked(mini: Path, run):
    """The mini project with a complete, correct German catalog; returns a function to break one entry."""
    run("extract", cwd=mini)
    run("update", cwd=mini)
    config = mini / "pubkit.toml"
    config.write_text(config.read_text().replace('languages = ["de", "zh-CN"]', 'languages = ["de"]'))
    for domain in ("launch", "templates"):
        catalog = polib.pofile(str(mini / "locale" / "de" / "LC_MESSAGES" / f"{domain}.po"))
        for entry in catalog:
            entry.msgstr = GOOD_PARAGRAPH if entry.msgid == PARAGRAPH else entry.msgid
        catalog.save()

    def set_translation(msgid: str, msgstr: str, context: str | None = None, fuzzy: bool = False) -> None:
        catalog = polib.pofile(str(mini / DE))
        entry = catalog.find(msgid, msgctxt=context) if context else next(e for e in catalog if e.msgid == msgid and e.msgctxt is None)
        entry.msgstr = msgstr
        if fuzzy:
            entry.flags.append("fuzzy")
        catalog.save()

    return mini, set_translation


def test_a_correct_catalog_is_clean(checked, run) -> None:
    project, _ = checked
    result = run("check", cwd=project)
    assert result.code == 0, result.out
    assert result.out == ""
    assert result.err.strip() == "0 errors, 0 warnings"


@pytest.mark.parametrize(
    "msgid, translation, severity, check, message",
    [
        ("Opening on {day}", "Eröffnung am", "error", "placeholders", "placeholder {day} is missing from the translation"),
        ("Opening on {day}", "Eröffnung am {day} {cost}", "error", "placeholders", "placeholder {cost} is not in the source"),
        ("Opening on {day}", "Eröffnung am {tag}", "error", "placeholders", "placeholder {day} was renamed to {tag}"),
        ("Opening on {day}", "Eröffnung am {day} ({day})", "error", "placeholders",
         "placeholder {day} appears twice in the translation but once in the source"),
        (PARAGRAPH, GOOD_PARAGRAPH.replace("https://example.com/plant", "https://evil.example/x"), "error",
         "link-target", "link target 'https://evil.example/x' is not in the source (source has 'https://example.com/plant')"),
        (PARAGRAPH, GOOD_PARAGRAPH.replace("`{code}`", "`{kode}`"), "error", "inline-code", "inline code `{kode}` is not in the source (source has `{code}`)"),
        ("Built in **record** time", "In **Rekordzeit gebaut", "error", "markup", "unbalanced inline markup"),
        ("Built in **record** time", "In Rekordzeit gebaut", "warning", "markup", "emphasis differs from the source"),
        ("Built in **record** time", "In <script>alert(1)</script> gebaut", "error", "html", "HTML <script> in the translation"),
        ("Share of exports: {share}", "Exportanteil: {share} von 3.000 Tonnen", "warning", "numbers", "number 3.000 is not in the source"),
        ("Opening on {day}", " Eröffnung am {day}", "warning", "whitespace", "leading or trailing whitespace differs"),
        ("A quote from the *chief engineer*.", "Ein Zitat des des *Chefingenieurs*.", "warning", "doubled-word", "doubled word 'des'"),
        ("A quote from the *chief engineer*.", "Ein Zitat des *Chefingenieurs*", "warning", "punctuation", "ends with no punctuation where the source ends with '.'"),
        ("A quote from the *chief engineer*.", "Ein Zitat des *Chefingenieurs*?", "warning", "punctuation", "ends with '?' where the source ends with '.'"),
        ("Opening on {day}", "", "warning", "untranslated", "untranslated: 'Opening on {day}'"),
    ],
)
def test_each_check_reports_one_located_finding(checked, run, msgid, translation, severity, check, message) -> None:
    project, set_translation = checked
    set_translation(msgid, translation)
    result = run("check", "--format", "json", cwd=project)
    findings = [f for f in json.loads(result.out)["findings"] if f["check"] == check]
    assert len(findings) >= 1, result.out
    finding = findings[0]
    assert finding["severity"] == severity and finding["message"].startswith(message), finding
    assert finding["path"] == "locale/de/LC_MESSAGES/launch.po"
    lines = (project / DE).read_text(encoding="utf-8").split("\n")
    assert lines[finding["line"] - 1].startswith("msgstr"), "the line is where the translator must edit"
    assert result.code == (1 if severity == "error" else 0)


def test_text_output_and_strict_mode(checked, run) -> None:
    project, set_translation = checked
    set_translation("Berlin", "Berlin", context="place", fuzzy=True)
    result = run("check", cwd=project)
    assert result.code == 0
    line = result.out.strip()
    assert line.startswith("locale/de/LC_MESSAGES/launch.po:") and line.endswith("needs review [fuzzy]")
    assert ": warning: fuzzy: 'Berlin' needs review [fuzzy]" in line
    assert run("check", "--strict", cwd=project).code == 1


def test_number_written_the_target_locales_way_passes(checked, run, mini: Path) -> None:
    project, set_translation = checked
    source = project / "sources" / "launch.md"
    source.write_text(source.read_text(encoding="utf-8").replace("- Built in **record** time", "- Built in **record** time by 3,000 workers"))
    run("extract", cwd=project)
    run("update", cwd=project)
    set_translation("Built in **record** time by 3,000 workers", "Von 3.000 Beschäftigten in **Rekordzeit** gebaut")
    findings = json.loads(run("check", "--format", "json", cwd=project).out)["findings"]
    assert not [f for f in findings if f["check"] == "numbers"], findings


def test_msgfmt_findings_and_plural_count(checked, run) -> None:
    project, _ = checked
    po = project / DE
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "{n} page"\nmsgid_plural "{n} pages"\nmsgstr[0] "{n} Seite"\n',
                  encoding="utf-8")
    result = run("check", "--format", "json", cwd=project)
    checks = {f["check"] for f in json.loads(result.out)["findings"]}
    assert "plural-forms" in checks and "msgfmt" in checks
    assert result.code == 1


def test_a_malformed_catalog_is_a_finding_and_others_are_still_checked(checked, run) -> None:
    project, _ = checked
    (project / DE).write_text('msgid "x"\nmsgstr "unterminated\n', encoding="utf-8")
    result = run("check", cwd=project)
    assert result.code == 1
    assert "locale/de/LC_MESSAGES/launch.po:2: error: unterminated string: a closing quote is missing [syntax]" in result.out


def test_a_stale_template_is_reported(checked, run) -> None:
    project, _ = checked
    source = project / "sources" / "launch.md"
    source.write_text(source.read_text(encoding="utf-8").replace("Production starts", "Production begins"))
    result = run("check", cwd=project)
    assert "locale/launch.pot:1: warning: out of date with the sources" in result.out


def test_the_sample_is_clean(sample: Path, run) -> None:
    result = run("check", "--strict", cwd=sample)
    assert result.code == 0, result.out
    assert result.err.strip() == "0 errors, 0 warnings"
