"""The long tail of languages (issue 24): native digits by CLDR's numbering systems, every value type as ICU
writes it in 57 locales, and every script set in its own Noto face.

ICU (PyICU, the locked pyicu-wheels) is the reference a reader's phone and browser use. Both sides state
their CLDR release; Gregorian dates, numbers, percents, money, units and compact forms are compared in 57
locales (the differences pubkit keeps on purpose are listed by name, each with its reason), Solar Hijri
dates (the calendar Iranian and Afghan media date by, and ICU's default there) in Persian, Dari and Pashto,
Umm al-Qura dates in Arabic, Hebrew dates (with their Hebrew numerals) in Hebrew and English.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from babel.core import get_cldr_version

from conftest import page_file, pdf_file
from pubkit import load_project
from pubkit.errors import ConfigError, RenderError
from pubkit.locales import hebrew_numeral
from pubkit.render.formatting import Formatter, hebrew_date
from pubkit.source.values import Value

icu = pytest.importorskip("icu")

DAY = dt.date(2025, 3, 10)
SLUG = "harbour-library"
#: The locales of the issue, the 13 of tests/projects/typeset and more, 57 in all.
ICU_LOCALES = ["fa", "ur", "bn", "mr", "ne", "my", "am", "km", "si", "ta", "ka", "hy", "ar_EG", "ar_SA", "uk",
               "vi", "sw", "id", "en", "de", "fr", "es", "it", "pt", "pl", "ru", "cs", "zh_CN", "zh_TW", "ja",
               "ko", "ar", "he", "hi", "tr", "el", "nl", "sv", "fi", "hu", "ro", "bg", "sr", "lt", "lv", "ms",
               "te", "kn", "ml", "gu", "pa", "lo", "ps", "as", "az", "ca", "zu"]
SKELETONS = ["yMMMMd", "MMMMd", "yMMMd", "yMMMMEEEEd", "yMMMM", "yMMMEd", "MMMMEd", "yMd"]
#: Languages of tests/projects/longtail and the Noto face their script must be set in.
FACES = {"ka": "Noto-Sans-Georgian", "hy": "Noto-Sans-Armenian", "am": "Noto-Sans-Ethiopic",
         "km": "Noto-Sans-Khmer", "my": "Noto-Sans-Myanmar", "si": "Noto-Sans-Sinhala", "ta": "Noto-Sans-Tamil",
         "bn": "Noto-Sans-Bengali", "mr": "Noto-Sans-Devanagari", "ne": "Noto-Sans-Devanagari",
         "fa": "Noto-Naskh-Arabic", "ar_EG": "Noto-Naskh-Arabic", "ur": "Noto-Nastaliq-Urdu", "uk": "Noto-Sans"}
#: The faces of the untranslated line of language names every page of the release carries.
OTHER_SCRIPTS = ["Noto-Sans-Lao", "Noto-Sans-Telugu", "Noto-Sans-Kannada", "Noto-Sans-Malayalam",
                 "Noto-Sans-Gujarati", "Noto-Sans-Gurmukhi", "Noto-Sans-Oriya", "Noto-Serif-Tibetan",
                 "Noto-Sans-Mongolian", "Noto-Sans-Cherokee", "Noto-Sans-Canadian-Aboriginal", "Noto-Sans-NKo"]


def value(kind: str, amount, **options) -> Value:
    return Value("v", kind, amount, 1, options)


def test_both_sides_state_their_cldr_release() -> None:
    # Babel 2.18 and ICU 77.1 are both built from CLDR 47 (ICU 77's release notes name its CLDR; PyICU does
    # not expose ulocdata_getCLDRVersion): the comparisons below expect that one release on both sides.
    assert get_cldr_version() == "47"
    assert icu.ICU_VERSION == "77.1"


@pytest.mark.parametrize("locale, date, number", [
    ("fa", "۲۰ اسفند ۱۴۰۳", "۱٬۲۵۰٬۰۰۰٫۵"),  # Persian digits (arabext), the Solar Hijri calendar
    ("ar_EG", "١٠ مارس ٢٠٢٥", "١٬٢٥٠٬٠٠٠٫٥"),
    ("ar_SA", "١٠ مارس ٢٠٢٥", "١٬٢٥٠٬٠٠٠٫٥"),
    ("ar", "10 مارس 2025", "1,250,000.5"),  # CLDR's default for plain Arabic is Latin digits
    ("bn", "১০ মার্চ, ২০২৫", "১২,৫০,০০০.৫"),
    ("mr", "१० मार्च, २०२५", "१२,५०,०००.५"),
    ("ne", "२०२५ मार्च १०", "१२,५०,०००.५"),
    ("my", "၂၀၂၅ မတ် ၁၀", "၁,၂၅၀,၀၀၀.၅"),
    ("hi", "10 मार्च 2025", "12,50,000.5"),  # Hindi's default numbering system is Latin
])
def test_digits_follow_the_locales_default_numbering_system(locale: str, date: str, number: str) -> None:
    formatter = Formatter(locale)
    assert formatter.format(value("date", DAY, skeleton="yMMMMd")) == date
    assert formatter.format(value("number", Decimal("1250000.5"))) == number


def test_digits_setting_overrides_cldr() -> None:
    assert Formatter("fa", digits="latn").format(value("number", Decimal("1250000.5"))) == "1,250,000.5"
    assert Formatter("bn", digits="latn").date(DAY) == "10 মার্চ, 2025"
    # "native": CLDR's native system, Arabic-Indic digits even where the default is Latin.
    assert Formatter("ar", digits="native").format(value("date", DAY, skeleton="yMMMMd")) == "١٠ مارس ٢٠٢٥"
    assert Formatter("de", digits="native").date(DAY) == "10. März 2025"  # Latin is German's native system


@pytest.mark.parametrize("locale", ICU_LOCALES)
def test_dates_and_numbers_match_icu(locale: str) -> None:
    formatter = Formatter(locale, calendar="gregorian")
    gregorian = icu.Locale(locale + "@calendar=gregorian")
    generator = icu.DateTimePatternGenerator.createInstance(gregorian)
    calendar = icu.GregorianCalendar(icu.TimeZone.getGMT())
    calendar.set(DAY.year, DAY.month - 1, DAY.day)
    for skeleton in SKELETONS:
        theirs = icu.SimpleDateFormat(generator.getBestPattern(skeleton), gregorian)
        theirs.setTimeZone(icu.TimeZone.getGMT())
        ours = formatter.format(value("date", DAY, skeleton=skeleton))
        assert ours == theirs.format(calendar.getTime()), (locale, skeleton)
    for style in ("short", "medium", "long", "full"):
        theirs = icu.DateFormat.createDateInstance(getattr(icu.DateFormat, style.upper()), gregorian)
        theirs.setTimeZone(icu.TimeZone.getGMT())
        assert formatter.format(value("date", DAY, style=style)) == theirs.format(calendar.getTime()), (locale, style)
    numbers = icu.NumberFormatter.withLocale(icu.Locale(locale))
    for amount in ("1250000.5", "713", "0.25"):
        assert formatter.format(value("number", Decimal(amount))) == str(numbers.formatDouble(float(amount))), amount
    # CLDR's percent sign of the numbering system ("٪" in Persian, "‎%‎" in Arabic), which Babel leaves as "%".
    percents = icu.NumberFormatter.forSkeleton("percent scale/100").locale(icu.Locale(locale))
    for amount in ("0.125", "0.5"):
        assert formatter.format(value("percent", Decimal(amount))) == str(percents.formatDouble(float(amount)))


#: ISO 4217's minor units of the compared currencies: JPY has none.
CURRENCIES = {"EUR": 2, "CHF": 2, "USD": 2, "JPY": 0}
#: pubkit's money displays and unit widths, as ICU's skeletons name them.
MONEY_WIDTHS = {"symbol": "unit-width-short", "narrowSymbol": "unit-width-narrow", "code": "unit-width-iso-code",
                "name": "unit-width-full-name"}
UNIT_WIDTHS = {"long": "unit-width-full-name", "short": "unit-width-short", "narrow": "unit-width-narrow"}
#: CLDR unit ids of press releases: area, distance, mass, power, speed, energy, volume, temperature, time, age, data.
UNITS = ["area-hectare", "area-square-kilometer", "length-kilometer", "length-meter", "length-mile", "mass-tonne",
         "mass-kilogram", "power-megawatt", "power-gigawatt", "speed-kilometer-per-hour", "speed-mile-per-hour",
         "energy-kilowatt-hour", "volume-liter", "volume-cubic-meter", "temperature-celsius", "duration-hour",
         "duration-year", "duration-year-person", "digital-gigabyte"]
#: Where pubkit writes otherwise than ICU on purpose (docs/typesetting.md). Each is told to ICU, or applied to
#: ICU's text, so that everything else in the value (pattern, symbol, digits, grouping, spacing) is still compared:
#: 1. No figure is rounded into another: an amount with more fraction digits than its currency has keeps them
#:    ("¥0.5", "1,250,000.5 Japanese yen"; ICU rounds to "¥0"). ICU is asked for the currency's fraction digits
#:    at least and no maximum (".00*", ".*").
#: 2. An amount by name drops zero fraction digits ("1,250 US dollars"; ICU "1,250.00 US dollars"): ICU's
#:    "/w", trailing zeros hidden when the amount is whole.
#: 3. The press's word for a unit (formatting.PRESS_UNITS, quoted from the press in test_press_forms.py): a tonne
#:    is "톤", "טון", "टन", where CLDR's long name is "메트릭 톤", "טון מטרי", "मीट्रिक टन".
PRESS_UNIT_WORDS = {("ko", "mass-tonne"): ("메트릭 톤", "톤"), ("he", "mass-tonne"): ("טון מטרי", "טון"),
                    ("hi", "mass-tonne"): ("मीट्रिक टन", "टन")}
#: Where Babel and ICU read CLDR 47 differently and pubkit keeps Babel's reading (the test says which way):
#: - Burmese amounts by name: CLDR 47's currency unitPattern for my is "{1} {0}" (Babel and the cldr-numbers-full
#:   47 package agree: "ယူရို ၁,၂၅၀"); ICU 77 writes the figure first ("၁,၂၅၀ ယူရို") in every numbering system.
#: - The US dollar in Pashto: CLDR 47 (cldr-numbers-full 47, ICU) gives the symbol "$"; Babel 2.18 has only
#:   root's "US$". pubkit takes its symbols from Babel.
NAME_FIRST = frozenset({"my"})
BABEL_SYMBOLS = {("ps", "USD"): ("$", "US$")}


def icu_text(locale: str, skeleton: str, amount: str) -> str:
    return str(icu.NumberFormatter.forSkeleton(skeleton).locale(icu.Locale(locale)).formatDecimal(amount.encode()))


def name_first(locale: str, currency: str, theirs: str) -> str:
    """ICU's amount by name ("၁,၂၅၀ ယူရို"), with the currency name first where CLDR's pattern puts it there."""
    if locale.split("@")[0] not in NAME_FIRST:  # "my", "my@numbers=latn"
        return theirs
    name = icu_text(locale, f"currency/{currency} unit-width-full-name", "2").split(" ", 1)[1]
    assert theirs.endswith(" " + name), theirs
    return f"{name} {theirs.removesuffix(' ' + name)}"


def icu_money(locale: str, currency: str, display: str, amount: str) -> str:
    precision = "." + "0" * CURRENCIES[currency] + "*" + ("/w" if display == "name" else "")  # differences 1, 2
    theirs = icu_text(locale, f"currency/{currency} {MONEY_WIDTHS[display]} {precision}", amount)
    if display == "name":
        theirs = name_first(locale, currency, theirs)
    if display == "symbol" and (locale.split("@")[0], currency) in BABEL_SYMBOLS:
        theirs = theirs.replace(*BABEL_SYMBOLS[locale.split("@")[0], currency])
    return theirs


@pytest.mark.parametrize("locale", ICU_LOCALES)
def test_money_and_units_match_icu(locale: str) -> None:
    formatter = Formatter(locale, calendar="gregorian")
    for currency in CURRENCIES:
        for amount in ("1250000.5", "1250", "0.5"):
            for display in MONEY_WIDTHS:
                ours = formatter.format(value("money", Decimal(amount), currency=currency, display=display))
                assert ours == icu_money(locale, currency, display, amount), (currency, amount, display)
    for unit in UNITS:
        for amount in ("12.5", "1", "1250"):
            for display, width in UNIT_WIDTHS.items():
                theirs = icu_text(locale, f"measure-unit/{unit} {width}", amount)
                if display == "long" and (locale, unit) in PRESS_UNIT_WORDS:  # difference 3
                    cldr_word, press_word = PRESS_UNIT_WORDS[locale, unit]
                    assert cldr_word in theirs
                    theirs = theirs.replace(cldr_word, press_word)
                ours = formatter.format(value("unit", Decimal(amount), unit=unit, display=display))
                assert ours == theirs, (unit, amount, display)


@pytest.mark.parametrize("locale", ICU_LOCALES)
def test_four_digit_figures_are_grouped_as_icu_groups_them(locale: str) -> None:
    # CLDR's minimumGroupingDigits is 2 in es, it, pl, hu, bg, lv, ka: "1250", "1250 %", "1250,00 €", "12.500".
    formatter = Formatter(locale, calendar="gregorian")
    for amount in ("1250", "9999.5", "12500", "-1250"):
        assert formatter.format(value("number", Decimal(amount))) == icu_text(locale, "", amount), amount
        assert formatter.format(value("money", Decimal(amount), currency="EUR")) == icu_money(
            locale, "EUR", "symbol", amount), amount
        theirs = icu_text(locale, "measure-unit/area-hectare unit-width-short", amount)
        assert formatter.format(value("unit", Decimal(amount), unit="area-hectare", display="short")) == theirs
    for amount in ("12.5", "99.995", "125"):
        assert formatter.format(value("percent", Decimal(amount))) == icu_text(locale, "percent scale/100", amount)


@pytest.mark.parametrize("locale, digits", [("fa", "latn"), ("ar", "native"), ("hi", "native"), ("bn", "latn"),
                                            ("ar_EG", "latn"), ("ur", "native"), ("my", "latn"), ("te", "native")])
def test_values_in_the_digits_a_project_chooses_match_icu(locale: str, digits: str) -> None:
    # `digits` in pubkit.toml: ICU's locale with that numbering system ("fa@numbers=latn") writes the same values.
    formatter = Formatter(locale, calendar="gregorian", digits=digits)
    where = f"{locale}@numbers={formatter.numbering_system}"
    for amount in ("1250000.5", "1250", "-3.5"):
        assert formatter.format(value("number", Decimal(amount))) == icu_text(where, "", amount)
        assert formatter.format(value("percent", Decimal(amount))) == icu_text(where, "percent scale/100", amount)
        for display in MONEY_WIDTHS:
            ours = formatter.format(value("money", Decimal(amount), currency="EUR", display=display))
            assert ours == icu_money(where, "EUR", display, amount), (amount, display)
        for display, width in UNIT_WIDTHS.items():
            ours = formatter.format(value("unit", Decimal(amount), unit="power-megawatt", display=display))
            assert ours == icu_text(where, f"measure-unit/power-megawatt {width}", amount), (amount, display)


#: Compact figures ICU shows exactly (pubkit never rounds one: 1.25M stays 1.25M, where ICU's default says 1.2M).
COMPACT_AMOUNTS = ("1200000", "30000", "3000000000", "120000000", "1250000", "1250")
#: Compact forms pubkit writes as the press does, not as ICU (docs/typesetting.md, "Money and large numbers";
#: the forms are quoted from the press in test_press_forms.py). ICU is asked for the same form where it has one:
#: - the magnitude as a word, not an abbreviation: CLDR's long form ("1,2 milioni", not "1,2 Mln"; ICU's
#:   compact-long), in these languages, and where a non-Latin script's short form has Latin letters ("1.2M" in
#:   Hebrew, Malayalam, Pashto);
PRESS_MAGNITUDE_WORDS = frozenset({"es", "pt", "it", "nl", "tr", "hi", "id", "vi", "th", "he", "ml", "ps"})
#: - one magnitude word however large the figure (Spanish millions, Hindi crores, Thai ล้าน):
PRESS_ONE_MAGNITUDE = {("es", "3000000000"): "3.000 millones", ("hi", "3000000000"): "300 करोड़",
                       ("th", "3000000000"): "3,000 ล้าน"}
#: - money as figure, magnitude word and currency word even for display "symbol" (not "code"): "1,2 млн евро",
#:   "120만 유로", "1,2 milyar İsviçre frangı", and in he, ml, ps, whose short form has Latin letters;
#:   compared here in display "code", and by name where ICU's long form is the press's;
PRESS_MONEY_BY_NAME = frozenset({"zh", "ja", "ko", "es", "pt", "it", "nl", "pl", "tr", "ru", "uk", "hi", "id", "vi",
                                 "th", "he", "ml", "ps"})
#: - and by name with the press's own grammar (a preposition, an abbreviated magnitude, a genitive, a shorter
#:   currency word): "1,2 million d’euros", "1,2 Mio. Euro", "1,2 млн швейцарских франков", "30亿元".
PRESS_GRAMMAR = frozenset({"fr", "de", "es", "pt", "it", "pl", "ru", "uk", "hi", "id", "vi", "th", "zh", "ja", "ko",
                           "tr"})
#: ICU groups a compact figure from five digits only, its own default for compact notation ("1250 €" in German);
#: pubkit groups it as any figure of the language (CLDR's minimumGroupingDigits): ICU is asked to (group-auto).


def icu_compact(locale: str, amount: str, long: bool, currency: str | None = None, width: str = "") -> str:
    notation = "compact-long" if long else "compact-short"
    unit = f" currency/{currency} {width}" if currency else ""
    return icu_text(locale, f"{notation} group-auto .###{unit}", amount)


@pytest.mark.parametrize("locale", ICU_LOCALES)
def test_compact_numbers_and_money_match_icu(locale: str) -> None:
    formatter, language = Formatter(locale, calendar="gregorian"), locale.split("_")[0]
    words = language in PRESS_MAGNITUDE_WORDS
    for amount in COMPACT_AMOUNTS:
        theirs = PRESS_ONE_MAGNITUDE.get((language, amount)) or icu_compact(locale, amount, words)
        assert formatter.format(value("number", Decimal(amount), notation="compact")) == theirs, amount
        for currency in ("EUR", "CHF"):
            def ours(display: str) -> str:
                return formatter.format(value("money", Decimal(amount), currency=currency, display=display,
                                              notation="compact"))

            code = icu_compact(locale, amount, False, currency, "unit-width-iso-code")
            assert ours("code") == code, (amount, currency)
            if language not in PRESS_MONEY_BY_NAME:
                assert ours("symbol") == icu_compact(locale, amount, False, currency), (amount, currency)
            if language not in PRESS_GRAMMAR and (language, amount) not in PRESS_ONE_MAGNITUDE:
                by_name = icu_compact(locale, amount, True, currency, "unit-width-full-name")
                by_name = name_first(locale, currency, by_name)
                assert ours("name") == by_name, (amount, currency)


def assert_dates_match_icu(formatter: Formatter, where, days, styles: dict[str, int]) -> None:
    """Every skeleton and the given styles, for each of ``days``, as ICU writes them in locale ``where``
    (whose ``@calendar`` names the calendar ICU uses)."""
    generator = icu.DateTimePatternGenerator.createInstance(where)
    calendar = icu.GregorianCalendar(icu.TimeZone.getGMT())
    for day in days:
        calendar.set(day.year, day.month - 1, day.day, 12, 0)
        for skeleton in SKELETONS:
            theirs = icu.SimpleDateFormat(generator.getBestPattern(skeleton), where)
            theirs.setTimeZone(icu.TimeZone.getGMT())
            ours = formatter.format(value("date", day, skeleton=skeleton))
            assert ours == theirs.format(calendar.getTime()), (day, skeleton)
        for style, icu_style in styles.items():
            theirs = icu.DateFormat.createDateInstance(icu_style, where)
            theirs.setTimeZone(icu.TimeZone.getGMT())
            assert formatter.date(day, style) == theirs.format(calendar.getTime()), (day, style)


def calendar_days(where: str, start: dt.date, end: dt.date):
    """(Gregorian day, (year, month, day) in ICU's calendar of locale ``where``) for every day in [start, end)."""
    other = icu.Calendar.createInstance(icu.Locale(where))
    other.setTimeZone(icu.TimeZone.getGMT())
    gregorian = icu.GregorianCalendar(icu.TimeZone.getGMT())
    fields = icu.UCalendarDateFields
    day = start
    while day < end:
        gregorian.set(day.year, day.month - 1, day.day, 12, 0)
        other.setTime(gregorian.getTime())
        yield day, (other.get(fields.EXTENDED_YEAR), other.get(fields.MONTH) + 1, other.get(fields.DATE))
        day += dt.timedelta(days=1)


@pytest.mark.parametrize("locale", ["fa", "fa_AF", "ps"])
def test_solar_hijri_dates_match_icu(locale: str) -> None:
    formatter = Formatter(locale)  # "auto": CLDR prefers the Persian calendar in Iran and Afghanistan
    assert formatter.calendar == "persian"
    styles = {"long": icu.DateFormat.LONG, "full": icu.DateFormat.FULL, "medium": icu.DateFormat.MEDIUM}
    # Nowruz, the last day of a year, a day inside Esfand and one in summer.
    days = (dt.date(2025, 3, 21), dt.date(2025, 3, 20), DAY, dt.date(2023, 7, 25))
    assert_dates_match_icu(formatter, icu.Locale(locale), days, styles)


def test_solar_hijri_conversion_is_icus_every_day_for_150_years() -> None:
    import jdatetime

    differ = [day for day, theirs in calendar_days("fa@calendar=persian", dt.date(1950, 1, 1), dt.date(2100, 1, 1))
              if (lambda p: (p.year, p.month, p.day))(jdatetime.date.fromgregorian(date=day)) != theirs]
    assert differ == []


@pytest.mark.parametrize("locale", ["ar_SA", "ar", "ar_EG"])
def test_umm_al_qura_dates_match_icu(locale: str) -> None:
    formatter = Formatter(locale, calendar="islamic-umalqura")  # offered in Arabic, never the default
    assert Formatter(locale).calendar == "gregorian"  # CLDR 47 prefers the Gregorian calendar in Saudi Arabia
    styles = {"long": icu.DateFormat.LONG, "full": icu.DateFormat.FULL, "short": icu.DateFormat.SHORT}
    days = (DAY, dt.date(2024, 6, 16), dt.date(2023, 7, 25))  # in Ramadan, on Eid al-Adha, in Muharram
    assert_dates_match_icu(formatter, icu.Locale(locale + "@calendar=islamic-umalqura"), days, styles)


def test_umm_al_qura_conversion_is_icus_for_todays_dates() -> None:
    # hijridate follows the tables Saudi Arabia publishes, ICU its own: they agree from 1420 to 1450 AH.
    from hijridate import Gregorian

    days = calendar_days("ar@calendar=islamic-umalqura", dt.date(1999, 4, 17), dt.date(2029, 5, 14))
    differ = [day for day, theirs in days
              if (lambda h: (h.year, h.month, h.day))(Gregorian(day.year, day.month, day.day).to_hijri()) != theirs]
    assert differ == []


#: Days of the Hebrew tests: 10 Adar 5785 (a common year), 30 Adar I and 14 Adar II 5784 (a leap year),
#: 1 Tishri 5785 (New Year), 5780 (a year whose numeral ends in a final pe, תש״ף) and 5744 (written תשד״מ).
HEBREW_DAYS = (DAY, dt.date(2024, 3, 10), dt.date(2024, 3, 24), dt.date(2024, 10, 3), dt.date(2019, 10, 15),
               dt.date(1984, 1, 1))
ALL_STYLES = {"full": icu.DateFormat.FULL, "long": icu.DateFormat.LONG, "medium": icu.DateFormat.MEDIUM,
              "short": icu.DateFormat.SHORT}


@pytest.mark.parametrize("locale", ["he", "he_IL", "en", "en_GB"])
def test_hebrew_dates_match_icu(locale: str) -> None:
    formatter = Formatter(locale, calendar="hebrew")  # offered in Hebrew and English, never the default
    assert Formatter(locale).calendar == "gregorian"  # CLDR 47 prefers the Gregorian calendar in Israel
    assert_dates_match_icu(formatter, icu.Locale(locale + "@calendar=hebrew"), HEBREW_DAYS, ALL_STYLES)


def test_hebrew_leap_years_have_adar_i_and_adar_ii() -> None:
    hebrew, english = Formatter("he", calendar="hebrew"), Formatter("en", calendar="hebrew")
    # CLDR's styles write the day and year in Hebrew numerals, with geresh (׳) and gershayim (״).
    assert hebrew.date(DAY) == "י׳ באדר תשפ״ה"  # 5785 is a common year: one Adar
    assert hebrew.date(dt.date(2024, 2, 15)) == "ו׳ באדר א׳ תשפ״ד"  # 5784 is a leap year: Adar I …
    assert hebrew.date(dt.date(2024, 3, 24)) == "י״ד באדר ב׳ תשפ״ד"  # … and Adar II, Purim
    assert hebrew.date(dt.date(2024, 3, 24), "full") == "יום ראשון, י״ד באדר ב׳ תשפ״ד"
    assert hebrew.format(value("date", dt.date(2024, 3, 24), skeleton="yMMMMd")) == "14 באדר ב׳ 5784"  # ICU: 0-9
    assert english.date(dt.date(2024, 2, 15)) == "6 Adar I 5784"
    assert english.date(dt.date(2024, 3, 24)) == "14 Adar II 5784"
    assert english.date(DAY) == "10 Adar 5785"
    assert hebrew_date(dt.date(2024, 3, 24)) == (5784, 7, 14, True)  # month 7 of a leap year is Adar II
    assert hebrew_date(DAY) == (5785, 7, 10, False)


def test_hebrew_conversion_is_icus_every_day_for_200_years() -> None:
    days = calendar_days("he@calendar=hebrew", dt.date(1900, 1, 1), dt.date(2100, 1, 1))
    differ = [day for day, theirs in days if hebrew_date(day)[:3] != theirs]
    # ICU 77.1 alone starts the year 5807 a day late (2 October 2046; pyluach and convertdate both say 1 October,
    # and ICU changed its year-start rules after 77.1, ICU-23069): every other day of two centuries agrees.
    assert differ == [dt.date(2045, 11, 10) + dt.timedelta(days=n) for n in range(385)]


def test_hebrew_numerals_of_every_day_are_icus() -> None:
    """Every date from 1990 to 2039 in the long style, Hebrew numerals included, as ICU writes it."""
    formatter = Formatter("he", calendar="hebrew")
    theirs = icu.DateFormat.createDateInstance(icu.DateFormat.LONG, icu.Locale("he@calendar=hebrew"))
    theirs.setTimeZone(icu.TimeZone.getGMT())
    gregorian = icu.GregorianCalendar(icu.TimeZone.getGMT())
    day, differ = dt.date(1990, 1, 1), []
    while day < dt.date(2040, 1, 1):
        gregorian.set(day.year, day.month - 1, day.day, 12, 0)
        if formatter.date(day) != theirs.format(gregorian.getTime()):
            differ.append(day)
        day += dt.timedelta(days=1)
    assert differ == []


def test_shipped_hebrew_numerals_are_cldrs_rules_as_icu_applies_them() -> None:
    rules = icu.RuleBasedNumberFormat(icu.URBNFRuleSetTag.NUMBERING_SYSTEM, icu.Locale("he"))
    rules.setDefaultRuleSet("%hebrew")
    assert [hebrew_numeral(n) for n in range(1, 1000)] == [rules.format(n) for n in range(1, 1000)]
    # Where gematria as pyluach writes it differs: a final pe, and letters reordered away from a word.
    assert (hebrew_numeral(780), hebrew_numeral(744), hebrew_numeral(15)) == ("תש״ף", "תשד״מ", "ט״ו")


def test_a_hebrew_year_beyond_this_millennium_is_refused() -> None:
    # ICU drops the thousands only between 5001 and 5999 (2240 is the year 6000, "ו׳ אלפים" to ICU).
    with pytest.raises(RenderError, match="Hebrew years 5001-5999 in Hebrew numerals, not 6000"):
        Formatter("he", calendar="hebrew").format(value("date", dt.date(2240, 1, 1)))
    assert Formatter("en", calendar="hebrew").date(dt.date(2240, 1, 1)) == "6 Tevet 6000"


def dated_in_the_year_6000(root: Path) -> None:
    source = root / "sources" / "harbour-battery.md"
    source.write_text(source.read_text(encoding="utf-8").replace("date: 2025-03-10", "date: 2240-03-10", 1),
                      "utf-8")


def test_a_release_dated_beyond_this_hebrew_millennium_stops_the_build(make_project, run) -> None:
    project = make_project("typeset", languages=["he"], config={"language": {"he": {"calendar": "hebrew"}}},
                           edit=dated_in_the_year_6000)
    result = run("build", cwd=project)
    assert result.code == 2
    assert "sources/harbour-battery.md:1: error: cannot write the release's date 2240-03-10 in the hebrew calendar " \
           "for locale he: pubkit writes Hebrew years 5001-5999 in Hebrew numerals, not 6000" in result.err
    assert "Traceback" not in result.err


def test_hebrew_calendar_in_pubkit_toml(tmp_path: Path) -> None:
    (tmp_path / "pubkit.toml").write_text(
        'source_language = "en"\nlanguages = ["he", "de"]\n\n[language.he]\ncalendar = "hebrew"\n'
        'gregorian_beside = true\n', encoding="utf-8")
    project = load_project(tmp_path)
    assert project.settings("he").calendar == "hebrew" and project.settings("de").calendar == "auto"
    (tmp_path / "pubkit.toml").write_text(
        'source_language = "en"\nlanguages = ["he", "de"]\n\n[language.de]\ncalendar = "hebrew"\n',
        encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_project(tmp_path)
    assert caught.value.line == 4
    assert "no Hebrew calendar data for 'de' (pubkit has it for: en, he)" in str(caught.value)


def embargoed_until_12_adar(root: Path) -> None:
    """The typeset release under embargo until noon in Jerusalem two days after its date."""
    source = root / "sources" / "harbour-battery.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("---\n", "---\nembargo: 2025-03-12T12:00:00+02:00\n", 1), encoding="utf-8")


@pytest.fixture(scope="module")
def hebrew_dated(projects, tmp_path_factory) -> Path:
    """tests/projects/typeset in Hebrew dated by the Hebrew calendar, an embargoed review copy."""
    return projects("typeset", where=tmp_path_factory.mktemp("hebrew"), languages=["he"],
                    config={"embargo_zone": "Asia/Jerusalem", "language": {"he": {"calendar": "hebrew"}}},
                    edit=embargoed_until_12_adar, built=["--include-embargoed", "--now", "2025-03-01T00:00:00Z"])


def test_a_hebrew_page_and_pdf_are_dated_by_the_hebrew_calendar(hebrew_dated: Path) -> None:
    html = page_file(hebrew_dated, "harbour-battery", "he").read_text(encoding="utf-8").replace("\xa0", " ")
    dateline = html.split('class="dateline', 1)[1].split("</p>", 1)[0]
    assert '<time datetime="2025-03-10"><bdi class="value" dir="rtl">י׳ באדר תשפ״ה</bdi></time>' in dateline
    embargo = html.split('class="embargo"', 1)[1].split("</p>", 1)[0]
    assert "י״ב באדר תשפ״ה, 12:00 " in embargo  # the embargo line follows the calendar too
    assert "28 באלול 5787" in html  # {start}, a skeleton: ICU writes its figures 0-9
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf_file(hebrew_dated, "harbour-battery", "he")), "-"],
                          capture_output=True, text=True, check=True).stdout
    # poppler gives right-to-left lines in visual runs: the words are checked, each a real glyph run.
    for word in ("באדר", "תשפ״ה", "י״ב", "י׳", "באלול", "5787"):
        assert word in text, word
    assert "\ufffd" not in text


