"""A rendered release as plain text for a terminal mail client: wrapped, aligned, links as numbered references."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import html as lxml_html
from uniseg.linebreak import line_break_boundaries
from wcwidth import wcswidth, wcwidth

#: Lines of the plain-text part are at most this many terminal columns wide, except a URL that is longer.
WIDTH = 78
#: Addresses are never broken across lines: a reader copies them whole.
_URL = re.compile(r"(?:https?://|mailto:|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "blockquote", "pre",
           "figure", "figcaption", "header", "footer", "article", "section", "aside", "hr", "main", "nav"}
_SKIPPED = {"script", "style", "template", "head", "title", "meta", "link", "noscript"}
#: Unicode isolates for what the HTML isolates with <bdi> or dir (right-to-left pages only).
_ISOLATES = {"ltr": ("\u2066", "\u2069"), "rtl": ("\u2067", "\u2069"), None: ("\u2068", "\u2069")}
_UNDERLINES = {"h1": "=", "h2": "-"}
#: A <br> while white space is collapsed (a vertical tab never comes from HTML text that is shown).
_BREAK = "\x0b"
#: Around a formatted value (the page's <bdi class="value">) until lines are broken: a value never is.
_VALUE_START, _VALUE_END = "\x0e", "\x0f"
_VALUE = re.compile(f"{_VALUE_START}[^{_VALUE_END}]*{_VALUE_END}")


def columns(text: str) -> int:
    """How many terminal columns ``text`` takes: East Asian wide characters take two, marks none."""
    width = wcswidth(text)
    if width >= 0:
        return width
    return sum(max(wcwidth(ch), 0) for ch in text)  # a control character counts for nothing


def wrap(text: str, width: int = WIDTH, keep_words: bool = False) -> list[str]:
    """``text`` broken into lines of at most ``width`` columns where Unicode allows a break (UAX #14:
    between words, between CJK characters, never before 。), never inside an address or a marked value;
    ``\\n`` is kept. ``keep_words``: only at spaces (Korean breaks between words, not syllables)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(unmark(line) for line in _wrap_paragraph(paragraph, width, keep_words))
    return lines


def unmark(text: str) -> str:
    return text.replace(_VALUE_START, "").replace(_VALUE_END, "")


def _wrap_paragraph(text: str, width: int, keep_words: bool) -> list[str]:
    text = text.strip(" ")
    if not text:
        return [""]
    whole = [m.span() for pattern in (_URL, _VALUE) for m in pattern.finditer(text)]
    inside = {i for start, end in whole for i in range(start + 1, end)}
    breaks = [b for b in line_break_boundaries(text)
              if b not in inside and (not keep_words or b == len(text) or text[b - 1].isspace())]
    lines: list[str] = []
    line, start = "", 0
    for end in breaks:
        piece = text[start:end]
        start = end
        if line and columns((line + piece).rstrip()) > width:
            lines.append(line.rstrip())
            line = piece.lstrip()
        else:
            line += piece
    if line.strip():
        lines.append(line.rstrip())
    return lines


@dataclass
class _Text:
    """What the walk over a page collects: the blocks of text, and the links they refer to."""

    rtl: bool
    keep_words: bool = False
    links: list[str] = field(default_factory=list)

    def reference(self, href: str) -> int:
        if href not in self.links:
            self.links.append(href)
        return self.links.index(href) + 1


def plain_text(page_html: str, direction: str, notice: str | None = None, language: str = "") -> str:
    """The article of a rendered page as plain text of at most 78 columns a line (URLs excepted).

    Headings are underlined, lists get their markers with a hanging indent, a table becomes aligned
    columns (or, too wide, one "header: value" line per cell), links become "[1]" with the addresses
    listed at the end, images their alt text. ``notice`` (an embargo) is the first line.
    """
    document = lxml_html.document_fromstring(page_html)
    article = next(iter(document.xpath("//article")), None)
    root = article if article is not None else document.body
    collected = _Text(rtl=direction == "rtl", keep_words=language.split("_")[0].split("-")[0] == "ko")
    blocks = _blocks(root, WIDTH, collected)
    if notice:
        blocks.insert(0, wrap(notice))
    if collected.links:
        blocks.append([f"[{n}] {href}" for n, href in enumerate(collected.links, start=1)])
    text = "\n\n".join("\n".join(lines) for lines in blocks if lines)
    return text.rstrip() + "\n"


def _blocks(element, width: int, text: _Text) -> list[list[str]]:
    """The block children of ``element`` as lists of lines; loose inline content becomes a paragraph."""
    blocks: list[list[str]] = []
    pending: list[str] = [element.text or ""]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _BLOCKS:
            _flush(pending, blocks, width, text)
            blocks.extend(_block(child, tag, width, text))
            pending = [child.tail or ""]
        elif tag not in _SKIPPED and tag:
            pending.append(_inline(child, text))
            pending.append(child.tail or "")
        else:
            pending.append(child.tail or "")
    _flush(pending, blocks, width, text)
    return blocks


