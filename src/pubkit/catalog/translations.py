"""A catalog loaded for publishing: the usable translations of one ``.po`` and why the others fall back.

A translation is usable when it is translated, not fuzzy, and passes the checks' verdict (checks.py);
anything else is shown in the source language, with a :class:`Fallback` saying why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from babel import Locale

from ..config import Project
from ..locales import cldr_locale
from .checks import msgstr_line, translation_verdict
from .pofile import plural_count, read_catalog


@dataclass(frozen=True)
class Fallback:
    """Why a message is shown in the source language: its state, where its entry is, and what was wrong."""

    state: str  # "untranslated", "fuzzy" or "rejected"
    path: Path
    line: int | None  # the msgstr line; None when the catalog has no entry for the message
    finding: str  # a short human text; for "rejected": the check's message and [check-id]
    msgid: str = ""
    context: str | None = None

    def where(self, root: Path) -> str:
        """``path:line`` relative to the project root (just the path when the catalog lacks the entry)."""
        relative = self.path.relative_to(root).as_posix() if self.path.is_relative_to(root) else str(self.path)
        return f"{relative}:{self.line}" if self.line else relative


#: Loaded catalogs by file identity (path, inode, size, times) and source language:
#: build planning, workers and the manifest share them.
_LOADED: dict[tuple, "Translations"] = {}


class Translations:
    """The usable translations of one catalog: translated, not fuzzy, and passing the checks' verdict.

    Anything else falls back to the source. For the source language there is no catalog and every
    message is its own translation.
    """

    def __init__(self, entries: dict[tuple[str | None, str], str], total: int, path: Path | None,
                 fallbacks: dict[tuple[str | None, str], Fallback] | None = None):
        self._entries = entries
        self.total = total
        self.path = path
        self._fallbacks = fallbacks or {}

    @classmethod
    def identity(cls) -> "Translations":
        return cls({}, 0, None)

    @classmethod
    def load(cls, project: Project, language: str, domain: str) -> "Translations":
        """The catalog of ``language`` for ``domain``; a missing catalog translates nothing."""
        if language == project.source_language:
            return cls.identity()
        path = project.po_path(language, domain)
        try:
            info = path.stat()
        except FileNotFoundError:
            return cls({}, -1, path)
        key = (path, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns, project.source_language,
               project.link_hosts)
        if key not in _LOADED:
            if len(_LOADED) >= 4096:
                _LOADED.clear()
            _LOADED[key] = cls._read(path, language, project.source_language, project.link_hosts)
        return _LOADED[key]

    @classmethod
    def _read(cls, path: Path, language: str, source_language: str, link_hosts: tuple[str, ...] = ()) -> "Translations":
        catalog = read_catalog(path)
        lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
        # A language CLDR lacks is judged like `pubkit check` judges it: placeholders and markup still count.
        locale = cldr_locale(language) or Locale("root")
        source_locale = cldr_locale(source_language) or Locale("root")
        header = catalog.metadata.get("Plural-Forms")
        nplurals = plural_count(header, path) if header else 2  # as `pubkit check` assumes
        entries: dict[tuple[str | None, str], str] = {}
        fallbacks: dict[tuple[str | None, str], Fallback] = {}
        total = 0
        for entry in catalog:
            if entry.obsolete:
                continue
            total += 1
            key = (entry.msgctxt, entry.msgid)
            line = msgstr_line(lines, entry.linenum)
            if "fuzzy" in entry.flags:
                fallbacks[key] = Fallback("fuzzy", path, line, "fuzzy: the translation needs review", *key[::-1])
            elif not entry.translated():
                fallbacks[key] = Fallback("untranslated", path, line, "untranslated: no translation yet", *key[::-1])
            elif errors := translation_verdict(entry, locale, source_locale, nplurals, link_hosts):
                message, check_id = errors[0]
                fallbacks[key] = Fallback("rejected", path, line, f"{message} [{check_id}]", *key[::-1])
            elif not entry.msgid_plural:
                entries[key] = entry.msgstr
        return cls(entries, total, path, fallbacks)

    @property
    def is_identity(self) -> bool:
        return self.path is None

    def get(self, context: str | None, msgid: str) -> str | None:
        """The translation, or None where the reader will see the source text instead."""
        if self.is_identity:
            return msgid
        return self._entries.get((context, msgid))

    def fallback(self, context: str | None, msgid: str) -> Fallback | None:
        """Why ``msgid`` is shown in the source language; None when it is translated (or this is the source)."""
        if self.is_identity or (context, msgid) in self._entries:
            return None
        found = self._fallbacks.get((context, msgid))
        if found is None and self.path is not None:
            found = Fallback("untranslated", self.path, None, "not in the catalog: run `pubkit update`", msgid,
                             context)
        return found

    def rejected(self) -> list[Fallback]:
        """The translations the checks' verdict refused, in catalog order."""
        return [f for f in self._fallbacks.values() if f.state == "rejected"]

    def completeness(self, messages: Iterable[tuple[str | None, str]]) -> float:
        """Percent of ``messages`` (context, msgid) that have a usable translation."""
        keys = list(dict.fromkeys(messages))
        if self.is_identity or not keys:
            return 100.0
        return round(100.0 * sum(1 for key in keys if key in self._entries) / len(keys), 1)
