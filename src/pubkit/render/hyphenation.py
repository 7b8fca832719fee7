"""Pyphen's hyphenation dictionaries, parsed once per machine instead of once per process.

WeasyPrint hyphenates ``hyphens: auto`` text with Pyphen, which parses a language's ``hyph_*.dic``
the first time a process needs it: about 0.5 s for German, as long as importing WeasyPrint itself.
A one-catalog rebuild is a new process every time, so pubkit keeps the parsed patterns in the
user's cache folder (``$XDG_CACHE_HOME/pubkit``) in ``marshal`` form, which loads in a few
milliseconds, and hands them to Pyphen's own per-process cache before WeasyPrint asks.

The cache holds only what pubkit derived from Pyphen's installed files (never project data); its
name carries the dictionary's size and time stamp, Pyphen's version and Python's, so an upgrade
simply makes a new entry. A cache that cannot be read or written is ignored: Pyphen parses as usual.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
import sys
from pathlib import Path

from ..fileio import user_cache
from ..locales import bcp47


def cache_dir() -> Path:
    return user_cache("hyphenation")


@functools.cache
def hyphenated(language: str) -> bool:
    """Whether WeasyPrint hyphenates text in ``language``: Pyphen has a dictionary for it."""
    return _dictionary_name(language) is not None


def _dictionary_name(language: str) -> str | None:
    import pyphen

    return pyphen.language_fallback(bcp47(language))


def preload(language: str) -> bool:
    """Put the parsed dictionary of ``language`` into Pyphen's cache; False if Pyphen has none for it."""
    import pyphen

    name = _dictionary_name(language)
    if name is None:
        return False
    path = pyphen.LANGUAGES[name]
    if path in pyphen.hdcache:
        return True
    stored = _cache_file(path, pyphen.__version__)
    hyph = _load(stored, pyphen) if stored else None
    if hyph is None:
        hyph = pyphen.HyphDict(path)
        if stored:
            _save(stored, hyph)
    pyphen.hdcache[path] = hyph
    return True


def _cache_file(path, version: str) -> Path | None:
    try:
        info = Path(path).stat()
    except (OSError, TypeError):  # a dictionary inside a zip: let Pyphen read it itself
        return None
    key = f"{path}\0{info.st_size}\0{info.st_mtime_ns}\0{version}\0{sys.version}"
    return cache_dir() / f"{Path(path).stem}-{hashlib.sha256(key.encode()).hexdigest()[:16]}.marshal"


def _load(stored: Path, pyphen):
    try:
        maxlen, patterns = marshal.loads(stored.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(patterns, dict) or not isinstance(maxlen, int):
        return None
    hyph = object.__new__(pyphen.HyphDict)  # filled as HyphDict.__init__ would, without re-parsing
    hyph.patterns = patterns
    hyph.cache = {}
    hyph.maxlen = maxlen
    return hyph


def _save(stored: Path, hyph) -> None:
    patterns = {}
    for key, (start, values) in hyph.patterns.items():
        if any(getattr(value, "data", None) for value in values):
            return  # nonstandard hyphenation (ff=f) carries objects marshal cannot hold: do not cache
        patterns[key] = (start, tuple(int(value) for value in values))
    try:
        stored.parent.mkdir(parents=True, exist_ok=True)
        temporary = stored.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(marshal.dumps((hyph.maxlen, patterns)))
        os.replace(temporary, stored)  # whole or not at all, even with two builds at once
    except OSError:
        pass
