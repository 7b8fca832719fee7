"""The repository's sample project: up-to-date catalogs, complete translations, a lossless edit cycle."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polib
import pytest

from conftest import ROOT, msgfmt_check, snapshot
from pubkit.source.sources import placeholders_in

LANGUAGES = ["de", "fr", "zh_CN", "ar", "ja"]
SCRIPTS = {"zh_CN": "[\u4e00-\u9fff]", "ja": "[\u3040-\u30ff\u4e00-\u9fff]", "ar": "[\u0600-\u06ff]"}
CATALOGS = sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po"))


def test_sample_has_every_language_and_catalog() -> None:
    found = {(p.parts[-3], p.stem) for p in CATALOGS}
    assert found == {(lang, d) for lang in LANGUAGES for d in ("weiqiao-aluminium-park", "weiqiao-joint-laboratory", "templates")}


def test_committed_catalogs_are_up_to_date(sample: Path, run) -> None:
    before = snapshot(sample)
    assert run("extract", cwd=sample).code == 0
    assert run("update", cwd=sample).code == 0
    assert snapshot(sample) == before, "run `pubkit extract && pubkit update` and commit the result"


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_sample_translation_is_complete_and_well_formed(path: Path) -> None:
    checked = msgfmt_check(path)
    assert checked.returncode == 0, checked.stderr
    catalog = polib.pofile(str(path))
    assert catalog.percent_translated() == 100
    assert not catalog.fuzzy_entries()
    for entry in catalog.translated_entries():
        assert sorted(placeholders_in(entry.msgstr)) == sorted(placeholders_in(entry.msgid)), entry.msgid
        assert entry.msgstr.count("**") == entry.msgid.count("**"), entry.msgid
    script = SCRIPTS.get(path.parts[-3])
    if script:
        # Really translated: every message is written in the language's own script.
        worded = [e for e in catalog if re.search("[A-Za-z]", re.sub(r"\{\w+\}", "", e.msgid))]
        assert all(re.search(script, e.msgstr) for e in worded), path
    else:
        assert sum(e.msgstr != e.msgid for e in catalog) >= 0.75 * len(catalog)


def test_the_edit_cycle_keeps_every_translation(sample: Path, run) -> None:
    source = sample / "sources" / "weiqiao-aluminium-park.md"
    before = {p: polib.pofile(str(p)) for p in sorted((sample / "locale").glob("*/LC_MESSAGES/weiqiao-aluminium-park.po"))}
    text = source.read_text(encoding="utf-8")
    edited = text.replace("pressed the start button together", "pressed the start button together on stage")
    assert edited != text
    source.write_text(edited, encoding="utf-8")

    assert run("extract", cwd=sample).code == 0
    assert run("update", cwd=sample).code == 0

    for path, old in before.items():
        new = polib.pofile(str(path))
        assert {e.msgstr for e in old if e.msgstr} <= {e.msgstr for e in new if e.msgstr}, path
        assert len(new.fuzzy_entries()) == 1, path
        assert msgfmt_check(path).returncode == 0
    report = json.loads(run("status", "--format", "json", cwd=sample).out)
    park = [r for r in report["catalogs"] if r["domain"] == "weiqiao-aluminium-park"]
    assert [r["fuzzy"] for r in park] == [1] * len(LANGUAGES)
