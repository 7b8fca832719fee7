"""Values → locale text with Babel (CLDR): dates, money, numbers, percents, units; CLDR gaps handled here."""

from __future__ import annotations

import copy
import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from functools import cached_property
from typing import Any

from babel import Locale
from babel.dates import format_date, match_skeleton
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
    NumberPattern,
)
from babel.units import _find_unit_pattern, format_unit

from .. import locales as cldr
from ..errors import RenderError
from ..source.values import Value

#: Compact notation may show at most this many fraction digits ("€3.75亿", "1,25 Mrd. €"); a figure
#: that needs more is written in full instead, because compact notation must never change a figure.
MAX_COMPACT_FRACTION_DIGITS = 3

# CLDR supplemental data, measurementData/paperSize: the territories that print on US Letter
# (Babel does not ship this table). Every other territory uses A4.
LETTER_TERRITORIES = frozenset("BZ CA CL CO CR GT MX NI PA PH PR SV US VE".split())

# Calendars (``calendar`` in pubkit.toml): "auto" is CLDR's preference where pubkit ships the calendar,
# Buddhist in Thai, Persian in Persian and Pashto, Gregorian elsewhere; "gregorian" in Thai adds the era
# mark a Thai reader needs.
_BUDDHIST_ERA_OFFSET = 543

# Journalistic conventions beyond CLDR (docs/typesetting.md, "Values and typography").
#: The word the press writes after a compact amount, where it is not CLDR's currency name
#: ("30亿元", not "30亿人民币"; "3 Mrd. Yuan", not "3 Mrd. Renminbi Yuan"; "5,200억 원").
PRESS_CURRENCY_WORDS: dict[str, dict[str, str]] = {
    "de": {"CNY": "Yuan"},
    "fr": {"CNY": "yuans"},
    "zh": {"CNY": "元"},
    "zh_Hant": {},  # Traditional Chinese keeps CLDR's names: 30億人民幣
    "ja": {"CNY": "元", "JPY": "円"},
    "ko": {"KRW": "원", "USD": "달러", "CNY": "위안"},
    "he": {"USD": "דולר"},
    # The press names these currencies shorter than CLDR ("1 milyar dolar", "3,5 млрд рублей", "416 mln zł",
    # "1.400 tỷ đồng", "5000 करोड़ रुपये"): tests/render/test_press_forms.py quotes each.
    "es": {"USD": "dólares"},
    "pt": {"USD": "dólares", "BRL": "reais"},
    "tr": {"USD": "dolar", "EUR": "euro"},
    "ru": {"RUB": "рублей", "USD": "долларов"},
    "uk": {"UAH": "грн", "USD": "доларів"},
    "pl": {"PLN": "zł", "USD": "dolarów"},
    "hi": {"INR": "रुपये", "USD": "डॉलर"},
    "id": {"USD": "dolar AS"},
    "vi": {"VND": "đồng", "USD": "USD"},
    "th": {"THB": "บาท"},
}
#: Languages whose press joins a magnitude word to its currency with a preposition, elided before a vowel
#: ("375 millions d’euros", "2 milliards de dollars", "375 millones de euros").
PRESS_PREPOSITIONS: dict[str, tuple[str, str | None]] = {
    "fr": ("de ", "d’"), "es": ("de ", None), "pt": ("de ", None), "it": ("di ", None)}
