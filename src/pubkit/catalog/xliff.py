"""XLIFF 1.2 and 2.1 for CAT tools: export catalogs, import the translations back into them.

One file per language and catalog, one unit per message. A plural message (``msgid_plural``) is one
unit with one text per plural form of the language: in 1.2 a ``<group restype="x-gettext-plurals">``
of trans-units ``<id>[0]``, ``<id>[1]``…, as translate-toolkit's ``po2xliff`` writes them; in 2.x
one ``<unit>`` with one ``<segment>`` per form. A unit's id is a hash of the message's
context and text, so it survives re-exports and reordering. Placeholders and code spans become
protected inline codes, emphasis and links paired codes (``inline.py`` splits the Markdown);
on import the codes are turned back into the source's own Markdown by their ids, so a CAT tool
cannot alter a placeholder or a link target, only move it. Every imported translation goes through
the checks of ``pubkit check``; a refused one is reported at its line in the XLIFF file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import polib
from babel import Locale
from lxml import etree
from rapidfuzz import fuzz

from ..source import inline
from .catalogs import _nplurals, domains
from ..config import Project
from ..errors import CatalogError, ExchangeError
from ..fileio import read_limited, write_atomic
from .merge import FUZZY_THRESHOLD
from .pofile import read_catalog, render

NS12 = "urn:oasis:names:tc:xliff:document:1.2"
NS2 = "urn:oasis:names:tc:xliff:document:2.0"
VERSIONS = ("1.2", "2.1")
MAX_XLIFF_BYTES = 64 * 1024 * 1024
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# XLIFF 1.2 target states that mean "done" (approved or not); the needs-* states are fuzzy in PO terms.
_DONE_12 = {"translated", "signed-off", "final"}
_DONE_2 = {"translated", "reviewed", "final"}
_CTYPE_12 = {"strong": "bold", "em": "italic", "link": "link", "image": "x-image"}
_SUBTYPE_2 = {"strong": "xlf:b", "em": "xlf:i"}


def unit_id(context: str | None, msgid: str) -> str:
    """A message's id in XLIFF: stable across exports, distinct for "no context" and an empty one."""
    key = ("\x01" if context is None else "\x02" + context) + "\x04" + msgid
    return "m" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def xliff_language(language: str) -> str:
    """The BCP 47 spelling XLIFF requires (``zh-CN``) of a gettext locale (``zh_CN``)."""
    return language.replace("_", "-")


@dataclass(frozen=True)
class ExportedFile:
    path: Path
    units: int


def export(project: Project, languages: list[str] | None, folder: Path, version: str = "1.2") -> list[ExportedFile]:
    """Write ``folder/<lang>/<catalog>.xlf`` for every language and catalog; read everything first."""
    if version not in VERSIONS:
        raise ExchangeError(f"unknown XLIFF version '{version}' (pubkit writes {' or '.join(VERSIONS)})")
    planned: list[tuple[Path, bytes, int]] = []
    for language in languages or project.languages:
        for domain in domains(project):
            po_path = project.po_path(language, domain)
            if not po_path.exists():
                raise CatalogError("no catalog: run `pubkit update` first", po_path, 1)
            catalog = read_catalog(po_path)
            entries = [e for e in catalog if not e.obsolete]
            original = po_path.relative_to(project.root).as_posix()
            build = _document_12 if version == "1.2" else _document_2
            root = build(entries, original, project.source_language, language)
            data = etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"
            planned.append((folder / language / f"{domain}.xlf", data, len(entries)))
    written = []
    for path, data, units in planned:
        write_atomic(path, data)
        written.append(ExportedFile(path, units))
    return written


# --- writing -----------------------------------------------------------------------------------


PLURALS_12 = "x-gettext-plurals"
#: The XLIFF 2 ``type`` of a unit holding a plural message, one segment per form.
PLURALS_2 = "pubkit:plurals"


