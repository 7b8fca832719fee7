"""The text of an XLIFF source or target as Markdown, however a CAT tool wrote its codes and layout.

Translators' tools rewrite pubkit's files before they come back: they split a message into sentence
segments (1.2 ``<seg-source>`` with ``<mrk mtype="seg">``, 2.x several ``<segment>`` and
``<ignorable>``), turn paired codes into separate start and end codes (``<bx>``/``<ex>``,
``<bpt>``/``<ept>``, ``<it>``, ``<sc>``/``<ec>``), even across segments, and re-indent the file.
Whatever the form, a code is found by its id among the source message's codes and replaced by the
source's own Markdown (a tool may move a code, never change it), and whitespace follows
``xml:space``: inside ``preserve`` every character is text, elsewhere a run of XML whitespace is one
space and none at the ends of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from ..source import inline

NS12 = "urn:oasis:names:tc:xliff:document:1.2"
NS2 = "urn:oasis:names:tc:xliff:document:2.0"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_LAYOUT = re.compile(r"[ \t\r\n]+")
#: Stands for a run of layout whitespace until the text is finished (one space, none at the ends).
_SOFT = object()
#: Start and end codes of a pair, as tools write them: element name → True for a start, False for an end.
_PAIR_HALVES = {"bx": True, "ex": False, "bpt": True, "ept": False, "sc": True, "ec": False}
_NO_TEXT = {"sm", "em"}  # XLIFF 2 annotation markers: they mark a span, they hold no text


class CodeError(ValueError):
    """A target or source whose inline codes cannot be matched to the source message's."""


@dataclass
class Rebuilt:
    """Markdown being rebuilt from one or more XLIFF elements (a whole message, across segments)."""

    codes: dict
    parts: list = field(default_factory=list)
    open_pairs: list[str] = field(default_factory=list)
    layout: bool = False  # some text outside xml:space="preserve": layout whitespace was folded

    def text(self, value: str | None, preserve: bool) -> None:
        if not value:
            return
        if preserve:
            self.parts.append(value)
            return
        self.layout = True
        for index, word in enumerate(_LAYOUT.split(value)):
            if index:
                self.parts.append(_SOFT)
            if word:
                self.parts.append(word)

    def code(self, value: str) -> None:
        self.parts.append(value)

    def finish(self) -> str:
        if self.open_pairs:
            raise CodeError(f"paired code '{self.open_pairs[0]}' is opened but never closed")
        out: list[str] = []
        pending = False
        for part in self.parts:
            if part is _SOFT:
                pending = bool(out)
                continue
            if pending:
                out.append(" ")
                pending = False
            out.append(part)
        return "".join(out)


def fold_layout(text: str) -> str:
    """``text`` as it reads outside ``xml:space="preserve"``: runs of whitespace one space, ends trimmed."""
    return " ".join(part for part in _LAYOUT.split(text) if part)


def preserves(element: etree._Element) -> bool:
    """Whether whitespace in ``element`` is text: the nearest ``xml:space`` on it or an ancestor says so."""
    node = element
    while node is not None:
        value = node.get(XML_SPACE)
        if value is not None:
            return value == "preserve"
        node = node.getparent()
    return False


def numbered(nodes: list[inline.Node], prefix: str = "") -> dict[str, inline.Code | inline.Pair]:
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


def is_segment_marker(element: etree._Element) -> bool:
    """A 1.2 ``<mrk mtype="seg">``: one sentence segment of a ``<seg-source>`` or segmented target."""
    return etree.QName(element).localname == "mrk" and element.get("mtype") == "seg"


def walk(element: etree._Element, into: Rebuilt, ns: str, segments: dict | None = None) -> None:
    """Add ``element``'s content to ``into``: its text and its codes rebuilt from the source.

    ``segments``: for a 1.2 ``<seg-source>`` walked to make a translation, the target's element for
    each segment ``mid`` (``None``: the segment has no translation; its source text is used and the
    caller marks the message incomplete).
    """
    preserve = preserves(element)
    into.text(element.text, preserve)
    for child in element:
        if isinstance(child.tag, str):
            _child(child, into, ns, segments)
        into.text(child.tail, preserve)


def _child(child: etree._Element, into: Rebuilt, ns: str, segments: dict | None) -> None:
    name = etree.QName(child)
    if name.namespace != ns:
        raise CodeError(f"unknown inline element <{name.localname}>")
    local = name.localname
    if local in ("x", "ph"):
        into.code(_code(into, child.get("id", ""), inline.Code).text)
    elif local in ("g", "pc"):
        key = child.get("id", "")
        pair = _code(into, key, inline.Pair)
        into.code(pair.start)
        walk(child, into, ns, segments)
        into.code(pair.end)
    elif local in _PAIR_HALVES or local == "it":
        _half(child, local, into)
    elif segments is not None and is_segment_marker(child):
        target = segments.get(child.get("mid", ""))
        walk(target if target is not None else child, into, ns)
    elif local == "mrk":
        walk(child, into, ns, segments)
    elif local == "cp":
        into.code(_code_point(child.get("hex", "")))
    elif local not in _NO_TEXT:
        raise CodeError(f"unsupported inline element <{local}>")


def _half(child: etree._Element, local: str, into: Rebuilt) -> None:
    """One end of a paired code written as two elements: its source's opening or closing Markdown."""
    if local == "it":
        opening = child.get("pos") == "open"
        key = child.get("rid") or child.get("id", "")
    else:
        opening = _PAIR_HALVES[local]
        # 1.2 pairs halves by rid (or by id); 2.x closes with startRef, or by id when isolated.
        key = child.get("rid") or child.get("startRef") or child.get("id", "")
    pair = _code(into, key, inline.Pair)
    if opening:
        if child.get("isolated") != "yes" and local != "it":
            into.open_pairs.append(key)
        into.code(pair.start)
        return
    if key in into.open_pairs:
        into.open_pairs.remove(key)
    elif child.get("isolated") != "yes" and local != "it":
        raise CodeError(f"closing code '{key}' comes before its opening code")
    into.code(pair.end)


def _code(into: Rebuilt, key: str, kind: type) -> inline.Code | inline.Pair:
    code = into.codes.get(key)
    if not isinstance(code, kind):
        what = "inline code" if kind is inline.Code else "paired code"
        raise CodeError(f"{what} id '{key}' is not a code of the source")
    return code


def _code_point(value: str) -> str:
    try:
        return chr(int(value, 16))
    except ValueError:
        raise CodeError(f"<cp hex='{value}'> is not a character") from None
