"""Strict reading and stable writing of PO files: what polib lets slip is an error with its line here."""

from __future__ import annotations

import codecs
import gettext
import re
from pathlib import Path

import polib

from . import polayout
from ..errors import CatalogError
from ..fileio import read_limited

WRAP_WIDTH = 78
#: The largest catalog pubkit reads; a bigger file is a mistake, not a translation.
MAX_CATALOG_BYTES = 64 * 1024 * 1024
MAX_PLURAL_FORMS = 6  # Arabic and Welsh need six; no language needs more

_KEYWORD_RE = re.compile(r"^(msgctxt|msgid|msgid_plural|msgstr|msgstr\[(\d+)\])(?=\s|\"|$)\s*(.*)$")
_PREVIOUS_RE = re.compile(r"^(msgctxt|msgid|msgid_plural)(?=\s|\"|$)\s*(.*)$")
_ESCAPE_RE = re.compile(r'\\(?:[\\"\'?abfnrtv]|[0-7]{1,3}|x[0-9A-Fa-f]+)')
_CONFLICT_RE = re.compile(r"^(<{7}|={7}|>{7}|\|{7})( |$)")
# The expression ends at the first ';' (GNU's parser stops there and ignores the rest of the field).
_PLURAL_FORMS_RE = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*([^;]+?)\s*(?:;.*)?$", re.DOTALL)
_CHARSET_RE = re.compile(r'^"Content-Type:[^"]*charset=([^"\\;\s]+)', re.MULTILINE | re.IGNORECASE)


def read_catalog(path: Path) -> polib.POFile:
    """Read a ``.po`` or ``.pot`` file as GNU gettext reads it, turning every problem into ``path:line: error``.

    The parser is pubkit's own (polib drops a ``msgid`` without ``msgstr``, refuses ``#text`` comments
    and keeps no line for header fields); the result is a polib catalog, which the rest of pubkit uses.
    Checked as msgfmt checks: string syntax (unterminated strings, unknown escapes), keywords and
    their order, git conflict markers, NUL bytes, the declared charset against the bytes, duplicate
    messages, and the Plural-Forms header (parsed by the standard library's gettext, which accepts
    only the C expression grammar: nothing is run from the file). A header marked fuzzy is read, as
    msgfmt reads it. A UTF-8 byte-order mark and CRLF line ends are accepted.
    """
    text = _decode(path)
    catalog = _Parser(path).parse(text)
    catalog.fpath = str(path)
    _check_entries(catalog, path, text)
    return catalog


def parse_text(text: str, path: Path = Path("<text>")) -> polib.POFile:
    """A catalog from PO text already decoded, with the same checks as :func:`read_catalog`."""
    catalog = _Parser(path).parse(text)
    _check_entries(catalog, path, text)
    return catalog


def render(catalog: polib.POFile) -> str:
    """A catalog as PO text, in GNU msgcat's layout (see :mod:`pubkit.polayout`)."""
    return polayout.render(catalog)


def plural_count(header: str, path: Path, line: int = 1) -> int:
    """Validate a ``Plural-Forms`` header and return ``nplurals``.

    The expression must give a form in ``0 … nplurals-1`` for every count, and never divide by zero.
    """
    match = _PLURAL_FORMS_RE.match(header)
    if not match:
        raise CatalogError(f"invalid Plural-Forms header '{header}': expected 'nplurals=N; plural=EXPRESSION;'", path, line)
    count, expression = int(match.group(1)), match.group(2)
    if not 1 <= count <= MAX_PLURAL_FORMS:
        raise CatalogError(f"invalid Plural-Forms header: nplurals={count} (expected 1 to {MAX_PLURAL_FORMS})", path, line)
    try:
        choose = gettext.c2py(expression)
    except (ValueError, SyntaxError, RecursionError) as exc:
        raise CatalogError(f"invalid Plural-Forms expression '{expression}': {exc}", path, line) from None
    for n in (*range(0, 1002), 10_000, 100_000, 1_000_000, 10_000_001):
        try:
            form = choose(n)
        except ZeroDivisionError:
            raise CatalogError(f"Plural-Forms expression divides by zero for n={n}", path, line) from None
        if not 0 <= form < count:
            raise CatalogError(
                f"Plural-Forms expression gives form {form} for n={n}, but nplurals={count}", path, line
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


_UNESCAPE = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
             "\\": "\\", '"': '"', "'": "'", "?": "?"}