def _forms(entry: polib.POEntry) -> list[tuple[str, str]]:
    """(source, translation) of every text of a message: one, or one per plural form of the catalog.

    Form 0 shows the singular, every other form the plural (gettext's and translate-toolkit's way).
    """
    if not entry.msgid_plural:
        return [(entry.msgid, entry.msgstr)]
    return [(entry.msgid if index == 0 else entry.msgid_plural, entry.msgstr_plural[index])
            for index in sorted(entry.msgstr_plural)]


def _state(entry: polib.POEntry, text: str | None = None) -> str:
    """new, fuzzy or translated: of the entry's translation, or of one of its plural forms (``text``)."""
    if text is None:
        text = entry.msgstr if not entry.msgid_plural else "".join(t for _, t in _forms(entry))
    if "fuzzy" in entry.flags and text:
        return "fuzzy"
    return "translated" if text else "new"


def _notes(entry: polib.POEntry) -> list[tuple[str, str]]:
    """(kind, text) of what a translator should see beside the text."""
    notes = []
    if entry.msgctxt is not None:
        notes.append(("context", entry.msgctxt))
    if entry.comment:
        notes.append(("developer", entry.comment))
    if entry.tcomment:
        notes.append(("translator", entry.tcomment))
    if _state(entry) == "fuzzy" and entry.previous_msgid:
        notes.append(("previous-source", entry.previous_msgid))
    return notes


def _document_12(entries, original: str, source_language: str, language: str) -> etree._Element:
    root = etree.Element(f"{{{NS12}}}xliff", nsmap={None: NS12}, version="1.2")
    file = etree.SubElement(root, f"{{{NS12}}}file", original=original, datatype="po")
    file.set("source-language", xliff_language(source_language))
    file.set("target-language", xliff_language(language))
    body = etree.SubElement(file, f"{{{NS12}}}body")
    for entry in entries:
        uid = unit_id(entry.msgctxt, entry.msgid)
        if not entry.msgid_plural:
            unit = _trans_unit_12(body, uid, entry, entry.msgid, entry.msgstr)
            _describe_12(unit, entry)
            continue
        # translate-toolkit's layout (poxliff): the message's context and notes on the group, before its
        # trans-units (the order the 1.2 schema wants); each form's state and approval on its trans-unit.
        group = etree.SubElement(body, f"{{{NS12}}}group", id=uid, restype=PLURALS_12)
        if entry.msgctxt:
            group.set("resname", entry.msgctxt)
        _describe_12(group, entry)
        for index, (source, text) in enumerate(_forms(entry)):
            _trans_unit_12(group, f"{uid}[{index}]", entry, source, text)
    _indent(root, [f"{{{NS12}}}{n}" for n in ("xliff", "file", "body", "group", "trans-unit", "context-group")])
    return root


def _trans_unit_12(parent, uid: str, entry: polib.POEntry, source: str, text: str) -> etree._Element:
    unit = etree.SubElement(parent, f"{{{NS12}}}trans-unit", id=uid)
    if entry.msgctxt:
        unit.set("resname", entry.msgctxt)
    unit.set(_XML_SPACE, "preserve")
    source_nodes = inline.parse(source)
    _fill(etree.SubElement(unit, f"{{{NS12}}}source"), source_nodes, _numbered(source_nodes), "1.2")
    state = _state(entry, text)
    target = etree.SubElement(unit, f"{{{NS12}}}target")
    target.set("state", {"fuzzy": "needs-review-translation"}.get(state, state))
    if state == "translated":
        unit.set("approved", "yes")
    if text:
        _fill(target, inline.parse(text), _numbered(source_nodes), "1.2")
    return unit


