"""``pubkit import``: the translations of XLIFF files, as CAT tools save them, back into the catalogs.

A unit is matched to its message by id. Its text is rebuilt by :mod:`xliff_text` (segments joined as
the source's segments join, codes from the source, whitespace by ``xml:space``). A unit is refused at
its line, and nothing of it is written, when its source no longer says what the message says (the
source was edited in the tool), when its codes are not the source's, or when its translation fails the
errors of ``pubkit check``. A message whose segments are not all translated comes back fuzzy, the
untranslated sentences in the source language, never as a shorter translation.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field, replace
from pathlib import Path

import polib
from babel import Locale, UnknownLocaleError
from lxml import etree
from rapidfuzz import fuzz

from ..config import Project
from ..errors import CatalogError, ExchangeError
from ..fileio import read_limited, write_atomic
from ..source import inline
from .catalogs import _nplurals, domains
from .checks import translation_errors
from .merge import FUZZY_THRESHOLD
from .pofile import read_catalog, render
from .xliff import PLURALS_12, message_texts, unit_id
from .xliff_text import NS2, NS12, CodeError, Rebuilt, fold_layout, is_segment_marker, numbered, preserves, walk

MAX_XLIFF_BYTES = 64 * 1024 * 1024
# Target states that mean "done" (approved or not); the needs-* and initial states are fuzzy in PO terms.
_DONE_12 = {"translated", "signed-off", "final"}
_DONE_2 = {"translated", "reviewed", "final"}
# Trados (SDLXLIFF) keeps each segment's state in its own namespace, not in the target's state.
_SDL = "http://sdl.com/FileTypes/SdlXliff/1.0"
_SDL_DONE = {"Translated", "ApprovedTranslation", "ApprovedSignOff"}
SOURCE_CHANGED = "source text changed in the translation tool; re-export"


@dataclass
class ImportedCatalog:
    """What an import did to one catalog."""

    path: Path
    imported: int = 0
    unchanged: int = 0
    refused: int = 0
    changed: bool = False


@dataclass
class ImportResult:
    catalogs: list[ImportedCatalog] = field(default_factory=list)
    #: (XLIFF path, line, message, check-id) of every translation that was not taken
    refused: list[tuple[Path, int, str, str]] = field(default_factory=list)
    notes: list[tuple[Path, int, str]] = field(default_factory=list)


def import_files(project: Project, paths: list[Path]) -> ImportResult:
    """Bring the translations of XLIFF files into the project's catalogs.

    Every file is read and matched before any catalog is written: a malformed file, an unknown
    language, catalog or unit stops the import with nothing changed.
    """
    result = ImportResult()
    catalogs: dict[Path, tuple[polib.POFile, ImportedCatalog, str]] = {}
    known_domains = set(domains(project))
    for path in paths:
        root = _parse(path)
        version = _version(root, path)
        ns = NS12 if version == "1.2" else NS2
        files = root.findall(f"{{{ns}}}file")
        if not files:
            raise ExchangeError("no <file> element: nothing to import", path, root.sourceline)
        for file in files:
            language = _language(project, file if version == "1.2" else root, version, path, result)
            domain = Path(file.get("original") or "").stem
            if domain not in known_domains:
                shown = file.get("original") or "(none)"
                raise ExchangeError(f"unknown catalog '{shown}' (this project has {', '.join(sorted(known_domains))})",
                                    path, file.sourceline)
            po_path = project.po_path(language, domain)
            if po_path not in catalogs:
                if not po_path.exists():
                    raise CatalogError("no catalog to import into: run `pubkit update` first", po_path, 1)
                catalogs[po_path] = (read_catalog(po_path), ImportedCatalog(po_path), language)
                result.catalogs.append(catalogs[po_path][1])
            catalog, report, language = catalogs[po_path]
            _Importer(project, catalog, report, language, version, path, result).run(file)
    for catalog, report, _ in catalogs.values():
        if report.imported:
            report.changed = write_atomic(report.path, render(catalog))
    return result


# --- the file ----------------------------------------------------------------------------------


def _parse(path: Path) -> etree._Element:
    data = read_limited(path, MAX_XLIFF_BYTES, ExchangeError, "XLIFF file", nul_ok=True)
    if b"\x00" in data and not _utf16(data):
        raise ExchangeError("contains a NUL byte: is this a text file?", path,
                            data[: data.index(b"\x00")].count(b"\n") + 1)
    # No DTDs, no entities, no network: an exchange file comes from outside. lxml reads the encoding
    # from the byte-order mark or the XML declaration (UTF-8 with or without BOM, UTF-16 LE or BE).
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        message = (exc.msg or "syntax error").split(", line ")[0]
        raise ExchangeError(f"not well-formed XML: {message}", path, exc.lineno or 1) from None


def _utf16(data: bytes) -> bool:
    """UTF-16 text: a byte-order mark, or '<' as the first of two bytes (an XML declaration without BOM)."""
    return data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b"<\x00", b"\x00<"))


def _version(root: etree._Element, path: Path) -> str:
    name = etree.QName(root)
    if name.localname != "xliff":
        raise ExchangeError(f"not an XLIFF file: the root element is <{name.localname}>", path, root.sourceline)
    version = root.get("version", "")
    if name.namespace == NS12 and version == "1.2":
        return "1.2"
    if name.namespace == NS2 and version in ("2.0", "2.1", "2.2"):
        return "2"
    raise ExchangeError(f"unknown XLIFF version '{version}' (namespace {name.namespace or 'none'}); "
                        "pubkit reads 1.2, 2.0, 2.1 and 2.2", path, root.sourceline)


def _language(project: Project, element: etree._Element, version: str, path: Path, result: ImportResult) -> str:
    """The project language a file's target language is: the same, or (with a note) a regional variant of it."""
    tag = element.get("target-language" if version == "1.2" else "trgLang")
    if not tag:
        raise ExchangeError("no target language", path, element.sourceline)
    wanted = tag.replace("-", "_").lower()
    for language in project.languages:
        if language.lower() == wanted:
            return language
    best = _variant_of(tag, project.languages)
    if best is None:
        raise ExchangeError(f"unknown language '{tag}' (this project translates into {', '.join(project.languages)})",
                            path, element.sourceline)
    result.notes.append((path, element.sourceline, f"target language '{tag}' is imported as the project's '{best}'"))
    return best