def test_the_gregorian_date_beside_on_request() -> None:
    saudi = Formatter("ar_SA", calendar="islamic-umalqura", gregorian_beside=True)
    assert saudi.date(DAY) == "١٠ رمضان ١٤٤٦ هـ (١٠ مارس ٢٠٢٥)"
    assert saudi.format(value("date", DAY, skeleton="yMMMMd")) == "١٠ رمضان ١٤٤٦ هـ (١٠ مارس ٢٠٢٥)"
    assert Formatter("fa", gregorian_beside=True).date(DAY) == "۲۰ اسفند ۱۴۰۳ (۱۰ مارس ۲۰۲۵)"
    assert Formatter("de", gregorian_beside=True).date(DAY) == "10. März 2025"  # nothing to add
    hebrew = Formatter("he", calendar="hebrew", gregorian_beside=True)
    assert hebrew.date(DAY) == "י׳ באדר תשפ״ה (10 במרץ 2025)"


def test_gregorian_in_persian_on_request() -> None:
    assert Formatter("fa", calendar="gregorian").date(DAY) == "۱۰ مارس ۲۰۲۵"
    assert Formatter("fa", calendar="gregorian", digits="latn").date(DAY) == "10 مارس 2025"


def test_digits_setting_is_checked(tmp_path: Path) -> None:
    (tmp_path / "pubkit.toml").write_text(
        'source_language = "en"\nlanguages = ["fa"]\n\n[language.fa]\ndigits = "persian"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_project(tmp_path)
    assert caught.value.line == 4 and "digits 'persian' is not one of auto, native, latn" in str(caught.value)


def test_persian_calendar_needs_its_data(tmp_path: Path) -> None:
    (tmp_path / "pubkit.toml").write_text(
        'source_language = "en"\nlanguages = ["de"]\n\n[language.de]\ncalendar = "persian"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_project(tmp_path)
    assert caught.value.line == 4
    assert "no Persian calendar data for 'de' (pubkit has it for: fa, fa-AF, ps)" in str(caught.value)


@pytest.fixture(scope="module")
def longtail(projects, tmp_path_factory) -> Path:
    project = projects("longtail", where=tmp_path_factory.mktemp("longtail"), built=["-j", "2"],
                       config={"language": {"uk": {"digits": "native"}, "mr": {"digits": "latn"}}})
    result = projects.build_result(project)
    assert f"built {2 * (1 + len(FACES))} files" in result.out, result.out + result.err
    return project


def fonts(pdf: Path) -> set[str]:
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    # "ABCDEF+Noto-Sans-Georgian-Bold" → "Noto-Sans-Georgian-Bold"
    return {line.split()[0].split("+", 1)[-1] for line in listing.splitlines()[2:] if line.strip()}


@pytest.mark.parametrize("language", sorted(FACES))
def test_every_script_is_set_in_its_noto_face(longtail: Path, language: str) -> None:
    used = fonts(pdf_file(longtail, SLUG, language))
    assert FACES[language] in used, used
    assert not any(name.startswith("DejaVu") for name in used), used


def test_scripts_without_a_project_language_find_their_faces(longtail: Path) -> None:
    used = fonts(pdf_file(longtail, SLUG, "en"))
    assert set(OTHER_SCRIPTS) <= used, sorted(set(OTHER_SCRIPTS) - used)
    assert not any(name.startswith("DejaVu") for name in used), used


def test_labels_are_letter_spaced_only_in_scripts_with_capitals(longtail: Path) -> None:
    # Tracking pulled the Persian label's letters out of their joins and Bengali and Devanagari letters off
    # their headline; Latin, Cyrillic and Armenian labels keep it. Read from WeasyPrint's laid-out pages.
    import weasyprint

    def label_spacing(language: str):
        document = weasyprint.HTML(filename=str(page_file(longtail, SLUG, language))).render()
        boxes = document.pages[0]._page_box.descendants()
        label = next(box for box in boxes if box.element is not None and box.element.get("class") == "kind")
        return label.style["letter_spacing"]

    tracked = {language: label_spacing(language) not in ("normal", 0)
               for language in ["en", "uk", "hy", "fa", "ar_EG", "ur", "bn", "mr", "ne", "my", "km", "si", "ta",
                                "am", "ka"]}
    assert {language for language, spaced in tracked.items() if spaced} == {"en", "uk", "hy"}


@pytest.mark.parametrize("language, date, books", [
    ("fa", "۲۰ اسفند ۱۴۰۳", "۱٬۲۵۰٬۰۰۰"), ("ar_EG", "١٠ مارس ٢٠٢٥", "١٬٢٥٠٬٠٠٠"), ("bn", "১০ মার্চ, ২০২৫", "১২,৫০,০০০"),
    ("ne", "२०२५ मार्च १०", "१२,५०,०००"), ("my", "၂၀၂၅ မတ် ၁၀", "၁,၂၅၀,၀၀၀"),
    ("mr", "10 मार्च, 2025", "12,50,000"),  # digits = "latn" in its [language.mr] table
    ("uk", "10 березня 2025 р", "1 250 000"),  # "native" in Ukrainian is Latin; the page adds the one full stop
])
def test_published_pages_and_pdfs_carry_the_digits(longtail: Path, language: str, date: str, books: str) -> None:
    html = page_file(longtail, SLUG, language).read_text(encoding="utf-8").replace("\xa0", " ").replace("\u202f", " ")
    assert f'<bdi class="value" dir="{"rtl" if language in ("fa", "ar_EG") else "ltr"}">{date}</bdi>' in html
    assert books in html
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf_file(longtail, SLUG, language)), "-"],
                          capture_output=True, text=True, check=True).stdout.replace("\xa0", " ")
    # Right-to-left lines come out of poppler in visual runs: the figures are checked, not their order.
    year = next(token for token in date.replace(",", " ").split() if len(token) == 4 and token.isdigit())
    assert year in text and books in text


def test_the_dateline_follows_the_calendar(longtail: Path) -> None:
    # The release's own date (2025-03-10) in the dateline of the Persian page is a Solar Hijri date too.
    html = page_file(longtail, SLUG, "fa").read_text(encoding="utf-8")
    dateline = html.split('class="dateline', 1)[1].split("</p>", 1)[0]
    assert '<time datetime="2025-03-10"><bdi class="value" dir="rtl">۲۰ اسفند ۱۴۰۳</bdi></time>' in dateline
