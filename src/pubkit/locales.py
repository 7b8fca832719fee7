"""Languages, one home: tags and their spellings, names, site folders, pseudo-locales and the CLDR lookups.

A language is spelled the gettext way inside pubkit (``zh_CN``: folders, ``Language`` headers) and the
BCP 47 way towards readers (``zh-CN``: ``lang``, ``hreflang``). CLDR comes from Babel, and the tables
Babel does not ship (narrow currency symbols, currency spacing, minimum grouping digits, the number
patterns of numbering systems other than Latin, quotation marks, the Buddhist, Persian,
Umm al-Qura and Hebrew calendars, the digits of each numbering system, Hebrew numerals) from
``data/cldr.json``, written by ``tools/cldr-extract``; ``cldr_version`` names the CLDR release of each table.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.core import get_global, parse_locale

#: Pseudo-locale (gettext spelling, as folder names) → the real locale its values are formatted in.
PSEUDO_LOCALES = {"en_XA": "en", "ar_XB": "ar"}
#: CLDR's localeDisplayPattern where it differs from Babel's fixed "name (detail)": Chinese uses
#: full-width parentheses, "中文（中国）". Babel exposes the names but not this pattern.
_DISPLAY_PATTERNS = {"zh": "{0}（{1}）", "yue": "{0}（{1}）"}


def normalize_language(tag: str) -> str:
    """Accept ``pt_BR`` and ``pt-BR`` alike and return the gettext spelling ``pt_BR``.

    Raises ``ValueError`` with a readable reason when Babel (CLDR) does not know the locale.
    """
    if not isinstance(tag, str) or not re.fullmatch(r"[A-Za-z]{2,8}([_-][A-Za-z0-9]{1,8})*", tag):
        raise ValueError(f"'{tag}' is not a locale identifier (expected e.g. 'de', 'pt_BR' or 'pt-BR')")
    spelled = tag.replace("-", "_")
    try:
        locale = Locale.parse(spelled)
    except (UnknownLocaleError, ValueError):
        raise ValueError(f"unknown locale '{tag}': CLDR has no data for it") from None
    parts = spelled.split("_")
    if locale.language != parts[0].lower():
        # Babel resolves aliases (fre, eng, iw); folders, lang="…" and Language headers need the canonical code.
        meant = "_".join([locale.language, *parts[1:]])
        raise ValueError(f"'{tag}' is not a locale identifier; did you mean '{meant}'?")
    # gettext directories use a lowercase language and an uppercase territory: zh_CN, pt_BR, sr_Latn_RS.
    parts[0] = parts[0].lower()
    for i, part in enumerate(parts[1:], start=1):
        parts[i] = part.title() if len(part) == 4 else part.upper()
    return "_".join(parts)


def bcp47(language: str) -> str:
    """``zh_CN`` → ``zh-CN``: the spelling of ``lang`` and ``hreflang`` attributes."""
    return language.replace("_", "-")


def tag_key(tag: str) -> str:
    """A tag in either spelling, as a key to compare by: ``zh-CN``, ``zh_cn`` → ``zh_cn``."""
    return tag.replace("-", "_").lower()


def default_folder(language: str) -> str:
    """A language's folder in the site unless ``pubkit.toml`` gives it one: ``zh-cn``."""
    return bcp47(language).lower()


def base_locale(language: str) -> str:
    """The locale whose CLDR data formats a language's values: itself, or a pseudo-locale's base."""
    return PSEUDO_LOCALES.get(language, language)


def cldr_locale(language: str) -> Locale | None:
    """The CLDR locale of a language, or None where CLDR (Babel) has none (pseudo-locales, `sr@latin`)."""
    try:
        return Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return None


@cache  # the language switcher of every page names every language
def language_name(language: str) -> str:
    """The language named in itself from CLDR: "Deutsch", "中文（中国）", "العربية".

    Only the parts written in the tag are named (``zh_CN`` names China, not the script CLDR infers);
    a pseudo-locale is named after its base: "English (Pseudo-Accents)"; a tag CLDR does not know is
    shown as written.

    The names are kept in the user's cache, per pubkit and Babel version: naming nine languages loads
    nine locales' CLDR data (20 ms), a twentieth of a rebuild after one catalog changed.
    """
    global _NAMES_CHANGED
    names = _kept_names()
    if language not in names:
        names[language] = _name_from_cldr(language)
        if not _NAMES_CHANGED:  # the file is written once, as the process ends
            import atexit

            atexit.register(_keep_names)
            _NAMES_CHANGED = True
    return names[language]


_NAMES: dict[str, str] | None = None
_NAMES_CHANGED = False


def _names_file():
    import babel

    from . import __version__
    from .fileio import user_cache

    return user_cache("cldr", f"language-names-pubkit-{__version__}-babel-{babel.__version__}.json")