def _variant_of(tag: str, languages: list[str]) -> str | None:
    """The most specific project language that ``tag`` refines (``de-DE`` → ``de``, ``zh-Hans-CN`` → ``zh_CN``)."""
    try:
        given = Locale.parse(tag, sep="-" if "-" in tag else "_")
    except (ValueError, TypeError, UnknownLocaleError):
        return None
    best, best_score = None, -1
    for language in languages:
        try:
            ours = Locale.parse(language)
        except (ValueError, UnknownLocaleError):
            continue  # a language CLDR lacks (tlh) is matched by its exact spelling only
        if ours.language != given.language:
            continue
        fields = [(ours.territory, given.territory), (ours.script, given.script), (ours.variant, given.variant)]
        if all(mine is None or mine == theirs for mine, theirs in fields):
            score = sum(mine is not None for mine, _ in fields)
            if score > best_score:
                best, best_score = language, score
    return best


# --- one unit: its texts -----------------------------------------------------------------------


@dataclass
class _Form:
    """One text of a unit (the message, or one plural form), as the tool left it."""

    source: str | None  # the unit's source, rebuilt; None when its codes are not the message's
    source_error: str | None
    layout: bool  # the source is outside xml:space="preserve": compare it with folded whitespace
    translation: str | None  # None: no target given
    error: str | None  # the target's codes are not the source's
    complete: bool  # every segment has a target
    done: bool  # every segment's state is a done state
    line: int  # where a problem with the translation is reported


def _given(element: etree._Element | None) -> bool:
    """A target with content: whitespace a tool laid out (outside xml:space="preserve") is none."""
    if element is None:
        return False
    return bool(len(element)) or bool(element.text and (preserves(element) or element.text.strip()))


def _rebuild(elements, codes: dict, ns: str, segments: dict | None = None) -> tuple[str | None, str | None, bool]:
    """(Markdown, error, whether layout whitespace was folded) of elements read one after another."""
    into = Rebuilt(codes)
    try:
        for element in elements:
            walk(element, into, ns, segments)
        return into.finish(), None, into.layout
    except CodeError as reason:
        return None, str(reason), into.layout