def _describe_12(element: etree._Element, entry: polib.POEntry) -> None:
    """The message's context and notes, on its trans-unit or (a plural message) its group."""
    if entry.msgctxt is not None:
        group = etree.SubElement(element, f"{{{NS12}}}context-group", purpose="information")
        context = etree.SubElement(group, f"{{{NS12}}}context")
        context.set("context-type", "x-gettext-msgctxt")
        context.text = entry.msgctxt
    for kind, text in _notes(entry):
        note = etree.SubElement(element, f"{{{NS12}}}note", {"from": kind})
        if kind == "previous-source":
            note.set("annotates", "source")
        note.text = text


def _document_2(entries, original: str, source_language: str, language: str) -> etree._Element:
    root = etree.Element(f"{{{NS2}}}xliff", nsmap={None: NS2}, version="2.1")
    root.set("srcLang", xliff_language(source_language))
    root.set("trgLang", xliff_language(language))
    # Segments are whole messages: a CAT tool must not split or join them.
    file = etree.SubElement(root, f"{{{NS2}}}file", id="f1", original=original, canResegment="no")
    for entry in entries:
        unit = etree.SubElement(file, f"{{{NS2}}}unit", id=unit_id(entry.msgctxt, entry.msgid))
        if entry.msgctxt:
            unit.set("name", entry.msgctxt)
        unit.set(_XML_SPACE, "preserve")
        notes = _notes(entry)
        if notes:
            container = etree.SubElement(unit, f"{{{NS2}}}notes")
            for kind, text in notes:
                note = etree.SubElement(container, f"{{{NS2}}}note", category=kind)
                if kind == "previous-source":
                    note.set("appliesTo", "source")
                note.text = text
        if entry.msgid_plural:
            unit.set("type", PLURALS_2)
        for index, (source, text) in enumerate(_forms(entry)):
            state = _state(entry, text)
            segment = etree.SubElement(unit, f"{{{NS2}}}segment")
            # Inline code ids are unique in a whole unit: a plural form's codes are numbered p<form>-1, p<form>-2…
            prefix = f"p{index}-" if entry.msgid_plural else ""
            if entry.msgid_plural:
                segment.set("id", f"p{index}")
            segment.set("state", "translated" if state == "translated" else "initial")
            source_nodes = inline.parse(source)
            codes = _numbered(source_nodes, prefix)
            _fill(etree.SubElement(segment, f"{{{NS2}}}source"), source_nodes, codes, "2")
            if text:
                _fill(etree.SubElement(segment, f"{{{NS2}}}target"), inline.parse(text), codes, "2")
    _indent(root, [f"{{{NS2}}}{n}" for n in ("xliff", "file", "unit", "notes", "segment")])
    return root


def _numbered(nodes: list[inline.Node], prefix: str = "") -> dict[str, inline.Code | inline.Pair]:
    """Inline codes of a source message by id ("1", "2", …, after ``prefix``), in reading order."""
    found: dict[str, inline.Code | inline.Pair] = {}

    def walk(items):
        for node in items:
            if isinstance(node, inline.Code):
                found[f"{prefix}{len(found) + 1}"] = node
            elif isinstance(node, inline.Pair):
                found[f"{prefix}{len(found) + 1}"] = node
                walk(node.children)

    walk(nodes)
    return found


