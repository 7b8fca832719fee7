"""Quality checks on catalogs for CI: small functions that yield findings, run by ``pubkit check``."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import urlsplit

import polib
from babel import Locale
from babel.numbers import NumberFormatError, parse_decimal
from markdown_it import MarkdownIt

from ..errors import Diagnostic, PubkitError
from ..locales import cldr_locale
from .plurals import gettext_plural_forms, gettext_version, same_rule
from .pofile import plural_count, read_catalog, shorten
from ..source.sources import PLACEHOLDER_RE, placeholders_in

#: Small numbers are often written as words in one language and digits in another ("three" / "3社").
SMALL_NUMBER = 10

_NUMBER_RE = re.compile(r"\d(?:[\d.,\u00a0\u202f' ]*\d)?")
_WORD_RE = re.compile(r"(?<![\w])([^\W\d_]{2,})\s+\1(?![\w])", re.IGNORECASE)
# Sentence-ending punctuation by kind, in every script pubkit publishes.
_END_MARKS = {
    # full stops of Latin/CJK, Devanagari danda, Urdu, Armenian, Ethiopic, Myanmar, Khmer, Tibetan
    ".": ".。।॥۔։።။។།", "?": "?？؟;", "!": "!！", ":": ":：", ";": ";；؛", "…": "…",
}
#: Languages whose sentences end with a space, not a mark: a missing full stop is right there.
_NO_FULL_STOP = ("th", "lo")
# Closing quotes and brackets of every convention (German „…“ and »…«, French « … », CJK 「…」),
# and bidi marks.
_CLOSERS = "\"')]}»«”“’‘›‹」』）】〉》\u200f\u200e"


Check = Callable[["EntryContext"], Iterator[tuple[str, str, str]]]


@dataclass
class EntryContext:
    """What a check looks at: one translation of an entry, and the locales of both sides."""

    entry: polib.POEntry
    translation: str
    locale: Locale
    source_locale: Locale
    #: Hosts a translation may point a link at besides the source link's own (``link_hosts``).
    link_hosts: tuple[str, ...] = ()


@dataclass(frozen=True)
class InlineParts:
    """The parts of a message's inline Markdown that a translation must keep."""

    placeholders: Counter
    links: Counter
    code: Counter
    html: Counter
    markup: Counter
    loose_delimiters: int
    numbers: list[str]


@cache
def _parser() -> MarkdownIt:
    """Inline Markdown with raw HTML recognised, so that HTML a translator typed can be found."""
    return MarkdownIt("commonmark", {"html": True}).disable("text_join")


@lru_cache(maxsize=4096)
def inline_parts(text: str) -> InlineParts:
    """What a message's inline Markdown contains, for comparing a translation with its source.

    Cached: several checks look at the same source and translation; callers must not mutate it.
    """
    links: Counter = Counter()
    code: Counter = Counter()
    html: Counter = Counter()
    markup: Counter = Counter()
    loose = 0
    plain: list[str] = []
    for token in _walk(_parser().parseInline(text)[0].children or []):
        if token.type in ("link_open", "image"):
            links[token.attrs.get("href") or token.attrs.get("src") or ""] += 1
        elif token.type == "code_inline":
            code[token.content] += 1
        elif token.type == "html_inline":
            tag = re.match(r"</?\s*([A-Za-z][\w-]*)", token.content)
            html[tag.group(1).lower() if tag else token.content] += 1
        elif token.type in ("em_open", "strong_open"):
            markup[token.type] += 1
        elif token.type == "text":
            plain.append(token.content)
            loose += len(re.findall(r"\*+|(?<!\w)_+|_+(?!\w)|`+", token.content))
    placeholder_free = PLACEHOLDER_RE.sub(" ", " ".join(plain))
    return InlineParts(
        placeholders=Counter(placeholders_in(text)),
        links=links,
        code=code,
        html=html,
        markup=markup,
        loose_delimiters=loose,
        numbers=_NUMBER_RE.findall(_ascii_digits(placeholder_free)),
    )


def _walk(tokens):
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


