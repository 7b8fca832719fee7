"""The catalog lifecycle: ``init`` a language's ``.po`` files and ``update`` them from the ``.pot`` templates.

Extraction (the ``.pot`` files) is in extract.py and a catalog loaded for publishing in
translations.py; both are named here too, as the catalog stage's front door.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polib
from babel import Locale

from .. import __version__, safefs
from ..config import Project
from ..errors import CatalogError, UsageError
from ..fileio import write_atomic
from .checks import translation_errors
from .extract import TEMPLATES_DOMAIN, WrittenFile, build_template, domains, extract, project_templates, timestamp
from .memory import fill, language_memory, origin_of
from .merge import MergeReport, merge, untranslated_entry
from .plurals import plural_forms
from .pofile import WRAP_WIDTH, plural_count, read_catalog, render
from .status import orphan_catalogs
from .translations import Fallback, Translations

__all__ = ["TEMPLATES_DOMAIN", "Fallback", "Translations", "UpdatedFile", "WrittenFile", "build_template", "domains",
           "extract", "init_language", "new_catalog", "plural_forms", "project_templates", "read_catalog",
           "prune", "read_template", "remove_language", "render", "update"]


def new_catalog(template: polib.POFile, language: str, domain: str) -> polib.POFile:
    """A fresh ``.po`` for ``language`` from a template: right header, every message untranslated."""
    locale = Locale.parse(language)
    count, forms = plural_forms(language)
    catalog = polib.POFile(wrapwidth=WRAP_WIDTH)
    catalog.header = f"{locale.english_name} translation of '{domain}'."
    creation = template.metadata.get("POT-Creation-Date", timestamp())
    catalog.metadata = {
        "Project-Id-Version": domain,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": creation,
        "PO-Revision-Date": creation,
        "Last-Translator": "",
        "Language-Team": locale.english_name,
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": forms,
        "Generated-By": f"pubkit {__version__}",
    }
    for entry in template:
        catalog.append(untranslated_entry(entry, count))
    return catalog


def read_template(project: Project, domain: str) -> polib.POFile:
    path = project.pot_path(domain)
    if not path.exists():
        raise CatalogError("no template yet: run `pubkit extract` first", path, 1)
    return read_catalog(path)


def init_language(project: Project, language: str) -> list[WrittenFile]:
    """Create the catalogs of ``language`` that do not exist yet; an existing one is never touched.

    Refuses (writing nothing) when every catalog already exists: ``update`` is the command for that.
    """
    names = domains(project)
    targets = [project.po_path(language, domain) for domain in names]
    if all(target.exists() for target in targets):
        raise UsageError(
            f"every catalog of '{language}' already exists; `pubkit update` merges new messages into them",
            targets[0], 1,
        )
    templates = [read_template(project, domain) for domain in names]
    written = []
    for domain, template, target in zip(names, templates, targets):
        if target.exists():
            written.append(WrittenFile(target, False, len(template)))
            continue
        write_atomic(target, render(new_catalog(template, language, domain)))
        written.append(WrittenFile(target, True, len(template)))
    return written


def prune(project: Project) -> list[Path]:
    """Remove the orphan catalogs (never through a link, never outside ``locale_dir``); what was removed."""
    removed = []
    for path in orphan_catalogs(project, set(domains(project))):
        if safefs.remove_beneath(project.locale_dir, path.relative_to(project.locale_dir).as_posix()):
            removed.append(path)
    return removed


def remove_language(project: Project, language: str) -> list[Path]:
    """Delete the catalogs of ``language`` (``init --remove``): every ``.po`` in its folder; the folders go
    too when nothing else is left in them. What was removed."""
    if language == project.source_language:
        raise UsageError(f"'{language}' is the source language; it cannot be removed")
    folder = project.locale_dir / language / "LC_MESSAGES"
    removed = []
    for path in sorted(folder.glob("*.po")) if folder.is_dir() and not folder.is_symlink() else []:
        if safefs.remove_beneath(project.locale_dir, path.relative_to(project.locale_dir).as_posix()):
            removed.append(path)
    for empty in (folder, folder.parent):
        if empty.is_dir() and not empty.is_symlink() and not any(empty.iterdir()):
            empty.rmdir()
    return removed


@dataclass(frozen=True)
class UpdatedFile:
    """One catalog after ``update``: its path, whether it changed, and what the merge did."""

    path: Path
    changed: bool
    created: bool
    report: MergeReport
    from_memory: int = 0


def update(project: Project, languages: Iterable[str] | None = None,
           memory_files: Iterable[Path] = ()) -> list[UpdatedFile]:
    """Merge every ``.pot`` into every ``.po`` of every language, creating missing catalogs.

    Untranslated messages are then filled from the translation memory (``memory.py``): the
    language's other catalogs and the ``memory_files``. Every catalog and memory is read (and so
    checked) before any is written: a malformed file stops the command with nothing changed.
    """
    chosen = list(languages) if languages is not None else list(project.languages)
    names = domains(project)
    templates = {domain: read_template(project, domain) for domain in names}
    plan: list[tuple[Path, polib.POFile | None, str, str]] = []
    for language in chosen:
        for domain in names:
            path = project.po_path(language, domain)
            catalog = read_catalog(path) if path.exists() else None
            plan.append((path, catalog, language, domain))
    external = list(memory_files)
    memories = {
        language: language_memory(
            project.locale_dir / language / "LC_MESSAGES", project.root,
            {path: catalog for path, catalog, lang, _ in plan if lang == language},
            external, language, project.source_language, _verdict(language, project.source_language),
        )
        for language in chosen
    }

    results: list[UpdatedFile] = []
    for path, catalog, language, domain in plan:
        template = templates[domain]
        own = origin_of(path, project.root)
        if catalog is None:
            fresh = new_catalog(template, language, domain)
            filled = fill(fresh, memories[language], own)
            write_atomic(path, render(fresh))
            results.append(UpdatedFile(path, True, True, MergeReport(new=len(template)), filled))
            continue
        nplurals = _nplurals(catalog, language, path)
        merged, report = merge(catalog, template, nplurals)
        filled = fill(merged, memories[language], own)
        # pubkit writes UTF-8, whatever the charset the file came in.
        merged.metadata["Content-Type"] = "text/plain; charset=UTF-8"
        changed = write_atomic(path, render(merged))
        results.append(UpdatedFile(path, changed, False, report, filled))
    return results


def _verdict(language: str, source_language: str):
    """``rejects(entry, translation)``: whether the checks' verdict refuses ``translation`` of ``entry``."""
    def rejects(entry: polib.POEntry, translation: str) -> bool:
        return bool(translation_errors(entry, translation, language, source_language))

    return rejects


def _nplurals(catalog: polib.POFile, language: str, path: Path) -> int:
    header = catalog.metadata.get("Plural-Forms")
    return plural_count(header, path) if header else plural_forms(language)[0]
