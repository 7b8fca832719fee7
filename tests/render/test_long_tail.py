"""The long tail of languages (issue 24): native digits by CLDR's numbering systems, dates as ICU writes
them in 57 locales, and every script set in its own Noto face.

ICU (PyICU, the locked pyicu-wheels) is the reference a reader's phone and browser use. Both sides state
their CLDR release; Gregorian dates are compared in 57 locales, Solar Hijri dates (the calendar Iranian
and Afghan media date by, and ICU's default there) in Persian, Dari and Pashto, Umm al-Qura dates in Arabic,
Hebrew dates (with their Hebrew numerals) in Hebrew and English.
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
    numbers = icu.NumberFormatter.withLocale(icu.Locale(locale))
    for amount in ("1250000.5", "713", "0.25"):
        assert formatter.format(value("number", Decimal(amount))) == str(numbers.formatDouble(float(amount))), amount
    # CLDR's percent sign of the numbering system ("٪" in Persian, "‎%‎" in Arabic), which Babel leaves as "%".
    percents = icu.NumberFormatter.forSkeleton("percent scale/100").locale(icu.Locale(locale))
    for amount in ("0.125", "0.5"):
        assert formatter.format(value("percent", Decimal(amount))) == str(percents.formatDouble(float(amount)))


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
