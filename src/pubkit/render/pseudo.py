"""Pseudo-localization: every release in ``en-XA`` and ``ar-XB``, made from the source text, no catalogs.

``en-XA`` accents every letter, makes the text about 35 % longer and brackets each message, so that
text left out of extraction (it stays plain), truncation (a bracket goes missing) and layouts too
tight for German or Finnish show at a glance. ``ar-XB`` is the same text written right to left on a
mirrored page, for layouts that break in Arabic or Hebrew. Placeholders, code spans, link targets and
markup are never touched (``inline.py`` tells them apart), and values are formatted as in English
and Arabic (``locales.base_locale``). ``publish/pseudo.py`` builds the pages into ``dist-pseudo/``.
"""

from __future__ import annotations

import re

from ..source import inline

#: Where ``build --pseudo`` writes (publish/pseudo.py): never ``dist/`` or a bundle.
OUTPUT_FOLDER = "dist-pseudo"
EXPANSION = 0.35

_ACCENTS = dict(zip(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "åƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
))
_VOWELS = set("aeiouyAEIOUY")
_PADDING = "ļöŕéɱ îƥšûɱ đöļöŕ šîţ åɱéţ "
# Markdown and HTML that must survive as written: escapes, entities, autolinks and tags.
_PROTECTED_RE = re.compile(r"(\\.|&[A-Za-z0-9#]+;|<[^<>\s]+>)", re.DOTALL)
_RLO, _PDF = "\u202e", "\u202c"


def pseudo_text(text: str, language: str) -> str:
    """``text`` (inline Markdown) in a pseudo-locale, its codes and markup unchanged."""
    if language == "en_XA":
        budget = [round(EXPANSION * sum(ch.isalpha() for ch in text))]
        body = inline.original(_map(inline.parse(text), lambda run: _accent(run, budget)))
        padding = ""
        if budget[0] > 0:  # too few vowels to stretch: pad with whole words
            words = (_PADDING * (budget[0] // len(_PADDING) + 2)).split()
            while len(padding) < budget[0]:
                padding += " " + words.pop(0)
        # Plain brackets: Markdown leaves "[…]" as it is when no "(target)" follows, and fields are plain text.
        return "[" + body + padding + "]"
    if language == "ar_XB":
        return inline.original(_map(inline.parse(text), _right_to_left))
    raise ValueError(f"unknown pseudo-locale {language}")


def _map(nodes: list[inline.Node], change) -> list[inline.Node]:
    mapped: list[inline.Node] = []
    for node in nodes:
        if isinstance(node, str):
            parts = _PROTECTED_RE.split(node)  # odd positions are protected
            mapped.append("".join(part if i % 2 else change(part) for i, part in enumerate(parts)))
        elif isinstance(node, inline.Pair):
            mapped.append(inline.Pair(node.kind, node.start, node.end, _map(node.children, change)))
        else:
            mapped.append(node)
    return mapped


def _accent(run: str, budget: list[int]) -> str:
    out = []
    for ch in run:
        out.append(_ACCENTS.get(ch, ch))
        if ch in _VOWELS and budget[0] > 0:  # longer words, as translations make them
            out.append(_ACCENTS[ch])
            budget[0] -= 1
    return "".join(out)


def _right_to_left(run: str) -> str:
    # Each word is forced right to left, so Latin letters read mirrored like a right-to-left script.
    return re.sub(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", lambda m: _RLO + m.group(0) + _PDF, run)
