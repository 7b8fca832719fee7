"""The CLDR tables Babel does not ship, read from ``data/cldr.json`` (written by ``tools/cldr-extract``).

Narrow currency symbols, the currency-spacing rule, minimum grouping digits, quotation marks (CLDR's delimiters) and the Thai
Buddhist calendar. ``CLDR_VERSION`` names the CLDR release each table comes from.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from babel import Locale


@cache
def _data() -> dict[str, Any]:
    return json.loads(resources.files("pubkit.render").joinpath("data/cldr.json").read_text(encoding="utf-8"))


def cldr_version() -> dict[str, str]:
    """The CLDR release of each shipped table: ``{"numbers": "47.0.0", ...}``."""
    return dict(_data()["cldr_version"])


def _candidates(locale: Locale) -> list[str]:
    """CLDR JSON locale ids from the most specific to the language; the JSON data are resolved."""
    language, script, territory = locale.language, locale.script, locale.territory
    ids = [f"{language}-{script}-{territory}" if script and territory else "",
           f"{language}-{territory}" if territory else "", f"{language}-{script}" if script else "", language]
    return [i for i in ids if i]


def _lookup(table: dict[str, Any], locale: Locale) -> Any:
    for candidate in _candidates(locale):
        if candidate in table:
            return table[candidate]
    return None


def narrow_symbol(locale: Locale, currency: str) -> str | None:
    """CLDR's ``symbol-alt-narrow`` for ``currency`` in ``locale`` ("$" for USD in French), or None."""
    narrow = _data()["narrow_symbols"]
    own = _lookup(narrow, locale) or {}
    return own.get(currency) or narrow["und"].get(currency)


def quotes(locale: Locale) -> tuple[str, str, str, str]:
    """Primary opening and closing, then alternate opening and closing quotation marks."""
    marks = _lookup(_data()["quotes"], locale) or _data()["quotes"]["und"]
    return marks[0], marks[1], marks[2], marks[3]


def currency_spacing() -> dict[str, dict[str, str]]:
    """CLDR's ``currencySpacing`` (the same in every locale of the shipped release)."""
    return _data()["currency_spacing"]


def minimum_grouping(locale: Locale) -> int:
    """CLDR's ``minimumGroupingDigits``: 2 where a four-digit number is not grouped ("1200" in Spanish)."""
    return int(_lookup(_data()["minimum_grouping"], locale) or 1)


def buddhist_calendar(locale: Locale) -> dict[str, Any] | None:
    """Eras, date styles and skeleton patterns of the Buddhist calendar, where pubkit ships them."""
    return _lookup(_data()["buddhist"], locale)


def buddhist_locales() -> tuple[str, ...]:
    return tuple(sorted(_data()["buddhist"]))
