"""Translation progress per language and catalog: messages and words translated, fuzzy, untranslated."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import polib

from .catalogs import domains, read_catalog
from ..config import Project
from ..errors import PubkitError
from .memory import filled_count


@dataclass(frozen=True)
class CatalogStatus:
    """Progress of one ``locale/<language>/LC_MESSAGES/<domain>.po``.

    ``translated`` counts only translations that will be published: a translation the publish gate
    rejects (checks.translation_verdict) is counted as ``rejected``, and is not done. ``status``, the
    review desk and the bundle's manifest all take their completeness from here.
    """

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
    rejected: int = 0  # translated, but refused by the publish gate: published in the source language
    rejected_words: int = 0

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated + self.rejected

    @property
    def percent(self) -> float:
        """Share of messages whose translation is published; an empty catalog counts as complete."""
        return completeness(self.translated, self.total)

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "total": self.total, "percent": self.percent}


def word_count(text: str) -> int:
    """Words of a source message, as translators are paid for them (whitespace-separated)."""
    return len(text.split())


def completeness(done: int, total: int) -> float:
    """The one definition of completeness: messages whose translation is published, in percent of all
    (one decimal); nothing to translate counts as complete."""
    return 100.0 if total == 0 else round(100.0 * done / total, 1)


def _judge(catalog: polib.POFile, language: str, source_language: str | None, link_hosts: tuple[str, ...]):
    """A function telling whether a translated entry of ``catalog`` is rejected by the publish gate."""
    if source_language is None:
        return lambda entry: False
    # The checks (and their parsers) are imported only for a catalog with translations to judge.
    from .checks import cldr_locale, translation_verdict
    from .pofile import plural_count

    locale, source_locale = cldr_locale(language), cldr_locale(source_language)
    if locale is None or source_locale is None:
        from babel import Locale

        locale = source_locale = Locale("root")
    header = catalog.metadata.get("Plural-Forms", "")
    try:
        nplurals = plural_count(header, Path(catalog.fpath or "")) if header else 2
    except PubkitError:
        nplurals = None
    return lambda entry: bool(translation_verdict(entry, locale, source_locale, nplurals, link_hosts))


def catalog_status(language: str, domain: str, catalog: polib.POFile | None, template: polib.POFile | None,
                   path: str, source_language: str | None = None, link_hosts: tuple[str, ...] = ()) -> CatalogStatus:
    """Counts of one catalog (``template``'s messages, all untranslated, when it does not exist);
    with ``source_language``, translations the publish gate rejects count as ``rejected``."""
    counts = {"translated": [0, 0], "fuzzy": [0, 0], "untranslated": [0, 0], "rejected": [0, 0]}
    entries = catalog if catalog is not None else (template or [])
    rejected = None
    for entry in entries:
        if entry.obsolete:
            continue
        if catalog is None:
            state = "untranslated"
        elif "fuzzy" in entry.flags:
            state = "fuzzy"
        elif entry.translated():
            rejected = rejected or _judge(catalog, language, source_language, link_hosts)
            state = "rejected" if rejected(entry) else "translated"
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
        rejected=counts["rejected"][0],
        rejected_words=counts["rejected"][1],
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
            rows.append(catalog_status(language, domain, catalog, templates[domain], shown, project.source_language,
                                       project.link_hosts))
    return rows