def _kept_names() -> dict[str, str]:
    global _NAMES
    if _NAMES is None:
        try:
            kept = json.loads(_names_file().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            kept = None
        _NAMES = {k: v for k, v in kept.items() if isinstance(k, str) and isinstance(v, str)} \
            if isinstance(kept, dict) else {}
    return _NAMES


def _keep_names() -> None:
    from .errors import PubkitError
    from .fileio import write_atomic

    try:
        write_atomic(_names_file(), json.dumps(_NAMES, ensure_ascii=False, sort_keys=True, indent=0))
    except (PubkitError, OSError):
        pass  # a cache that cannot be written is only slower


def _name_from_cldr(language: str) -> str:
    locale = cldr_locale(base_locale(language))
    if locale is None:
        return language
    name = locale.languages.get(locale.language) or language
    details = []
    for part in language.split("_")[1:]:
        named = locale.scripts.get(part) if len(part) == 4 else locale.territories.get(part)
        if named:
            details.append(named)
    if not details:
        return name
    pattern = _DISPLAY_PATTERNS.get(locale.language, "{0} ({1})")
    return pattern.format(name, ", ".join(details))


@cache  # every page names every language's: 765 lookups in a build of 45 PDFs, each parsing CLDR's tags
def og_locale(language: str) -> str:
    """Open Graph's ``language_TERRITORY`` for a language: its own territory, else CLDR's likeliest for
    its language and script ("de" is de_DE, "ar" ar_EG, "zh_Hant" zh_TW), so social sites do not take every
    page for en_US."""
    locale = Locale.parse(base_locale(language))
    territory = locale.territory or _likely(locale)[0]
    return f"{locale.language}_{territory}" if territory else locale.language


def writing_script(locale: Locale) -> str:
    """The ISO 15924 script ``locale`` is written in: its own, else CLDR's likeliest for its language and
    territory ("fa" is Arab, "zh_TW" Hant, "sr" Cyrl); the page's stylesheet sets labels by it."""
    return locale.script or _likely(locale)[1] or "Latn"


def _likely(locale: Locale) -> tuple[str | None, str | None]:
    """CLDR's likeliest territory and script for ``locale``, from its language and the script or territory
    it names (likely subtags: "fa" is fa_Arab_IR, "zh_TW" zh_Hant_TW); (None, None) if CLDR has none."""
    subtags = get_global("likely_subtags")
    keys = [f"{locale.language}_{part}" for part in (locale.script, locale.territory) if part] + [locale.language]
    likely = next((subtags[key] for key in keys if key in subtags), None)
    if not likely:
        return None, None
    parts = parse_locale(likely)
    return parts[1], parts[2]


# --- CLDR tables Babel does not ship -------------------------------------------------------------


@cache
def _data() -> dict[str, Any]:
    return json.loads(resources.files("pubkit").joinpath("data/cldr.json").read_text(encoding="utf-8"))


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


def number_pattern(locale: Locale, numbering_system: str, kind: str) -> str | None:
    """CLDR's standard ``kind`` pattern ("decimal", "percent", "currency") for a numbering system other than
    Latin where it differs from the Latin one Babel has (Persian money in Persian digits: "‎¤#,##0.00"), or None."""
    return (_lookup(_data()["number_patterns"], locale) or {}).get(numbering_system, {}).get(kind)


def calendar_data(calendar: str, locale: Locale) -> dict[str, Any] | None:
    """Eras, date styles, skeleton patterns and month names of a calendar pubkit ships ("buddhist" for
    Thai, "persian" for Persian and Pashto) in ``locale``, or None where it has none."""
    return _lookup(_data()["calendars"].get(calendar, {}), locale)


def calendar_locales(calendar: str) -> tuple[str, ...]:
    """The locales pubkit has ``calendar``'s data for."""
    return tuple(sorted(_data()["calendars"].get(calendar, {})))


def hebrew_numeral(number: int) -> str:
    """``number`` (1-999) in Hebrew numerals as CLDR's RBNF rules write it: "י׳" for 10, "תשפ״ה" for 785."""
    if not 1 <= number <= 999:
        raise ValueError(f"no Hebrew numeral shipped for {number}")
    return str(_data()["hebrew_numerals"][number - 1])


def preferred_calendar(locale: Locale) -> str:
    """CLDR's first calendar for the locale's territory (its likely one: ``fa`` is Iran), where pubkit ships
    that calendar: "buddhist" in Thailand, "persian" in Iran and Afghanistan; "gregorian" elsewhere."""
    territory = locale.territory or _likely(locale)[0] or ""
    return _data()["calendar_preferences"].get(territory, "gregorian")


def digits(numbering_system: str) -> str | None:
    """The ten digits of a numeric CLDR numbering system ("٠١٢٣٤٥٦٧٨٩" for ``arab``), or None."""
    return _data()["digits"].get(numbering_system)