#: Languages whose press abbreviates the magnitude before a currency name ("3 Mrd. Yuan", "1,2 млрд рублей",
#: "1,2 mld zł").
PRESS_SHORT_MAGNITUDE = frozenset({"de", "ru", "uk", "pl"})
#: Languages whose press writes a compact amount as figure, magnitude word and currency name even where
#: CLDR's short form has a symbol or code ("1,2 milyar İsviçre frangı", not "1,2 Mr CHF"): the magnitude from
#: CLDR's long (or, above, short) decimal formats, the currency from CLDR's display names.
PRESS_NAMED_CURRENCY = frozenset({"es", "pt", "it", "nl", "pl", "tr", "ru", "uk", "hi", "id", "vi", "th"})
#: A magnitude word governs the noun after it: the genitive plural in Slavic languages whatever the figure
#: ("21 млн рублей", never "21 млн рубль"). The count whose CLDR plural category names that form.
PRESS_GENITIVE_COUNT = {"ru": 5, "uk": 5, "pl": 5}
#: Languages whose press writes currency names in lower case, as common nouns, where CLDR capitalizes them
#: ("1,2 bilhão de francos suíços", "1,2 miliar franc Swiss").
PRESS_LOWERCASE_NAMES = frozenset({"pt", "id"})
#: Languages whose press counts large amounts in one magnitude word however large they grow: Spanish in
#: millions ("1.200 millones de euros"), Hindi in crores ("5000 करोड़ रुपये"), Thai in millions
#: ("520,680 ล้านบาท"), Vietnamese in billions ("44.355 tỷ đồng"): the power of ten of that word, and of
#: the word CLDR would use next (from which on the press keeps counting in the first).
PRESS_LARGEST_MAGNITUDE = {"es": (6, 9), "hi": (7, 9), "th": (6, 9), "vi": (9, 12)}
#: Units the press names shorter than CLDR's long form, as "{0}" and the word: a tonne is "टन", "톤", "טון"
#: in Hindi, Korean and Hebrew news, never "मीट्रिक टन", "메트릭 톤", "טון מטרי" (tests/render/test_press_forms.py).
PRESS_UNITS: dict[str, dict[str, str]] = {
    "hi": {"mass-tonne": "{0} टन"},
    "ko": {"mass-tonne": "{0}톤"},
    "he": {"mass-tonne": "{0} טון"},
}
#: Currencies whose own press puts the symbol before a figure with a magnitude word ("Rp 2,8 triliun").
PRESS_SYMBOL_FIRST = {"id": {"IDR"}}
#: Languages whose press groups the thousands of a magnitude however CLDR's minimumGroupingDigits says
#: ("1.200 millones", where CLDR would write "1200").
PRESS_ALWAYS_GROUPED = frozenset({"es"})
#: Languages where a compact amount is always figure, magnitude, currency word ("30亿元", never "¥30亿").
PRESS_WORD_AFTER_FIGURE = frozenset({"zh", "ja", "ko"})
_VOWELS = frozenset("aeiouàâäéèêëîïôöùûüœæAEIOUÉÈÊÎÔÛ")
#: Languages whose press writes the currency word against the magnitude ("30亿元", "375 ล้านยูโร").
PRESS_NO_SPACE = frozenset({"zh", "ja", "th"})

# Date pattern fields (UTS #35): letters of one field type, and the fields that may be widened.
_FIELD_TYPE = {"L": "M", "c": "E", "e": "E", "Y": "y", "u": "y", "U": "y", "r": "y", "q": "Q"}
_NEVER_WIDENED = frozenset("hHkKjJmsSaAbBGzZOvVXx")
_PATTERN_PART = re.compile(r"'(?:[^']|'')*'|([A-Za-z])\1*|[^A-Za-z']+")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_LONG_NUMBER = re.compile(r"[0-9]{4,}")
_ABBREVIATED_WEEKDAY = re.compile(r"(?<!E)E{1,3}(?!E)")


