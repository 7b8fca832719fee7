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

from . import __version__
from .config import Project
from .errors import CatalogError, UsageError
from .fileio import write_atomic
from .merge import MergeReport, merge
from .pofile import WRAP_WIDTH, plural_count, read_catalog, render
from .sources import Message, read_sources
from .templates import template_messages

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
    from .machine import source_date_epoch

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
        if text == previous:
            return text
    return render(build_template(domain, located, timestamp()))


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
        catalog.append(
            polib.POEntry(
                msgid=entry.msgid,
                msgctxt=entry.msgctxt,
                msgid_plural=entry.msgid_plural,
                msgstr="",
                msgstr_plural={i: "" for i in range(count)} if entry.msgid_plural else {},
                occurrences=list(entry.occurrences),
                comment=entry.comment,
                flags=[f for f in entry.flags if f != "fuzzy"],
            )
        )
    return catalog


def read_template(project: Project, domain: str) -> polib.POFile:
    path = project.pot_path(domain)
    if not path.exists():
        raise CatalogError("no template yet: run `pubkit extract` first", path, 1)
    return read_catalog(path)


def init_language(project: Project, language: str) -> list[WrittenFile]:
    """Create every catalog of a new language; refuse (writing nothing) if one already exists."""
    names = domains(project)
    targets = [project.po_path(language, domain) for domain in names]
    for target in targets:
        if target.exists():
            raise UsageError(
                f"catalog already exists; `pubkit update` merges new messages into it", target, 1
            )
    templates = [read_template(project, domain) for domain in names]
    written = []
    for domain, template, target in zip(names, templates, targets):
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


def update(project: Project, languages: Iterable[str] | None = None) -> list[UpdatedFile]:
    """Merge every ``.pot`` into every ``.po`` of every language, creating missing catalogs.

    Every catalog is read (and so checked) before any is written: a malformed file stops the
    command with nothing changed.
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

    results: list[UpdatedFile] = []
    for path, catalog, language, domain in plan:
        template = templates[domain]
        if catalog is None:
            fresh = new_catalog(template, language, domain)
            write_atomic(path, render(fresh))
            results.append(UpdatedFile(path, True, True, MergeReport(new=len(template))))
            continue
        nplurals = _nplurals(catalog, language, path)
        merged, report = merge(catalog, template, nplurals)
        # pubkit writes UTF-8, whatever the charset the file came in.
        merged.metadata["Content-Type"] = "text/plain; charset=UTF-8"
        changed = write_atomic(path, render(merged))
        results.append(UpdatedFile(path, changed, False, report))
    return results


def _nplurals(catalog: polib.POFile, language: str, path: Path) -> int:
    header = catalog.metadata.get("Plural-Forms")
    return plural_count(header, path) if header else plural_forms(language)[0]


class Translations:
    """The usable translations of one catalog: translated, not fuzzy. Missing ones fall back to the source.

    For the source language there is no catalog and every message is its own translation.
    """

    def __init__(self, entries: dict[tuple[str | None, str], str], total: int, path: Path | None):
        self._entries = entries
        self.total = total
        self.path = path

    @classmethod
    def identity(cls) -> "Translations":
        return cls({}, 0, None)

    @classmethod
    def load(cls, project: Project, language: str, domain: str) -> "Translations":
        """The catalog of ``language`` for ``domain``; a missing catalog translates nothing."""
        if language == project.source_language:
            return cls.identity()
        path = project.po_path(language, domain)
        if not path.exists():
            return cls({}, -1, path)
        catalog = read_catalog(path)
        entries = {
            (e.msgctxt, e.msgid): e.msgstr
            for e in catalog
            if not e.obsolete and "fuzzy" not in e.flags and e.msgstr and not e.msgid_plural
        }
        return cls(entries, len([e for e in catalog if not e.obsolete]), path)

    @property
    def is_identity(self) -> bool:
        return self.path is None

    def get(self, context: str | None, msgid: str) -> str | None:
        """The translation, or None where the reader will see the source text instead."""
        if self.is_identity:
            return msgid
        return self._entries.get((context, msgid))

    def completeness(self, messages: Iterable[tuple[str | None, str]]) -> float:
        """Percent of ``messages`` (context, msgid) that have a usable translation."""
        keys = list(dict.fromkeys(messages))
        if self.is_identity or not keys:
            return 100.0
        return round(100.0 * sum(1 for key in keys if key in self._entries) / len(keys), 1)
