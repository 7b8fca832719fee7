"""A recipient list (CSV: address and language per journalist) read and checked whole before anything is sent."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from email_validator import EmailNotValidError, validate_email

from ..config import normalize_language
from ..errors import Diagnostic, UsageError
from ..fileio import read_limited

#: A recipient list larger than this is refused (one hundred thousand journalists fit in far less).
MAX_BYTES = 16 * 1024 * 1024
#: The columns: an address and a language are required; a name is optional.
ADDRESS_COLUMNS = ("email", "address", "e-mail")
LANGUAGE_COLUMNS = ("language", "lang")
NAME_COLUMNS = ("name",)
#: What a spreadsheet reads as a formula (CSV injection: =HYPERLINK(…), +cmd|…, @SUM(…)).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Recipient:
    address: str  # as the domain's mail server will read it (email-validator's normalized form)
    language: str  # gettext spelling (zh_CN)
    name: str
    line: int


class RecipientsError(UsageError):
    """A recipient list with bad rows: every row's problem is reported, not only the first."""

    def __init__(self, problems: list[Diagnostic]):
        super().__init__(problems[0].message, problems[0].path, problems[0].line)
        self.problems = problems

    def __reduce__(self):
        return (self.__class__, (self.problems,))

    def format(self, relative_to: Path | None = None) -> str:
        return "\n".join(problem.format(relative_to) for problem in self.problems)


def read_recipients(path: Path) -> list[Recipient]:
    """Every recipient of ``path``, or :class:`RecipientsError` listing each bad row with its line number:
    a malformed address, an unknown language, a recipient listed twice, a cell a spreadsheet would run."""
    data = read_limited(path, MAX_BYTES, UsageError, "recipient list")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError("not valid UTF-8", path, data[: exc.start].count(b"\n") + 1) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise UsageError(f"not a CSV file: {exc}", path, 1) from None
    if header is None:
        raise UsageError("the recipient list is empty; its first line names the columns: email,language", path, 1)
    columns = _columns(header, path)
    recipients: list[Recipient] = []
    problems: list[Diagnostic] = []
    seen: dict[str, int] = {}
    line = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Diagnostic(f"not a CSV row: {exc}", path, line, severity="error"))
            break
        if any(cell.strip() for cell in row):
            problem, recipient = _row(row, columns, line, seen)
            if problem:
                problems.append(Diagnostic(problem, path, line, severity="error"))
            elif recipient:
                recipients.append(recipient)
        line = reader.line_num + 1
    if problems:
        raise RecipientsError(problems)
    if not recipients:
        raise UsageError("the recipient list names no recipient", path, 1)
    return recipients


def _columns(header: list[str], path: Path) -> dict[str, int]:
    names = [cell.strip().lower() for cell in header]
    found: dict[str, int] = {}
    for key, accepted in (("address", ADDRESS_COLUMNS), ("language", LANGUAGE_COLUMNS), ("name", NAME_COLUMNS)):
        for index, name in enumerate(names):
            if name in accepted:
                found[key] = index
                break
    missing = [key for key in ("address", "language") if key not in found]
    if missing:
        raise UsageError(f"the first line must name the columns email and language (and optionally name), "
                         f"not {','.join(header)[:120]!r}", path, 1)
    return found


def _row(row: list[str], columns: dict[str, int], line: int, seen: dict[str, int]) -> tuple[str, Recipient | None]:
    """One row: (its problem, "") or ("", its recipient)."""
    for number, cell in enumerate(row, start=1):
        if cell.startswith(_FORMULA_START):
            return f"column {number} starts with {cell[:1]!r}, which a spreadsheet runs as a formula: " \
                   f"{cell[:40]!r}", None
    cells = {key: row[index].strip() if index < len(row) else "" for key, index in columns.items()}
    if any(ord(ch) < 32 or ord(ch) == 127 for value in cells.values() for ch in value):
        return "a line break or control character in a cell (it would end up in a mail header)", None
    if not cells["address"]:
        return "no e-mail address", None
    try:
        address = validate_email(cells["address"], check_deliverability=False).normalized
    except EmailNotValidError as exc:
        return f"malformed e-mail address {cells['address'][:80]!r}: {exc}", None
    if not cells["language"]:
        return f"no language for {address}", None
    try:
        language = normalize_language(cells["language"])
    except ValueError as exc:
        return f"{exc}", None
    key = address.lower()
    if key in seen:
        return f"duplicate recipient {address} (first on line {seen[key]})", None
    seen[key] = line
    return "", Recipient(address, language, cells.get("name", ""), line)