class _Parser:
    """GNU's PO grammar, line by line: comments gather until the entry they belong to."""

    def __init__(self, path: Path):
        self.path = path
        self.catalog = polib.POFile(wrapwidth=WRAP_WIDTH)
        self.entry: dict | None = None  # the entry being read: field name → value, plus its line numbers
        self.comments: dict = {}  # comments, flags, references and previous strings for the next entry
        self.field: tuple[dict, str] | None = None  # where a continuation string goes

    def parse(self, text: str) -> polib.POFile:
        for number, line in enumerate(text.split("\n"), start=1):
            self.line(line, number)
        self.finish()
        return self.catalog

    def error(self, message: str, number: int) -> CatalogError:
        return CatalogError(message, self.path, number)

    def line(self, line: str, number: int) -> None:
        if _CONFLICT_RE.match(line):
            raise self.error("git conflict marker: resolve the merge conflict first", number)
        stripped = line.strip()
        if not stripped:
            return
        if not stripped.startswith("#"):
            self.keyword(stripped, number, obsolete=False)
        elif stripped.startswith("#~|"):
            self.previous(stripped[3:].strip(), number, obsolete=True)
        elif stripped.startswith("#~"):
            self.keyword(stripped[2:].strip(), number, obsolete=True)
        elif stripped.startswith("#|"):
            self.previous(stripped[2:].strip(), number, obsolete=False)
        else:
            self.comment(line.lstrip(), number)

    def comment(self, line: str, number: int) -> None:
        if self.entry is not None and "msgstr" in self.entry:
            self.finish()
        self.field = None
        mark, rest = line[:2], line[2:]
        if mark == "#,":
            flags = self.comments.setdefault("flags", [])
            flags.extend(flag.strip() for flag in rest.split(",") if flag.strip())
        elif mark == "#:":
            for reference in rest.split():
                path, _, place = reference.rpartition(":")
                pair = (path, place) if path and place.isdigit() else (reference, "")
                self.comments.setdefault("occurrences", []).append(pair)
        elif mark == "#.":
            self.comments.setdefault("comment", []).append(rest[1:] if rest.startswith(" ") else rest)
        else:
            # A translator comment: "# , 2014." is a comment (the space comes first), not a flags line.
            rest = line[1:]
            self.comments.setdefault("tcomment", []).append(rest[1:] if rest.startswith(" ") else rest)
        self.comments.setdefault("line", number)

    def previous(self, text: str, number: int, obsolete: bool) -> None:
        if self.entry is not None and "msgstr" in self.entry:
            self.finish()
        self.comments.setdefault("line", number)
        if text.startswith('"'):
            if self.field is None or self.field[0] is not self.comments:
                raise self.error("a string continues nothing: a keyword is missing before it", number)
            self.comments[self.field[1]] += self.strings(text, number)
            return
        match = _PREVIOUS_RE.match(text)
        if match is None:
            raise self.error(f"unknown keyword '{_first_word(text)}' after '#|'", number)
        name = "previous_" + match.group(1)
        self.comments[name] = self.strings(self.quoted(match.group(1), match.group(2), number), number)
        self.field = (self.comments, name)

    def keyword(self, text: str, number: int, obsolete: bool) -> None:
        if not text:
            return
        if text.startswith('"'):
            if self.field is None or self.field[0] is not self.entry:
                raise self.error("a string continues nothing: a keyword is missing before it", number)
            self.append(self.field[1], self.strings(text, number))
            return
        match = _KEYWORD_RE.match(text)
        if match is None:
            raise self.error(f"unknown keyword '{_first_word(text)}'", number)
        name, index = match.group(1), match.group(2)
        value = self.strings(self.quoted(name, match.group(3), number), number)
        entry = self.entry
        if name in ("msgctxt", "msgid"):
            if entry is not None and "msgstr" in entry:
                self.finish()
                entry = None
            if entry is not None and (name == "msgctxt" or "msgid" in entry):
                raise self.error("missing 'msgstr' section", entry["line"])
            if entry is None:
                entry = self.entry = {"line": number, "obsolete": obsolete, "comments": self.comments}
                self.comments = {}
            entry[name] = value
            if name == "msgid":
                entry["line"] = number  # an entry's line is its msgid's, as in msgfmt's messages
        elif entry is None or "msgid" not in entry:
            raise self.error(f"'{name}' without a 'msgid' before it", number)
        elif name == "msgid_plural":
            if "msgid_plural" in entry or "msgstr" in entry:
                raise self.error("'msgid_plural' must follow the 'msgid'", number)
            entry["msgid_plural"] = value
        elif index is None:
            if "msgstr" in entry or "msgid_plural" in entry:
                raise self.error("an entry with 'msgid_plural' needs 'msgstr[N]', not 'msgstr'"
                                 if "msgid_plural" in entry else "a second 'msgstr' in one entry", number)
            entry["msgstr"] = value
            entry["msgstr_line"] = number
        else:
            if "msgid_plural" not in entry:
                raise self.error(f"missing 'msgid_plural' section before 'msgstr[{index}]'", entry["line"])
            forms = entry.setdefault("msgstr_plural", {})
            if int(index) != len(forms):
                raise self.error("first plural form has nonzero index" if not forms else
                                 f"plural form has wrong index: expected msgstr[{len(forms)}]", number)
            forms[int(index)] = value
            entry["msgstr"] = ""
            name = ("msgstr_plural", int(index))
        self.field = (entry, name)

    def append(self, name, value: str) -> None:
        assert self.entry is not None
        if isinstance(name, tuple):
            self.entry["msgstr_plural"][name[1]] += value
        else:
            self.entry[name] += value

    def quoted(self, name: str, rest: str, number: int) -> str:
        if not rest.startswith('"'):
            raise self.error(f"'{name}' must be followed by a quoted string", number)
        return rest

    def strings(self, text: str, number: int) -> str:
        """The value of one or more adjacent quoted strings, escapes resolved as in C."""
        parts: list[str] = []
        index = 0
        while True:
            if index >= len(text) or text[index] != '"':
                raise self.error('text after the closing quote (an unescaped " inside a string?)', number)
            index += 1
            while True:
                if index >= len(text):
                    raise self.error("unterminated string: a closing quote is missing", number)
                char = text[index]
                if char == '"':
                    index += 1
                    break
                if char == "\\":
                    escape = _ESCAPE_RE.match(text, index)
                    if escape is None:
                        raise self.error(f"invalid escape sequence '{text[index:index + 2]}' in a string", number)
                    parts.append(_unescape(escape.group()))
                    index = escape.end()
                    continue
                if char == "\x00":
                    raise self.error("contains a NUL byte", number)
                parts.append(char)
                index += 1
            rest = text[index:].lstrip()
            if not rest:
                return "".join(parts)
            index = len(text) - len(rest)

    def finish(self) -> None:
        entry, self.entry, self.field = self.entry, None, None
        if entry is None:
            return
        if "msgstr" not in entry:
            raise self.error("missing 'msgstr' section", entry["line"])
        if "msgid" not in entry:
            raise self.error("missing 'msgid' section", entry["line"])
        comments = entry["comments"]
        self.msgstr_line = entry.get("msgstr_line", entry["line"])
        made = polib.POEntry(
            msgid=entry["msgid"],
            msgstr=entry["msgstr"] if "msgstr_plural" not in entry else "",
            msgid_plural=entry.get("msgid_plural", ""),
            msgstr_plural=entry.get("msgstr_plural", {}),
            msgctxt=entry.get("msgctxt"),
            obsolete=entry["obsolete"],
            tcomment="\n".join(comments.get("tcomment", [])),
            comment="\n".join(comments.get("comment", [])),
            occurrences=comments.get("occurrences", []),
            flags=comments.get("flags", []),
            previous_msgctxt=comments.get("previous_msgctxt"),
            previous_msgid=comments.get("previous_msgid"),
            previous_msgid_plural=comments.get("previous_msgid_plural"),
            linenum=entry["line"],
        )
        # A lone "#" line reads as an empty comment, which polib cannot tell from no comment: remember it.
        made.blank_comments = {mark for mark, name in (("#", "tcomment"), ("#.", "comment"))
                               if comments.get(name) == [""]}
        if made.msgid == "" and made.msgctxt is None and not made.obsolete and not self.catalog.metadata \
                and not len(self.catalog):
            self._header(made)
        else:
            self.catalog.append(made)

    def _header(self, entry: polib.POEntry) -> None:
        self.catalog.header = entry.tcomment
        self.catalog.header_blank = bool(entry.blank_comments)
        self.catalog.metadata_is_fuzzy = "fuzzy" in entry.flags
        metadata: dict[str, str] = {}
        raw: list[tuple[str, str, str]] = []
        for field in re.findall(r"[^\n]*\n|[^\n]+", entry.msgstr):
            key, _, value = field.partition(":")
            if field.strip():
                metadata[key.strip()] = value.strip()
            raw.append((key.strip(), value.strip(), field))
        self.catalog.metadata = metadata
        # The header's own text, line by line, so that writing it back changes only the fields that changed.
        self.catalog.header_fields = raw
        self.catalog.header_line = entry.linenum
        self.catalog.header_msgstr_line = self.msgstr_line


