"""A message's inline Markdown split into text a translator changes and codes nobody may change.

Used where a message leaves pubkit for another tool or is transformed: XLIFF export turns the codes
into inline elements a CAT tool protects, pseudo-localization changes only the text around them.
The split is lossless: ``original(parse(text)) == text`` for every string, because anything that is
not a complete code (an unclosed ``*``, a lone ``[``) simply stays text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .sources import PLACEHOLDER_RE

_CODE_SPAN_RE = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
# What closes a link or image: "](target)" or '](target "title")'.
_LINK_END_RE = re.compile(r"\]\((?:<[^<>\n]*>|[^()\s]*)(?:\s+\"[^\"]*\")?\)")
_EMPHASIS = ("**", "__", "*", "_")


@dataclass(frozen=True)
class Code:
    """Text that must reach the reader exactly as it is: a placeholder or a code span."""

    kind: str  # "placeholder" or "code"
    text: str


@dataclass
class Pair:
    """Markup around translatable text: emphasis or a link (whose target is in ``end``)."""

    kind: str  # "strong", "em", "link" or "image"
    start: str
    end: str
    children: list["Node"] = field(default_factory=list)


Node = str | Code | Pair


def parse(text: str) -> list[Node]:
    """The nodes of ``text``, in order; adjacent text is joined into one string."""
    nodes, _ = _parse(text, 0, None)
    return nodes


def original(nodes: list[Node]) -> str:
    """The Markdown the nodes came from."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(node)
        elif isinstance(node, Code):
            parts.append(node.text)
        else:
            parts.append(node.start + original(node.children) + node.end)
    return "".join(parts)


def _parse(text: str, index: int, closer: str | None) -> tuple[list[Node], int | None]:
    """Nodes from ``index`` until ``closer`` (returns the index after it) or the end (returns None)."""
    nodes: list[Node] = []
    plain: list[str] = []

    def add(node: Node) -> None:
        if plain:
            nodes.append("".join(plain))
            plain.clear()
        nodes.append(node)

    while index < len(text):
        if closer is not None and _closes(text, index, closer):
            if plain:
                nodes.append("".join(plain))
            return nodes, index + (0 if closer == "]" else len(closer))
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            plain.append(text[index : index + 2])
            index += 2
            continue
        if char == "`":
            span = _CODE_SPAN_RE.match(text, index)
            if span:
                add(Code("code", span.group(0)))
                index = span.end()
                continue
            run = re.match(r"`+", text[index:]).group(0)
            plain.append(run)
            index += len(run)
            continue
        if char == "{":
            placeholder = PLACEHOLDER_RE.match(text, index)
            if placeholder:
                add(Code("placeholder", placeholder.group(0)))
                index = placeholder.end()
                continue
        if char == "[" or text.startswith("![", index):
            opener = "![" if char == "!" else "["
            inner, after = _parse(text, index + len(opener), "]")
            end = _LINK_END_RE.match(text, after) if after is not None else None
            if end:
                add(Pair("image" if opener == "![" else "link", opener, end.group(0), inner))
                index = end.end()
                continue
        delimiter = next((d for d in _EMPHASIS if text.startswith(d, index)), None)
        if delimiter and _opens(text, index, delimiter):
            inner, after = _parse(text, index + len(delimiter), delimiter)
            if after is not None and inner:
                kind = "strong" if len(delimiter) == 2 else "em"
                add(Pair(kind, delimiter, delimiter, inner))
                index = after
                continue
            plain.append(delimiter)
            index += len(delimiter)
            continue
        plain.append(char)
        index += 1
    if plain:
        nodes.append("".join(plain))
    return nodes, None


def _opens(text: str, index: int, delimiter: str) -> bool:
    following = text[index + len(delimiter) : index + len(delimiter) + 1]
    if not following or following.isspace():
        return False
    # An underscore inside a word (snake_case) is not emphasis in CommonMark.
    return not (delimiter[0] == "_" and index > 0 and text[index - 1].isalnum())


def _closes(text: str, index: int, closer: str) -> bool:
    if closer == "]":
        return text[index] == "]"
    if not text.startswith(closer, index) or index == 0 or text[index - 1].isspace():
        return False
    # "**" must not be read as the closing "*" of an emphasis.
    if len(closer) == 1 and text.startswith(closer * 2, index):
        return False
    after = text[index + len(closer) : index + len(closer) + 1]
    return not (closer[0] == "_" and after.isalnum())
