"""Dates, money and large numbers as a native writes them (issue 12, items 4 and 5).

Where ICU implements the rule (skeleton widening, currency spacing, narrow symbols), pubkit's output is
compared with ICU's own (PyICU from the lock, a test-only dependency); journalistic forms beyond CLDR are
spelled out. Each comparison names the CLDR release of both sides (Babel's, which pubkit publishes, and
ICU's) in its test id and its failure. When the two releases differ and CLDR changed a form between them,
CLDR_CHANGES says which answer each release gives, and the test expects Babel's release's answer from pubkit
and ICU's release's answer from ICU (issue 17).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import babel
import pytest
from babel.core import get_cldr_version

from pubkit.config import load_project
from pubkit.errors import ConfigError
from pubkit.render.formatting import Formatter
from pubkit.render.render import fill
from pubkit.source.values import Value

try:
    import icu
except ImportError:  # no ICU wheel for this platform: the comparisons skip, the spelled-out forms still run
    icu = None

BABEL_CLDR = str(get_cldr_version())
#: The CLDR release of ICU's locale data (every locale bundle's "Version" is the CLDR release it came from).
ICU_CLDR = icu.ResourceBundle().getVersionNumber() if icu else None
SIDES = f"Babel {babel.__version__} (CLDR {BABEL_CLDR}) and ICU {icu.ICU_VERSION if icu else '-'} (CLDR {ICU_CLDR})"
#: Forms CLDR changed between releases: (locale, skeleton) → {CLDR release: its answer for DAY}. Taken from
#: Babel 2.18 (CLDR 47, = ICU 77.1) and Babel 2.19 (CLDR 49); each is the release's own data (availableFormats
#: and day names), not a pubkit rule. With Babel on CLDR 49 and ICU on 47, pubkit must give 49's answer.
CLDR_CHANGES: dict[tuple[str, str], dict[str, str]] = {
    ("zh_TW", "yMMMEd"): {"47": "2025年3月10日 週一", "49": "2025年3月10日週一"},
    ("zh_TW", "MMMMEd"): {"47": "3月10日 週一", "49": "3月10日週一"},
    ("ko", "yMd"): {"47": "2025. 3. 10.", "49": "2025/3/10"},
    ("hi", "yMMMMd"): {"47": "10 मार्च 2025", "49": "10 मार्च, 2025"},
    ("hi", "yMMMMEEEEd"): {"47": "सोमवार, 10 मार्च 2025", "49": "सोमवार, 10 मार्च, 2025"},
    ("th", "yMMMEd"): {"47": "จ. 10 มี.ค. 2568", "49": "จันทร์ 10 มี.ค. 2568"},
    ("th", "MMMMEd"): {"47": "จ. 10 มีนาคม", "49": "จันทร์ 10 มีนาคม"},
    ("tr", "yMd"): {"47": "10.03.2025", "49": "10.3.2025"},
    ("vi", "yMMMMd"): {"47": "10 tháng 3, 2025", "49": "10 tháng 3 2025"},
    ("vi", "yMMMMEEEEd"): {"47": "Thứ Hai, 10 tháng 3, 2025", "49": "Thứ Hai, 10 tháng 3 2025"},
    ("vi", "yMMMEd"): {"47": "Th 2, 10 thg 3, 2025", "49": "Thứ 2, 10 thg 3, 2025"},
    ("vi", "MMMMEd"): {"47": "Th 2, 10 tháng 3", "49": "Thứ 2, 10 tháng 3"},
}

DAY = dt.date(2025, 3, 10)
ICU_LOCALES = ["en", "en_US", "en_GB", "de", "fr", "es", "it", "pt", "pl", "ru", "uk", "cs", "zh_CN", "zh_TW", "ja",
               "ko", "ar", "he", "hi", "th", "tr", "el", "vi"]
SKELETONS = ["yMMMMd", "MMMMd", "yMMMd", "yMMMMEEEEd", "yMMMM", "yMMMEd", "MMMMEd", "yMd"]


def value(kind: str, amount, **options) -> Value:
    defaults = {"money": {"notation": "standard", "display": "symbol"}, "number": {"notation": "standard"},
                "date": {}}[kind]
    return Value("v", kind, amount, 1, {**defaults, **options})


def money(locale: str, amount, currency: str, display: str = "symbol", notation: str = "standard") -> str:
    return Formatter(locale).format(value("money", Decimal(amount), currency=currency, display=display,
                                          notation=notation))


# -- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("locale, expected", [
    ("en", "March 10, 2025"), ("ru", "10 марта 2025\u202fг."), ("de", "10. März 2025"), ("fr", "10 mars 2025"),
    ("ko", "2025년 3월 10일"), ("ja", "2025年3月10日"), ("zh_CN", "2025年3月10日"), ("he", "10 במרץ 2025"),
])
def test_a_full_month_skeleton_gives_the_full_month(locale: str, expected: str) -> None:
    # Babel alone printed "Mar 10, 2025" and "10 мар. 2025 г.": it does not widen the matched pattern.
    assert Formatter(locale).format(value("date", DAY, skeleton="yMMMMd")) == expected


def expected_answers(locale: str, skeleton: str, icu_answer: str) -> tuple[str, str]:
    """What pubkit and ICU should each say: the same, unless their CLDR releases differ on this form."""
    change = CLDR_CHANGES.get((locale, skeleton), {})
    if BABEL_CLDR != ICU_CLDR and BABEL_CLDR in change and ICU_CLDR in change:
        return change[BABEL_CLDR], change[ICU_CLDR]
    return icu_answer, icu_answer


@pytest.mark.parametrize("locale, skeleton", sorted(CLDR_CHANGES))
def test_each_recorded_cldr_change_holds_for_the_releases_in_use(locale: str, skeleton: str) -> None:
    change = CLDR_CHANGES[(locale, skeleton)]
    if BABEL_CLDR in change:
        assert Formatter(locale).format(value("date", DAY, skeleton=skeleton)) == change[BABEL_CLDR], SIDES
    if icu and ICU_CLDR in change:
        pattern = icu.DateTimePatternGenerator.createInstance(icu.Locale(locale)).getBestPattern(skeleton)
        icu_format = icu.SimpleDateFormat(pattern, icu.Locale(locale))
        icu_format.setTimeZone(icu.TimeZone.getGMT())
        calendar = icu.GregorianCalendar(icu.TimeZone.getGMT())
        calendar.clear()
        calendar.set(DAY.year, DAY.month - 1, DAY.day)
        assert icu_format.format(calendar.getTime()) == change[ICU_CLDR], SIDES
    assert BABEL_CLDR in change or ICU_CLDR in change, f"neither release in use is recorded: {SIDES}"


def sides(locales: list[str]) -> list:
    """The locales as test parameters whose ids name the CLDR release of both sides."""
    return [pytest.param(locale, id=f"{locale}-cldr{BABEL_CLDR}-icu-cldr{ICU_CLDR}") for locale in locales]


def test_babel_and_icu_name_their_cldr_releases() -> None:
    pytest.importorskip("icu")
    assert BABEL_CLDR.isdigit() and ICU_CLDR.split(".")[0].isdigit(), SIDES


@pytest.mark.parametrize("locale", sides(ICU_LOCALES))
def test_date_skeletons_match_icu(locale: str) -> None:
    pytest.importorskip("icu")
    generator = icu.DateTimePatternGenerator.createInstance(icu.Locale(locale))
    calendar = icu.GregorianCalendar(icu.TimeZone.getGMT())
    calendar.clear()
    calendar.set(DAY.year, DAY.month - 1, DAY.day)
    for skeleton in SKELETONS:
        icu_format = icu.SimpleDateFormat(generator.getBestPattern(skeleton), icu.Locale(locale))
        icu_format.setTimeZone(icu.TimeZone.getGMT())
        ours = Formatter(locale).format(value("date", DAY, skeleton=skeleton))
        theirs = icu_format.format(calendar.getTime())
        expected_ours, expected_theirs = expected_answers(locale, skeleton, theirs)
        assert (ours, theirs) == (expected_ours, expected_theirs), f"{locale} {skeleton}: pubkit with {SIDES}"


def test_thai_dates_are_buddhist_era_by_default() -> None:
    thai = Formatter("th")
    assert thai.format(value("date", DAY, skeleton="yMMMMd")) == "10 มีนาคม 2568"
    assert thai.date(DAY) == "10 มีนาคม 2568"
    assert thai.date(DAY, "full") == "วันจันทร์ที่ 10 มีนาคม พ.ศ. 2568"
    assert thai.format(value("date", DAY, skeleton="yMd")) == "10/3/2568"


@pytest.mark.parametrize("locale", sides(["th"]))
def test_thai_buddhist_dates_match_icu(locale: str) -> None:
    pytest.importorskip("icu")
    generator = icu.DateTimePatternGenerator.createInstance(icu.Locale("th"))
    calendar = icu.GregorianCalendar(icu.TimeZone.getGMT())
    calendar.clear()
    calendar.set(DAY.year, DAY.month - 1, DAY.day)
    for skeleton in SKELETONS:
        # A Thai SimpleDateFormat formats the instant in ICU's default calendar for Thai: Buddhist.
        icu_format = icu.SimpleDateFormat(generator.getBestPattern(skeleton), icu.Locale("th"))
        icu_format.setTimeZone(icu.TimeZone.getGMT())
        ours = Formatter("th").format(value("date", DAY, skeleton=skeleton))
        theirs = icu_format.format(calendar.getTime())
        assert (ours, theirs) == expected_answers("th", skeleton, theirs), f"th {skeleton}: pubkit with {SIDES}"


def test_a_gregorian_thai_year_carries_its_era_mark() -> None:
    thai = Formatter("th", calendar="gregorian")
    assert thai.format(value("date", DAY, skeleton="yMMMMd")) == "10 มีนาคม ค.ศ. 2025"
    assert thai.date(DAY, "medium") == "10 มี.ค. ค.ศ. 2025"
    assert thai.format(value("date", DAY, skeleton="MMMMd")) == "10 มีนาคม"  # no year, no era


def test_a_value_ending_in_a_full_stop_does_not_double_the_sentences() -> None:
    date = Formatter("ru").format(value("date", DAY, skeleton="yMMMMd"))
    assert fill("Завод открылся {day}.", {"day": date}) == "Завод открылся 10 марта 2025\u202fг."
    assert fill("Открытие {day}, в Берлине.", {"day": date}) == "Открытие 10 марта 2025\u202fг., в Берлине."
    assert fill("Итог: {day}...", {"day": date}).endswith("г....")  # an ellipsis is the writer's own


def test_calendar_setting_in_pubkit_toml(tmp_path) -> None:
    (tmp_path / "pubkit.toml").write_text(
        'source_language = "en"\nlanguages = ["th", "de"]\n\n[language.th]\ncalendar = "gregorian"\n'
        '\n[language.de]\ntypography = false\n', encoding="utf-8")
    project = load_project(tmp_path)
    assert project.settings("th").calendar == "gregorian" and project.settings("th").typography
    assert project.settings("de").typography is False and project.settings("en").calendar == "auto"


@pytest.mark.parametrize("toml, line, message", [
    ('[language.de]\ncalendar = "buddhist"\n', 3, "no Buddhist calendar data for 'de'"),
    ('calendar = "buddhist"\n', 3, "no Buddhist calendar data for 'en'"),
    ('[language.th]\ncalendar = "julian"\n', 3, "calendar 'julian' is not one of auto, gregorian, buddhist"),
    ('typography = "no"\n', 3, "'typography' must be a boolean"),
])
def test_a_calendar_without_data_is_refused_at_its_line(tmp_path, toml: str, line: int, message: str) -> None:
    (tmp_path / "pubkit.toml").write_text(f'source_language = "en"\nlanguages = ["th", "de"]\n{toml}',
                                          encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_project(tmp_path)
    assert error.value.line == line and message in error.value.message


# -- money and large numbers ---------------------------------------------------------------------


@pytest.mark.parametrize("locale, amount, currency, expected", [
    ("fr", 375_000_000, "EUR", "375 millions d’euros"),
    ("fr", 2_000_000_000, "USD", "2 milliards de dollars des États-Unis"),
    ("fr", 3_000_000_000, "CNY", "3 milliards de yuans"),
    ("es", 375_000_000, "EUR", "375 millones de euros"),
    ("de", 3_000_000_000, "CNY", "3\xa0Mrd. Yuan"),
    ("zh_CN", 3_000_000_000, "CNY", "30亿元"),
    ("ja", 3_000_000_000, "CNY", "30億元"),
    ("ko", 520_000_000_000, "KRW", "5,200억 원"),
    ("he", 375_000_000, "EUR", "\u200f375 מיליון אירו"),
    ("th", 375_000_000, "EUR", "375 ล้านยูโร"),
    ("en", 375_000_000, "EUR", "375 million euros"),
    ("ru", 375_000_000, "EUR", "375\xa0млн евро"),  # Kommersant: "Объем инвестиций в проект — 25 млн евро"
])
def test_compact_money_by_name_reads_like_the_press(locale, amount, currency, expected) -> None:
    assert money(locale, amount, currency, "name", "compact") == expected


@pytest.mark.parametrize("locale, expected", [("ja", "30億元"), ("zh_CN", "30亿元"), ("zh_TW", "30億人民幣"),
                                              ("ko", "30억 위안")])
def test_cjk_compact_money_puts_the_currency_after_the_figure(locale: str, expected: str) -> None:
    # CLDR's short pattern gave "元30億" and "¥30亿"; no native writes the currency first there.
    assert money(locale, 3_000_000_000, "CNY", "symbol", "compact") == expected


@pytest.mark.parametrize("locale", ["he", "th"])
def test_no_latin_magnitude_letters_in_non_latin_text(locale: str) -> None:
    for text in (money(locale, 375_000_000, "EUR", "symbol", "compact"),
                 Formatter(locale).format(value("number", Decimal(1_500_000), notation="compact"))):
        assert not any("A" <= c <= "Z" or "a" <= c <= "z" for c in text), text


@pytest.mark.parametrize("locale, expected", [("ja", "125万"), ("zh_CN", "125万"), ("ko", "125만"),
                                              ("de", "1,25\xa0Mio."), ("en", "1.25M")])
def test_a_number_may_ask_for_compact_notation(locale: str, expected: str) -> None:
    assert Formatter(locale).format(value("number", Decimal(1_250_000), notation="compact")) == expected


# Hindi is not compared: its press writes the long magnitude words ("120 करोड़"), where ICU's short form has
# "1.2 अ॰" (tests/render/test_press_forms.py).
@pytest.mark.parametrize("locale", sides(["ja", "zh_CN", "zh_TW", "ko", "de", "en", "fr", "ru", "ar"]))
def test_compact_numbers_match_icu(locale: str) -> None:
    pytest.importorskip("icu")
    formatter = icu.NumberFormatter.forSkeleton("compact-short").locale(icu.Locale(locale))
    # Figures ICU's two significant digits show exactly: pubkit never rounds (1.25M stays 1.25M, ICU says 1.2M).
    for number in (1_200_000, 30_000, 3_000_000_000, 120_000_000):
        ours = Formatter(locale).format(value("number", Decimal(number), notation="compact"))
        assert ours == formatter.formatDouble(float(number)), f"{locale} {number}: pubkit with {SIDES}"


@pytest.mark.parametrize("locale, expected", [("en", "48,500,000 US dollars"), ("de", "48.500.000 US-Dollar"),
                                              ("fr", "48\u202f500\u202f000 dollars des États-Unis")])
def test_an_amount_by_name_drops_zero_fraction_digits(locale: str, expected: str) -> None:
    assert money(locale, 48_500_000, "USD", "name") == expected


def test_an_amount_by_name_keeps_a_real_fraction_and_is_never_rounded() -> None:
    assert money("en", "19.99", "JPY", "name") == "19.99 Japanese yen"
    assert money("en", "48500000.50", "USD", "name") == "48,500,000.50 US dollars"
    # Compact notation that cannot show the figure exactly is not used: the existing rule stands.
    assert money("fr", 375_500_001, "EUR", "name", "compact") == "375\u202f500\u202f001 euros"
    assert money("zh_CN", 3_000_000_001, "CNY", "symbol", "compact") == "¥3,000,000,001.00"


@pytest.mark.parametrize("locale", sides(["en", "fr", "de", "ja", "th", "he", "ru", "ar", "zh_CN", "hi"]))
def test_currency_spacing_and_narrow_symbols_match_icu(locale: str) -> None:
    pytest.importorskip("icu")

    def icu_money(skeleton: str, amount: int) -> str:
        return icu.NumberFormatter.forSkeleton(skeleton).locale(icu.Locale(locale)).formatInt(amount)

    assert money(locale, 1_250_000, "JPY", "code") == icu_money("currency/JPY unit-width-iso-code", 1_250_000), SIDES
    assert money(locale, 1250, "USD", "narrowSymbol") == icu_money("currency/USD unit-width-narrow", 1250), SIDES


def test_narrow_symbols_come_from_cldr() -> None:
    assert money("en", 1_250_000, "JPY", "code") == "JPY\xa01,250,000"  # Babel alone: "JPY1,250,000"
    assert money("fr", 2_500_000, "USD", "narrowSymbol", "compact") == "2,5\xa0M\xa0$"  # not "$US"
    assert money("ja", 1000, "JPY", "narrowSymbol") == "￥1,000"  # CLDR's narrow yen in Japanese is full-width


def test_shipped_cldr_data_is_the_release_it_names() -> None:
    from pubkit.render import cldr

    assert cldr.cldr_version() == {"numbers": "47.0.0", "delimiters": "46.1.0", "buddhist": "39.0.0",
                                   "numbering_systems": "47.0.0", "persian": "46.1.0",
                                   "islamic-umalqura": "48.2.0", "hebrew": "48.2.0", "hebrew_numerals": "48.2.0"}
    # formatting.currency_spaced implements exactly this rule; a CLDR release that changes it must be noticed.
    for side in ("beforeCurrency", "afterCurrency"):
        assert cldr.currency_spacing()[side] == {"currencyMatch": "[[:^S:]&[:^Z:]]", "surroundingMatch": "[:digit:]",
                                                 "insertBetween": "\xa0"}