class Formatter:
    """Formats a release's values for one locale. Build one per locale and reuse it.

    Babel is called with :class:`~babel.Locale` objects, not strings: parsing a locale name on
    every call makes date formatting some 30 times slower.
    """

    def __init__(self, locale: Locale | str, calendar: str = "auto", digits: str = "auto",
                 gregorian_beside: bool = False):
        parsed = locale if isinstance(locale, Locale) else Locale.parse(locale)
        self.locale: Locale = _CompactPatterns(parsed.language, parsed.territory, parsed.script, parsed.variant,
                                               parsed.modifier)
        #: The CLDR numbering system of every figure ("latn", "arab", "beng"…): docs/typesetting.md.
        self.numbering_system = numbering_system(self.locale, digits)
        shapes = cldr.digits(self.numbering_system)
        self._digits = str.maketrans("0123456789", shapes) if shapes and shapes != "0123456789" else None
        preferred = cldr.preferred_calendar(self.locale)
        name = preferred if calendar == "auto" else calendar
        data = None if name == "gregorian" else cldr.calendar_data(name, self.locale)
        if data is None and calendar not in ("auto", "gregorian"):
            raise ValueError(f"pubkit has no {name} calendar data for {self.locale}")
        #: The calendar in force ("gregorian", "buddhist", "persian") and its CLDR data (None: Gregorian).
        self.calendar = name if data is not None else "gregorian"
        self._calendar = data
        #: A Gregorian year in a locale whose readers assume the Buddhist era gets its era mark ("ค.ศ. 2025").
        self._gregorian_era = preferred == "buddhist" and self._calendar is None
        self._skeletons: dict[str, str] | None = None
        #: Where asked, the same locale's Gregorian formatter, whose date follows in parentheses.
        self._beside = (Formatter(self.locale, "gregorian", digits)
                        if gregorian_beside and self._calendar is not None else None)
        self._latin = bool(_LATIN_LETTER.search(self.locale.months["format"]["wide"][3]))

    def format(self, value: Value) -> str:
        """One value as a reader of this locale expects to see it."""
        try:
            formatter = getattr(self, f"_{value.kind}")
            text = formatter(value.amount, value.options)
            if isinstance(value.amount, Decimal) and value.amount < 0:
                # Babel writes a pattern's minus as "-"; CLDR's sign of the numbering system is "−" in Swedish,
                # Finnish, Lithuanian, "‎−" in Persian. The first "-" is its sign: in CLDR 47 no locale whose sign
                # is not "-" writes a hyphenated unit or currency name before the figure.
                text = text.replace("-", self.locale.number_symbols[self.numbering_system].get("minusSign", "-"), 1)
            return self.localize_digits(text)
        except (KeyError, ValueError, TypeError, ArithmeticError, RenderError) as exc:
            # A CLDR gap Babel did not cover, or a date its calendar cannot write (RenderError, from date()).
            reason = exc.message if isinstance(exc, RenderError) else f"for locale {self.locale}: {exc}"
            raise RenderError(f"cannot format value '{value.name}' {reason}", None, value.line) from None

    def date(self, day: dt.date, style: str = "long") -> str:
        """A date in one of CLDR's styles (short, medium, long, full), in the calendar in force."""
        if self._calendar is not None:
            # A style may write its figures in another numbering system: Hebrew numerals in Hebrew ("hebr").
            numbers = self._calendar.get("dateNumbers", {}).get(style)
            try:
                text = self.localize_digits(self._format_pattern(day, self._calendar["dateFormats"][style], numbers))
            except ValueError as exc:  # a date the calendar's numerals cannot write (a Hebrew year past 5999)
                raise RenderError(f"in the {self.calendar} calendar for locale {self.locale}: {exc}") from None
            return text if self._beside is None else f"{text} ({self._beside.date(day, style)})"
        pattern = self.locale.date_formats[style].pattern
        if self._gregorian_era and "G" not in pattern:
            pattern = re.sub(r"(?<![A-Za-z'])y+", lambda m: "G " + m.group(0), pattern, count=1)
        return self.localize_digits(self._format_pattern(day, pattern))

    def localize_digits(self, text: str) -> str:
        """``text`` with its ASCII digits written in the numbering system in force ("٢٠٢٥" for "2025")."""
        return text.translate(self._digits) if self._digits is not None else text

    def skeleton_pattern(self, skeleton: str) -> str:
        """The CLDR pattern for a skeleton, fields widened as ICU's DateTimePatternGenerator does.

        Babel picks the nearest ``availableFormats`` entry but prints it as is: ``yMMMMd`` gave
        ``MMM d, y``. Like ICU, a field of the pattern takes the requested width when the matched
        entry's field was narrower and of the same kind (text or numeric), so ``MMMM`` means the
        full month name ("March 10, 2025", "10 марта 2025 г."); a numeric month stays numeric
        ("2025年3月10日").
        """
        if self._gregorian_era and "y" in skeleton and "G" not in skeleton:
            skeleton = "G" + skeleton
        available = self._skeleton_patterns()
        if skeleton in available:
            matched = skeleton
        else:
            # E, EE and EEE are one field in CLDR (the abbreviated weekday): compared as one, as ICU does.
            by_weekday = {_ABBREVIATED_WEEKDAY.sub("EEE", key): key for key in reversed(available)}
            closest = match_skeleton(_ABBREVIATED_WEEKDAY.sub("EEE", skeleton), by_weekday, True)
            matched = by_weekday.get(closest) if closest else None
        if matched is None:
            raise KeyError(f"CLDR has no date pattern for skeleton '{skeleton}'")
        return _widen(available[matched], _field_widths(skeleton), _field_widths(matched))

    def _skeleton_patterns(self) -> dict[str, str]:
        """Skeleton → pattern, as ICU's DateTimePatternGenerator holds them: the date styles of the calendar
        in force under their own skeletons ("d MMMM y" is ``yMMMMd`` in Amharic), overridden by CLDR's
        ``availableFormats`` where both name the same skeleton."""
        if self._skeletons is None:
            if self._calendar is not None:
                styles, available = self._calendar["dateFormats"], self._calendar["availableFormats"]
            else:
                styles = {s: self.locale.date_formats[s].pattern for s in ("full", "long", "medium", "short")}
                available = {key: p.pattern for key, p in self.locale.datetime_skeletons.items()}
            by_skeleton = {_pattern_skeleton(pattern): pattern for pattern in styles.values()}
            if self.calendar == "buddhist":  # ICU's Thai Buddhist generator does not use the styles
                by_skeleton = {}
            self._skeletons = {**by_skeleton, **available}
        return self._skeletons

    # -- one method per value type -------------------------------------------------------------

    def _date(self, day: dt.date, options: dict[str, str]) -> str:
        if "skeleton" not in options:
            return self.date(day, options.get("style", "long"))
        text = self._format_pattern(day, self.skeleton_pattern(options["skeleton"]))
        if self._beside is not None:  # format() localizes the digits of both
            text += f" ({self._beside._date(day, options)})"
        return text

    def _format_pattern(self, day: dt.date, pattern: str, numbers: str | None = None) -> str:
        if self._calendar is not None:
            pattern = self._calendar_pattern(pattern, day, numbers)
        return format_date(day, format=pattern, locale=self.locale)

    def _calendar_pattern(self, pattern: str, day: dt.date, numbers: str | None = None) -> str:
        """Babel knows only the Gregorian calendar: write the fields another calendar changes (era, year,
        and in the Persian, Hijri and Hebrew calendars month and day) as literals, from CLDR's names; the
        weekday stays Babel's. ``numbers`` "hebr" writes the year and day in Hebrew numerals."""
        data = self._calendar
        year, month, date, leap = _calendar_date(self.calendar, day)
        months = data.get("months")
        figure = _hebrew_year if numbers == "hebr" else None

        def literal(match: re.Match[str]) -> str:
            field, width = match.group(1), len(match.group(0))
            if not field:  # a quoted literal or punctuation
                return match.group(0)
            if field == "G":
                eras = data["eras"]
                text = eras["wide"] if width == 4 else eras["narrow"] if width == 5 else eras["abbreviated"]
            elif field == "y":
                text = (figure(year) if figure else
                        f"{year % 100:02d}" if width == 2 else str(year).zfill(width))
            elif field in "ML" and months is not None:
                text = str(month).zfill(width) if width <= 2 else _month_name(data, field, width, month, leap)
            elif field == "d" and months is not None:
                text = cldr.hebrew_numeral(date) if figure else str(date).zfill(width)
            else:
                return match.group(0)
            return "'" + text.replace("'", "''") + "'"

        return _PATTERN_PART.sub(literal, pattern)

    def _number(self, number: Decimal, options: dict[str, str]) -> str:
        if options.get("notation") == "compact":
            digits = self._compact_digits(number, "decimal_formats")
            if digits is not None:
                # The press of these languages writes the magnitude as a word: "1,2 milyar", not "1,2 Mr".
                words = self.locale.language in PRESS_NAMED_CURRENCY - PRESS_SHORT_MAGNITUDE
                figure = self._compact_figure(number, words or self._latin_letters_in_short(number, digits))
                if figure is not None:
                    return figure
        return self._decimal(number)

    def _percent(self, number: Decimal, options: dict[str, str]) -> str:
        # decimal_quantization=False: 0.125 is "12.5 %", never "12 %".
        text = format_percent(number, format=self._pattern("percent"), locale=self.locale, decimal_quantization=False,
                              numbering_system=self.numbering_system, group_separator=self._grouping(number * 100))
        # Babel keeps the pattern's "%": CLDR's sign of the numbering system is "٪" in Persian, "‎%‎" in Arabic.
        return text.replace("%", self.locale.number_symbols[self.numbering_system].get("percentSign", "%"))

    def _money(self, amount: Decimal, options: dict[str, str]) -> str:
        currency, display = options["currency"], options.get("display", "symbol")
        if options.get("notation") == "compact":
            digits = self._compact_digits(amount, "currency_formats")
            text = None if digits is None else self._compact_money(amount, currency, display, digits)
            if text is not None:
                return text
        if display == "name":
            return self._money_by_name(amount, currency)
        pattern = self._pattern("currency") or self.locale.currency_formats["standard"].pattern
        text = format_currency(
            amount, currency, format=pattern.replace("¤", "¤¤") if display == "code" else pattern,
            locale=self.locale, decimal_quantization=False, numbering_system=self.numbering_system,
            group_separator=self._grouping(amount),
        )
        return self._symbol(text, currency, display)

    def _money_by_name(self, amount: Decimal, currency: str) -> str:
        # A press release writes "48,500,000 US dollars", never "48,500,000.00 US dollars".
        if amount != amount.to_integral_value():
            return format_currency(amount, currency, format=self._pattern("decimal"), locale=self.locale,
                                   format_type="name", decimal_quantization=False,
                                   numbering_system=self.numbering_system, group_separator=self._grouping(amount))
        number = self._decimal(amount)
        pattern = get_currency_unit_pattern(currency, count=amount, locale=self.locale)
        return pattern.format(number, get_currency_name(currency, count=amount, locale=self.locale))

    def _compact_money(self, amount: Decimal, currency: str, display: str, digits: int) -> str | None:
        press = PRESS_WORD_AFTER_FIGURE | PRESS_NAMED_CURRENCY
        if display == "name" or (display != "code" and (
                self.locale.language in press or self._latin_letters_in_short(amount, digits))):
            return self._press_money(amount, currency)
        text = format_compact_currency(
            amount, currency, locale=self.locale, fraction_digits=digits, numbering_system=self.numbering_system
        )
        # A magnitude without a compact pattern ("30000 €" in German) is the figure in full, grouped as any figure.
        text = _LONG_NUMBER.sub(lambda m: self._decimal(Decimal(m.group(0))), text, count=1)
        if display == "code":
            text = text.replace(get_currency_symbol(currency, locale=self.locale), currency, 1)
        return self._symbol(text, currency, display)

    def _press_money(self, amount: Decimal, currency: str) -> str | None:
        """A compact amount as the press writes it: "375 millions d’euros", "30亿元", "5,200억 원"."""
        language = self.locale.language
        figure = self._compact_figure(amount, language not in PRESS_SHORT_MAGNITUDE)
        if figure is None:
            return None
        scripted = f"{language}_{self.locale.script}"
        words = PRESS_CURRENCY_WORDS.get(scripted if scripted in PRESS_CURRENCY_WORDS else language, {})
        plain = self._grouped(amount)
        magnitude = figure != plain
        if magnitude and currency in PRESS_SYMBOL_FIRST.get(language, ()):
            return f"{get_currency_symbol(currency, locale=self.locale)} {figure}"
        count = PRESS_GENITIVE_COUNT.get(language, amount) if magnitude else amount
        # A Slavic press word is the genitive plural a magnitude word governs: only after one.
        own = words.get(currency) if magnitude or language not in PRESS_GENITIVE_COUNT else None
        word = own or get_currency_name(currency, count=count, locale=self.locale)
        if language in PRESS_LOWERCASE_NAMES and word[:2].istitle():
            word = word[0].lower() + word[1:]
        if language in PRESS_PREPOSITIONS and magnitude:  # a magnitude word: "millions d’euros"
            preposition, elided = PRESS_PREPOSITIONS[language]
            word = (elided if elided and word[:1] in _VOWELS else preposition) + word
        if language in PRESS_NO_SPACE:
            return figure + word
        return get_currency_unit_pattern(currency, count=amount, locale=self.locale).format(figure, word)

    def _compact_figure(self, number: Decimal, long: bool) -> str | None:
        """A compact figure, grouped as the press does ("5,200억"); None if it cannot be shown exactly."""
        length = "long" if long and self.locale.compact_decimal_formats.get("long") else "short"
        largest, beyond = PRESS_LARGEST_MAGNITUDE.get(self.locale.language, (0, 0))
        if largest and abs(number) >= Decimal(10) ** beyond:
            return self._in_magnitude(number, largest, length)
        digits = self._compact_digits(number, "decimal_formats", length)
        if digits is None:
            return None
        text = format_compact_decimal(number, format_type=length, locale=self.locale, fraction_digits=digits,
                                      numbering_system=self.numbering_system)
        return _LONG_NUMBER.sub(lambda m: self._grouped(Decimal(m.group(0))), text, count=1)

    def _grouped(self, number: Decimal) -> str:
        """The figure of a compact form, grouped as the press groups it: as CLDR's minimumGroupingDigits wants
        ("1100 miliardi" in Italian, "12.000 millones"), except where the press always groups ("1.200 millones")."""
        return self._decimal(number, self.locale.language in PRESS_ALWAYS_GROUPED or None)

    def _decimal(self, number: Decimal, grouped: bool | None = None) -> str:
        """``number`` in full, never rounded, in the numbering system's own pattern; grouped as CLDR's
        minimumGroupingDigits says unless ``grouped`` decides."""
        return format_decimal(number, format=self._pattern("decimal"), locale=self.locale, decimal_quantization=False,
                              numbering_system=self.numbering_system,
                              group_separator=self._grouping(number) if grouped is None else grouped)

    def _grouping(self, number: Decimal) -> bool:
        """Whether ``number`` shows its group separators: CLDR's minimumGroupingDigits (which Babel ignores)."""
        return abs(number) >= self._grouped_from

    @cached_property
    def _grouped_from(self) -> Decimal:
        """The smallest figure whose group separators show. CLDR's minimumGroupingDigits is 2 in Spanish, Italian,
        Polish, Hungarian, Bulgarian, Latvian, Georgian…: a figure whose highest group would have fewer digits is
        not grouped ("1250", "1250 %", "1250,00 €"; but "12.500"), as ICU writes it."""
        size = self.locale.decimal_formats[None].grouping[0]
        return Decimal(10) ** (size + max(cldr.minimum_grouping(self.locale), 1) - 1)

    def _pattern(self, kind: str) -> str | None:
        """CLDR's ``kind`` pattern of the numbering system in force, where it is not Babel's Latin one (Persian
        money in Persian digits is "‎¤#,##0.00", in Latin digits "‎¤ #,##0.00"); None: Babel's."""
        return self._patterns[kind]

    @cached_property
    def _patterns(self) -> dict[str, str | None]:
        return {kind: cldr.number_pattern(self.locale, self.numbering_system, kind)
                for kind in ("decimal", "percent", "currency")}

    def _in_magnitude(self, number: Decimal, power: int, length: str) -> str | None:
        """``number`` counted in 10**power, with CLDR's word for that magnitude ("1200 millones")."""
        scaled = (number / Decimal(10) ** power).normalize()
        if -scaled.as_tuple().exponent > MAX_COMPACT_FRACTION_DIGITS:  # type: ignore[operator]
            return None
        by_plural = self.locale.compact_decimal_formats[length]  # plural category → magnitude → pattern
        form = by_plural.get(self.locale.plural_form(scaled)) or by_plural["other"]
        pattern = str(form["1" + "0" * power].pattern)
        figure = self._grouped(scaled)
        return re.sub(r"0+(?:[.,]0+)?", lambda _m: figure, pattern.replace("'", ""), count=1)

    def _latin_letters_in_short(self, number: Decimal, digits: int) -> bool:
        """True where CLDR's short compact form puts Latin letters in a non-Latin text ("375M" in Hebrew)."""
        if self._latin:
            return False
        short = format_compact_decimal(number, format_type="short", locale=self.locale, fraction_digits=digits,
                                       numbering_system=self.numbering_system)
        return bool(_LATIN_LETTER.search(short))

    def _unit(self, number: Decimal, options: dict[str, str]) -> str:
        unit, length = options["unit"], options.get("display", "long")
        press = PRESS_UNITS.get(self.locale.language, {}).get(unit)
        pattern = press if press and length == "long" else self._unit_pattern(unit, length, number)
        if pattern is not None:
            return pattern.format(self._decimal(number))
        # No pattern in any width: Babel's own fallback, the figure and the unit's name, where it has a name
        # (it prints the raw CLDR key, "713 graphics-dot", where it has none).
        text = format_unit(number, unit, length=length, locale=self.locale, numbering_system=self.numbering_system)
        if unit in text:
            raise KeyError(f"CLDR has no name for unit '{unit}'")
        return text

    def _unit_pattern(self, unit: str, length: str, number: Decimal) -> str | None:
        """CLDR's pattern for ``number`` of ``unit``, inherited as CLDR and ICU inherit it where Babel's
        ``format_unit`` does not: a width the locale lacks is its short one (root's alias: "1 ha" in narrow
        Portuguese, not "1 hectare"), a plural form it lacks its "other" (German short "1 ha", not "1 Hektar"),
        a person's age or duration ("duration-year-person") the plain unit."""
        patterns_of = self.locale._data["unit_patterns"]  # Babel's format_unit reads it so: it has no public name
        key = _find_unit_pattern(unit, locale=self.locale)
        for name in (key, key.removesuffix("-person")) if key else ():
            by_length = patterns_of.get(name, {})
            for width in (length, "short", "long"):
                patterns = by_length.get(width) or {}
                if "other" in patterns:  # a width may hold only its "per" pattern ("{0}/h"), not the unit's own
                    return patterns.get(self.locale.plural_form(number)) or patterns["other"]
        return None

    # -- helpers --------------------------------------------------------------------------------

    def _compact_digits(self, number: Decimal, kind: str, length: str = "short") -> int | None:
        """Fraction digits that show the compact figure exactly, or None if it needs too many."""
        formats = getattr(self.locale, "compact_" + kind).get(length)
        if not formats:
            return None
        scaled, _pattern = _get_compact_format(number, formats, self.locale, fraction_digits=12)
        exponent = scaled.normalize().as_tuple().exponent
        digits = max(0, -exponent) if isinstance(exponent, int) else 0
        return digits if digits <= MAX_COMPACT_FRACTION_DIGITS else None

    def _symbol(self, text: str, currency: str, display: str) -> str:
        """The symbol Babel printed, made narrow if asked (CLDR data shipped by pubkit), then spaced."""
        symbol = get_currency_symbol(currency, locale=self.locale)
        if display == "code":
            symbol = currency
        elif display == "narrowSymbol":
            narrow = cldr.narrow_symbol(self.locale, currency) or symbol
            text, symbol = text.replace(symbol, narrow, 1), narrow
        return currency_spaced(text, symbol)


