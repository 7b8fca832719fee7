"""XLIFF 1.2 and 2.1 for CAT tools: export the catalogs (``xliff_import`` brings translations back).

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
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import polib
from lxml import etree

from ..config import Project
from ..errors import CatalogError, ExchangeError
from ..fileio import write_atomic
from ..source import inline
from .catalogs import domains
from .pofile import read_catalog
from .xliff_text import NS2, NS12, XML_SPACE, numbered

VERSIONS = ("1.2", "2.1")
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


#: The formatted example value of each placeholder of a catalog in a language: ``examples(catalog, language)``.
Examples = Callable[[str, str], dict[str, str]]


def export(project: Project, languages: list[str] | None, folder: Path, version: str = "1.2",
           examples: Examples | None = None) -> list[ExportedFile]:
    """Write ``folder/<lang>/<catalog>.xlf`` for every language and catalog; read everything first.

    ``examples`` gives each placeholder's value as readers of the language will see it, shown to the
    translator beside the code (the render stage formats values; this stage only shows them).
    """
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
            shown = examples(domain, language) if examples is not None else {}
            root = build(entries, original, project.source_language, language, shown)
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


def message_texts(entry: polib.POEntry) -> list[tuple[str, str]]:
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
        text = entry.msgstr if not entry.msgid_plural else "".join(t for _, t in message_texts(entry))
    if "fuzzy" in entry.flags and text:
        return "fuzzy"
    return "translated" if text else "new"


def _notes(entry: polib.POEntry, examples: dict[str, str]) -> list[tuple[str, str]]:
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
    codes = code_meanings(entry, examples)
    if codes:
        notes.append(("codes", "; ".join(codes)))
    return notes


def code_meanings(entry: polib.POEntry, examples: dict[str, str]) -> list[str]:
    """What the message's codes stand for, in words: where each link points, how each value reads."""
    meanings: list[str] = []
    for text in (entry.msgid, entry.msgid_plural):
        for code in numbered(inline.parse(text or "")).values():
            meaning = _meaning(code, examples)
            if meaning and meaning not in meanings:
                meanings.append(meaning)
    return meanings


def _meaning(code: inline.Code | inline.Pair, examples: dict[str, str]) -> str | None:
    if isinstance(code, inline.Code):
        name = code.text[1:-1]
        return f"{code.text} reads “{examples[name]}”" if code.kind == "placeholder" and name in examples else None
    if code.kind in ("link", "image"):
        return f"“{inline.original(code.children)}” links to {link_target(code)}"
    return None


def link_target(pair: inline.Pair) -> str:
    """The address of a link or image code, from its ``](target "title")`` end."""
    target = pair.end[2:-1].strip()
    if target.endswith('"') and ' "' in target:
        target = target[: target.index(' "')]
    return target.strip("<>")


def _document_12(entries, original: str, source_language: str, language: str, examples: dict) -> etree._Element:
    root = etree.Element(f"{{{NS12}}}xliff", nsmap={None: NS12}, version="1.2")
    file = etree.SubElement(root, f"{{{NS12}}}file", original=original, datatype="po")
    file.set("source-language", xliff_language(source_language))
    file.set("target-language", xliff_language(language))
    body = etree.SubElement(file, f"{{{NS12}}}body")
    for entry in entries:
        uid = unit_id(entry.msgctxt, entry.msgid)
        if not entry.msgid_plural:
            unit = _trans_unit_12(body, uid, entry, entry.msgid, entry.msgstr)
            _describe_12(unit, entry, examples)
            continue
        # translate-toolkit's layout (poxliff): the message's context and notes on the group, before its
        # trans-units (the order the 1.2 schema wants); each form's state and approval on its trans-unit.
        group = etree.SubElement(body, f"{{{NS12}}}group", id=uid, restype=PLURALS_12)
        if entry.msgctxt:
            group.set("resname", entry.msgctxt)
        _describe_12(group, entry, examples)
        for index, (source, text) in enumerate(message_texts(entry)):
            _trans_unit_12(group, f"{uid}[{index}]", entry, source, text)
    indent_structure(root, [f"{{{NS12}}}{n}" for n in ("xliff", "file", "body", "group", "trans-unit", "context-group")])
    return root


def _trans_unit_12(parent, uid: str, entry: polib.POEntry, source: str, text: str) -> etree._Element:
    unit = etree.SubElement(parent, f"{{{NS12}}}trans-unit", id=uid)
    if entry.msgctxt:
        unit.set("resname", entry.msgctxt)
    unit.set(XML_SPACE, "preserve")
    source_nodes = inline.parse(source)
    _fill(etree.SubElement(unit, f"{{{NS12}}}source"), source_nodes, numbered(source_nodes), "1.2")
    state = _state(entry, text)
    target = etree.SubElement(unit, f"{{{NS12}}}target")
    target.set("state", {"fuzzy": "needs-review-translation"}.get(state, state))
    if state == "translated":
        unit.set("approved", "yes")
    if text:
        _fill(target, inline.parse(text), numbered(source_nodes), "1.2")
    return unit


