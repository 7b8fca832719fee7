"""Checks a professional translator agrees with: silent on careful translations, loud on real mistakes.

The careful translations are in tests/data/translations/ (ten languages, written for these tests); they
are merged into the catalogs `pubkit update` makes for tests/projects/multilingual, and `check --strict`
must pass on them. Each convention the checks learned keeps a test showing a real finding still fires.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest

from conftest import DATA, PROJECTS, pubkit_program
from pubkit.catalog.checks import check_catalog
from pubkit.catalog.plurals import plural_forms

TRANSLATIONS = sorted((DATA / "translations").glob("*.po"))


@pytest.fixture(scope="module")
def careful(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("careful") / "multilingual"
    shutil.copytree(PROJECTS / "multilingual", project)
    for command in ("extract", "update"):
        assert pubkit_program(command, cwd=project).returncode == 0
    for data in TRANSLATIONS:
        language = data.stem
        written = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(data))}
        for po in (project / "locale" / language / "LC_MESSAGES").glob("*.po"):
            catalog = polib.pofile(str(po))
            for entry in catalog:
                if (entry.msgctxt, entry.msgid) in written:
                    entry.msgstr = written[(entry.msgctxt, entry.msgid)]
                elif po.stem == "templates":
                    # A string added to pubkit's templates after this set was written: not part of the measure.
                    entry.obsolete = True
            catalog.save()
    return project


def test_the_set_covers_ten_languages_and_every_message(careful: Path) -> None:
    languages = {p.stem for p in TRANSLATIONS}
    assert len(languages) >= 10 and {"th", "ko", "ar", "hi"} <= languages
    for language in languages:
        catalog = polib.pofile(str(careful / "locale" / language / "LC_MESSAGES" / "recycling.po"))
        assert catalog.percent_translated() == 100, language


def test_check_strict_is_silent_on_careful_translations(careful: Path) -> None:
    result = pubkit_program("check", "--strict", cwd=careful)
    assert result.stdout == "", result.stdout
    assert result.returncode == 0 and result.stderr.strip() == "0 errors, 0 warnings"


def findings(tmp_path: Path, language: str, msgid: str, msgstr: str) -> list[str]:
    """`pubkit check`'s own findings for one translation, in a real catalog file."""
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": language,
                        "Plural-Forms": plural_forms(language)[1]}  # what `pubkit init` writes
    catalog.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    path = tmp_path / f"{language}.po"
    catalog.save(str(path))
    return [f"{f.severity}: {f.message} [{f.check}]" for f in check_catalog(path, language, "en")
            if f.check != "msgfmt"]  # this header is deliberately minimal


QUOTE = 'She said: "Every panel is raw material for tomorrow."'


@pytest.mark.parametrize("language, msgstr, expected", [
    # Thai and Lao end a sentence with a space; German does not.
    ("th", "แผงทุกแผ่นคือวัตถุดิบ", []),
    ("de", "Jedes Modul ist Rohstoff", ["warning: ends with no punctuation where the source ends with '.' [punctuation]"]),
    # A closing quote after the end mark, in each convention; a CJK closing bracket ends the sentence itself.
    ("de", "Sie sagte: „Jedes Modul ist Rohstoff für morgen.“", []),
    ("fr", "Elle a déclaré\u00a0: «\u00a0Chaque panneau est une matière première pour demain.\u00a0»", []),
    ("ja", "彼女は次のように述べました。「パネルはすべて明日の原料です」", []),
    ("de", "Sie sagte: „Jedes Modul ist Rohstoff für morgen“",
     ["warning: ends with no punctuation where the source ends with '.' [punctuation]"]),
    ("ja", "彼女は次のように述べました。「パネルはすべて明日の原料です」か？",
     ["warning: ends with '?' where the source ends with '.' [punctuation]"]),
])
def test_end_punctuation_by_script(tmp_path: Path, language: str, msgstr: str, expected: list[str]) -> None:
    assert findings(tmp_path, language, QUOTE if "„" in msgstr or "«" in msgstr or "「" in msgstr
                    else "Every panel is raw material.", msgstr) == expected


@pytest.mark.parametrize("msgstr, expected", [
    ("Wir stellen 50 Menschen ein.", []),
    ("Wir stellen fünfzig Menschen ein.", []),
    ("Wir stellen 500 Menschen ein.", ["warning: number 500 is not in the source [numbers]"]),
    ("Wir stellen 15 Menschen ein.", ["warning: number 15 is not in the source [numbers]"]),
])
def test_spelled_numbers_are_numbers(tmp_path: Path, msgstr: str, expected: list[str]) -> None:
    assert findings(tmp_path, "de", "We will hire fifty people.", msgstr) == expected