class _CompactPatterns(Locale):
    """A Babel locale whose compact patterns have no negative part ("0B;-0B" in Swahili is "0B"): Babel scales a
    figure by the zeros of the whole pattern, and so printed 3 billion as "30B" and 30,000 as "elfu 3,000".
    Only the text Babel counts in is cut: the parsed negative part still writes "elfu -30", as ICU does."""

    @cached_property
    def compact_decimal_formats(self) -> dict[str, Any]:  # type: ignore[override]
        return _positive_parts(super().compact_decimal_formats)

    @cached_property
    def compact_currency_formats(self) -> dict[str, Any]:  # type: ignore[override]
        return _positive_parts(super().compact_currency_formats)


def _positive_parts(formats: Mapping[str, Any]) -> dict[str, Any]:
    """Length → plural form → magnitude → pattern, each pattern cut to its positive part."""
    def positive(pattern: NumberPattern) -> NumberPattern:
        if ";" not in pattern.pattern:
            return pattern
        cut = copy.copy(pattern)
        cut.pattern = pattern.pattern.split(";", 1)[0]
        return cut

    return {length: {form: {magnitude: positive(pattern) for magnitude, pattern in by_magnitude.items()}
                     for form, by_magnitude in by_form.items()}
            for length, by_form in formats.items()}


