"""Values → locale text with Babel (CLDR): dates, money, numbers, percents, units; CLDR gaps handled here."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import (
    _get_compact_format,
    format_compact_currency,
    format_compact_decimal,
    format_currency,
    format_decimal,
    format_percent,
    get_currency_name,
    get_currency_symbol,
    get_currency_unit_pattern,
)
from babel.units import format_unit

from .errors import RenderError
from .values import Value

#: Compact notation may show at most this many fraction digits ("€3.75亿", "1,25 Mrd. €"); a figure
#: that needs more is written in full instead, because compact notation must never change a figure.
MAX_COMPACT_FRACTION_DIGITS = 3

# CLDR supplemental data, measurementData/paperSize: the territories that print on US Letter
# (Babel does not ship this table). Every other territory uses A4.
LETTER_TERRITORIES = frozenset("BZ CA CL CO CR GT MX NI PA PH PR SV US VE".split())

_LEADING_LETTERS = re.compile(r"^[^\W\d_]+(?=\W)")


class Formatter:
    """Formats a release's values for one locale. Build one per locale and reuse it.

    Babel is called with :class:`~babel.Locale` objects, not strings: parsing a locale name on
    every call makes date formatting some 30 times slower.
    """

    def __init__(self, locale: Locale | str):
        self.locale = locale if isinstance(locale, Locale) else Locale.parse(locale)

    def format(self, value: Value) -> str:
        """One value as a reader of this locale expects to see it."""
        try:
            formatter = getattr(self, f"_{value.kind}")
            return formatter(value.amount, value.options)
        except (KeyError, ValueError, TypeError, ArithmeticError) as exc:  # a CLDR gap Babel did not cover
            raise RenderError(
                f"cannot format value '{value.name}' for locale {self.locale}: {exc}", None, value.line
            ) from None

    def date(self, day: dt.date, style: str = "long") -> str:
        return format_date(day, format=style, locale=self.locale)

    # -- one method per value type -------------------------------------------------------------

    def _date(self, day: dt.date, options: dict[str, str]) -> str:
        if "skeleton" in options:
            return format_skeleton(options["skeleton"], day, locale=self.locale)
        return format_date(day, format=options.get("style", "long"), locale=self.locale)

    def _number(self, number: Decimal, options: dict[str, str]) -> str:
        if options.get("notation") == "compact":
            digits = self._compact_digits(number, "decimal_formats")
            if digits is not None:
                return format_compact_decimal(
                    number, format_type="short", locale=self.locale, fraction_digits=digits, numbering_system="default"
                )
        return format_decimal(number, locale=self.locale, decimal_quantization=False, numbering_system="default")

    def _percent(self, number: Decimal, options: dict[str, str]) -> str:
        # decimal_quantization=False: 0.125 is "12.5 %", never "12 %".
        return format_percent(number, locale=self.locale, decimal_quantization=False, numbering_system="default")

    def _money(self, amount: Decimal, options: dict[str, str]) -> str:
        currency, display = options["currency"], options.get("display", "symbol")
        if options.get("notation") == "compact":
            digits = self._compact_digits(amount, "currency_formats")
            if digits is not None:
                return self._compact_money(amount, currency, display, digits)
        if display == "name":
            return format_currency(amount, currency, locale=self.locale, format_type="name", numbering_system="default")
        pattern = self.locale.currency_formats["standard"].pattern
        text = format_currency(
            amount, currency, format=pattern.replace("¤", "¤¤") if display == "code" else None,
            locale=self.locale, decimal_quantization=False, numbering_system="default",
        )
        return self._narrow(text, currency) if display == "narrowSymbol" else text

    def _compact_money(self, amount: Decimal, currency: str, display: str, digits: int) -> str:
        if display == "name":
            number = self._compact_words(amount, digits)
            pattern = get_currency_unit_pattern(currency, count=amount, locale=self.locale)
            return pattern.format(number, get_currency_name(currency, count=amount, locale=self.locale))
        text = format_compact_currency(
            amount, currency, locale=self.locale, fraction_digits=digits, numbering_system="default"
        )
        if display == "code":
            symbol = get_currency_symbol(currency, locale=self.locale)
            text = re.sub(rf"(\d?){re.escape(symbol)}(\d?)", _spaced(currency), text, count=1)
        elif display == "narrowSymbol":
            text = self._narrow(text, currency)
        return text

    def _compact_words(self, amount: Decimal, digits: int) -> str:
        try:
            return format_compact_decimal(
                amount, format_type="long", locale=self.locale, fraction_digits=digits, numbering_system="default"
            )
        except KeyError:
            # CLDR has no long compact forms for some locales (zh, ja): the short form is correct there.
            return format_compact_decimal(
                amount, format_type="short", locale=self.locale, fraction_digits=digits, numbering_system="default"
            )

    def _unit(self, number: Decimal, options: dict[str, str]) -> str:
        unit = options["unit"]
        lengths = {"long": ("long", "short", "narrow"), "short": ("short", "narrow", "long"), "narrow": ("narrow", "short", "long")}
        for length in lengths[options.get("display", "long")]:
            try:
                text = format_unit(number, unit, length=length, locale=self.locale, numbering_system="default")
            except (KeyError, ValueError):
                continue
            # Babel prints the raw CLDR key ("713 area-hectare") where the locale lacks this length.
            if unit not in text:
                return text
        raise KeyError(f"CLDR has no name for unit '{unit}'")

    # -- helpers --------------------------------------------------------------------------------

    def _compact_digits(self, number: Decimal, kind: str) -> int | None:
        """Fraction digits that show the compact figure exactly, or None if it needs too many."""
        formats = getattr(self.locale, "compact_" + kind).get("short")
        if not formats:
            return None
        scaled, _pattern = _get_compact_format(number, formats, self.locale, fraction_digits=12)
        exponent = scaled.normalize().as_tuple().exponent
        digits = max(0, -exponent) if isinstance(exponent, int) else 0
        return digits if digits <= MAX_COMPACT_FRACTION_DIGITS else None

    def _narrow(self, text: str, currency: str) -> str:
        # Babel has no CLDR narrow symbols; for most currencies they are the standard symbol
        # without its letter prefix (CN¥ → ¥, US$ → $, HK$ → $).
        symbol = get_currency_symbol(currency, locale=self.locale)
        narrow = _LEADING_LETTERS.sub("", symbol) or symbol
        return text.replace(symbol, narrow, 1)


def _spaced(code: str):
    def replace(match: re.Match[str]) -> str:
        before, after = match.group(1), match.group(2)
        return f"{before}\u00a0{code}{after}" if before else (f"{code}\u00a0{after}" if after else code)

    return replace


def paper_size(locale: Locale) -> str:
    """``Letter`` for a locale whose territory prints on US Letter (en_US, es_MX…), else ``A4``.

    A locale without a territory (``en``, ``fr``) is not assumed to be American: it gets A4.
    """
    return "Letter" if locale.territory in LETTER_TERRITORIES else "A4"


def text_direction(locale: Locale) -> str:
    """``rtl`` or ``ltr``, from CLDR's character order for the locale."""
    return "rtl" if locale.character_order == "right-to-left" else "ltr"
