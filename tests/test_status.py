"""`pubkit status`: messages and words translated, fuzzy and untranslated, per language and catalog."""

from __future__ import annotations

import json
import os
from pathlib import Path

import polib

from pubkit.catalog.catalogs import TEMPLATES_DOMAIN
from pubkit.catalog.status import CACHE_FILE, UI_DOMAIN


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


def _report(run, project: Path) -> dict:
    result = run("status", "--format", "json", cwd=project)
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_a_second_status_reads_no_catalog_but_the_same_answer(mini: Path, run) -> None:
    from test_quick_rebuild import probe

    run("extract", cwd=mini)
    run("update", cwd=mini)
    first = _report(run, mini)
    (mini / "dist" / CACHE_FILE).unlink()
    assert "polib" in probe(mini, "status")["heavy"]  # without the cache, every catalog is parsed
    again = probe(mini, "status", "--format", "json")
    assert again == {"code": 0, "heavy": []}  # counts remembered by each file's digest: nothing parsed
    assert _report(run, mini) == first


def test_remembered_counts_never_outlive_the_bytes_they_came_from(mini: Path, run) -> None:
    run("extract", cwd=mini)
    run("update", cwd=mini)
    po = mini / "locale" / "de" / "LC_MESSAGES" / "launch.po"
    catalog = polib.pofile(str(po))
    entry = catalog.find("A new plant opens", msgctxt="title")
    entry.msgstr, entry.flags = "Ein neues Werk öffnet", ["fuzzy"]
    catalog.save()
    row = next(r for r in _report(run, mini)["catalogs"] if r["path"] == "locale/de/LC_MESSAGES/launch.po")
    assert (row["translated"], row["fuzzy"]) == (0, 1)
    before = po.stat()
    # The translator accepts the suggestion: same size, same modification time, other bytes.
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace("#, fuzzy\n", "#  fuzzy\n", 1), encoding="utf-8")
    os.utime(po, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert po.stat().st_size == before.st_size

    row = next(r for r in _report(run, mini)["catalogs"] if r["path"] == "locale/de/LC_MESSAGES/launch.po")
    assert (row["translated"], row["fuzzy"]) == (1, 0)


def test_a_damaged_status_cache_only_costs_time(mini: Path, run) -> None:
    run("extract", cwd=mini)
    run("update", cwd=mini)
    first = _report(run, mini)
    cache = mini / "dist" / CACHE_FILE
    for damage in ("{not json", json.dumps({"key": "x", "files": []}), "[]"):
        cache.write_text(damage, encoding="utf-8")
        assert _report(run, mini) == first
    # A forged entry for other bytes (another digest) is not believed.
    data = json.loads(cache.read_text(encoding="utf-8"))
    name = "locale/de/LC_MESSAGES/launch.po"
    data["files"][name][1] = "0" * 64
    data["files"][name][2] = {**data["files"][name][2], "translated": 999}
    cache.write_text(json.dumps(data), encoding="utf-8")
    assert _report(run, mini) == first


def test_a_cached_status_still_refuses_a_bad_catalog_and_a_taken_slug(mini: Path, run) -> None:
    run("extract", cwd=mini)
    run("update", cwd=mini)
    _report(run, mini)
    po = mini / "locale" / "de" / "LC_MESSAGES" / "launch.po"
    good = po.read_text(encoding="utf-8")
    po.write_text(good + '\nmsgid "unterminated\nmsgstr ""\n', encoding="utf-8")
    result = run("status", cwd=mini)
    assert result.code == 2 and result.err.startswith("locale/de/LC_MESSAGES/launch.po:"), result.err
    po.write_text(good, encoding="utf-8")
    text = (mini / "sources" / "launch.md").read_text(encoding="utf-8")
    (mini / "sources" / "launch-copy.md").write_text(text.replace("---\n", "---\nslug: launch\n", 1), encoding="utf-8")
    result = run("status", cwd=mini)
    assert result.code == 2 and "slug 'launch' is already used by" in result.err


def test_status_names_the_templates_catalog_as_the_catalog_code_does() -> None:
    assert UI_DOMAIN == TEMPLATES_DOMAIN


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
