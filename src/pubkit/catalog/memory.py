"""Translation memory for ``pubkit update``: what was translated once is offered everywhere it recurs.

The memory of a language is every translated, non-fuzzy message of its other catalogs (their obsolete
entries too), then any external memory given with ``--memory`` (a ``.po`` compendium or a TMX file).
An untranslated message with the same context and text is filled as translated, like ``msgmerge
--compendium``; when the memory holds different translations for it, the newest catalog's wins and
the message stays fuzzy with a comment naming the other. Otherwise the most similar message (the
merge's rule, ``merge.FUZZY_THRESHOLD``) is a fuzzy suggestion with its previous text. Every message
filled this way gets a translator comment starting with ``MEMORY_NOTE``, which ``status`` counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polib
from lxml import etree

from ..errors import ExchangeError
from ..fileio import read_limited
from ..locales import tag_key
from .merge import closest_translations
from .pofile import read_catalog, shorten

MEMORY_NOTE = "memory:"
MAX_MEMORY_BYTES = 256 * 1024 * 1024
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

Key = tuple[str | None, str]


@dataclass(frozen=True)
class Candidate:
    """One remembered translation and where it comes from."""

    translation: str
    origin: str  # a path to show, relative to the project where possible
    rank: tuple  # larger is newer; external memories rank below the project's catalogs


@dataclass
class Memory:
    """The translations one language can draw from."""

    exact: dict[Key, list[Candidate]] = field(default_factory=dict)
    entries: list[tuple[polib.POEntry, Candidate]] = field(default_factory=list)
    #: ``rejects(entry, translation)``: whether ``pubkit check`` rejects it; such a text is never offered.
    rejects: Callable[[polib.POEntry, str], bool] | None = None

    def rejected(self, entry: polib.POEntry, translation: str) -> bool:
        return self.rejects is not None and self.rejects(entry, translation)

    def add(self, entry: polib.POEntry, candidate: Candidate) -> None:
        key = (entry.msgctxt, entry.msgid)
        known = self.exact.setdefault(key, [])
        if all(c.translation != candidate.translation or c.origin != candidate.origin for c in known):
            known.append(candidate)
        self.entries.append((entry, candidate))


def remember_catalog(memory: Memory, catalog: polib.POFile, origin: str, rank: tuple) -> None:
    """Add a catalog's translated, non-fuzzy singular messages, active and obsolete."""
    for entry in catalog:
        if entry.msgid and entry.msgstr and not entry.msgid_plural and "fuzzy" not in entry.flags:
            memory.add(entry, Candidate(entry.msgstr, origin, rank))


def catalog_rank(catalog: polib.POFile, path: Path) -> tuple:
    """How new a catalog is: its PO-Revision-Date (translation tools keep it), then the file's time."""
    revised = catalog.metadata.get("PO-Revision-Date", "")
    try:
        moment = dt.datetime.strptime(revised.strip(), "%Y-%m-%d %H:%M%z").timestamp()
    except ValueError:
        moment = 0.0
    try:
        modified = path.stat().st_mtime
    except OSError:
        modified = 0.0
    return (1, moment, modified, str(path))


def read_external(path: Path, language: str, source_language: str) -> list[polib.POEntry]:
    """An external memory's translations into ``language``: a ``.po`` compendium or a TMX file."""
    if path.suffix.lower() == ".tmx":
        return _read_tmx(path, language, source_language)
    catalog = read_catalog(path)
    declared = catalog.metadata.get("Language", "")
    if declared and not _same_language(declared, language):
        return []
    return [e for e in catalog if e.msgstr and not e.msgid_plural and "fuzzy" not in e.flags]


def _same_language(tag: str, language: str) -> bool:
    tag = tag_key(tag)
    return tag == language.lower() or ("_" not in language and tag.split("_")[0] == language.lower())