def currency_spaced(text: str, symbol: str) -> str:
    """CLDR's currencySpacing: a symbol ending or starting in a letter is kept apart from the digits
    ("JPY 1,250,000", "1 250 000 JPY"); "$1,250" and "CN¥3" stay joined."""
    at = text.find(symbol)
    if at < 0 or not symbol:
        return text
    before, after = text[:at], text[at + len(symbol):]
    rules = cldr.currency_spacing()
    if after[:1].isdigit() and _currency_match(symbol[-1]):
        after = rules["afterCurrency"]["insertBetween"] + after
    if before[-1:].isdigit() and _currency_match(symbol[0]):
        before = before + rules["beforeCurrency"]["insertBetween"]
    return before + symbol + after


def _currency_match(char: str) -> bool:
    # CLDR's currencyMatch is [[:^S:]&[:^Z:]]: neither a symbol nor a separator.
    return unicodedata.category(char)[0] not in "SZ"


#: ICU's canonical order of pattern fields in a skeleton (era, year, quarter, month, week, day, …).
_CANONICAL_FIELDS = "GyYuUrQqMLwWEcdDFgaAbBhHkKjJmsSzZOvVXx"


def _calendar_date(calendar: str, day: dt.date) -> tuple[int, int, int, bool]:
    """Year, month and day of a Gregorian date in another calendar, and whether its year is a leap year
    whose months are named otherwise (the Hebrew one, with Adar I and Adar II)."""
    if calendar == "buddhist":
        return day.year + _BUDDHIST_ERA_OFFSET, day.month, day.day, False
    if calendar == "hebrew":
        return hebrew_date(day)
    if calendar == "islamic-umalqura":
        # hijridate holds the Umm al-Qura tables Saudi Arabia publishes (1343-1500 AH); for today's dates
        # (1999-2029) it gives ICU's day (tests/render/test_long_tail.py); outside them the two sources differ.
        from hijridate import Gregorian

        hijri = Gregorian(day.year, day.month, day.day).to_hijri()
        return hijri.year, hijri.month, hijri.day, False
    # jdatetime gives the day ICU gives for every date from 1950 to 2100 (tests/render/test_long_tail.py), fast and
    # arithmetically; convertdate's astronomical Persian calendar agrees but is some 50 times slower.
    # Imported here: its 13 ms are paid only by a project that dates by the Persian calendar.
    import jdatetime

    persian = jdatetime.date.fromgregorian(date=day)
    return persian.year, persian.month, persian.day, False


