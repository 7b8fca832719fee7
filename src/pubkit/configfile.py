"""Edits to the project's configuration file that keep its comments and layout (with tomlkit)."""

from __future__ import annotations

from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError

from .config import PYPROJECT_FILE, Project
from .fileio import write_atomic


def _languages_array(project: Project) -> tuple[Any, Any, list] | None:
    """The configuration file parsed by tomlkit, its pubkit table and its ``languages`` array; None if the
    file cannot be read or parsed, or has no such array."""
    path = project.config_path
    try:
        document = tomlkit.parse(path.read_text(encoding="utf-8"))
        table = document["tool"]["pubkit"] if path.name == PYPROJECT_FILE else document  # type: ignore[index]
        languages = table["languages"]  # type: ignore[index]
    except (OSError, UnicodeDecodeError, TOMLKitError, KeyError):
        return None
    return (document, table, languages) if isinstance(languages, list) else None


def add_language(project: Project, language: str) -> bool:
    """Append ``language`` to ``languages`` in the configuration file; False if the file cannot be edited safely.

    Only the one array changes: every comment, blank line and key order of the file stays as written.
    """
    parsed = _languages_array(project)
    if parsed is None:
        return False
    document, table, languages = parsed
    if language not in languages:
        languages.append(language)
        try:
            write_atomic(project.config_path, tomlkit.dumps(document))
        except OSError:
            return False
    return True


def remove_language(project: Project, language: str) -> bool:
    """Take ``language`` out of ``languages`` (and its ``[language.<lang>]`` table, if any), keeping the
    rest of the file as written; False if the file cannot be edited safely."""
    parsed = _languages_array(project)
    if parsed is None:
        return False
    document, table, languages = parsed
    spelled = {language, language.replace("_", "-")}
    for index in reversed(range(len(languages))):
        if str(languages[index]) in spelled:
            del languages[index]
    own = table.get("language")  # type: ignore[union-attr]
    if isinstance(own, dict):
        for key in [k for k in own if k in spelled]:
            del own[key]
        if not own:
            del table["language"]  # type: ignore[union-attr]
    try:
        write_atomic(project.config_path, tomlkit.dumps(document))
    except OSError:
        return False
    return True
