"""`pubkit extract`: one .pot per source plus templates.pot, deterministic, and accepted by GNU gettext."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import polib



def entries(path: Path) -> dict[tuple[str | None, str], polib.POEntry]:
    return {(e.msgctxt, e.msgid): e for e in polib.pofile(str(path))}


def test_extract_writes_one_template_per_source_and_one_for_templates(mini: Path, run) -> None:
    result = run("extract", cwd=mini)
    assert result.code == 0, result.err
    assert "locale/launch.pot" in result.out and "locale/templates.pot" in result.out
    launch = entries(mini / "locale" / "launch.pot")
    title = launch[("title", "A new plant opens")]
    assert title.occurrences == [("sources/launch.md", "2")]
    heading = launch[(None, "Opening on {day}")]
    assert "python-brace-format" in heading.flags
    assert launch[(None, "Share of exports: {share}")].comment == "a list of key facts; keep it short."
    # Source order is kept: front matter first, then the body top to bottom.
    order = [e.msgid for e in polib.pofile(str(mini / "locale" / "launch.pot"))]
    assert order[:4] == ["A new plant opens", "Production starts in spring", "Berlin", "Opening on {day}"]


def test_templates_catalog_has_builtin_and_project_strings(mini: Path, run) -> None:
    assert run("extract", cwd=mini).code == 0
    templates = entries(mini / "locale" / "templates.pot")
    own = templates[(None, "Mini Company press office")]
    assert own.occurrences == [("templates/letterhead.html", "3")]
    assert own.comment == "shown above every release of this company."
    dateline = templates[("dateline", "{place}, {date}")]
    assert "python-brace-format" in dateline.flags
    assert dateline.occurrences[0][0] == "pubkit/templates/release.html"


def test_duplicate_messages_share_one_entry_with_every_reference(mini: Path, run) -> None:
    source = mini / "sources" / "launch.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nBuilt in **record** time\n", encoding="utf-8")
    assert run("extract", cwd=mini).code == 0
    entry = entries(mini / "locale" / "launch.pot")[(None, "Built in **record** time")]
    assert [line for _, line in entry.occurrences] == ["21", "46"]


def test_extract_is_deterministic_and_never_churns(mini: Path, run, monkeypatch) -> None:
    assert run("extract", cwd=mini).code == 0
    pot = mini / "locale" / "launch.pot"
    first = pot.read_bytes()
    os.utime(pot, (1_000_000, 1_000_000))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # a different "now" must not matter
    result = run("extract", cwd=mini)
    assert pot.read_bytes() == first
    assert pot.stat().st_mtime == 1_000_000, "an unchanged template is not even rewritten"
    assert "unchanged locale/launch.pot" in result.out


def test_changed_source_gets_new_creation_date_from_source_date_epoch(mini: Path, run, monkeypatch) -> None:
    assert run("extract", cwd=mini).code == 0
    source = mini / "sources" / "launch.md"
    source.write_text(source.read_text(encoding="utf-8").replace("A new plant", "A brand-new plant"), encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert run("extract", cwd=mini).code == 0
    pot = polib.pofile(str(mini / "locale" / "launch.pot"))
    assert pot.metadata["POT-Creation-Date"] == "2023-11-14 22:13+0000"


def test_two_fresh_extractions_are_byte_identical(mini: Path, tmp_path: Path, run, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1690243200")
    assert run("extract", cwd=mini).code == 0
    first = (mini / "locale" / "launch.pot").read_bytes()
    (mini / "locale" / "launch.pot").unlink()
    assert run("extract", cwd=mini).code == 0
    assert (mini / "locale" / "launch.pot").read_bytes() == first


def test_templates_compile_with_gnu_gettext(mini: Path, run) -> None:
    assert run("extract", cwd=mini).code == 0
    pots = sorted((mini / "locale").glob("*.pot"))
    assert [pot.name for pot in pots] == ["launch.pot", "templates.pot"]
    for pot in pots:
        checked = subprocess.run(["msgfmt", "-o", "/dev/null", str(pot)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
