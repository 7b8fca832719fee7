"""Strict reading and stable writing of PO files: what polib lets slip is an error with its line here."""

from __future__ import annotations

import codecs
import gettext
import re
from pathlib import Path

import polib

from .errors import CatalogError
from .fileio import read_limited

WRAP_WIDTH = 78
#: The largest catalog pubkit reads; a bigger file is a mistake, not a translation.
MAX_CATALOG_BYTES = 64 * 1024 * 1024
MAX_PLURAL_FORMS = 6  # Arabic and Welsh need six; no language needs more

_KEYWORD_RE = re.compile(r"^(msgctxt|msgid|msgid_plural|msgstr|msgstr\[(\d+)\])(?=\s|\"|$)\s*(.*)$")
_PREVIOUS_RE = re.compile(r"^(msgctxt|msgid|msgid_plural)(?=\s|\"|$)\s*(.*)$")
_ESCAPE_RE = re.compile(r'\\(?:[\\"\'?abfnrtv]|[0-7]{1,3}|x[0-9A-Fa-f]+)')
_CONFLICT_RE = re.compile(r"^(<{7}|={7}|>{7}|\|{7})( |$)")
_PLURAL_FORMS_RE = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$", re.DOTALL)
_CHARSET_RE = re.compile(r'^"Content-Type:[^"]*charset=([^"\\;\s]+)', re.MULTILINE | re.IGNORECASE)


def read_catalog(path: Path) -> polib.POFile:
    """Read a ``.po`` or ``.pot`` file strictly, turning every problem into ``path:line: error``.

    Checked beyond what polib does: string syntax (unterminated strings, unknown escapes),
    unknown keywords, git conflict markers, NUL bytes, the declared charset against the bytes,
    a fuzzy header, duplicate messages, and the Plural-Forms header (parsed by the standard
    library's gettext, which accepts only the C expression grammar: nothing is run from the file).
    A UTF-8 byte-order mark and CRLF line ends are accepted.
    """
    text = _decode(path)
    _check_lines(text, path)
    try:
        catalog = polib.pofile(text, wrapwidth=WRAP_WIDTH)
    except (OSError, ValueError) as exc:
        match = re.search(r"\(line (\d+)\)", str(exc))
        reason = str(exc).split(": ", 1)[1] if ": " in str(exc) else "syntax error"
        raise CatalogError(f"invalid PO syntax: {reason}", path, int(match.group(1)) if match else 1) from None
    catalog.fpath = str(path)
    _check_entries(catalog, path, text)
    return catalog


def render(catalog: polib.POFile) -> str:
    """A catalog as PO text, with stable wrapping and a final newline."""
    return str(catalog).rstrip("\n") + "\n"


def plural_count(header: str, path: Path) -> int:
    """Validate a ``Plural-Forms`` header and return ``nplurals``.

    The expression must give a form in ``0 … nplurals-1`` for every count, and never divide by zero.
    """
    match = _PLURAL_FORMS_RE.match(header)
    if not match:
        raise CatalogError(f"invalid Plural-Forms header '{header}': expected 'nplurals=N; plural=EXPRESSION;'", path, 1)
    count, expression = int(match.group(1)), match.group(2)
    if not 1 <= count <= MAX_PLURAL_FORMS:
        raise CatalogError(f"invalid Plural-Forms header: nplurals={count} (expected 1 to {MAX_PLURAL_FORMS})", path, 1)
    try:
        choose = gettext.c2py(expression)
    except (ValueError, SyntaxError, RecursionError) as exc:
        raise CatalogError(f"invalid Plural-Forms expression '{expression}': {exc}", path, 1) from None
    for n in (*range(0, 1002), 10_000, 100_000, 1_000_000, 10_000_001):
        try:
            form = choose(n)
        except ZeroDivisionError:
            raise CatalogError(f"Plural-Forms expression divides by zero for n={n}", path, 1) from None
        if not 0 <= form < count:
            raise CatalogError(
                f"Plural-Forms expression gives form {form} for n={n}, but nplurals={count}", path, 1
            )
    return count


