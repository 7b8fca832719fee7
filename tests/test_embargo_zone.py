"""Embargo times as people read them: with `embargo_zone` (IANA), the zone's name from CLDR in each
language; without it, the offset the author wrote, as CLDR writes an offset in that language."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polib
import pytest
from babel import Locale

from conftest import page_file
from pubkit.render.formatting import Formatter
from pubkit.source.embargo import embargo_time, zoned

WINTER = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
SUMMER = dt.datetime(2026, 7, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))


def line(moment: dt.datetime, language: str) -> str:
    locale = Locale.parse(language)
    return embargo_time(moment, locale, Formatter(locale).date(moment.date()))


@pytest.mark.parametrize("language, expected", [
    ("en_GB", "2 March 2026, 10:00 CET"),
    ("de", "2. März 2026, 10:00 MEZ"),
    ("es", "2 de marzo de 2026, 10:00 CET"),
    ("fr", "2 mars 2026, 10:00 heure normale d’Europe centrale"),  # no short name in French CLDR: the long one
    ("pt_BR", "2 de março de 2026 10:00 Horário Padrão da Europa Central"),
    ("tr", "2 Mart 2026 10:00 Orta Avrupa Standart Saati"),
])
def test_a_zone_is_named_as_each_language_names_it(language: str, expected: str) -> None:
    assert line(zoned(WINTER, "Europe/Zurich"), language) == expected


def test_summer_time_is_named_too_and_the_moment_is_kept() -> None:
    assert line(zoned(SUMMER, "Europe/Zurich"), "de") == "2. Juli 2026, 10:00 MESZ"
    assert line(zoned(SUMMER, "Europe/Zurich"), "en_GB") == "2 July 2026, 10:00 CEST"
    # Written in Zurich's time, read in São Paulo's: the same moment, five hours earlier.
    assert line(zoned(SUMMER, "America/Sao_Paulo"), "pt_BR") == \
        "2 de julho de 2026 05:00 BRT"  # CLDR: the short name Brazilians use


@pytest.mark.parametrize("language, expected", [
    ("pt_BR", "2 de março de 2026 10:00 GMT+01:00"),  # not "10:00 +01:00 GMT"
    ("fr", "2 mars 2026, 10:00 UTC+01:00"),  # French CLDR writes offsets as UTC
    ("ar", "2 مارس 2026، 10:00 ص غرينتش+01:00"),
])
def test_without_a_zone_the_offset_is_written_as_cldr_writes_it(language: str, expected: str) -> None:
    assert line(WINTER, language) == expected


def test_the_zone_of_the_project_or_of_a_release_is_on_the_page(mini: Path, run) -> None:
    config = mini / "pubkit.toml"
    config.write_text(config.read_text(encoding="utf-8") + 'embargo_zone = "Europe/Zurich"\n', encoding="utf-8")
    source = mini / "sources" / "launch.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("---\n", "---\nembargo: 2026-03-02T10:00:00+01:00\n", 1), encoding="utf-8")
    assert run("extract", cwd=mini).code == 0 and run("update", cwd=mini).code == 0
    po = polib.pofile(str(mini / "locale/de/LC_MESSAGES/launch.po"))
    po.find("A new plant opens", msgctxt="title").msgstr = "Ein neues Werk öffnet"
    po.save()
    result = run("build", "--format", "html", "--include-embargoed", "--now", "2026-01-01T00:00:00Z", cwd=mini)
    assert result.code == 0, result.err
    assert "2. März 2026, 10:00 MEZ" in page_file(mini, "launch", "de").read_text(encoding="utf-8")
    assert "March 2, 2026, 10:00\u202fAM Central European Standard Time" in \
        page_file(mini, "launch", "en").read_text(encoding="utf-8")

    # A release read elsewhere names its own zone.
    source.write_text(source.read_text(encoding="utf-8").replace(
        "embargo:", "embargo_zone: Asia/Shanghai\nembargo:", 1), encoding="utf-8")
    assert run("build", "--format", "html", "--include-embargoed", "--now", "2026-01-01T00:00:00Z",
               cwd=mini).code == 0
    assert "March 2, 2026, 5:00\u202fPM China Standard Time" in page_file(mini, "launch", "en").read_text(encoding="utf-8")


def test_an_unknown_zone_is_one_line_and_status_2(mini: Path, run) -> None:
    config = mini / "pubkit.toml"
    config.write_text(config.read_text(encoding="utf-8") + 'embargo_zone = "Europe/Zürich"\n', encoding="utf-8")
    result = run("build", cwd=mini)
    assert result.code == 2
    assert result.err == ("pubkit.toml:3: error: embargo_zone: 'Europe/Zürich' is not an IANA time zone such as "
                          "Europe/Zurich\n")
    assert not (mini / "dist").exists()
    config.write_text(config.read_text(encoding="utf-8").replace("Europe/Zürich", "../../etc/passwd"),
                      encoding="utf-8")
    assert run("build", cwd=mini).code == 2