# --- the checks: each yields (severity, message, check-id) --------------------------------------


def check_placeholders(ctx: EntryContext):
    source, target = Counter(placeholders_in(ctx.entry.msgid)), Counter(placeholders_in(ctx.translation))
    missing, added = source - target, target - source
    if len(missing) == 1 and len(added) == 1:
        (old,), (new,) = missing, added
        yield "error", f"placeholder {{{old}}} was renamed to {{{new}}}", "placeholders"
        return
    for name in missing:
        if name in target:
            yield "error", f"placeholder {{{name}}} appears {_times(target[name])} in the translation but " \
                           f"{_times(source[name])} in the source", "placeholders"
        else:
            yield "error", f"placeholder {{{name}}} is missing from the translation", "placeholders"
    for name in added:
        if name in source:  # a placeholder repeated: it is in the source, only not this often
            yield "error", f"placeholder {{{name}}} appears {_times(target[name])} in the translation but " \
                           f"{_times(source[name])} in the source", "placeholders"
        else:
            yield "error", f"placeholder {{{name}}} is not in the source", "placeholders"


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def check_markdown(ctx: EntryContext):
    source, target = inline_parts(ctx.entry.msgid), inline_parts(ctx.translation)
    added, gone = localized_links(target.links - source.links, source.links - target.links, ctx.link_hosts)
    for url in added:
        was = ", ".join(f"'{u}'" for u in gone) or "none"
        yield "error", f"link target '{url}' is not in the source (source has {was})", "link-target"
    for url in gone:
        if not added:
            yield "error", f"link target '{url}' is missing from the translation", "link-target"
    added, removed = target.code - source.code, source.code - target.code
    for code in added:
        was = ", ".join(f"`{c}`" for c in removed) or "none"
        yield "error", f"inline code `{code}` is not in the source (source has {was})", "inline-code"
    if not added:
        for code in removed:
            yield "error", f"inline code `{code}` is missing from the translation", "inline-code"
    for tag in target.html - source.html:
        yield "error", f"HTML <{tag}> in the translation is not in the source; it will show as text", "html"
    if target.loose_delimiters > source.loose_delimiters:
        yield "error", "unbalanced inline markup: a *, _ or ` is not closed", "markup"
    elif target.markup != source.markup:
        yield "warning", "emphasis differs from the source (bold or italic added or dropped)", "markup"


def localized_links(added: Counter, gone: Counter, hosts: tuple[str, ...]) -> tuple[Counter, Counter]:
    """Links a translation changed, less those it may change: a web address replaced by another on the
    same host (the company's page in the reader's language) or on a host the project allows
    (``link_hosts``). Each translated link takes the place of one source link."""
    added, gone = Counter(added), Counter(gone)
    for url in list(added.elements()):
        place = next((old for old in gone.elements() if _may_replace(old, url, hosts)), None)
        if place is not None:
            added[url] -= 1
            gone[place] -= 1
    return +added, +gone


def _may_replace(source: str, translated: str, hosts: tuple[str, ...]) -> bool:
    try:
        old, new = urlsplit(source), urlsplit(translated)
    except ValueError:
        return False
    if old.scheme not in ("http", "https") or new.scheme not in ("http", "https") or not new.hostname:
        return False
    if new.username or new.password:
        return False  # an address that hides its host behind credentials is never "the same host"
    return new.hostname == old.hostname or new.hostname in hosts


def check_numbers(ctx: EntryContext):
    source = inline_parts(ctx.entry.msgid).numbers
    allowed = {_value(n, ctx.source_locale) for n in source} | {_value(n, ctx.locale) for n in source}
    for number in inline_parts(ctx.translation).numbers:
        value = _value(number, ctx.locale)
        if value is None or value <= SMALL_NUMBER or value in allowed or _value(number, ctx.source_locale) in allowed:
            continue
        if _spelled_in(value, ctx.entry.msgid, ctx.source_locale.language):
            continue  # "fifty" in the source, "50" in the translation: the same number
        yield "warning", f"number {number} is not in the source", "numbers"


