"""The docs say what the code does: every command, option and configuration key they name exists, and
every key and front-matter field the code accepts is documented."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from pubkit import config, organization
from pubkit.cli import _parser
from pubkit.source import sources

ROOT = Path(__file__).parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def commands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def code_in(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every code span and every line of a fenced code block of a Markdown file."""
    found, fenced = [], False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if fenced or line.startswith("    "):
            found.append((number, line.strip()))
        else:
            found += [(number, span) for span in re.findall(r"`([^`]+)`", line)]
    return found


def named_commands() -> list[tuple[str, str, str]]:
    """(where, command, rest) for each ``pubkit COMMAND …`` and each ``COMMAND --option`` span the docs show."""
    known = commands()
    named = []
    for path in DOCS:
        for number, text in code_in(path):
            where = f"{path.relative_to(ROOT)}:{number}"
            text = text.split(" #")[0]  # a shell comment after a command is prose
            for match in re.finditer(r"(?:^|[\s/])pubkit(?:\s+-C\s+\S+)?\s+([a-z][a-z-]*)([^#|;&]*)", text):
                named.append((where, match.group(1), match.group(2)))
            first = re.match(r"^([a-z]+)(\s+--?[a-zA-Z].*)$", text)
            if first and first.group(1) in known:
                named.append((where, first.group(1), first.group(2)))
    return named


def test_the_docs_name_commands_at_all() -> None:
    seen = {command for _, command, _ in named_commands()}
    assert {"build", "check", "init", "update", "status", "serve", "bundle", "extract", "new"} <= seen


@pytest.mark.parametrize("where, command, rest", named_commands())
def test_every_command_and_option_the_docs_name_exists(where: str, command: str, rest: str) -> None:
    known = commands()
    assert command in known, f"{where}: no command '{command}'"
    options = {option for action in known[command]._actions for option in action.option_strings}
    for option in re.findall(r"(?<![\w-])(--?[a-zA-Z][\w-]*)", rest):
        assert option in options, f"{where}: `{command}` has no option {option}"


def table_keys(path: Path, heading: str, end: str = "\n## ") -> set[str]:
    """The first cells (`key`) of the tables under a heading of a Markdown file, up to ``end``."""
    text = path.read_text(encoding="utf-8")
    section = text.split(heading, 1)[1].split(end, 1)[0]
    keys = set()
    for row in re.findall(r"^\| (`[^|]+)\|", section, re.MULTILINE):
        keys.update(re.findall(r"`([^`]+)`", row))
    return keys


def test_every_configuration_key_is_documented_and_every_documented_key_exists() -> None:
    documented = table_keys(ROOT / "docs" / "reference.md", "## `pubkit.toml`")
    accepted = set(config._KEYS) - {"language", "folder", "values", "organization"}  # tables, documented as such
    assert accepted <= documented, f"undocumented: {sorted(accepted - documented)}"
    assert {"[language.<lang>]", "[organization]"} <= documented
    assert documented - {"[language.<lang>]", "[organization]"} <= set(config._KEYS), \
        f"documented but unknown: {sorted(documented - set(config._KEYS))}"


def test_every_organization_key_is_documented() -> None:
    documented = table_keys(ROOT / "docs" / "reference.md", "## The organization")
    assert set(organization._KEYS) == documented
    text = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    for key in organization.CONTACT_KEYS:
        assert re.search(rf"^{key} = ", text, re.MULTILINE), f"contact key '{key}' is not shown"


def test_every_front_matter_field_is_documented_and_exists() -> None:
    documented = table_keys(ROOT / "docs" / "reference.md", "Front-matter fields:", "\nBody:")
    fields = set(sources.TRANSLATABLE_FIELDS) | set(sources.DATA_FIELDS)
    assert fields == documented, f"undocumented: {sorted(fields - documented)}; unknown: {sorted(documented - fields)}"