def _decode(path: Path) -> str:
    data = read_limited(path, MAX_CATALOG_BYTES, CatalogError, "catalog")
    if not data.strip():
        raise CatalogError(
            "catalog is empty; restore it from version control, or delete it and run `pubkit update`", path, 1
        )
    data = data.removeprefix(codecs.BOM_UTF8)
    declared = _CHARSET_RE.search(data.decode("ascii", errors="replace"))
    charset = declared.group(1) if declared and declared.group(1).upper() != "CHARSET" else "utf-8"
    try:
        codecs.lookup(charset)
    except LookupError:
        line = data[: declared.start()].count(b"\n") + 1 if declared else 1
        raise CatalogError(f"unknown charset '{charset}' in the Content-Type header", path, line) from None
    try:
        text = data.decode(charset)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CatalogError(
            f"the bytes are not {charset} as the header says (byte 0x{data[exc.start]:02x})", path, line
        ) from None
    return text.replace("\r\n", "\n")


def _check_lines(text: str, path: Path) -> None:
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if _CONFLICT_RE.match(line):
            raise CatalogError("git conflict marker: resolve the merge conflict first", path, number)
        if stripped.startswith("#~|") or stripped.startswith("#|"):
            rest = stripped[3:] if stripped.startswith("#~|") else stripped[2:]
            _check_field(rest.strip(), path, number, _PREVIOUS_RE)
        elif stripped.startswith("#~"):
            _check_field(stripped[2:].strip(), path, number, _KEYWORD_RE)
        elif stripped.startswith("#"):
            continue
        else:
            _check_field(stripped, path, number, _KEYWORD_RE)


def _check_field(text: str, path: Path, number: int, keywords: re.Pattern[str]) -> None:
    if not text:
        return
    if text.startswith('"'):
        _check_string(text, path, number)
        return
    match = keywords.match(text)
    if match is None:
        word = text.split()[0] if text.split() else text
        raise CatalogError(f"unknown keyword '{word[:30]}'", path, number)
    rest = match.group(match.lastindex) if match.lastindex else ""
    if not rest.startswith('"'):
        raise CatalogError(f"'{match.group(1)}' must be followed by a quoted string", path, number)
    _check_string(rest, path, number)


def _check_string(text: str, path: Path, number: int) -> None:
    index = 1
    while index < len(text):
        char = text[index]
        if char == "\\":
            escape = _ESCAPE_RE.match(text, index)
            if escape is None:
                shown = text[index : index + 2]
                raise CatalogError(f"invalid escape sequence '{shown}' in a string", path, number)
            index = escape.end()
            continue
        if char == '"':
            if text[index + 1 :].strip():
                raise CatalogError('text after the closing quote (an unescaped " inside a string?)', path, number)
            return
        index += 1
    raise CatalogError("unterminated string: a closing quote is missing", path, number)


def _check_entries(catalog: polib.POFile, path: Path, text: str) -> None:
    if catalog.metadata_is_fuzzy:
        raise CatalogError(
            "the header is marked fuzzy, so gettext ignores it (and its charset): remove '#, fuzzy' above it",
            path,
            _header_line(text),
        )
    header = catalog.metadata.get("Plural-Forms")
    if header is not None:
        plural_count(header, path)
    seen: dict[tuple[str | None, str], int] = {}
    for entry in catalog:
        if entry.obsolete:
            continue
        key = (entry.msgctxt, entry.msgid)
        if key in seen:
            where = f" (context '{entry.msgctxt}')" if entry.msgctxt is not None else ""
            raise CatalogError(
                f"duplicate message '{shorten(entry.msgid)}'{where}, first defined at line {seen[key]}",
                path,
                entry.linenum,
            )
        seen[key] = entry.linenum


def _header_line(text: str) -> int:
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith("#,") and "fuzzy" in line:
            return number
    return 1


def shorten(text: str, width: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
