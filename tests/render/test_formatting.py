"""Values formatted per locale from CLDR: exact figures, no raw CLDR key, no exception, in every script."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from babel import Locale

from pubkit.render.formatting import Formatter, paper_size, text_direction
from pubkit.source.values import Value

LOCALES = ["en", "en_US", "de", "fr", "ru", "zh_CN", "ja", "ar", "he", "hi", "th"]


def value(kind: str, amount, **options) -> Value:
    defaults = {"money": {"notation": "standard", "display": "symbol"}, "number": {"notation": "standard"},
                "unit": {"display": "long"}, "date": {}, "percent": {}}[kind]
    return Value("v", kind, amount, 1, {**defaults, **options})


EVERY_KIND = [
    value("date", dt.date(2023, 7, 17), skeleton="MMMMd"),
    value("date", dt.date(2023, 7, 25), style="full"),
    value("date", dt.date(2023, 7, 25), skeleton="yMMMd"),
    value("unit", Decimal(713), unit="area-hectare"),
    value("unit", Decimal("12.5"), unit="length-kilometer", display="short"),
    value("unit", Decimal(3), unit="duration-hour", display="narrow"),
    value("money", Decimal(3_000_000_000), currency="CNY", notation="compact"),
    value("money", Decimal(375_000_000), currency="EUR", notation="compact", display="name"),
    value("money", Decimal(375_000_000), currency="EUR", notation="compact", display="code"),
    value("money", Decimal(1250), currency="USD", display="narrowSymbol"),
    value("money", Decimal("19.99"), currency="JPY", display="name"),
    value("number", Decimal(100_000)),
    value("number", Decimal(1_500_000), notation="compact"),
    value("percent", Decimal("0.125")),
]


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("item", EVERY_KIND, ids=lambda v: f"{v.kind}-{'-'.join(v.options.values())}")
def test_every_value_type_formats_in_every_locale(locale: str, item: Value) -> None:
    text = Formatter(locale).format(item)
    assert text.strip()
    assert "area-hectare" not in text and "length-kilometer" not in text and "duration-hour" not in text
    assert "None" not in text and "{" not in text


@pytest.mark.parametrize(
    "locale, amount, currency, expected",
    [
        ("de", 1_250_000_000, "EUR", "1,25\xa0Mrd.\xa0€"),
        ("en", 1_250_000_000, "EUR", "€1.25B"),
        # Chinese and Japanese write figure, magnitude, currency word (the press form, not "€3.75亿").
        ("zh_CN", 1_250_000_000, "EUR", "12.5亿欧元"),
        ("zh_CN", 375_000_000, "EUR", "3.75亿欧元"),
        ("zh_CN", 3_000_000_000, "CNY", "30亿元"),
        ("de", 3_000_000_000, "CNY", "3\xa0Mrd.\xa0CN¥"),
        ("ja", 375_000_000, "EUR", "3.75億ユーロ"),
    ],
)
def test_compact_money_never_changes_the_figure(locale, amount, currency, expected) -> None:
    text = Formatter(locale).format(value("money", Decimal(amount), currency=currency, notation="compact"))
    assert text == expected


def test_a_figure_compact_notation_cannot_show_exactly_is_written_in_full() -> None:
    text = Formatter("en").format(value("money", Decimal(1_234_567_890), currency="EUR", notation="compact"))
    assert text == "€1,234,567,890.00"
    assert Formatter("de").format(value("number", Decimal(1_234_567), notation="compact")) == "1.234.567"


@pytest.mark.parametrize("locale, expected", [("en", "12.5%"), ("de", "12,5\xa0%"), ("fr", "12,5\xa0%")])
def test_percent_keeps_its_fraction(locale, expected) -> None:
    assert Formatter(locale).format(value("percent", Decimal("0.125"))) == expected


@pytest.mark.parametrize(
    "locale, expected",
    [("en", "713 hectares"), ("de", "713 Hektar"), ("zh_CN", "713公顷"), ("ar", "713 هكتار"), ("th", "713 เฮกตาร์")],
)
def test_units_fall_back_to_the_short_form_where_cldr_lacks_the_long_one(locale, expected) -> None:
    assert Formatter(locale).format(value("unit", Decimal(713), unit="area-hectare")) == expected


def test_compact_money_by_name_where_cldr_has_no_long_compact_form() -> None:
    # Babel raises KeyError for the long compact format in zh and ja; the short form is used there.
    assert Formatter("zh_CN").format(
        value("money", Decimal(375_000_000), currency="EUR", notation="compact", display="name")
    ) == "3.75亿欧元"
    assert Formatter("en").format(
        value("money", Decimal(375_000_000), currency="EUR", notation="compact", display="name")
    ) == "375 million euros"


@pytest.mark.parametrize(
    "locale, expected",
    [("de", "17. Juli"), ("fr", "17 juillet"), ("zh_CN", "7月17日"), ("ja", "7月17日"), ("ar", "17 يوليو")],
)
def test_date_skeletons(locale, expected) -> None:
    assert Formatter(locale).format(value("date", dt.date(2023, 7, 17), skeleton="MMMMd")) == expected


@pytest.mark.parametrize(
    "locale, size", [("en_US", "Letter"), ("es_MX", "Letter"), ("fr_CA", "Letter"), ("en", "A4"), ("de", "A4"),
                     ("en_GB", "A4"), ("ja", "A4")],
)
def test_paper_size_follows_cldr_territories(locale, size) -> None:
    assert paper_size(Locale.parse(locale)) == size


@pytest.mark.parametrize("locale, direction", [("ar", "rtl"), ("he", "rtl"), ("fa", "rtl"), ("de", "ltr"), ("zh_CN", "ltr")])
def test_text_direction(locale, direction) -> None:
    assert text_direction(Locale.parse(locale)) == direction
