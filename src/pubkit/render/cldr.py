"""The CLDR tables Babel does not ship: they live in ``locales.py``; this name is kept for existing imports."""

from ..locales import buddhist_calendar, buddhist_locales, cldr_version, currency_spacing, narrow_symbol, quotes

__all__ = ["buddhist_calendar", "buddhist_locales", "cldr_version", "currency_spacing", "narrow_symbol", "quotes"]