def check_whitespace(ctx: EntryContext):
    source, target = ctx.entry.msgid, ctx.translation
    if (source[:1].isspace(), source[-1:].isspace()) != (target[:1].isspace(), target[-1:].isspace()):
        yield "warning", "leading or trailing whitespace differs from the source", "whitespace"


def check_doubled_words(ctx: EntryContext):
    source_doubles = {m.group(1).lower() for m in _WORD_RE.finditer(ctx.entry.msgid)}
    for match in _WORD_RE.finditer(ctx.translation):
        if match.group(1).lower() not in source_doubles:
            yield "warning", f"doubled word '{match.group(1)}'", "doubled-word"


def check_end_punctuation(ctx: EntryContext):
    source, target = _end_mark(ctx.entry.msgid), _end_mark(ctx.translation)
    if source == "." and target is None:
        if ctx.locale.language in _NO_FULL_STOP:
            return  # Thai and Lao end a sentence with a space
        if ctx.translation.rstrip()[-1:] in _CLOSERS and ctx.locale.language in ("ja", "zh", "ko"):
            return  # 「…のです」: in CJK a closing quote or bracket ends the sentence itself
    if source != target:
        def say(mark):
            return f"'{mark}'" if mark else "no punctuation"

        yield "warning", f"ends with {say(target)} where the source ends with {say(source)}", "punctuation"


def check_brace_format(ctx: EntryContext):
    """What ``msgfmt -c`` refuses in a ``python-brace-format`` translation: a lone brace or a bad field name."""
    if "python-brace-format" not in ctx.entry.flags or brace_format_problem(ctx.entry.msgid):
        return  # like msgfmt, which holds a translation to the rules only when its source follows them
    if Counter(placeholders_in(ctx.entry.msgid)) != Counter(placeholders_in(ctx.translation)):
        return  # check_placeholders reports this translation already: one problem, one finding
    problem = brace_format_problem(ctx.translation)
    if problem:
        yield "error", f"not a valid brace format string: {problem}", "placeholders"
        return
    # Templates fill these with str.format: only plain {name} fields, as in the source, are safe there
    # ({0}, {place.attr} or {place:>99999999} would fail or blow up the page).
    for field in _FIELD_IN_TEXT_RE.findall(ctx.translation.replace("{{", "").replace("}}", "")):
        if not PLACEHOLDER_RE.fullmatch(f"{{{field}}}"):
            yield "error", f"'{{{field}}}' is not a plain placeholder such as {{name}}", "placeholders"
            return
    for escape in ("{{", "}}"):
        if escape in ctx.translation and escape not in ctx.entry.msgid:
            yield "error", f"'{escape}' is not in the source: it shows as a single brace", "placeholders"
            return


ENTRY_CHECKS: tuple[Check, ...] = (
    check_placeholders, check_brace_format, check_markdown, check_numbers, check_whitespace, check_doubled_words,
    check_end_punctuation,
)
#: The checks that can find errors. Only these decide whether a translation is published; the others warn.
VERDICT_CHECKS: tuple[Check, ...] = (check_placeholders, check_brace_format, check_markdown)

_FIELD_RE = re.compile(r"(?:[A-Za-z_][A-Za-z0-9_]*|\d+)(?:\.[A-Za-z_][A-Za-z0-9_]*|\[[^\]{}]+\])*(?::.*)?", re.DOTALL)


_FIELD_IN_TEXT_RE = re.compile(r"\{([^{}]*)\}")


def brace_format_problem(text: str) -> str | None:
    """Why ``text`` is not a Python brace format string as GNU msgfmt reads one, or None when it is."""
    index = 0
    while index < len(text):
        char = text[index]
        if char != "{":  # msgfmt lets a lone '}' pass, and so does pubkit's fill
            index += 1
            continue
        if text.startswith("{{", index):
            index += 2
            continue
        depth, end = 1, index + 1
        while end < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            end += 1
        if depth:
            return "a '{' is never closed"
        field = text[index + 1 : end - 1]
        if not _FIELD_RE.fullmatch(field):
            return f"'{{{field}}}' is not a placeholder name"
        index = end
    return None