def _fill(element: etree._Element, nodes: list[inline.Node], codes: dict, version: str) -> None:
    """Write nodes into ``element``; a code the source does not have stays plain text (nothing is lost)."""
    unused = dict(codes)
    ns = NS12 if version == "1.2" else NS2

    def append_text(parent, text):
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + text
        else:
            parent.text = (parent.text or "") + text

    def claim(node) -> str | None:
        for key, code in unused.items():
            if isinstance(node, inline.Code):
                same = code == node
            else:
                same = isinstance(code, inline.Pair) and (code.kind, code.start, code.end) == (node.kind, node.start, node.end)
            if same:
                del unused[key]
                return key
        return None

    def write(parent, items):
        for node in items:
            if isinstance(node, str):
                append_text(parent, node)
                continue
            key = claim(node)
            if key is None:
                if isinstance(node, inline.Code):
                    append_text(parent, node.text)
                else:
                    append_text(parent, node.start)
                    write(parent, node.children)
                    append_text(parent, node.end)
                continue
            if isinstance(node, inline.Code):
                kind = "x-placeholder" if node.kind == "placeholder" else "x-code"
                if version == "1.2":
                    # <ph> holds the native code itself, so that tools that flatten codes still show it.
                    code = etree.SubElement(parent, f"{{{ns}}}ph", {"id": key, "ctype": kind, "equiv-text": node.text})
                    code.text = node.text
                else:
                    etree.SubElement(parent, f"{{{ns}}}ph", {
                        "id": key, "canDelete": "no", "type": "fmt", "subType": f"pubkit:{node.kind}",
                        "equiv": node.text, "disp": node.text,
                    })
            elif version == "1.2":
                write(etree.SubElement(parent, f"{{{ns}}}g", id=key, ctype=_CTYPE_12[node.kind]), node.children)
            else:
                attributes = {"id": key, "equivStart": node.start, "equivEnd": node.end,
                              "dispStart": node.start, "dispEnd": node.end}
                if node.kind in _SUBTYPE_2:
                    attributes.update(type="fmt", subType=_SUBTYPE_2[node.kind])
                else:
                    attributes["type"] = node.kind
                write(etree.SubElement(parent, f"{{{ns}}}pc", attributes), node.children)

    write(element, nodes)


def _indent(root: etree._Element, structural: list[str]) -> None:
    """Line breaks between structural elements only: whitespace inside source and target is content."""

    def walk(element, depth):
        if element.tag not in structural or not len(element):
            return
        element.text = "\n" + "  " * (depth + 1)
        for child in element:
            walk(child, depth + 1)
            child.tail = "\n" + "  " * (depth + 1)
        element[-1].tail = "\n" + "  " * depth

    walk(root, 0)


# --- reading -----------------------------------------------------------------------------------


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
            language = _language(project, file if version == "1.2" else root, version, path)
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
            _apply(project, catalog, report, language, file, version, path, result)
    for catalog, report, _ in catalogs.values():
        if report.imported:
            report.changed = write_atomic(report.path, render(catalog))
    return result


def _parse(path: Path) -> etree._Element:
    data = read_limited(path, MAX_XLIFF_BYTES, ExchangeError, "XLIFF file")
    # No DTDs, no entities, no network: an exchange file comes from outside.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        message = (exc.msg or "syntax error").split(", line ")[0]
        raise ExchangeError(f"not well-formed XML: {message}", path, exc.lineno or 1) from None


def _version(root: etree._Element, path: Path) -> str:
    name = etree.QName(root)
    if name.localname != "xliff":
        raise ExchangeError(f"not an XLIFF file: the root element is <{name.localname}>", path, root.sourceline)
    version = root.get("version", "")
    if name.namespace == NS12 and version == "1.2":
        return "1.2"
    if name.namespace == NS2 and version in ("2.0", "2.1"):
        return "2"
    raise ExchangeError(f"unknown XLIFF version '{version}' (namespace {name.namespace or 'none'}); "
                        "pubkit reads 1.2, 2.0 and 2.1", path, root.sourceline)


def _language(project: Project, element: etree._Element, version: str, path: Path) -> str:
    tag = element.get("target-language" if version == "1.2" else "trgLang")
    if not tag:
        raise ExchangeError("no target language", path, element.sourceline)
    wanted = tag.replace("-", "_").lower()
    for language in project.languages:
        if language.lower() == wanted:
            return language
    raise ExchangeError(f"unknown language '{tag}' (this project translates into {', '.join(project.languages)})",
                        path, element.sourceline)


