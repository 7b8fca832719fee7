"""Messages people read: counts in good English, -C anywhere, a help line for everything, check --summary."""

from __future__ import annotations

import argparse
from pathlib import Path

import polib
import pytest

from conftest import ROOT
from pubkit.cli import _parser

DE = Path("locale/de/LC_MESSAGES/launch.po")


def test_every_command_and_option_has_a_help_line() -> None:
    parser = _parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert {c.dest for c in commands._choices_actions} == set(commands.choices)
    for choice in commands._choices_actions:
        assert choice.help, f"{choice.dest} has no help line"
    for name, sub in commands.choices.items():
        for action in sub._actions:
            assert action.help and action.help != argparse.SUPPRESS, f"pubkit {name} {action.option_strings or action.dest}"


def test_project_folder_after_the_command(mini: Path, run, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert run("extract", "-C", str(mini), cwd=elsewhere).code == 0
    assert (mini / "locale" / "launch.pot").exists()
    assert run("-C", str(mini), "status", cwd=elsewhere).code == 0
    assert run("status", cwd=elsewhere).code == 2, "without -C: no project here"


def test_counts_in_the_singular_and_plural(mini: Path, run) -> None:
    assert run("extract", cwd=mini).code == 0
    assert run("update", cwd=mini).code == 0
    catalog = polib.pofile(str(mini / DE))
    for entry in catalog:
        entry.msgstr = entry.msgid
    catalog.find("Share of exports: {share}").msgstr = "Exportanteil: {anteil}"
    catalog.save()
    checked = run("check", "--lang", "de", cwd=mini)
    assert checked.err.strip().startswith("1 error, "), checked.err
    first = run("build", "--format", "html", "--lang", "de", cwd=mini)
    assert "built 1 file\n" in first.out
    again = run("build", "--format", "html", "--lang", "de", cwd=mini)
    assert again.out.strip().endswith("nothing to render: 1 file up to date"), again.out


def test_check_summary_counts_per_catalog_and_check(mini: Path, run) -> None:
    assert run("extract", cwd=mini).code == 0
    assert run("update", cwd=mini).code == 0
    result = run("check", "--summary", "--lang", "de", cwd=mini)
    lines = result.out.strip().splitlines()
    launch = next(line for line in lines if line.startswith(f"{DE}: "))
    catalog = [e for e in polib.pofile(str(mini / DE)) if not e.obsolete]
    assert launch == f"{DE}: 0 errors, {len(catalog)} warnings (untranslated {len(catalog)})"
    assert result.code == 0 and len(lines) == 2, "one line per catalog, not one per finding"


def test_the_readme_points_only_inside_the_repository() -> None:
    root = ROOT
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "../" not in readme and "/work/" not in readme
    import re

    for target in re.findall(r"\]\(([^)#]+)\)", readme):
        if not target.startswith(("http://", "https://")):
            assert (root / target).exists(), target
    assert "docs/reference.md" in readme and ".venv/bin/pubkit" in readme
