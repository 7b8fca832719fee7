"""Housekeeping a press office notices: orphan catalogs of deleted releases, removing a language, the
scaffold's .gitignore, the template catalog's count, typography of template strings, and pseudo-locales
for embargoed releases."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import polib

from conftest import page_file


def test_status_lists_the_catalogs_of_a_deleted_release_and_update_prune_removes_them(mini: Path, run) -> None:
    run("extract", cwd=mini)
    run("update", cwd=mini)
    (mini / "sources" / "second.md").write_text("---\ntitle: A second release\n---\nText.\n", encoding="utf-8")
    run("extract", cwd=mini)
    run("update", cwd=mini)
    (mini / "sources" / "second.md").unlink()
    orphans = ["locale/de/LC_MESSAGES/second.po", "locale/second.pot", "locale/zh_CN/LC_MESSAGES/second.po"]

    result = run("status", cwd=mini)
    assert result.code == 0
    for orphan in orphans:
        assert f"{orphan}:1: note: catalog of a release that no longer exists; `pubkit update --prune` removes it" \
            in result.err
    assert sorted(json.loads(run("status", "--format", "json", cwd=mini).out)["orphans"]) == orphans

    kept = run("update", cwd=mini)  # without --prune nothing is deleted
    assert all((mini / orphan).exists() for orphan in orphans) and "removed" not in kept.out
    pruned = run("update", "--prune", cwd=mini)
    assert pruned.code == 0
    assert sorted(line.split()[1] for line in pruned.out.splitlines() if line.startswith("removed")) == orphans
    assert not any((mini / orphan).exists() for orphan in orphans)
    assert (mini / "locale" / "de" / "LC_MESSAGES" / "launch.po").exists()
    assert "note:" not in run("status", cwd=mini).err


def test_init_remove_takes_a_language_out_cleanly(mini: Path, run) -> None:
    config = mini / "pubkit.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n# Chinese needs more space\n[language.zh_CN]\n'
                      'min_completeness = 50\n', encoding="utf-8")
    run("extract", cwd=mini)
    run("update", cwd=mini)
    result = run("init", "--remove", "zh-CN", cwd=mini)
    assert result.code == 0, result.err
    assert "removed 'zh_CN' from 'languages' in pubkit.toml" in result.out
    assert "removed locale/zh_CN/LC_MESSAGES/launch.po" in result.out
    assert not (mini / "locale" / "zh_CN").exists()
    text = config.read_text(encoding="utf-8")
    assert 'languages = ["de"]' in text and "[language.zh_CN]" not in text
    assert text.startswith('source_language = "en"')  # the rest of the file as written
    assert run("status", cwd=mini).code == 0
    # A language the project does not have, or the source language: one line, status 2, nothing changed.
    again = run("init", "--remove", "zh_CN", cwd=mini)
    assert again.code == 2 and "'zh_CN' is not one of the project's languages (de)" in again.err
    assert config.read_text(encoding="utf-8") == text


def test_the_scaffold_ignores_every_folder_pubkit_writes(tmp_path: Path, run) -> None:
    from pubkit.config import load_project
    from pubkit.render.pseudo import OUTPUT_FOLDER

    assert run("new", str(tmp_path / "press"), cwd=tmp_path).code == 0
    project = load_project(tmp_path / "press")
    subprocess.run(["git", "init", "-q", str(project.root)], check=True)
    for folder in (project.output_dir, project.preview_output_dir, project.root / OUTPUT_FOLDER):
        probe = folder.relative_to(project.root) / "en" / "index.html"
        ignored = subprocess.run(["git", "-C", str(project.root), "check-ignore", "-q", str(probe)])
        assert ignored.returncode == 0, f"{probe} is not ignored"


def test_extract_counts_the_entries_of_the_template_catalog(mini: Path, run) -> None:
    result = run("extract", cwd=mini)
    for path in (mini / "locale").glob("*.pot"):
        entries = len(polib.pofile(str(path)))
        assert f"locale/{path.name} ({entries} messages)" in result.out


def test_template_strings_get_the_typography_of_their_language(mini: Path, run) -> None:
    config = mini / "pubkit.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('"de", ', '"de", "tr", '), encoding="utf-8")
    run("extract", cwd=mini)
    run("update", cwd=mini)
    for domain, table in (("templates", {"Download the PDF": "PDF'yi indirin"}),
                          ("launch", {"A new plant opens": "Yeni bir fabrika açılıyor"})):
        po = polib.pofile(str(mini / "locale" / "tr" / "LC_MESSAGES" / f"{domain}.po"))
        for entry in po:
            entry.msgstr = table.get(entry.msgid, entry.msgstr)
        po.save()
    assert run("build", "--lang", "tr", "--format", "html", cwd=mini).code == 0
    assert ">PDF\u2019yi indirin</a>" in page_file(mini, "launch", "tr").read_text(encoding="utf-8")


def test_the_pseudo_locales_include_the_embargoed_release(mini: Path, run) -> None:
    source = mini / "sources" / "launch.md"
    source.write_text(source.read_text(encoding="utf-8").replace("---\n", "---\nembargo: 2099-01-01T10:00:00Z\n", 1),
                      encoding="utf-8")
    run("extract", cwd=mini)
    result = run("build", "--pseudo", "--format", "html", cwd=mini)
    assert result.code == 0, result.err
    page = page_file(mini, "launch", "en_XA", output="dist-pseudo").read_text(encoding="utf-8")
    assert 'class="embargo"' in page