def _form_12(unit: etree._Element, codes: dict) -> _Form:
    """A 1.2 trans-unit's text; segmented (``<seg-source>``) or not."""
    ns = NS12
    source = unit.find(f"{{{ns}}}source")
    seg_source = unit.find(f"{{{ns}}}seg-source")
    target = unit.find(f"{{{ns}}}target")  # never an <alt-trans>'s: those are only suggestions
    line = target.sourceline if target is not None else unit.sourceline
    done = _done_12(unit, target)
    if source is None:
        return _Form(None, "the unit has no <source>", False, None, None, True, done, line)
    text, source_error, layout = _rebuild([source], codes, ns)
    if seg_source is not None and source_error is None:
        joined, source_error, segmented_layout = _rebuild([seg_source], codes, ns)
        if source_error is None and not _same_text(joined, text, layout or segmented_layout):
            source_error = SOURCE_CHANGED
    translation, error, complete = _target_12(target, seg_source, codes)
    return _Form(text, source_error, layout, translation, error, complete, done, line)


def _target_12(target: etree._Element | None, seg_source: etree._Element | None,
               codes: dict) -> tuple[str | None, str | None, bool]:
    """(translation or None, code error, every segment translated) of a 1.2 target."""
    ns = NS12
    if not _given(target):
        return None, None, True
    marks = [m for m in target.iter(f"{{{ns}}}mrk") if is_segment_marker(m)]
    if seg_source is None or not marks:
        translation, error, _ = _rebuild([target], codes, ns)
        return translation, error, True
    originals = {m.get("mid", ""): m for m in seg_source.iter(f"{{{ns}}}mrk") if is_segment_marker(m)}
    given = {m.get("mid", ""): m for m in marks if _given(m)}
    if not given:
        return None, None, True
    if [m.get("mid", "") for m in marks] == list(originals):
        # The tool's own skeleton: its text between the segments (none between Chinese sentences), and an
        # empty segment's source sentence in its place.
        chosen = {mid: given.get(mid, originals[mid]) for mid in originals}
        translation, error, _ = _rebuild([target], codes, ns, chosen)
    else:
        # Segments missing from the target or out of order: the source's skeleton, segment by segment.
        translation, error, _ = _rebuild([seg_source], codes, ns, given)
    return translation, error, all(mid in given for mid in originals)


def _done_12(unit: etree._Element, target: etree._Element | None) -> bool:
    """A 1.2 target's state is done: its ``state``, else Trados's segment confirmations, else yes."""
    state = target.get("state") if target is not None else None
    if state is not None:
        return state in _DONE_12
    confirmations = [seg.get("conf") for seg in unit.iter(f"{{{_SDL}}}seg")]
    return all(conf in _SDL_DONE for conf in confirmations)


def _form_2(parts: list[etree._Element], codes: dict) -> _Form:
    """The text of 2.x ``<segment>`` and ``<ignorable>`` elements read in order, as one text."""
    ns = NS2
    sources = [part.find(f"{{{ns}}}source") for part in parts]
    text, source_error, layout = _rebuild([s for s in sources if s is not None], codes, ns)
    chosen: list[tuple[int, etree._Element]] = []
    complete, done, any_given, line = True, True, False, None
    for position, (part, source) in enumerate(zip(parts, sources), start=1):
        segment = etree.QName(part).localname == "segment"
        target = part.find(f"{{{ns}}}target")
        if _given(target):
            # A tool that reorders sentences says where each target goes (``order``, 1-based).
            order = target.get("order", "")
            chosen.append((int(order) if order.isdigit() else position, target))
            any_given = any_given or segment
            line = line or target.sourceline
        elif source is not None:
            chosen.append((position, source))  # an untranslated sentence stays in the source language
            complete = complete and not segment
        if segment:
            done = done and part.get("state", "initial") in _DONE_2
    line = line or (parts[0].sourceline if parts else 0)
    if not any_given:
        return _Form(text, source_error, layout, None, None, complete, done, line)
    translation, error, _ = _rebuild([element for _, element in sorted(chosen, key=lambda c: c[0])], codes, ns)
    return _Form(text, source_error, layout, translation, error, complete, done, line)