def _describe_12(element: etree._Element, entry: polib.POEntry, examples: dict) -> None:
    """The message's context and notes, on its trans-unit or (a plural message) its group."""
    if entry.msgctxt is not None:
        group = etree.SubElement(element, f"{{{NS12}}}context-group", purpose="information")
        context = etree.SubElement(group, f"{{{NS12}}}context")
        context.set("context-type", "x-gettext-msgctxt")
        context.text = entry.msgctxt
    for kind, text in _notes(entry, examples):
        note = etree.SubElement(element, f"{{{NS12}}}note", {"from": kind})
        if kind == "previous-source":
            note.set("annotates", "source")
        note.text = text


def _document_2(entries, original: str, source_language: str, language: str, examples: dict) -> etree._Element:
    root = etree.Element(f"{{{NS2}}}xliff", nsmap={None: NS2}, version="2.1")
    root.set("srcLang", xliff_language(source_language))
    root.set("trgLang", xliff_language(language))
    # Segments are whole messages: a CAT tool must not split or join them.
    file = etree.SubElement(root, f"{{{NS2}}}file", id="f1", original=original, canResegment="no")
    for entry in entries:
        unit = etree.SubElement(file, f"{{{NS2}}}unit", id=unit_id(entry.msgctxt, entry.msgid))
        if entry.msgctxt:
            unit.set("name", entry.msgctxt)
        unit.set(XML_SPACE, "preserve")
        notes = _notes(entry, examples)
        if notes:
            container = etree.SubElement(unit, f"{{{NS2}}}notes")
            for kind, text in notes:
                note = etree.SubElement(container, f"{{{NS2}}}note", category=kind)
                if kind == "previous-source":
                    note.set("appliesTo", "source")
                note.text = text
        if entry.msgid_plural:
            unit.set("type", PLURALS_2)
        for index, (source, text) in enumerate(message_texts(entry)):
            state = _state(entry, text)
            segment = etree.SubElement(unit, f"{{{NS2}}}segment")
            # Inline code ids are unique in a whole unit: a plural form's codes are numbered p<form>-1, p<form>-2…
            prefix = f"p{index}-" if entry.msgid_plural else ""
            if entry.msgid_plural:
                segment.set("id", f"p{index}")
            segment.set("state", "translated" if state == "translated" else "initial")
            source_nodes = inline.parse(source)
            codes = numbered(source_nodes, prefix)
            _fill(etree.SubElement(segment, f"{{{NS2}}}source"), source_nodes, codes, "2", examples)
            if text:
                _fill(etree.SubElement(segment, f"{{{NS2}}}target"), inline.parse(text), codes, "2", examples)
    indent_structure(root, [f"{{{NS2}}}{n}" for n in ("xliff", "file", "unit", "notes", "segment")])
    return root


def _fill(element: etree._Element, nodes: list[inline.Node], codes: dict, version: str,
          examples: dict | None = None) -> None:
    """Write nodes into ``element``; a code the source does not have stays plain text (nothing is lost).

    In 2.x a code's ``disp`` is what a tool shows in its place: a value's example, a link's address.
    """
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
                    example = (examples or {}).get(node.text[1:-1]) if node.kind == "placeholder" else None
                    etree.SubElement(parent, f"{{{ns}}}ph", {
                        "id": key, "canDelete": "no", "type": "fmt", "subType": f"pubkit:{node.kind}",
                        "equiv": node.text, "disp": f"{node.text} = {example}" if example else node.text,
                    })
            elif version == "1.2":
                write(etree.SubElement(parent, f"{{{ns}}}g", id=key, ctype=_CTYPE_12[node.kind]), node.children)
            else:
                attributes = {"id": key, "equivStart": node.start, "equivEnd": node.end,
                              "dispStart": node.start, "dispEnd": node.end}
                if node.kind in ("link", "image"):
                    attributes["dispStart"], attributes["dispEnd"] = f"[→ {link_target(node)}]", "]"
                if node.kind in _SUBTYPE_2:
                    attributes.update(type="fmt", subType=_SUBTYPE_2[node.kind])
                else:
                    attributes["type"] = node.kind
                write(etree.SubElement(parent, f"{{{ns}}}pc", attributes), node.children)

    write(element, nodes)


def indent_structure(root: etree._Element, structural: list[str]) -> None:
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
