"""Markup that keeps a page's lines whole in every script: values never split, bidi isolation, Korean words.

What CSS can say lives in ``templates/base.css`` (and ``screen.css`` for what only browsers read). This
module adds what CSS cannot reach or what WeasyPrint does not implement, as elements and invisible
characters around the text of one message, after escaping:

- a substituted value is a ``<bdi class="value">``: isolated from the surrounding direction and, by
  the stylesheet, never broken across lines (``48.500.000,00`` / ``US-Dollar`` cannot happen); in
  left-to-right pages only where a line could break inside it, and in print there as no-break spaces
  and word joiners instead, which WeasyPrint lays out at no cost (``_unbreakable``);
- in right-to-left text every Latin run (``WQ & UCAS``, the ``CN¥`` inside ``3 مليار CN¥``) is a
  ``<bdi dir="ltr">`` so that its letters and symbols keep their order;
- URLs and e-mail addresses are a ``<span class="url">`` whose pieces with a hyphen are unbreakable
  ``<span class="nobr">``: a URL breaks after a slash, never at a hyphen, never hyphenated;
- Korean in print: WeasyPrint has no ``word-break: keep-all``, so a word joiner (U+2060, invisible,
  absent from the text layer) between the letters of a word stops breaks inside it.
"""

from __future__ import annotations

import re
import unicodedata

from markupsafe import Markup, escape

from ..source.sources import PLACEHOLDER_RE
from .hyphenation import hyphenated

_LATIN = "A-Za-z\u00c0-\u024f\u1e00-\u1eff"
# Currency and percent signs written against a Latin run belong to it (CN¥, US$).
_SIGNS = "$%\u00a2-\u00a5\u2030\u20a0-\u20cf"
# A left-to-right run inside right-to-left text: Latin words, or a phone number (+49 381 555 0100)
# whose groups would otherwise be laid out right to left.
_LATIN_RUN = re.compile(
    rf"[{_SIGNS}]?[{_LATIN}][{_LATIN}0-9]*(?:[ .,&'’/-]+[{_LATIN}0-9]+)*[{_SIGNS}]?"
    r"|\+?\d+(?:[ \u00a0-]\d+){2,}|\+\d+(?:[ \u00a0-]\d+)*"
)
# URLs and e-mail addresses: never hyphenated, left to right as a whole.
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)\]]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANGUL = "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f"
# Between two letters of a word of which at least one is Hangul.
_INSIDE_KOREAN_WORD = re.compile(rf"(?<=[{_HANGUL}])(?=\w)|(?<=\w)(?=[{_HANGUL}])")
WORD_JOINER = "\u2060"
# Where a line may break inside a value: spaces (not the no-break ones CLDR uses), hyphens, slashes,
# the scripts that break between letters (Han, kana, Hangul, Thai, Lao, Myanmar, Khmer), and a word
# long enough to be hyphenated (``250 Mega-watt``).
_HYPHENS_AND_SLASHES = "/\u2010\u2013\u2014\\-"
#: Scripts that break between any two letters: Han, kana and Hangul, and (by dictionary) Thai, Lao,
#: Myanmar and Khmer.
_HAN_KANA_HANGUL = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
_BY_DICTIONARY = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"
_BREAKABLE = re.compile(f"[ \t\n\u200b{_HYPHENS_AND_SLASHES}{_BY_DICTIONARY}{_HAN_KANA_HANGUL}]|[^\\W\\d_]{{4}}")


# Values that a printed left-to-right page keeps whole with invisible characters instead of an element.
# Scripts that break inside words by dictionary (Thai, Lao, Myanmar, Khmer) keep the element.
_DICTIONARY_BREAKS = re.compile(f"[{_BY_DICTIONARY}]")
# A word of a hyphenating language is joined letter by letter: only where a joiner between two letters
# does not split them for the shaper (Latin, Greek, Cyrillic, Han, kana, Hangul), not Devanagari's clusters.
_JOINABLE = re.compile("[\\s\u00a0\u202f!-~\u00a1-\u02ff\u0370-\u03ff\u0400-\u04ff\u1e00-\u1fff"
                       f"\u2010-\u2027\u2030-\u205e\u20a0-\u20cf\u2100-\u214f{_HAN_KANA_HANGUL}]*")
# Where a line could break: next to a hyphen, dash or slash, next to Han, kana or Hangul (they break
# between any two characters) and, where words are hyphenated, between two letters. Never next to a
# space, which becomes a no-break space.
_BREAKS_NEXT_TO = re.compile(f"[{_HYPHENS_AND_SLASHES}{_HAN_KANA_HANGUL}]")


def _breaks_next_to(character: str, hyphenated: bool) -> bool:
    return (hyphenated and character.isalpha()) or _BREAKS_NEXT_TO.match(character) is not None


def _unbreakable(value: str, hyphenated: bool) -> str | None:
    """``value`` with no line break opportunity left, or None if only an element can keep it whole.

    Its spaces become no-break spaces, and a word joiner (U+2060, invisible, absent from the text
    layer) stands wherever a line could break or a word be hyphenated. It lays out as the ``.value``
    element does in print (white-space: nowrap; hyphens: none), at no cost: WeasyPrint lays out each
    inline element on its own, which made these rules cost 5 % of a build."""
    if _DICTIONARY_BREAKS.search(value) or (hyphenated and not _JOINABLE.fullmatch(value)):
        return None
    value = re.sub("[ \t\n]", "\u00a0", value)
    joined = value[:1]
    for before, after in zip(value, value[1:]):
        if not before.isspace() and not after.isspace() and (
                _breaks_next_to(before, hyphenated) or _breaks_next_to(after, hyphenated)):
            joined += WORD_JOINER
        joined += after
    return joined


