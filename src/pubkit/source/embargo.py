"""Embargoes: the moment a release may be published, as its source states it, and that moment in words."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from ..config import time_zone

if TYPE_CHECKING:  # pragma: no cover  Babel is imported where a date is formatted, not by every build
    from babel import Locale

#: A date and a time, with seconds optional and a zone that is required (checked after parsing).
_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")


def parse_moment(text: str) -> dt.datetime:
    """An ISO 8601 date-time with a zone (``2023-07-25T10:00:00+02:00``); ValueError with the reason."""
    text = text.strip()
    if not _DATETIME_RE.match(text):
        raise ValueError(f"'{text}' is not a date and time; write it as 2023-07-25T10:00:00+02:00")
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"'{text}' is not a real date and time") from None
    if moment.tzinfo is None:
        # Without a zone the moment differs by up to a day around the world: never guess it.
        raise ValueError(f"'{text}' has no time zone; add one, such as +02:00 or Z")
    return moment


def is_embargoed(embargo: dt.datetime | None, now: dt.datetime) -> bool:
    return embargo is not None and now < embargo


def zoned(embargo: dt.datetime | None, zone: str) -> dt.datetime | None:
    """The embargo in the zone its readers live in (``embargo_zone``), the same moment."""
    return embargo.astimezone(time_zone(zone)) if embargo is not None and zone else embargo


def embargo_time(embargo: dt.datetime, locale: Locale, date_text: str) -> str:
    """The moment of the embargo in the locale's words: ``date_text`` (the long date, formatted by the
    project's Formatter so calendars agree), the short time and the zone, joined by the locale's own
    date-time pattern: "2 March 2026, 10:00 CET", "2. März 2026, 10:00 MEZ".

    The zone is named only when the moment carries an IANA zone (``embargo_zone``): the short name where
    CLDR has one people use in that language (CET, MEZ), else the long one ("heure normale d’Europe
    centrale"), summer time included. An offset alone does not tell CEST from CAT, so without a zone the
    offset is written as CLDR writes it in the language ("GMT+01:00", "UTC+01:00", "غرينتش+01:00").
    """
    from zoneinfo import ZoneInfo

    from babel.dates import format_time, get_timezone_gmt, get_timezone_name  # status imports this module

    if isinstance(embargo.tzinfo, ZoneInfo):
        zone = embargo.tzinfo
        short = get_timezone_name(embargo, "short", locale=locale, zone_variant=None)
        # Babel falls back to the offset when CLDR has no short name for the language: take the long name.
        named = short if short != get_timezone_gmt(embargo, "short", locale=locale) else \
            get_timezone_name(embargo, "long", locale=locale)
    else:
        zone = dt.timezone(embargo.utcoffset() or dt.timedelta(0))
        embargo = embargo.astimezone(zone)
        named = get_timezone_gmt(embargo, "long", locale=locale)
    time_text = format_time(embargo, "short", tzinfo=zone, locale=locale)
    pattern = str(locale.datetime_formats.get("long", "{1} {0}"))
    return pattern.replace("{1}", date_text).replace("{0}", f"{time_text} {named}")