def hebrew_date(day: dt.date) -> tuple[int, int, int, bool]:
    """A Gregorian date in the Hebrew calendar: year, month as CLDR and ICU number them (Tishri is 1, Adar I
    6 and only in a leap year, Adar or Adar II 7, Elul 13), day, and whether the year is a leap year.

    pyluach converts: pure Python without dependencies, some 7 µs a date, ICU's day for every date from 1900
    to 2100 but the 385 days from 10 November 2045, where ICU 77.1 alone starts the year 5807 a day late
    (tests/render/test_long_tail.py); convertdate's Hebrew calendar needs PyMeeus, and hdate brings
    astronomy pubkit has no use for. pyluach counts months from Nisan (1) to Adar II (13)."""
    from pyluach import dates, hebrewcal  # imported here: only a project dating by the Hebrew calendar pays

    hebrew = dates.HebrewDate.from_pydate(day)
    leap = hebrewcal.Year(hebrew.year).leap
    if hebrew.month == 13 or (hebrew.month == 12 and not leap):
        month = 7  # Adar II in a leap year, Adar in a common one
    else:
        month = hebrew.month - 6 if hebrew.month >= 7 else hebrew.month + 7
    return hebrew.year, month, hebrew.day, leap


def _hebrew_year(year: int) -> str:
    """A Hebrew year in Hebrew numerals as ICU writes it in a date: without its thousands (תשפ״ה for 5785)."""
    if not 5000 < year < 6000:  # ICU drops the millennium only inside the current one
        raise ValueError(f"pubkit writes Hebrew years 5001-5999 in Hebrew numerals, not {year}")
    return cldr.hebrew_numeral(year - 5000)


