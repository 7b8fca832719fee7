"""Catalog files: build ``.pot`` templates, create and read ``.po`` catalogs; the only home of PO I/O."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polib
from babel import Locale
from babel.messages.plurals import get_plural

from .. import __version__
from ..config import Project
from ..errors import CatalogError, UsageError
from ..fileio import write_atomic
from .memory import fill, language_memory, origin_of
from .merge import MergeReport, merge, untranslated_entry
from .pofile import WRAP_WIDTH, parse_text, plural_count, read_catalog, render
from ..source.sources import Message, read_sources
from ..render.templates import template_messages

TEMPLATES_DOMAIN = "templates"
_CREATION_DATE_RE = re.compile(r'^"POT-Creation-Date: ([^"\\]*)\\n"$', re.MULTILINE)


@dataclass(frozen=True)
class WrittenFile:
    """A catalog pubkit wrote (or found already up to date), for the command's report."""

    path: Path
    changed: bool
    messages: int


def timestamp() -> str:
    """Now, or ``SOURCE_DATE_EPOCH`` when set, in the PO header format (``2023-07-25 10:00+0000``)."""
    from ..machine import source_date_epoch

    epoch = source_date_epoch()  # a value that is not a time is a one-line error, not a traceback
    if epoch is not None:
        moment = dt.datetime.fromtimestamp(epoch, tz=dt.timezone.utc)
    else:
        moment = dt.datetime.now(tz=dt.timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M%z")


def domains(project: Project) -> list[str]:
    """The catalog domains of a project: one per source slug, then ``templates``."""
    return [source.slug for source in read_sources(project)] + [TEMPLATES_DOMAIN]


def build_template(domain: str, located: Iterable[tuple[str, Message]], creation_date: str) -> polib.POFile:
    """Messages (with their file) → one ``.pot``: first occurrence order, duplicates folded into one entry."""
    pot = polib.POFile(wrapwidth=WRAP_WIDTH)
    pot.header = f"Messages of '{domain}', extracted by pubkit. Do not edit: run `pubkit extract`."
    pot.metadata = {
        "Project-Id-Version": domain,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": creation_date,
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": "LANGUAGE <LL@li.org>",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Generated-By": f"pubkit {__version__}",
    }
    by_key: dict[tuple[str | None, str], polib.POEntry] = {}
    for path, message in located:
        key = (message.context, message.msgid)
        entry = by_key.get(key)
        if entry is None:
            entry = polib.POEntry(
                msgid=message.msgid,
                msgctxt=message.context,
                msgid_plural=message.plural or "",
                msgstr="",
                msgstr_plural={0: "", 1: ""} if message.plural else {},
                flags=list(message.flags),
                occurrences=[],
            )
            by_key[key] = entry
            pot.append(entry)
        entry.occurrences.append((path, str(message.line)))
        for comment in message.comments:
            if comment not in entry.comment.split("\n"):
                entry.comment = f"{entry.comment}\n{comment}" if entry.comment else comment
        for flag in message.flags:
            if flag not in entry.flags:
                entry.flags.append(flag)
    return pot


def project_templates(project: Project) -> dict[str, list[tuple[str, Message]]]:
    """Domain → its messages with their file: what ``extract`` writes, computed without writing."""
    located: dict[str, list[tuple[str, Message]]] = {}
    for source in read_sources(project):
        reference = source.path.relative_to(project.root).as_posix()
        located[source.slug] = [(reference, message) for message in source.messages]
    located[TEMPLATES_DOMAIN] = template_messages(project)
    return located


def extract(project: Project) -> list[WrittenFile]:
    """Write ``locale/<slug>.pot`` for every source and ``locale/templates.pot``.

    A template whose messages did not change is left byte for byte as it was: only a real change
    gets a new ``POT-Creation-Date``, so version control sees no churn.
    """
    written: list[WrittenFile] = []
    for domain, located in project_templates(project).items():
        path = project.pot_path(domain)
        changed = write_atomic(path, template_text(domain, located, _read_if_exists(path)))
        written.append(WrittenFile(path, changed, len(located)))
    return written


def template_text(domain: str, located: Iterable[tuple[str, Message]], previous: str | None) -> str:
    """The ``.pot`` text ``extract`` writes: ``previous`` itself when only its date would change."""
    located = list(located)
    old_date = _CREATION_DATE_RE.search(previous) if previous else None
    if old_date:
        text = render(build_template(domain, located, old_date.group(1)))
        if text == previous or same_content(text, previous):
            return text  # the date stays even when only the layout changes (e.g. a msgcat rewrite)
    return render(build_template(domain, located, timestamp()))


def same_content(text: str, other: str) -> bool:
    """Two catalog texts with the same header and entries, whatever their layout.

    Extracted comments are compared word by word: pubkit before 0.2 rewrapped long ones, and
    restoring their single line is a change of layout, not of content.
    """
    try:
        left, right = parse_text(text), parse_text(other)
    except CatalogError:
        return False

    def content(catalog: polib.POFile) -> list:
        return [catalog.header, catalog.metadata] + [
            (e.obsolete, e.msgctxt, e.msgid, e.msgid_plural, e.msgstr, e.msgstr_plural, e.tcomment, e.comment.split(),
             e.occurrences, sorted(e.flags), e.previous_msgctxt, e.previous_msgid, e.previous_msgid_plural)
            for e in catalog]

    return content(left) == content(right)


def plural_forms(language: str) -> tuple[int, str]:
    """``(nplurals, header value)`` for a language, from Babel's plural table (CLDR-derived)."""
    count, expression = get_plural(language)
    return count, f"nplurals={count}; plural={expression};"


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


def _read_if_exists(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return None


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
            external, language, project.source_language,
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


def _nplurals(catalog: polib.POFile, language: str, path: Path) -> int:
    header = catalog.metadata.get("Plural-Forms")
    return plural_count(header, path) if header else plural_forms(language)[0]


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
        key = (path, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns, project.source_language)
        if key not in _LOADED:
            if len(_LOADED) >= 4096:
                _LOADED.clear()
            _LOADED[key] = cls._read(path, language, project.source_language)
        return _LOADED[key]

    @classmethod
    def _read(cls, path: Path, language: str, source_language: str) -> "Translations":
        from ..locales import cldr_locale
        from .checks import msgstr_line, translation_verdict  # checks reads catalogs: imported late

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
            elif errors := translation_verdict(entry, locale, source_locale, nplurals):
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