def _apply(project, catalog, report, language, file, version, path, result) -> None:
    ns = NS12 if version == "1.2" else NS2
    current = {unit_id(e.msgctxt, e.msgid): e for e in catalog if not e.obsolete}
    # Units exported before the source changed: `pubkit update` left the old text as the previous one.
    previous = {unit_id(e.previous_msgctxt, e.previous_msgid): e
                for e in catalog if not e.obsolete and e.previous_msgid and "fuzzy" in e.flags}
    gone = {unit_id(e.msgctxt, e.msgid) for e in catalog if e.obsolete}
    nplurals = None
    for unit in _units_of(file, version):
        plural_group = version == "1.2" and etree.QName(unit).localname == "group"
        uid = unit.get("id", "") if not plural_group else _group_id(unit, ns)
        entry = current.get(uid)
        source_changed = False
        source_text = entry.msgid if entry is not None else None
        plural_source = entry.msgid_plural if entry is not None else None
        if entry is None and uid in previous:
            entry, source_changed = previous[uid], True
            source_text, plural_source = entry.previous_msgid, entry.previous_msgid_plural or entry.msgid_plural
        if entry is None and uid not in gone and not plural_group:
            # Changed since the export and not translated then: find it by its old text, as update would.
            found = _closest(catalog, unit, ns, uid)
            if found is not None:
                entry, source_text = found
                source_changed = True
        if entry is None:
            if uid in gone:
                result.notes.append((path, unit.sourceline, f"unit '{uid}' is no longer in the template: skipped"))
                continue
            raise ExchangeError(f"unit '{uid}' is not a message of {catalog.fpath and Path(catalog.fpath).name}",
                                path, unit.sourceline)
        plural = bool(entry.msgid_plural)
        if version == "1.2" and plural != plural_group:
            expected = f'a <group restype="{PLURALS_12}">' if plural else "a <trans-unit>"
            raise ExchangeError(f"unit '{uid}' is {'a plural' if plural else 'not a plural'} message: "
                                f"expected {expected}", path, unit.sourceline)
        # (target element or None, state) of every text the unit holds: one, or one per plural form.
        forms: list[tuple[etree._Element | None, str | None]] = []
        if version == "1.2":
            for trans_unit in _plural_forms_12(unit, ns) if plural else [unit]:
                target = trans_unit.find(f"{{{ns}}}target")
                forms.append((target, target.get("state") if target is not None else None))
        else:
            segments = unit.findall(f"{{{ns}}}segment")
            if not segments:
                raise ExchangeError(f"unit '{uid}' has no <segment>", path, unit.sourceline)
            for segment in segments if plural else segments[:1]:
                forms.append((segment.find(f"{{{ns}}}target"), segment.get("state", "initial")))
        given = [target is not None and bool((target.text or "") or len(target)) for target, _ in forms]
        if not any(given):
            continue  # an empty target never erases a translation
        texts: list[str | None] = []
        refused = False
        for index, ((target, _), present) in enumerate(zip(forms, given)):
            if not present:
                texts.append(None)
                continue
            source = source_text if index == 0 or not plural else plural_source
            prefix = f"p{index}-" if plural and version != "1.2" else ""
            try:
                texts.append(_text(target, _numbered(inline.parse(source), prefix), ns))
            except ValueError as reason:
                result.refused.append((path, target.sourceline, str(reason), "inline-code"))
                refused = True
        if refused:
            report.refused += 1
            continue
        states = [state for (_, state), present in zip(forms, given) if present]
        done = all(state in (_DONE_12 if version == "1.2" else _DONE_2) or (version == "1.2" and state is None)
                   for state in states)
        fuzzy = source_changed or not done
        old = [text for _, text in _forms(entry)]
        # A form left empty keeps what the catalog has.
        new = [text if text is not None else (old[index] if index < len(old) else "")
               for index, text in enumerate(texts)]
        if new == old and fuzzy == ("fuzzy" in entry.flags):
            report.unchanged += 1
            continue
        if plural:
            if nplurals is None:
                nplurals = _nplurals(catalog, language, report.path)
            if len(new) != nplurals:
                result.refused.append((path, unit.sourceline, f"{len(new)} plural forms, but Plural-Forms says "
                                       f"nplurals={nplurals}", "plural-forms"))
                report.refused += 1
                continue
        if source_changed and any(old) and "fuzzy" not in entry.flags:
            result.notes.append((path, unit.sourceline, "the message has changed and is already translated: skipped"))
            continue
        if not fuzzy:
            errors = []
            for (target, _), text in zip(forms, new):
                if not text:
                    continue
                line = target.sourceline if target is not None else unit.sourceline
                errors += [(line, message, check)
                           for message, check in translation_errors(entry, text, language, project.source_language)]
            if errors:
                for line, message, check in errors:
                    result.refused.append((path, line, message, check))
                report.refused += 1
                continue
        if plural:
            entry.msgstr_plural = dict(enumerate(new))
        else:
            entry.msgstr = new[0]
        if fuzzy:
            if "fuzzy" not in entry.flags:
                entry.flags.append("fuzzy")
            if source_changed and not entry.previous_msgid:
                entry.previous_msgid, entry.previous_msgctxt = source_text, entry.msgctxt
                if plural:
                    entry.previous_msgid_plural = plural_source
        else:
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        report.imported += 1


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
    element = unit.find(f".//{{{ns}}}source")
    try:
        old = _source_text(element, ns) if element is not None else None
    except ValueError:
        return None
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