def _url_parts(url: str) -> Markup:
    """A URL whose pieces between slashes cannot break (not at their hyphens either): it breaks after a slash."""
    pieces = re.split(r"(?<=/)", url)
    return Markup("").join(Markup('<span class="nobr">{}</span>').format(piece) if "-" in piece else escape(piece)
                           for piece in pieces)


def _first_strong(text: str) -> str | None:
    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return None


def _joined(parts: list[str]) -> str:
    """Korean parts (text and values) with a word joiner wherever two meet without a space, and at the
    ends where a word may continue in the next inline element (``**기록**적인``)."""
    text = parts[0] if parts else ""
    for part in parts[1:]:
        text += (WORD_JOINER if not text[-1].isspace() and not part[0].isspace() else "") + part
    if text and text[0].isalnum():
        text = WORD_JOINER + text
    if text and text[-1].isalnum():
        text += WORD_JOINER
    return text


def fill(text: str, values: dict[str, str]) -> str:
    """Replace ``{name}`` by its formatted value (one full stop where a value ends a sentence);
    an unknown name stays as written."""

    def value(match: re.Match[str]) -> str:
        found = value_at(text, match, values)
        return match.group(0) if found is None else found

    return PLACEHOLDER_RE.sub(value, text)


def value_at(text: str, match: re.Match[str], values: dict[str, str]) -> str | None:
    """The value for the placeholder ``match`` of ``text``; None for an unknown name.

    A value ending in a full stop ("10 марта 2025 г.") that ends a sentence gives one stop, not two.
    """
    value = values.get(match.group(1))
    if value is not None and value.endswith(".") and text.startswith(".", match.end()) \
            and not text.startswith("..", match.end()):
        return value[:-1]
    return value


class TextLayout:
    """How the text of one page (language, direction, medium) is marked up."""

    def __init__(self, language: str, direction: str, medium: str):
        self.rtl = direction == "rtl"
        self.print = medium == "print"
        self.keep_words = self.print and language.split("_")[0].split("-")[0] == "ko"
        self.hyphenated = self.print and hyphenated(language)

    def needed(self, text: str) -> bool:
        """Whether :meth:`markup` would change ``text`` beyond escaping it (a fast test, for plain text)."""
        return "{" in text or "//" in text or "www." in text or "@" in text or self.rtl or self.keep_words

    def markup(self, text: str, values: dict[str, str]) -> Markup:
        """``text`` escaped, with ``{name}`` replaced by its isolated, unbreakable value."""
        parts: list[str] = []
        position = 0
        for match in PLACEHOLDER_RE.finditer(text):
            value = value_at(text, match, values)
            if value is None:
                continue  # an unknown name stays as written
            parts.append(self._plain(text[position:match.start()]))
            parts.append(self.value(value))
            position = match.end()
        parts.append(self._plain(text[position:]))
        if self.keep_words:  # a particle written against a value (5,200억 원을) stays with it
            return Markup(_joined([part for part in parts if part]))
        return Markup("".join(parts))

    def value(self, value: str) -> Markup:
        """A formatted value as one isolated, unbreakable unit.

        In a left-to-right page a value with no break opportunity (``12.5%``, ``3 Mrd. CN¥`` with its
        no-break spaces) stays plain text: WeasyPrint lays out every inline element at a cost.
        Its direction is that of its first strong character (CLDR puts a left-to-right mark before
        ``CN¥3B`` in Hebrew for this): HTML's ``dir=auto``, written out because WeasyPrint ignores it."""
        direction = _first_strong(value)
        if not self.rtl and not _BREAKABLE.search(value):
            return escape(value)  # nothing to isolate or keep together: an element would only cost layout time
        if not self.rtl and self.print and direction != "rtl":
            joined = _unbreakable(value, self.hyphenated)
            if joined is not None:
                return escape(joined)  # the same, without an element for WeasyPrint to lay out
        if direction is None:
            return Markup('<bdi class="value">{}</bdi>').format(self._isolate_latin(value))
        inner = escape(value) if direction == "ltr" else self._isolate_latin(value)
        return Markup('<bdi class="value" dir="{}">{}</bdi>').format(direction, inner)

    def _plain(self, text: str) -> str:
        parts: list[str] = []
        position = 0
        for match in _URL.finditer(text):
            parts.append(self._words(text[position:match.start()]))
            parts.append(str(Markup('<span class="url" dir="ltr">{}</span>' if self.rtl
                                    else '<span class="url">{}</span>').format(_url_parts(match.group(0)))))
            position = match.end()
        parts.append(self._words(text[position:]))
        return "".join(parts)

    def _words(self, text: str) -> str:
        if self.keep_words:
            text = _INSIDE_KOREAN_WORD.sub(WORD_JOINER, text)
        return str(self._isolate_latin(text))

    def _isolate_latin(self, text: str) -> Markup:
        if not self.rtl:
            return escape(text)
        parts: list[str] = []
        position = 0
        for match in _LATIN_RUN.finditer(text):
            parts.append(str(escape(text[position:match.start()])))
            parts.append(str(Markup('<bdi dir="ltr">{}</bdi>').format(match.group(0))))
            position = match.end()
        parts.append(str(escape(text[position:])))
        return Markup("".join(parts))