def _month_name(data: dict, field: str, width: int, month: int, leap: bool) -> str:
    """CLDR's name of a month of another calendar; in a Hebrew leap year month 7 is Adar II, not Adar."""
    context = "format" if field == "M" else "stand-alone"
    length = {3: "abbreviated", 4: "wide", 5: "narrow"}[min(width, 5)]
    if leap:
        named = data.get("leapMonths", {}).get(context, {}).get(length, {}).get(str(month))
        if named:
            return named
    return data["months"][context][length][month - 1]


def _pattern_skeleton(pattern: str) -> str:
    """The skeleton of a date pattern ("d MMMM y" → "yMMMMd"): its fields in ICU's canonical order."""
    fields = [m.group(0) for m in _PATTERN_PART.finditer(pattern) if m.group(1)]
    return "".join(sorted(fields, key=lambda field: _CANONICAL_FIELDS.find(field[0])))


def _field_widths(skeleton: str) -> dict[str, tuple[str, int]]:
    """Each field type of a skeleton or pattern: (letter, width)."""
    widths: dict[str, tuple[str, int]] = {}
    for match in _PATTERN_PART.finditer(skeleton):
        if match.group(1):
            widths[_FIELD_TYPE.get(match.group(1), match.group(1))] = (match.group(1), len(match.group(0)))
    return widths


