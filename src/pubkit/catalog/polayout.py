"""Writing catalogs in GNU gettext's own layout, so that ``msgcat`` and ``msgmerge`` change no byte.

Translators' tools (Weblate's msgmerge add-on, Poedit, ``msgcat``) rewrite a ``.po`` file in GNU's
layout; if pubkit wrote any other layout, every save on either side would be a noisy diff. This
module follows GNU's ``write-po.c``: a string is cut after each ``\\n``, each piece is wrapped at
79 columns at the line-break opportunities of Unicode's line breaking algorithm (UAX #14, the
algorithm GNU takes from libunistring), an escape sequence is never split, the space stays at the
end of the line, and wide (CJK) characters count two columns.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import re
import unicodedata
from functools import cache, lru_cache

import polib

PAGE_WIDTH = 79

_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v",
            "\\": "\\\\", '"': '\\"'}
_PORTION_RE = re.compile(r"[^\n]*\n|[^\n]+")
_NEEDS_ESCAPE = re.compile(r'[\a\b\f\n\r\t\v\\"]')

#: GNU's order of format flags (gettext's ``format_language`` table); fuzzy comes before them all,
#: ``range:`` and ``[no-]wrap`` after them. Flags GNU does not know keep their order, at the end.
_FORMATS = (
    "c", "objc", "python", "python-brace", "java", "csharp", "javascript", "scheme", "lisp", "elisp",
    "librep", "ruby", "sh", "awk", "lua", "object-pascal", "smalltalk", "qt", "qt-plural", "kde",
    "kde-kuit", "boost", "tcl", "perl", "perl-brace", "php", "gcc-internal", "gfc-internal", "ycp",
)
_FORMAT_RANK = {name: rank for rank, name in enumerate(_FORMATS, start=1)}


def render(catalog: polib.POFile) -> str:
    """The catalog as GNU ``msgcat`` would write it: header first, entries in order, a blank line between."""
    blocks = [_header(catalog)] if catalog.metadata or catalog.header else []
    blocks.extend(entry_text(entry) for entry in catalog)
    return "\n".join(blocks)


def entry_text(entry: polib.POEntry) -> str:
    """One entry in GNU's order: comments, extracted comments, references, flags, previous, strings."""
    lines: list[str] = []
    blank = getattr(entry, "blank_comments", ())
    lines.extend(_comment_lines("#", entry.tcomment, "#" in blank))
    lines.extend(_comment_lines("#.", entry.comment, "#." in blank))
    lines.extend(reference_lines(entry.occurrences))
    if entry.flags:
        lines.append("#, " + ", ".join(sorted_flags(entry.flags)))
    wrap = "no-wrap" not in entry.flags
    previous_prefix = "#~| " if entry.obsolete else "#| "
    for name in ("msgctxt", "msgid", "msgid_plural"):
        value = getattr(entry, f"previous_{name}", None)
        if value is not None:  # an empty previous context is still a context, as for GNU
            lines.extend(string_lines(name, value, previous_prefix, wrap))
    prefix = "#~ " if entry.obsolete else ""
    if entry.msgctxt is not None:
        lines.extend(string_lines("msgctxt", entry.msgctxt, prefix, wrap))
    lines.extend(string_lines("msgid", entry.msgid, prefix, wrap))
    if entry.msgid_plural or entry.msgstr_plural:
        lines.extend(string_lines("msgid_plural", entry.msgid_plural, prefix, wrap))
        for index in sorted(entry.msgstr_plural, key=int):
            lines.extend(string_lines(f"msgstr[{index}]", entry.msgstr_plural[index], prefix, wrap))
    else:
        lines.extend(string_lines("msgstr", entry.msgstr, prefix, wrap))
    return "".join(line + "\n" for line in lines)


def _header(catalog: polib.POFile) -> str:
    entry = polib.POEntry(msgid="", msgstr=header_text(catalog))
    entry.tcomment = catalog.header
    entry.blank_comments = {"#"} if getattr(catalog, "header_blank", False) else set()
    if catalog.metadata_is_fuzzy:
        entry.flags = ["fuzzy"]
    return entry_text(entry)


