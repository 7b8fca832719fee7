"""The CLDR tables Babel does not ship: they live in ``locales.py``; this name is kept for existing imports."""

from ..locales import (
    calendar_data,
    calendar_locales,
    cldr_version,
    currency_spacing,
    digits,
    minimum_grouping,
    narrow_symbol,
    preferred_calendar,
    quotes,
)

__all__ = ["calendar_data", "calendar_locales", "cldr_version", "currency_spacing", "digits", "minimum_grouping", "narrow_symbol",
           "preferred_calendar", "quotes"]