def _read_tmx(path: Path, language: str, source_language: str) -> list[polib.POEntry]:
    data = read_limited(path, MAX_MEMORY_BYTES, ExchangeError, "translation memory")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        message = (exc.msg or "syntax error").split(", line ")[0]
        raise ExchangeError(f"not well-formed XML: {message}", path, exc.lineno or 1) from None
    if root.tag != "tmx":
        raise ExchangeError(f"not a TMX file: the root element is <{etree.QName(root).localname}>", path, root.sourceline)
    header = root.find("header")
    default_source = header.get("srclang", "") if header is not None else ""
    found: list[polib.POEntry] = []
    for unit in root.iter("tu"):
        # pubkit's own TMX carries a message's context; other tools' units have none.
        context = next((p.text or "" for p in unit.findall("prop") if p.get("type") == "x-context"), None)
        texts: dict[str, str] = {}
        for variant in unit.findall("tuv"):
            tag = variant.get(_XML_LANG) or variant.get("lang") or ""
            segment = variant.find("seg")
            if segment is None:
                raise ExchangeError("<tuv> without <seg>", path, variant.sourceline)
            # Inline markup of other tools (<bpt>, <ph>…) carries their native codes as its text.
            texts[tag_key(tag)] = "".join(segment.itertext())
        source_tag = tag_key(unit.get("srclang") or default_source)
        source = texts.get(source_tag) if source_tag and source_tag != "*all*" else None
        if source is None:
            source = texts.get(source_language.lower())
        target = texts.get(language.lower())
        if target is None and "_" not in language:
            # A memory in de-DE serves a project that translates into plain de.
            target = next((text for tag, text in texts.items() if tag.split("_")[0] == language.lower()), None)
        if source and target:
            found.append(polib.POEntry(msgid=source, msgstr=target, msgctxt=context))
    return found


def fill(catalog: polib.POFile, memory: Memory, own_origin: str) -> int:
    """Fill ``catalog``'s untranslated messages from ``memory`` (never from itself); return how many."""
    waiting = [e for e in catalog if not e.obsolete and not e.msgid_plural and not e.msgstr and "fuzzy" not in e.flags]
    if not waiting:
        return 0
    filled = 0
    close: list[polib.POEntry] = []
    for entry in waiting:
        candidates = [c for c in memory.exact.get((entry.msgctxt, entry.msgid), [])
                      if c.origin != own_origin and not memory.rejected(entry, c.translation)]
        if not candidates:
            close.append(entry)
            continue
        best = max(candidates, key=lambda c: c.rank)
        others = sorted({(c.translation, c.origin) for c in candidates if c.translation != best.translation})
        entry.msgstr = best.translation
        note = f"{MEMORY_NOTE} {best.origin}"
        if others:
            entry.flags.append("fuzzy")
            note += "; differs from " + "; ".join(f"'{shorten(text, 60)}' in {origin}" for text, origin in others)
        _annotate(entry, note)
        filled += 1
    # A text this catalog already has translated was already a candidate of the merge: offering it
    # again as a similar text adds nothing, and leaving it out keeps lookups cheap in big catalogs.
    offered = {(e.msgctxt, e.msgid) for e in catalog if e.msgstr and "fuzzy" not in e.flags}
    pool = [(entry, candidate) for entry, candidate in memory.entries
            if candidate.origin != own_origin and (entry.msgctxt, entry.msgid) not in offered]
    if close and pool:
        matches = closest_translations([entry for entry, _ in pool], close)
        origins = {id(entry): candidate for entry, candidate in pool}
        for entry, match in zip(close, matches):
            if match is None or memory.rejected(match, match.msgstr):
                continue
            entry.msgstr = match.msgstr
            entry.flags.append("fuzzy")
            entry.previous_msgid, entry.previous_msgctxt = match.msgid, match.msgctxt
            _annotate(entry, f"{MEMORY_NOTE} {origins[id(match)].origin} (similar text)")
            filled += 1
    return filled


def _annotate(entry: polib.POEntry, note: str) -> None:
    entry.tcomment = f"{entry.tcomment}\n{note}" if entry.tcomment else note


def filled_count(catalog: polib.POFile) -> int:
    """Messages of a catalog that ``update`` filled from memory (they carry the memory comment)."""
    return sum(1 for e in catalog if not e.obsolete
               and any(line.startswith(MEMORY_NOTE) for line in (e.tcomment or "").split("\n")))


def language_memory(locale_folder: Path, root: Path, catalogs: dict[Path, polib.POFile | None],
                    external: list[Path], language: str, source_language: str,
                    rejects: Callable[[polib.POEntry, str], bool] | None = None) -> Memory:
    """The memory of one language: ``catalogs`` already read, every other ``.po`` in ``locale_folder``
    (catalogs of releases no longer in the sources), then the external memories. ``rejects``: the
    check's verdict on a translation, asked before one is offered."""
    memory = Memory(rejects=rejects)
    known = dict(catalogs)
    if locale_folder.is_dir():
        for path in sorted(locale_folder.glob("*.po")):
            if path not in known:
                known[path] = read_catalog(path)
    for path, catalog in known.items():
        if catalog is not None:
            remember_catalog(memory, catalog, origin_of(path, root), catalog_rank(catalog, path))
    for index, path in enumerate(external):
        for entry in read_external(path, language, source_language):
            memory.add(entry, Candidate(entry.msgstr, origin_of(path, root), (0, -index)))
    return memory


def origin_of(path: Path, root: Path) -> str:
    """How a memory's origin is named in comments: relative to the project, or its file name."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name  # an external memory: its name is enough to recognise it
