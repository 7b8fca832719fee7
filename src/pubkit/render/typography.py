"""Locale typography applied to a message's text at render time (catalogs are never changed).

Straight quotes become the language's quotation marks (CLDR delimiters), apostrophes become ’,
French gets narrow no-break spaces before ; : ! ? and inside « », Chinese and Japanese get full-width
punctuation after their own characters, Hebrew gets geresh and gershayim. Code spans, link targets,
URLs, e-mail addresses, placeholders and backslash escapes are left exactly as typed.

The input is a message's inline Markdown (with ``{placeholders}``), so this runs before values are
filled in: a value is never retouched.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from babel import Locale

from .. import locales as cldr

NNBSP = "\u202f"  # narrow no-break space: French "fine" before ; ! ? : and inside « »
GERESH, GERSHAYIM = "\u05f3", "\u05f4"
APOSTROPHE = "\u2019"

# What typography must never touch; each is replaced by a stand-in while the rules run.
_PROTECTED = re.compile(
    r"(?P<code>(`+)[\s\S]*?(?<!`)\2(?!`))"  # code span, any number of backticks
    r"|\]\([^)\s]*(?:\s+\"[^\"]*\")?\)"  # a link's destination and title
    r"|<(?P<tag>[A-Za-z][\w-]*)[^<>]*>[^<>]*</(?P=tag)>"  # markup typed as text is shown as written: code
    r"|<[A-Za-z/!?][^<>]*>"  # autolink, or a lone tag
    r"|(?:(?:https?|ftp)://|www\.)[^\s<>]*[^\s<>.,;:!?'\")\]*_]"  # bare URL, without the full stop after it
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail address
    r"|\{[A-Za-z_][A-Za-z0-9_]*\}"  # placeholder
    r"|\{\{.*?\}\}|\{%.*?%\}"  # template syntax typed as text is shown as written
    r"|\\[!-/:-@\[-`{-~]"  # backslash escape
    r"|&#?\w+;"  # character reference
)
_STAND_IN = "\ue000"  # a private-use character: reads as a word to the rules below

_HAN_KANA = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
_CJK_BEFORE = re.compile(rf"(?<=[{_HAN_KANA}」』”）\ue000])([,.!?:;])(?!(?<=\.)[.\d\ue000])(?!(?<=,)\d)(?!(?<=!)\[)[ \t]?")
_CJK_PARENS = re.compile(rf"\(([^()]*[{_HAN_KANA}][^()]*)\)")
_CJK_ELLIPSIS = re.compile(rf"(?<=[{_HAN_KANA}])\.\.\.")
_HEBREW_LETTER = "\u05d0-\u05ea"
_OPENING_CONTEXT = " \t\n([{«‹“‘„‚—–-/\u00a0\u202f"


def typesetter(language: str) -> Callable[[str], str]:
    """The typography of ``language`` (a gettext locale name such as ``fr`` or ``zh_TW``)."""
    return _typesetter(language)


@cache
def _typesetter(language: str) -> Callable[[str], str]:
    locale = Locale.parse(language)
    open1, close1, open2, close2 = cldr.quotes(locale)
    lang = locale.language
    cjk_marks = {"ja": {",": "、", ".": "。"}, "zh": {",": "，", ".": "。"}}.get(lang)
    triggers = set("\"'")
    if lang == "fr":
        triggers |= set(";:!?«»")
    if cjk_marks:
        triggers |= set(",.!?:;()")

    def typeset(text: str) -> str:
        if not triggers.intersection(text) or _STAND_IN in text:
            return text
        kept: list[str] = []

        def keep(match: re.Match[str]) -> str:
            kept.append(match.group(0))
            return _STAND_IN

        work = _PROTECTED.sub(keep, text)
        if lang == "he":
            work = _hebrew(work)
        work = _quotes(work, open1, close1, open2, close2)
        if lang == "fr":
            work = _french(work)
        if cjk_marks:
            work = _cjk(work, cjk_marks)
        pieces = iter(kept)
        return re.sub(_STAND_IN, lambda _m: next(pieces), work)

    return typeset


def _quotes(text: str, open1: str, close1: str, open2: str, close2: str) -> str:
    """Straight quotes → the language's marks; ' between letters → ’ (an apostrophe, never a quote)."""
    if '"' not in text and "'" not in text:
        return text
    out: list[str] = []
    double_open = single_open = False
    single_at = -1
    for i, char in enumerate(text):
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        opening = before in _OPENING_CONTEXT or (before in "\"'" and i > 1 and text[i - 2] in _OPENING_CONTEXT)
        if char == '"':
            if not double_open and (opening or not after.isspace()):
                out.append(open1)
                double_open = True
            else:
                out.append(close1)
                double_open = False
        elif char == "'":
            if before.isalnum() and (after.isalnum() or not single_open):
                out.append(APOSTROPHE)  # l'entreprise, it's, 90's
            elif opening and not after.isspace():
                single_at = len(out)
                out.append(open2)
                single_open = True
            elif single_open:
                out.append(close2)
                single_open = False
            else:
                out.append(APOSTROPHE)
        else:
            out.append(char)
    if single_open:  # never closed: it was an elision ('90s, 'til), not a quotation
        out[single_at] = APOSTROPHE
    return "".join(out)


def _french(text: str) -> str:
    """Narrow no-break spaces inside « » and before ; ! ? and a colon that ends a clause."""
    text = re.sub(r"«[ \u00a0\u202f]*", "«" + NNBSP, text)
    text = re.sub(r"[ \u00a0\u202f]*»", NNBSP + "»", text)
    text = re.sub(r"(?<=[^\s;!?«\u202f])[ \u00a0]?(?=[;?]|!(?!\[))", NNBSP, text)  # "![" opens an image
    # A colon takes the space only before a space or the end: 10:30 and "1:2" stay as written.
    return re.sub(r"(?<=[^\s:«\u202f])[ \u00a0]?:(?=\s|$)", NNBSP + ":", text)


def _cjk(text: str, marks: dict[str, str]) -> str:
    """Full-width punctuation after Han and kana characters; the space a Western mark carried goes."""
    full = {**marks, "!": "！", "?": "？", ":": "：", ";": "；"}
    text = _CJK_ELLIPSIS.sub("……", text)
    text = _CJK_PARENS.sub(r"（\1）", text)
    return _CJK_BEFORE.sub(lambda m: full[m.group(1)], text)


def _hebrew(text: str) -> str:
    """Gershayim inside an acronym (צה"ל), geresh after an abbreviated letter (ח'); a ' that closes a
    quotation opened with ' is left to the quotation rule."""
    text = re.sub(rf'(?<=[{_HEBREW_LETTER}])"(?=[{_HEBREW_LETTER}])', GERSHAYIM, text)
    out, quoting = [], False
    for i, char in enumerate(text):
        if char == "'":
            before = text[i - 1] if i else " "
            if before in _OPENING_CONTEXT:
                quoting = True
            elif quoting:
                quoting = False
            elif re.match(rf"[{_HEBREW_LETTER}]", before):
                char = GERESH
        out.append(char)
    return "".join(out)