def translation_verdict(entry: polib.POEntry, locale: Locale, source_locale: Locale,
                        nplurals: int | None = None, link_hosts: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """Why a translated entry must not be published: ``(message, check-id)`` for each error, empty if usable.

    The one judge of a translation: ``pubkit check`` reports these as errors, and ``build`` and
    ``bundle`` publish the source text instead. It mirrors what ``msgfmt -c`` checks per entry
    (placeholders of python-brace-format, plural count) without running msgfmt, so it is cheap.
    """
    errors: list[tuple[str, str]] = []
    translations = [entry.msgstr]
    if entry.msgid_plural:
        if nplurals is not None and len(entry.msgstr_plural) != nplurals:
            errors.append((f"{len(entry.msgstr_plural)} plural forms, but Plural-Forms says nplurals={nplurals}",
                           "plural-forms"))
        translations = [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
    for translation in translations:
        context = EntryContext(entry, translation, locale, source_locale, link_hosts)
        for check in VERDICT_CHECKS:
            for severity, message, check_id in check(context):
                if severity == "error" and (message, check_id) not in errors:
                    errors.append((message, check_id))
    return errors


# --- running them ------------------------------------------------------------------------------


def check_catalog(path: Path, language: str, source_language: str = "en",
                  link_hosts: tuple[str, ...] = ()) -> list[Diagnostic]:
    try:
        catalog = read_catalog(path)
    except PubkitError as error:
        return [Diagnostic(error.message, path, error.line or 1, "error", "syntax")]
    findings: list[Diagnostic] = []
    header = catalog.metadata.get("Plural-Forms", "")
    nplurals = plural_count(header, path) if header else 2
    lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
    findings.extend(_plural_forms_table(header, language, path, lines))
    locale, source_locale = cldr_locale(language), cldr_locale(source_language)
    checks = ENTRY_CHECKS
    if locale is None or source_locale is None:
        unknown = language if locale is None else source_language
        findings.append(Diagnostic(f"language '{unknown}' is not in CLDR: syntax, placeholders "
                                "and markup are checked, numbers and punctuation are not", path, 1, "info", "unknown-language"))
        locale = source_locale = Locale("root")
        checks = tuple(c for c in ENTRY_CHECKS if c not in (check_numbers, check_end_punctuation))
    rejected_lines: set[int] = set()
    for entry in catalog:
        if entry.obsolete:
            continue
        line = msgstr_line(lines, entry.linenum)
        if "fuzzy" in entry.flags:
            findings.append(Diagnostic(f"fuzzy: '{shorten(entry.msgid)}' needs review", path, line, "warning", "fuzzy"))
            continue
        if not entry.translated():
            findings.append(Diagnostic(f"untranslated: '{shorten(entry.msgid)}'", path, line, "warning", "untranslated"))
            continue
        # Errors come from the verdict alone, so check and build can never disagree; the rest only warn.
        for message, check_id in translation_verdict(entry, locale, source_locale, nplurals, link_hosts):
            findings.append(Diagnostic(message, path, line, "error", check_id))
            rejected_lines.add(line)
        translations = [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)] if entry.msgid_plural \
            else [entry.msgstr]
        for translation in translations:
            context = EntryContext(entry, translation, locale, source_locale, link_hosts)
            for check in checks:
                for severity, message, check_id in check(context):
                    if severity != "error":
                        findings.append(Diagnostic(message, path, line, severity, check_id))
    # One problem is reported once: msgfmt's words for an entry pubkit already rejected add nothing.
    findings.extend(f for f in _msgfmt(path) if not (f.line in rejected_lines and f.severity == "error"))
    return sorted(set(findings), key=lambda f: (f.line, f.check, f.message))


def _plural_forms_table(header: str, language: str, path: Path, lines: list[str]) -> Iterator[Diagnostic]:
    """A Plural-Forms other than GNU gettext's for the language: msgfmt, Poedit and Weblate disagree with it."""
    expected = gettext_plural_forms(language)
    if not header or expected is None or same_rule(header, expected):
        return
    line = next((number for number, text in enumerate(lines, 1) if text.startswith('"Plural-Forms:')), 1)
    yield Diagnostic(f"Plural-Forms '{header}' differs from GNU gettext {gettext_version()}'s for {language}: "
                     f"'{expected}'", path, line, "warning", "plural-forms-table")


def _msgfmt(path: Path) -> Iterator[Diagnostic]:
    """GNU msgfmt -c's verdict in its own words: what it rejects is an error, what it only warns of a warning."""
    if shutil.which("msgfmt") is None:
        yield Diagnostic("msgfmt is not installed: GNU gettext's checks were skipped", path, 1, "info", "msgfmt")
        return
    result = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True)
    # msgfmt writes in the locale's charset, or quotes the file's bytes: decode without ever failing.
    found: list[Diagnostic] = []
    for line in result.stderr.decode("utf-8", errors="replace").splitlines():
        match = re.match(rf"^(?:msgfmt: )?{re.escape(str(path))}:(?:(\d+):)? (warning: )?(.*)$", line)
        if match:
            severity = "warning" if match.group(2) or result.returncode == 0 else "error"
            found.append(Diagnostic(f"msgfmt: {match.group(3)}", path, int(match.group(1) or 1), severity, "msgfmt"))
    if result.returncode != 0 and not any(f.severity == "error" for f in found):
        # msgfmt -c counts some of its warnings as fatal (a missing header): its verdict decides.
        found = [Diagnostic(f.message, f.path, f.line, "error", f.check) for f in found] or [
            Diagnostic("msgfmt -c rejects this catalog", path, 1, "error", "msgfmt")]
    yield from found