# --- one catalog: matching units to messages, deciding, writing ----------------------------------


@dataclass
class _Match:
    """The message a unit names, and the source texts it was exported with."""

    entry: polib.POEntry
    source: str
    plural_source: str | None
    source_changed: bool  # the message changed after the export: the unit holds its old text


class _Importer:
    """Applies one ``<file>`` of an XLIFF document to one catalog."""

    def __init__(self, project: Project, catalog: polib.POFile, report: ImportedCatalog, language: str,
                 version: str, path: Path, result: ImportResult):
        self.project, self.catalog, self.report, self.language = project, catalog, report, language
        self.version, self.path, self.result = version, path, result
        self.ns = NS12 if version == "1.2" else NS2
        self.current = {unit_id(e.msgctxt, e.msgid): e for e in catalog if not e.obsolete}
        # Units exported before the source changed: `pubkit update` left the old text as the previous one.
        self.previous = {unit_id(e.previous_msgctxt, e.previous_msgid): e
                         for e in catalog if not e.obsolete and e.previous_msgid and "fuzzy" in e.flags}
        self.gone = {unit_id(e.msgctxt, e.msgid) for e in catalog if e.obsolete}
        self.nplurals: int | None = None

    def run(self, file: etree._Element) -> None:
        for unit in _units_of(file, self.version):
            if unit.get("translate") == "no":
                continue  # locked in the tool: nothing to bring back
            match = self._match(unit)
            if match is not None:
                self._unit(unit, match)

    def refuse(self, line: int, message: str, check: str) -> None:
        self.result.refused.append((self.path, line, message, check))

    def _match(self, unit: etree._Element) -> _Match | None:
        plural_group = self.version == "1.2" and etree.QName(unit).localname == "group"
        uid = unit.get("id", "") if not plural_group else _group_id(unit, self.ns)
        entry = self.current.get(uid)
        if entry is not None:
            match = _Match(entry, entry.msgid, entry.msgid_plural or None, False)
        elif uid in self.previous:
            entry = self.previous[uid]
            match = _Match(entry, entry.previous_msgid, entry.previous_msgid_plural or entry.msgid_plural or None, True)
        elif uid in self.gone:
            self.result.notes.append((self.path, unit.sourceline, f"unit '{uid}' is no longer in the template: skipped"))
            return None
        else:
            # Changed since the export and not translated then: find it by its old text, as update would.
            found = None if plural_group else _closest(self.catalog, unit, self.ns, uid)
            if found is None:
                name = self.catalog.fpath and Path(self.catalog.fpath).name
                raise ExchangeError(f"unit '{uid}' is not a message of {name}", self.path, unit.sourceline)
            match = _Match(found[0], found[1], None, True)
        if self.version == "1.2" and bool(match.entry.msgid_plural) != plural_group:
            plural = bool(match.entry.msgid_plural)
            expected = f'a <group restype="{PLURALS_12}">' if plural else "a <trans-unit>"
            raise ExchangeError(f"unit '{uid}' is {'a plural' if plural else 'not a plural'} message: "
                                f"expected {expected}", self.path, unit.sourceline)
        return match

    def _forms(self, unit: etree._Element, match: _Match) -> list[_Form]:
        plural = bool(match.entry.msgid_plural)

        def codes(index: int) -> dict:
            source = match.source if index == 0 or not plural else match.plural_source
            prefix = f"p{index}-" if plural and self.version != "1.2" else ""
            return numbered(inline.parse(source or ""), prefix)

        if self.version == "1.2":
            units = _plural_forms_12(unit, self.ns) if plural else [unit]
            return [_form_12(trans_unit, codes(index)) for index, trans_unit in enumerate(units)]
        parts = [p for p in unit if isinstance(p.tag, str) and etree.QName(p).localname in ("segment", "ignorable")]
        if not any(etree.QName(p).localname == "segment" for p in parts):
            raise ExchangeError(f"unit '{unit.get('id', '')}' has no <segment>", self.path, unit.sourceline)
        if plural:
            return [_form_2([segment], codes(index)) for index, segment in enumerate(
                p for p in parts if etree.QName(p).localname == "segment")]
        return [_form_2(parts, codes(0))]

    def _unit(self, unit: etree._Element, match: _Match) -> None:
        # A target a tool filled with a copy of its source and left in a not-translated state holds no work.
        forms = [replace(form, translation=None) if form.translation is not None and not form.done
                 and form.complete and form.translation == form.source else form for form in self._forms(unit, match)]
        plural = bool(match.entry.msgid_plural)
        if all(form.translation is None and form.error is None for form in forms):
            return  # an empty target never erases a translation
        if plural and not self._plural_count_fits(unit, len(forms)):
            return
        # The source must still say what the message says: a tool that let the translator edit it
        # would otherwise slip a translation of another text in.
        for index, form in enumerate(forms):
            expected = match.source if index == 0 or not plural else match.plural_source
            if form.source_error is not None or not _same_source(form, expected or ""):
                why = form.source_error if form.source_error not in (None, SOURCE_CHANGED) else None
                self.refuse(unit.sourceline, f"{SOURCE_CHANGED} ({why})" if why else SOURCE_CHANGED, "source-changed")
                self.report.refused += 1
                return
        errors = [(form.line, form.error) for form in forms if form.error]
        if errors:
            for line, message in errors:
                self.refuse(line, message, "inline-code")
            self.report.refused += 1
            return
        self._decide(unit, match, forms)

    def _decide(self, unit: etree._Element, match: _Match, forms: list[_Form]) -> None:
        entry = match.entry
        given = [form for form in forms if form.translation is not None]
        complete = all(form.complete for form in given)
        fuzzy = match.source_changed or not complete or not all(form.done for form in given)
        old = [text for _, text in message_texts(entry)]
        # A form left empty keeps what the catalog has.
        new = [form.translation if form.translation is not None else (old[index] if index < len(old) else "")
               for index, form in enumerate(forms)]
        if new == old and fuzzy == ("fuzzy" in entry.flags):
            self.report.unchanged += 1
            return
        translated = any(old) and "fuzzy" not in entry.flags
        if match.source_changed and translated:
            self.result.notes.append((self.path, unit.sourceline, "the message has changed and is already translated: skipped"))
            return
        if not complete:
            if translated:
                self.result.notes.append((self.path, unit.sourceline, "some segments have no translation: "
                                          "the catalog's translation is kept"))
                return
            self.result.notes.append((self.path, unit.sourceline, "some segments have no translation: imported "
                                      "fuzzy, their source text in their place"))
        if not fuzzy and self._check_errors(entry, forms, new, unit):
            return
        _store(entry, new, fuzzy, match)
        self.report.imported += 1

    def _plural_count_fits(self, unit: etree._Element, count: int) -> bool:
        if self.nplurals is None:
            self.nplurals = _nplurals(self.catalog, self.language, self.report.path)
        if count == self.nplurals:
            return True
        self.refuse(unit.sourceline, f"{count} plural forms, but Plural-Forms says nplurals={self.nplurals}",
                    "plural-forms")
        self.report.refused += 1
        return False

    def _check_errors(self, entry: polib.POEntry, forms: list[_Form], new: list[str], unit) -> bool:
        """Refuse (and say why, at each target) a translation that ``pubkit check`` rejects."""
        errors = []
        for form, text in zip(forms, new):
            if not text:
                continue
            line = form.line if form.translation is not None else unit.sourceline
            errors += [(line, message, check) for message, check in
                       translation_errors(entry, text, self.language, self.project.source_language)]
        for line, message, check in errors:
            self.refuse(line, message, check)
        if errors:
            self.report.refused += 1
        return bool(errors)