def _source_text(element: etree._Element, ns: str) -> str:
    """A source element's Markdown from the originals its codes carry (1.2 ``<g>``: by its ctype)."""
    parts = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):
            parts.append(child.tail or "")
            continue
        name = etree.QName(child).localname
        if name in ("x", "ph"):
            parts.append(child.get("equiv-text") or child.get("equiv") or "".join(child.itertext()))
        elif name == "pc":
            parts.append(child.get("equivStart", "") + _source_text(child, ns) + child.get("equivEnd", ""))
        elif name == "g" and child.get("ctype") in ("bold", "italic"):
            mark = "**" if child.get("ctype") == "bold" else "*"
            parts.append(mark + _source_text(child, ns) + mark)
        else:
            raise ValueError(name)
        parts.append(child.tail or "")
    return "".join(parts)


def _text(element: etree._Element, codes: dict, ns: str) -> str:
    """A target's Markdown: its text, with every inline code replaced by the source's own original."""
    parts = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):  # a comment or processing instruction
            parts.append(child.tail or "")
            continue
        name = etree.QName(child)
        key = child.get("id", "")
        code = codes.get(key)
        if name.namespace != ns:
            raise ValueError(f"unknown inline element <{name.localname}>")
        if name.localname in ("x", "ph"):
            if not isinstance(code, inline.Code):
                raise ValueError(f"inline code id '{key}' is not a code of the source")
            parts.append(code.text)
        elif name.localname in ("g", "pc"):
            if not isinstance(code, inline.Pair):
                raise ValueError(f"paired code id '{key}' is not a code of the source")
            parts.append(code.start + _text(child, codes, ns) + code.end)
        elif name.localname == "mrk":
            parts.append(_text(child, codes, ns))
        elif name.localname == "cp":
            parts.append(chr(int(child.get("hex", "0"), 16)))
        else:
            raise ValueError(f"unsupported inline element <{name.localname}>")
        parts.append(child.tail or "")
    return "".join(parts)


def translation_errors(entry: polib.POEntry, translation: str, language: str, source_language: str) -> list[tuple[str, str]]:
    """The errors ``pubkit check`` would report for ``translation``: (message, check-id).

    The one place import asks for the publish verdict, so that it follows ``pubkit check``.
    """
    from .checks import ENTRY_CHECKS, EntryContext

    context = EntryContext(entry, translation, Locale.parse(language), Locale.parse(source_language))
    return [(message, check_id) for check in ENTRY_CHECKS for severity, message, check_id in check(context)
            if severity == "error"]
