"""`pubkit status`: messages and words translated, fuzzy and untranslated, per language and catalog."""

from __future__ import annotations

import json
from pathlib import Path

import polib


def test_status_counts_messages_and_words(mini: Path, run) -> None:
    run("extract", cwd=mini)
    run("update", cwd=mini)
    po = mini / "locale" / "de" / "LC_MESSAGES" / "launch.po"
    catalog = polib.pofile(str(po))
    catalog.find("A new plant opens", msgctxt="title").msgstr = "Ein neues Werk öffnet"  # 4 words
    fuzzy = catalog.find("Berlin", msgctxt="place")
    fuzzy.msgstr, fuzzy.flags = "Berlin", ["fuzzy"]  # 1 word
    catalog.save()

    result = run("status", "--format", "json", cwd=mini)

    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["languages"] == ["de", "zh_CN"]
    row = next(r for r in report["catalogs"] if r["language"] == "de" and r["domain"] == "launch")
    total = len([e for e in catalog if not e.obsolete])
    assert (row["translated"], row["fuzzy"], row["untranslated"]) == (1, 1, total - 2)
    assert (row["translated_words"], row["fuzzy_words"]) == (4, 1)
    assert row["untranslated_words"] == sum(len(e.msgid.split()) for e in catalog if not e.obsolete) - 5
    assert row["percent"] == round(100 / total, 1)
    assert row["path"] == "locale/de/LC_MESSAGES/launch.po"


def test_status_table_for_people(mini: Path, run) -> None:
    run("extract", cwd=mini)
    run("update", cwd=mini, )
    (mini / "locale" / "zh_CN" / "LC_MESSAGES" / "templates.po").unlink()
    result = run("status", "--lang", "zh-CN", cwd=mini)
    lines = result.out.splitlines()
    assert lines[0].split() == ["language", "catalog", "translated", "fuzzy", "untranslated", "rejected", "words", "done",
                                "percent", "from", "memory"]
    assert [line.split()[:2] for line in lines[1:]] == [["zh_CN", "launch"], ["zh_CN", "templates"]]
    assert "(missing)" in lines[2] and lines[2].split()[-2:] == ["0.0%", "0"]


def test_status_before_any_catalog_exists(mini: Path, run) -> None:
    run("extract", cwd=mini)
    report = json.loads(run("status", "--format", "json", cwd=mini).out)
    assert all(not row["exists"] and row["percent"] == 0.0 for row in report["catalogs"])


def test_a_rejected_translation_is_not_done_in_status_and_manifest_alike(mini: Path, run) -> None:
    """One definition of completeness: a translation the publish gate refuses (a renamed placeholder)
    is published in English, so `status` counts it rejected, not translated, and the manifest agrees."""
    run("extract", cwd=mini)
    run("update", cwd=mini)
    po = mini / "locale" / "de" / "LC_MESSAGES" / "launch.po"
    catalog = polib.pofile(str(po))
    for entry in catalog:
        entry.msgstr = entry.msgid  # everything "translated" as written …
    catalog.find("Opening on {day}").msgstr = "Eröffnung am {tag}"  # … but this one is refused
    catalog.save()

    report = json.loads(run("status", "--format", "json", "--lang", "de", cwd=mini).out)
    row = next(r for r in report["catalogs"] if r["domain"] == "launch")
    total = len([e for e in catalog if not e.obsolete])
    assert (row["translated"], row["rejected"], row["fuzzy"], row["untranslated"]) == (total - 1, 1, 0, 0)
    assert row["percent"] == round(100 * (total - 1) / total, 1) < 100
    table = run("status", "--lang", "de", cwd=mini).out.splitlines()
    assert table[1].split()[2:6] == [str(total - 1), "0", "0", "1"]

    assert run("bundle", cwd=mini).code == 0
    import zipfile

    manifest = json.loads(zipfile.ZipFile(mini / "dist" / "bundle.zip").read("manifest.json"))
    assert manifest["languages"]["de"]["completeness"] == row["percent"]
    assert manifest["languages"]["de"]["rejected"] == 1
