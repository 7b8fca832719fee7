"""``pubkit export --format tmx``: the project's approved translations as one TMX 1.4b memory.

A memory is for reuse, so only what would be published goes in: translated messages, not fuzzy,
whose translation passes the errors of ``pubkit check``. One ``<tu>`` per source text and context
(its id the XLIFF unit id), one ``<tuv>`` per language (BCP 47). The Markdown is kept whole: a
placeholder or code span is a ``<ph>``, emphasis and links ``<bpt>``/``<ept>`` pairs, each holding the
native code, which is what TMX readers (Okapi, OmegaT, Trados, translate-toolkit) show and what
``update --memory`` reads back, so that export and read-back lose nothing. A context travels as
``<prop type="x-context">``. Plural messages are left out: TMX has no plural forms.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polib
from lxml import etree

from .. import __version__
from ..config import Project
from ..errors import CatalogError
from ..fileio import write_atomic
from ..source import inline
from .catalogs import domains
from .checks import translation_errors
from .pofile import read_catalog
from .xliff import indent_structure, unit_id, xliff_language

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CONTEXT_PROP = "x-context"
_PAIR_TYPES = {"strong": "bold", "em": "italic", "link": "link", "image": "link"}


@dataclass(frozen=True)
class ExportedMemory:
    path: Path
    units: int
    languages: list[str]


def export_tmx(project: Project, languages: list[str] | None, path: Path) -> ExportedMemory:
    """Write the approved translations of ``languages`` (default: all) into ``path``; read everything first."""
    chosen = languages or project.languages
    units: dict[tuple[str | None, str], list[dict[str, str]]] = {}
    for language in chosen:
        for domain in domains(project):
            po_path = project.po_path(language, domain)
            if not po_path.exists():
                raise CatalogError("no catalog: run `pubkit update` first", po_path, 1)
            for entry in read_catalog(po_path):
                if _approved(entry, language, project.source_language):
                    _add(units, (entry.msgctxt, entry.msgid), language, entry.msgstr)
    root = _document(units, project.source_language)
    # Line breaks between structural elements only: inside a <seg> every character is the text.
    indent_structure(root, ["tmx", "body", "tu", "tuv"])
    write_atomic(path, etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n")
    return ExportedMemory(path, sum(len(variants) for variants in units.values()), list(chosen))


def _approved(entry: polib.POEntry, language: str, source_language: str) -> bool:
    """Translated, not fuzzy, not plural, and not rejected by ``pubkit check``."""
    if entry.obsolete or entry.msgid_plural or not entry.msgid or not entry.msgstr or "fuzzy" in entry.flags:
        return False
    return not translation_errors(entry, entry.msgstr, language, source_language)


def _add(units: dict, key: tuple[str | None, str], language: str, text: str) -> None:
    """One translation: into the first unit of its text without this language (or with the same text)."""
    variants = units.setdefault(key, [])
    for variant in variants:
        if variant.get(language, text) == text:
            variant[language] = text
            return
    variants.append({language: text})


def _document(units: dict, source_language: str) -> etree._Element:
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(root, "header", {
        "creationtool": "pubkit", "creationtoolversion": __version__, "segtype": "paragraph",
        "o-tmf": "PO", "adminlang": "en", "srclang": xliff_language(source_language), "datatype": "plaintext",
    })
    body = etree.SubElement(root, "body")
    for (context, msgid), variants in units.items():
        for index, variant in enumerate(variants):
            uid = unit_id(context, msgid)
            unit = etree.SubElement(body, "tu", tuid=uid if index == 0 else f"{uid}-{index + 1}")
            if context is not None:
                etree.SubElement(unit, "prop", type=CONTEXT_PROP).text = context
            _variant(unit, source_language, msgid)
            for language in sorted(variant):
                _variant(unit, language, variant[language])
    return root


def _variant(unit: etree._Element, language: str, text: str) -> None:
    variant = etree.SubElement(unit, "tuv")
    variant.set(XML_LANG, xliff_language(language))
    segment = etree.SubElement(variant, "seg")
    _fill(segment, inline.parse(text), [0])


def _fill(parent: etree._Element, nodes: list[inline.Node], counter: list[int]) -> None:
    """Text as text, codes as TMX inline elements holding their Markdown (``counter``: the next i/x)."""
    for node in nodes:
        if isinstance(node, str):
            _append(parent, node)
            continue
        counter[0] += 1
        number = str(counter[0])
        if isinstance(node, inline.Code):
            code = etree.SubElement(parent, "ph", x=number, type="x-placeholder" if node.kind == "placeholder"
                                    else "x-code")
            code.text = node.text
            continue
        start = etree.SubElement(parent, "bpt", i=number, type=_PAIR_TYPES[node.kind])
        start.text = node.start
        _fill(parent, node.children, counter)
        etree.SubElement(parent, "ept", i=number).text = node.end


def _append(parent: etree._Element, text: str) -> None:
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text
