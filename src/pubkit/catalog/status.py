"""Translation progress per language and catalog: messages and words translated, fuzzy, untranslated.

Counting needs every catalog parsed strictly, which at hundreds of catalogs is most of the command's
time; so the counts of each catalog (and template) are remembered beside the build state, under the
sha256 of the file's bytes, and a file is parsed again whenever its bytes differ. The remembered
counts are never trusted over the file: a cache entry is used only for the very bytes it was made from.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import datetime as dt
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__, safefs
from ..config import Project
from ..errors import Diagnostic, PubkitError
from ..fileio import write_atomic
from ..source.embargo import is_embargoed
from ..organization import ORGANIZATION_DOMAIN, has_organization_text

if TYPE_CHECKING:  # pragma: no cover  polib and the catalog reader are imported only for a file not seen before
    import polib

#: The remembered counts, in the output folder beside the build's ``.pubkit/state.json``.
CACHE_FILE = Path(".pubkit") / "status.json"
#: The templates' catalog: ``catalogs.TEMPLATES_DOMAIN`` (spelled out so that a cached status imports none
#: of the catalog machinery; a test keeps the two equal).
UI_DOMAIN = "templates"
#: Larger than any catalog or source the strict readers accept (pofile.MAX_CATALOG_BYTES is the largest).
_LARGEST = 64 * 1024 * 1024
_COUNTS = ("translated", "fuzzy", "untranslated", "translated_words", "fuzzy_words", "untranslated_words",
           "from_memory", "rejected", "rejected_words")


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
    from ..locales import cldr_locale
    from .checks import translation_verdict
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
    from .memory import filled_count

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
        rejected=counts["rejected"][0],
        rejected_words=counts["rejected"][1],
    )


def status(project: Project, languages: list[str] | None = None) -> list[CatalogStatus]:
    """Progress of every catalog of every configured language (a missing catalog: all untranslated)."""
    cache = StatusCache(project)
    names = _domains(project, cache)
    templates = {domain: _template_counts(project, domain, cache) for domain in names}
    rows: list[CatalogStatus] = []
    for language in languages or project.languages:
        for domain in names:
            path = project.po_path(language, domain)
            counts = _catalog_counts(project, language, domain, path, cache)
            exists = counts is not None
            if counts is None:
                counts = templates[domain] or dict.fromkeys(_COUNTS, 0)
            rows.append(CatalogStatus(language, domain, path.relative_to(project.root).as_posix(), exists,
                                      **{name: counts[name] for name in _COUNTS}))
    cache.save(complete=not languages)
    return rows


class StatusCache:
    """What ``status`` learnt from each file, by its project-relative path: ``[size, sha256, value]``.

    Valid only for the pubkit version and configuration that wrote it (both change how files are read).
    """

    def __init__(self, project: Project):
        self.project = project
        self.path = project.output_dir / CACHE_FILE
        self._root = str(project.root).rstrip(os.sep) + os.sep
        self.key = f"{__version__}:{hashlib.sha256(project.config_path.read_bytes()).hexdigest()}"
        self.entries: dict[str, list] = {}
        self.seen: dict[str, list] = {}
        try:  # never through a link, never a huge file: the output folder is not trusted
            data = json.loads(safefs.read_beneath(project.output_dir, CACHE_FILE.as_posix(), _LARGEST))
        except (PubkitError, ValueError, RecursionError):
            data = None  # no cache yet, or a damaged one: every file is read
        if isinstance(data, dict) and data.get("key") == self.key and isinstance(data.get("files"), dict):
            self.entries = {name: entry for name, entry in data["files"].items()
                            if isinstance(entry, list) and len(entry) == 3}

    def lookup(self, path: Path) -> tuple[str, str, object]:
        """The file's relative name, its sha256 ("" when it cannot be read here) and what was remembered
        for those very bytes (None if nothing). Only a file of a size seen before is read to be hashed."""
        name = self.name(path)
        entry = self.entries.get(name)
        try:
            if entry is None:
                return name, "", None
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode) or info.st_size != entry[0]:
                return name, "", None
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            return name, "", None  # the strict reader reports it
        return name, digest, entry[2] if digest == entry[1] else None

    def name(self, path: Path) -> str:
        """``path`` relative to the project (string slicing: pathlib's relative_to, 2,000 times, shows)."""
        text = str(path)
        return text[len(self._root):] if text.startswith(self._root) else path.relative_to(self.project.root).as_posix()

    def remember(self, path: Path, before: bytes, value: object) -> None:
        """Remember ``value``, read from ``path`` whose bytes were ``before`` just before it was read;
        a file that changed meanwhile is not remembered (its next reading decides)."""
        try:
            if path.read_bytes() != before:
                return
        except OSError:
            return
        self.seen[self.name(path)] = [len(before), hashlib.sha256(before).hexdigest(), value]

    def hit(self, name: str, digest: str, value: object) -> None:
        self.seen[name] = [self.entries[name][0], digest, value]

    def save(self, complete: bool) -> None:
        """Write what was learnt; a run over some languages keeps what it did not look at."""
        files = dict(self.seen) if complete else {**self.entries, **self.seen}
        if files == self.entries:
            return
        text = json.dumps({"key": self.key, "files": dict(sorted(files.items()))}, ensure_ascii=False) + "\n"
        try:
            safefs.check_write(self.project.output_dir, self.path)
            write_atomic(self.path, text)
        except (PubkitError, OSError):
            pass  # only a cache: a read-only or linked output folder costs speed, not the answer


def _domains(project: Project, cache: StatusCache) -> list[str]:
    """The catalog domains (``catalogs.domains``), each source's slug remembered by the source's bytes."""
    found: list[tuple[str, Path]] = []
    parsed = False
    for path in project.source_files():
        name, digest, slug = cache.lookup(path)
        if not isinstance(slug, str):
            from ..source.sources import read_source

            before = _bytes(path)
            slug = read_source(path).slug
            cache.remember(path, before, slug)
            parsed = True
        else:
            cache.hit(name, digest, slug)
        found.append((slug, path))
    if parsed or len({slug.casefold() for slug, _ in found}) != len(found):
        from ..source.sources import check_unique_slugs  # raises for two releases with one slug

        check_unique_slugs(found)
    return [slug for slug, _ in found] + [UI_DOMAIN] + \
        ([ORGANIZATION_DOMAIN] if has_organization_text(project) else [])


def catalog_domains(project: Project) -> list[str]:
    """The catalog domains, as ``status`` finds them (each source's slug remembered by its bytes)."""
    return _domains(project, StatusCache(project))


def orphan_catalogs(project: Project, known: set[str]) -> list[Path]:
    """Catalogs of domains not in ``known`` (a release deleted or renamed): its ``.pot`` and the ``.po`` of
    every configured language; ``update --prune`` removes them."""
    orphans = [path for path in sorted(project.locale_dir.glob("*.pot")) if path.stem not in known]
    for language in project.languages:
        folder = project.locale_dir / language / "LC_MESSAGES"
        orphans += [path for path in sorted(folder.glob("*.po")) if path.stem not in known]
    return [path for path in orphans if path.is_file() and not path.is_symlink()]


def _template_counts(project: Project, domain: str, cache: StatusCache) -> dict | None:
    """The counts of a catalog not made yet: every message of the template untranslated."""
    path = project.pot_path(domain)
    if not path.exists():
        return None
    return _counts(path, cache, lambda catalog: catalog_status("", domain, None, catalog, ""))


def _catalog_counts(project: Project, language: str, domain: str, path: Path, cache: StatusCache) -> dict | None:
    if not path.exists():
        return None
    return _counts(path, cache, lambda catalog: catalog_status(language, domain, catalog, None, "",
                                                               project.source_language, project.link_hosts))


def _counts(path: Path, cache: StatusCache, count) -> dict:
    name, digest, value = cache.lookup(path)
    if isinstance(value, dict) and all(isinstance(value.get(k), int) for k in _COUNTS):
        cache.hit(name, digest, value)
        return value
    from .pofile import read_catalog  # strict: a malformed catalog is `path:line: error`, as always

    before = _bytes(path)
    row = count(read_catalog(path))
    value = {k: getattr(row, k) for k in _COUNTS}
    cache.remember(path, before, value)
    return value


def _bytes(path: Path) -> bytes:
    """A file's bytes before the strict reader reads it (which reports a file that cannot be read)."""
    try:
        if path.is_symlink() or path.stat().st_size > _LARGEST:
            return b""  # never remembered: read strictly every time
        return path.read_bytes()
    except OSError:
        return b""


def embargo_notes(project: Project, now: dt.datetime) -> list[Diagnostic]:
    """A note per release still under embargo at ``now``, for ``status``: it is not published yet."""
    notes = []
    for path in project.source_files():
        if b"embargo:" not in path.read_bytes():  # most releases have none: status stays fast
            continue
        from ..source.sources import read_source  # YAML and Markdown: only for a release with an embargo

        embargo = read_source(path).fields.get("embargo")
        if isinstance(embargo, dt.datetime) and is_embargoed(embargo, now):
            notes.append(Diagnostic(f"embargoed until {embargo.isoformat()}: not published before then",
                                    path, 1, severity="note"))
    return notes