def msgstr_line(lines: list[str], start: int) -> int:
    for index in range(max(start - 1, 0), min(len(lines), start + 200)):
        if lines[index].lstrip().startswith("msgstr"):
            return index + 1
    return start


def _ascii_digits(text: str) -> str:
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in text)


def _value(number: str, locale: Locale) -> Decimal | None:
    cleaned = number.strip()
    try:
        return parse_decimal(cleaned, locale=locale, strict=True)
    except (NumberFormatError, InvalidOperation, ValueError):
        digits = re.sub(r"\D", "", cleaned)
        return Decimal(digits) if digits else None


def _spelled_in(value: Decimal, text: str, language: str) -> bool:
    """Whether ``text`` writes ``value`` out in words of ``language`` ("fifty", "zwölf")."""
    words = _spelled(int(value), language) if value == value.to_integral_value() else None
    normalized = " ".join(re.sub(r"[-\u2010\u00ad]", " ", text.lower()).split())
    return bool(words) and re.search(rf"(?<!\w){re.escape(words)}(?!\w)", normalized) is not None


@lru_cache(maxsize=1024)
def _spelled(number: int, language: str) -> str | None:
    from num2words import num2words  # only `check` needs it

    try:
        words = num2words(number, lang=language)
    except (NotImplementedError, OverflowError, ValueError, TypeError):
        return None
    return " ".join(re.sub(r"[-\u2010\u00ad,]", " ", words.lower()).split())


def _end_mark(text: str) -> str | None:
    stripped = text.rstrip().rstrip(_CLOSERS).rstrip()
    if not stripped:
        return None
    for mark, variants in _END_MARKS.items():
        if stripped[-1] in variants:
            return mark
    return None




def translation_errors(entry: polib.POEntry, translation: str, language: str,
                       source_language: str) -> list[tuple[str, str]]:
    """The errors ``pubkit check`` would report for ``translation`` of ``entry``: (message, check-id).

    Import, the memory and TMX export ask here, so that they follow ``check`` and the publish gate. A
    language CLDR lacks is judged as ``check`` judges it: placeholders and markup still count.
    """
    locale, source_locale = cldr_locale(language) or Locale("root"), cldr_locale(source_language) or Locale("root")
    context = EntryContext(entry, translation, locale, source_locale)
    return [(message, check_id) for check in VERDICT_CHECKS for severity, message, check_id in check(context)
            if severity == "error"]
