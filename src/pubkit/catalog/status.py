"""Translation progress per language and catalog: messages and words translated, fuzzy, untranslated."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

import polib

from .extract import domains
from .pofile import read_catalog
from ..config import Project
from .memory import filled_count
from ..errors import Diagnostic
from ..source.embargo import is_embargoed
from ..source.sources import read_source


@dataclass(frozen=True)
class CatalogStatus:
    """Progress of one ``locale/<language>/LC_MESSAGES/<domain>.po``."""

    language: str
    domain: str
    path: str
    exists: bool
    translated: int
    fuzzy: int
    untranslated: int
    translated_words: int
    fuzzy_words: int
    untranslated_words: int
    from_memory: int = 0  # messages `update` filled from translation memory

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        """Share of messages translated and not fuzzy; an empty catalog counts as complete."""
        return 100.0 if self.total == 0 else round(100.0 * self.translated / self.total, 1)

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "total": self.total, "percent": self.percent}


def word_count(text: str) -> int:
    """Words of a source message, as translators are paid for them (whitespace-separated)."""
    return len(text.split())


def catalog_status(language: str, domain: str, catalog: polib.POFile | None, template: polib.POFile | None, path: str) -> CatalogStatus:
    counts = {"translated": [0, 0], "fuzzy": [0, 0], "untranslated": [0, 0]}
    entries = catalog if catalog is not None else (template or [])
    for entry in entries:
        if entry.obsolete:
            continue
        if catalog is None:
            state = "untranslated"
        elif "fuzzy" in entry.flags:
            state = "fuzzy"
        elif entry.translated():
            state = "translated"
        else:
            state = "untranslated"
        counts[state][0] += 1
        counts[state][1] += word_count(entry.msgid)
    return CatalogStatus(
        language=language,
        domain=domain,
        path=path,
        exists=catalog is not None,
        translated=counts["translated"][0],
        fuzzy=counts["fuzzy"][0],
        untranslated=counts["untranslated"][0],
        translated_words=counts["translated"][1],
        fuzzy_words=counts["fuzzy"][1],
        untranslated_words=counts["untranslated"][1],
        from_memory=filled_count(catalog) if catalog is not None else 0,
    )


def status(project: Project, languages: list[str] | None = None) -> list[CatalogStatus]:
    """Progress of every catalog of every configured language (a missing catalog: all untranslated)."""
    rows: list[CatalogStatus] = []
    names = domains(project)
    templates = {}
    for domain in names:
        pot = project.pot_path(domain)
        templates[domain] = read_catalog(pot) if pot.exists() else None
    for language in languages or project.languages:
        for domain in names:
            path = project.po_path(language, domain)
            catalog = read_catalog(path) if path.exists() else None
            shown = path.relative_to(project.root).as_posix()
            rows.append(catalog_status(language, domain, catalog, templates[domain], shown))
    return rows


def embargo_notes(project: Project, now: dt.datetime) -> list[Diagnostic]:
    """A note per release still under embargo at ``now``, for ``status``: it is not published yet."""
    notes = []
    for path in project.source_files():
        if b"embargo:" not in path.read_bytes():  # most releases have none: status stays fast
            continue
        embargo = read_source(path).fields.get("embargo")
        if isinstance(embargo, dt.datetime) and is_embargoed(embargo, now):
            notes.append(Diagnostic(f"embargoed until {embargo.isoformat()}: not published before then",
                                    path, 1, severity="note"))
    return notes