def _is_text(letter: str, width: int) -> bool:
    return letter in "GEa" or (letter in "MLQqec" and width >= 3)


def _widen(pattern: str, requested: dict[str, tuple[str, int]], matched: dict[str, tuple[str, int]]) -> str:
    """ICU's adjustFieldTypes: give each field of ``pattern`` the width the skeleton asked for."""

    def adjust(match: re.Match[str]) -> str:
        letter = match.group(1)
        if not letter or letter in _NEVER_WIDENED:
            return match.group(0)
        kind = _FIELD_TYPE.get(letter, letter)
        if kind not in requested or kind not in matched:
            return match.group(0)
        width, (skeleton_letter, skeleton_width) = len(match.group(0)), matched[kind]
        wanted = requested[kind][1]
        if skeleton_width == wanted or _is_text(letter, width) != _is_text(skeleton_letter, skeleton_width):
            return match.group(0)  # the entry already had this width, or text and number differ (y年M月d日)
        return letter * wanted

    return _PATTERN_PART.sub(adjust, pattern)


def numbering_system(locale: Locale, digits: str = "auto") -> str:
    """The numbering system for ``digits`` (pubkit.toml): "auto" is CLDR's default for the locale (Arabic-Indic
    in ar_EG, Bengali in bn, Latin in ar and fr), "native" its native system, "latn" Latin digits.

    A system without symbols in the locale's CLDR data (Babel would refuse it) falls back to Latin.
    """
    if digits == "latn":
        return "latn"
    system = locale.default_numbering_system
    if digits == "native":
        system = locale.other_numbering_systems.get("native", system)
    return system if system in locale.number_symbols and cldr.digits(system) else "latn"


def paper_size(locale: Locale) -> str:
    """``Letter`` for a locale whose territory prints on US Letter (en_US, es_MX…), else ``A4``.

    A locale without a territory (``en``, ``fr``) is not assumed to be American: it gets A4.
    """
    return "Letter" if locale.territory in LETTER_TERRITORIES else "A4"


def text_direction(locale: Locale) -> str:
    """``rtl`` or ``ltr``, from CLDR's character order for the locale."""
    return "rtl" if locale.character_order == "right-to-left" else "ltr"