def header_text(catalog: polib.POFile) -> str:
    """The header's msgstr: each field as it was read (``header_fields``) unless its value changed."""
    metadata = dict(catalog.metadata)
    parts: list[str] = []
    for key, value, raw in getattr(catalog, "header_fields", []):
        if not key:
            parts.append(raw)  # an empty line in the header: kept
        elif metadata.get(key) == value:
            parts.append(raw)
            del metadata[key]
        elif key in metadata:
            parts.append(f"{key}: {metadata.pop(key)}\n")
    if metadata and parts and not parts[-1].endswith("\n"):
        parts[-1] += "\n"
    parts.extend(f"{key}: {value}\n" for key, value in metadata.items())
    return "".join(parts)


def sorted_flags(flags: list[str]) -> list[str]:
    """Flags in GNU's order, each once."""

    def rank(flag: str) -> int:
        if flag == "fuzzy":
            return 0
        name = flag.removeprefix("no-").removeprefix("possible-").removesuffix("-format")
        if flag.endswith("-format") and name in _FORMAT_RANK:
            return _FORMAT_RANK[name]
        if flag.startswith("range:"):
            return len(_FORMATS) + 1
        if flag in ("wrap", "no-wrap"):
            return len(_FORMATS) + 2
        return len(_FORMATS) + 3

    return sorted(dict.fromkeys(flags), key=rank)


def _comment_lines(mark: str, text: str | None, blank: bool = False) -> list[str]:
    # Comments are written as they were read, never rewrapped: GNU keeps them byte for byte too.
    if not text:
        return [mark] if blank and text == "" else []
    return [f"{mark} {line}" if line else mark for line in text.split("\n")]


def reference_lines(occurrences: list[tuple[str, str]]) -> list[str]:
    """``#:`` lines: references joined by spaces, a new line before one that would pass 79 columns."""
    if not occurrences:
        return []
    lines: list[str] = []
    line, column = "#:", 2
    for path, number in dict.fromkeys(occurrences):  # a reference twice is written once, as GNU does
        reference = f"{path}:{number}" if number not in (None, "") else path
        if column > 2 and column + len(reference) + 1 > PAGE_WIDTH:
            lines.append(line)
            line, column = "#:", 2
        line += " " + reference
        column += len(reference) + 1
    lines.append(line)
    return lines


def string_lines(name: str, value: str, prefix: str = "", wrap: bool = True) -> list[str]:
    """``name "value"`` as GNU writes it: cut after each ``\\n``, each piece wrapped at 79 columns.

    As in GNU, if the string has more than one piece or does not fit on the keyword's line, the
    keyword gets an empty string and the text starts on the next line.
    """
    lines: list[str] = []
    portions = _PORTION_RE.findall(value) or [""]
    after_break = len(prefix) + 1  # where text starts on a continuation line, past the opening quote
    first = True
    for number, portion in enumerate(portions):
        chars, forbidden = _escaped(portion)
        width = (_NO_WRAP if not wrap else PAGE_WIDTH) - 1 - after_break
        start = (len(name) + 1 if first else 0) + len(prefix) + 1 - after_break
        breaks = _breaks("".join(chars), forbidden, width, start)
        if first and chars and (number < len(portions) - 1 or start > width or breaks):
            lines.append(f'{prefix}{name} ""')
            first = False
            start = 0
            breaks = _breaks("".join(chars), forbidden, width, start)
        head = f'{prefix}{name} "' if first else f'{prefix}"'
        pieces, last = [], 0
        for index in breaks:
            pieces.append("".join(chars[last:index]))
            last = index
        pieces.append("".join(chars[last:]))
        lines.append(head + pieces[0] + '"')
        lines.extend(f'{prefix}"{piece}"' for piece in pieces[1:])
        first = False
    return lines