def _unescape(escape: str) -> str:
    body = escape[1:]
    if body[0] == "x":
        return chr(int(body[1:], 16))
    if body[0].isdigit():
        return chr(int(body, 8))
    return _UNESCAPE[body]


def _first_word(text: str) -> str:
    return (text.split() or [text])[0][:30]


def _check_entries(catalog: polib.POFile, path: Path, text: str) -> None:
    header = catalog.metadata.get("Plural-Forms")
    if header:  # an empty field is no field, as for msgfmt
        # Reported where msgfmt reports it, the header's msgstr line; the message names the field's own line.
        line = getattr(catalog, "header_msgstr_line", 1)
        try:
            plural_count(header, path, line)
        except CatalogError as error:
            field = _field_line(text, "Plural-Forms")
            raise CatalogError(f"{error.message} (Plural-Forms at line {field})" if field != line else error.message,
                               path, line) from None
    seen: dict[tuple[str | None, str], int] = {}
    for entry in catalog:
        if entry.obsolete:
            continue
        key = (entry.msgctxt, entry.msgid)
        line = entry.linenum  # the msgid's line, where msgfmt reports a duplicate
        if key in seen:
            where = f" (context '{entry.msgctxt}')" if entry.msgctxt is not None else ""
            raise CatalogError(
                f"duplicate message '{shorten(entry.msgid)}'{where}, first defined at line {seen[key]}",
                path,
                line,
            )
        seen[key] = line


def _field_line(text: str, field: str) -> int:
    """The line of a header field, for errors about it: the first line that starts the field."""
    for number, line in enumerate(text.split("\n"), start=1):
        if re.match(rf'^\s*(msgstr\s+)?"{field}:', line):
            return number
    return 1


def shorten(text: str, width: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