def _same_source(form: _Form, expected: str) -> bool:
    return form.source is not None and _same_text(form.source, expected, form.layout)


def _same_text(text: str, other: str, layout: bool) -> bool:
    """Equal texts; outside xml:space="preserve" (``layout``), equal once whitespace is folded."""
    return fold_layout(text) == fold_layout(other) if layout else text == other


def _store(entry: polib.POEntry, new: list[str], fuzzy: bool, match: _Match) -> None:
    plural = bool(entry.msgid_plural)
    if plural:
        entry.msgstr_plural = dict(enumerate(new))
    else:
        entry.msgstr = new[0]
    if fuzzy:
        if "fuzzy" not in entry.flags:
            entry.flags.append("fuzzy")
        if match.source_changed and not entry.previous_msgid:
            entry.previous_msgid, entry.previous_msgctxt = match.source, entry.msgctxt
            if plural:
                entry.previous_msgid_plural = match.plural_source
    else:
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None


def _units_of(file: etree._Element, version: str):
    """A file's units in document order; in 1.2 a plural message's group stands for its trans-units."""
    if version != "1.2":
        yield from file.iter(f"{{{NS2}}}unit")
        return
    for element in file.iter(f"{{{NS12}}}trans-unit", f"{{{NS12}}}group"):
        if etree.QName(element).localname == "group":
            if element.get("restype") == PLURALS_12:
                yield element
            continue
        parent = element.getparent()
        if parent is None or parent.get("restype") != PLURALS_12:
            yield element