def _escaped(portion: str) -> tuple[list[str], set[int]]:
    """The piece as written (escapes expanded, one list item per character) and where no break may go."""
    chars: list[str] = []
    forbidden: set[int] = set()
    if _NEEDS_ESCAPE.search(portion) is None:
        return list(portion), forbidden
    for char in portion:
        escape = _ESCAPES.get(char)
        if escape is None:
            chars.append(char)
        else:
            chars.extend(escape)
            forbidden.add(len(chars) - 1)  # never inside an escape sequence
    if portion.endswith("\n"):
        forbidden.add(len(chars) - 2)  # nor just before the "\n" that ends a piece
    return chars, forbidden


def _breaks(text: str, forbidden: set[int], width: int, start: int) -> list[int]:
    """Where to cut ``text`` (character indexes), filling lines up to ``width`` columns greedily.

    libunistring's ``ulc_width_linebreaks``: text between two break opportunities is an unbreakable
    piece; a line is cut at the last opportunity before the piece that would pass the width.
    """
    if start + (len(text) if text.isascii() else 2 * len(text)) <= width:
        return []  # fits even if every character were two columns wide: nothing to cut (the common case)
    library = _libunistring()
    if library is not None:
        return _unistring_breaks(library, text, forbidden, width, start)
    opportunities = [i for i in _opportunities(text) if i not in forbidden]
    cuts: list[int] = []
    column = start
    last = None  # the last opportunity seen, where a cut may still be made
    piece = 0
    position = 0
    for index in opportunities + [len(text)]:
        piece = _width(text[position:index])
        if last is not None and column + piece > width:
            cuts.append(last)
            column = 0
        column += piece
        last, position = index, index
    return [cut for cut in cuts if 0 < cut < len(text)]


_NO_WRAP = 2**31 - 1  # GNU's INT_MAX: a no-wrap string is never cut
_PROHIBITED, _POSSIBLE = 1, 2  # libunistring's UC_BREAK_PROHIBITED and UC_BREAK_POSSIBLE


@cache
def _libunistring() -> ctypes.CDLL | None:
    """GNU libunistring, the library msgcat itself wraps with, when the system has it (gettext needs it).

    Its line breaking (UAX #14 with its own tailoring) and character widths are what GNU's layout is
    made of, so calling it gives msgcat's cuts exactly; without it an approximation is used.
    """
    name = ctypes.util.find_library("unistring") or "libunistring.so.2"
    try:
        library = ctypes.CDLL(name)
        function = library.u8_width_linebreaks
    except (OSError, AttributeError):
        return None
    function.restype = ctypes.c_int
    function.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                         ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p]
    return library


def _unistring_breaks(library: ctypes.CDLL, text: str, forbidden: set[int], width: int, start: int) -> list[int]:
    data = text.encode("utf-8")
    offsets: list[int] = []  # byte offset of each character
    position = 0
    for char in text:
        offsets.append(position)
        position += len(char.encode("utf-8"))
    overrides = bytearray(len(data))
    for index in forbidden:
        overrides[offsets[index]] = _PROHIBITED
    result = ctypes.create_string_buffer(len(data) or 1)
    library.u8_width_linebreaks(data, len(data), width, start, 0, bytes(overrides), b"UTF-8", result)
    raw = result.raw
    return [index for index, offset in enumerate(offsets) if index and raw[offset] == _POSSIBLE]


@lru_cache(maxsize=8192)
def _opportunities(text: str) -> tuple[int, ...]:
    try:  # translate-toolkit's UAX #14 implementation, if installed; else after every space
        from unicode_segmentation_rs import line_breaks
    except ImportError:
        return tuple(index + 1 for index, char in enumerate(text[:-1]) if char == " " and text[index + 1] != " ")
    encoded = text.encode("utf-8")
    offsets = [offset for offset, _mandatory in line_breaks(text)]
    return tuple(len(encoded[:offset].decode("utf-8")) for offset in offsets if 0 < offset < len(encoded))


def _width(text: str) -> int:
    total = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        total += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return total