def _flush(pending: list[str], blocks: list[list[str]], width: int, text: _Text) -> None:
    words = _collapse("".join(pending))
    if words.strip():
        blocks.append(wrap(words, width, text.keep_words))
    pending.clear()


def _block(element, tag: str, width: int, text: _Text) -> list[list[str]]:
    if tag in _UNDERLINES or tag in ("h3", "h4", "h5", "h6"):
        lines = wrap(_collapse(_inline(element, text)), width, text.keep_words)
        underline = _UNDERLINES.get(tag)
        if underline and lines:
            lines.append(underline * min(width, max(columns(line) for line in lines)))
        return [lines]
    if tag in ("ul", "ol"):
        return [_list(element, tag, width, text)]
    if tag == "table":
        return [_table(element, width, text)]
    if tag == "blockquote":
        inner = _blocks(element, width - 2, text)
        return [[f"> {line}".rstrip() for line in _joined(inner)]]
    if tag == "pre":
        return [["    " + line for line in element.text_content().rstrip("\n").split("\n")]]
    if tag == "hr":
        return [["-" * min(width, 20)]]
    return _blocks(element, width, text)


def _joined(blocks: list[list[str]], loose: bool = True) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        if lines and loose:
            lines.append("")
        lines.extend(block)
    return lines


def _list(element, tag: str, width: int, text: _Text) -> list[str]:
    lines: list[str] = []
    number = int(element.get("start", "1") or 1) if tag == "ol" and element.get("start", "1").isdigit() else 1
    items = [child for child in element if child.tag == "li"]
    for item in items:
        marker = f"{number}. " if tag == "ol" else "- "
        number += 1
        inner = _joined(_blocks(item, width - len(marker), text), loose=False) or [""]
        lines.append(marker + inner[0])
        lines.extend((" " * len(marker) + line).rstrip() for line in inner[1:])
    return lines


def _table(element, width: int, text: _Text) -> list[str]:
    """Aligned columns (East Asian wide characters count twice), or "header: value" lines if too wide."""
    rows: list[list[str]] = []
    aligns: list[str] = []
    for row in element.iter("tr"):
        cells = [child for child in row if child.tag in ("th", "td")]
        rows.append([unmark(_collapse(_inline(cell, text))).strip() for cell in cells])
        if not aligns:
            aligns = ["right" if "right" in (cell.get("style") or "") else "left" for cell in cells]
    count = max((len(row) for row in rows), default=0)
    rows = [row + [""] * (count - len(row)) for row in rows]
    aligns += ["left"] * (count - len(aligns))
    widths = [max(columns(row[i]) for row in rows) for i in range(count)]
    has_header = element.find(".//thead") is not None
    if not rows or sum(widths) + 2 * (count - 1) > width:
        return _table_as_lines(rows, has_header, width, text.keep_words)
    lines = ["  ".join(_pad(cell, widths[i], aligns[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    if has_header:
        lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def _table_as_lines(rows: list[list[str]], has_header: bool, width: int, keep_words: bool) -> list[str]:
    header, body = (rows[0], rows[1:]) if has_header and rows else ([""] * len(rows[0] if rows else []), rows)
    lines: list[str] = []
    for row in body:
        if lines:
            lines.append("")
        for label, cell in zip(header, row):
            lines.extend(wrap(f"{label}: {cell}" if label else cell, width, keep_words))
    return lines


def _pad(cell: str, width: int, align: str) -> str:
    space = " " * (width - columns(cell))
    return space + cell if align == "right" else cell + space


def _inline(element, text: _Text) -> str:
    """The text of an inline element: a link as "text [n]", an image as its alt text, <br> as a newline."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _SKIPPED or not tag:
        return ""
    if tag == "br":
        return _BREAK
    if tag == "img":
        alt = (element.get("alt") or "").strip()
        return f"[{alt}]" if alt else ""
    inner = (element.text or "") + "".join(_inline(child, text) + (child.tail or "") for child in element)
    if tag == "a":
        href = (element.get("href") or "").strip()
        shown = _collapse(inner).strip()
        if not href or href.startswith("#") or href == shown or href == f"mailto:{shown}":
            return inner
        return f"{inner} [{text.reference(href)}]"
    direction = element.get("dir")
    if text.rtl and (tag == "bdi" or direction in ("ltr", "rtl")):
        start, end = _ISOLATES.get(direction, _ISOLATES[None])
        inner = start + inner + end
    if tag == "bdi" and "value" in (element.get("class") or "").split():
        inner = _VALUE_START + inner + _VALUE_END
    return inner


def _collapse(text: str) -> str:
    """White space as HTML shows it: runs become one space (no-break spaces are kept); a <br> a newline."""
    collapsed = re.sub(r"[ \t\r\n\f]+", " ", text)
    return re.sub(f" ?{_BREAK} ?", "\n", collapsed)