def _group_id(group: etree._Element, ns: str) -> str:
    """A plural group's message id: its own, or (a tool dropped it) its first form's without ``[0]``."""
    if group.get("id"):
        return group.get("id")
    first = group.find(f"{{{ns}}}trans-unit")
    return (first.get("id", "") if first is not None else "").rsplit("[", 1)[0]


def _plural_forms_12(group: etree._Element, ns: str) -> list[etree._Element]:
    """A plural group's trans-units in form order: by their ``[n]`` suffix when all have one."""
    units = group.findall(f"{{{ns}}}trans-unit")
    indexes = [_form_index(u.get("id", "")) for u in units]
    if None in indexes or len(set(indexes)) != len(indexes):
        return units
    return [u for _, u in sorted(zip(indexes, units), key=lambda pair: pair[0])]


def _form_index(uid: str) -> int | None:
    if not uid.endswith("]") or "[" not in uid:
        return None
    number = uid[uid.rindex("[") + 1:-1]
    return int(number) if number.isdigit() else None


def _closest(catalog: polib.POFile, unit: etree._Element, ns: str, uid: str) -> tuple[polib.POEntry, str] | None:
    """The current message a unit's old source became (merge's similarity rule), with that old source."""
    if ns == NS12:
        sources = [unit.find(f"{{{ns}}}source")]
    else:
        sources = [part.find(f"{{{ns}}}source") for part in unit if part.tag in (f"{{{ns}}}segment", f"{{{ns}}}ignorable")]
    old = _source_text([s for s in sources if s is not None])
    context = unit.get("resname" if ns == NS12 else "name")
    if old is None or unit_id(context, old) != uid:
        return None  # the source was not rebuilt exactly: better refuse than guess
    best, score = None, FUZZY_THRESHOLD
    for entry in catalog:
        if entry.obsolete or entry.msgid_plural or entry.msgctxt != context:
            continue
        similarity = fuzz.ratio(old.encode("utf-8"), entry.msgid.encode("utf-8"))
        if similarity >= score and (not entry.msgstr or "fuzzy" in entry.flags):
            best, score = entry, similarity
    return (best, old) if best is not None else None


def _source_text(sources: list[etree._Element]) -> str | None:
    """An old source's Markdown from the originals its codes carry (the message it was is gone)."""
    parts: list[str] = []
    for element in sources:
        parts.append(element.text or "")
        for child in element:
            if not isinstance(child.tag, str):
                parts.append(child.tail or "")
                continue
            name = etree.QName(child).localname
            if name in ("x", "ph"):
                parts.append(child.get("equiv-text") or child.get("equiv") or "".join(child.itertext()))
            elif name == "pc":
                inner = _source_text([child])
                if inner is None:
                    return None
                parts.append(child.get("equivStart", "") + inner + child.get("equivEnd", ""))
            elif name == "g" and child.get("ctype") in ("bold", "italic"):
                mark = "**" if child.get("ctype") == "bold" else "*"
                inner = _source_text([child])
                if inner is None:
                    return None
                parts.append(mark + inner + mark)
            else:
                return None
            parts.append(child.tail or "")
    return "".join(parts)
