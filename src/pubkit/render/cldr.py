"""The CLDR tables Babel does not ship, read from ``data/cldr.json`` (written by ``tools/cldr-extract``).

Narrow currency symbols, the currency-spacing rule, minimum grouping digits, quotation marks (CLDR's
delimiters), the Thai Buddhist calendar and the digits of each numbering system. ``CLDR_VERSION`` names the
CLDR release each table comes from.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from babel import Locale
from babel.core import get_global


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


def calendar_data(calendar: str, locale: Locale) -> dict[str, Any] | None:
    """Eras, date styles, skeleton patterns and month names of a calendar pubkit ships ("buddhist" for
    Thai, "persian" for Persian and Pashto) in ``locale``, or None where it has none."""
    return _lookup(_data()["calendars"].get(calendar, {}), locale)


def calendar_locales(calendar: str) -> tuple[str, ...]:
    """The locales pubkit has ``calendar``'s data for."""
    return tuple(sorted(_data()["calendars"].get(calendar, {})))


def preferred_calendar(locale: Locale) -> str:
    """CLDR's first calendar for the locale's territory (its likely one: ``fa`` is Iran), where pubkit ships
    that calendar: "buddhist" in Thailand, "persian" in Iran and Afghanistan; "gregorian" elsewhere."""
    territory = locale.territory
    if not territory:
        subtags = get_global("likely_subtags")
        likely = subtags.get(f"{locale.language}_{locale.script}", "") or subtags.get(locale.language, "")
        territory = likely.split("_")[-1] if likely.count("_") >= 1 else ""
    return _data()["calendar_preferences"].get(territory, "gregorian")


def digits(numbering_system: str) -> str | None:
    """The ten digits of a numeric CLDR numbering system ("٠١٢٣٤٥٦٧٨٩" for ``arab``), or None."""
    return _data()["digits"].get(numbering_system)
