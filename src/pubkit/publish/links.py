"""What a release page knows about its site: its translations, canonical address, PDF and embargo line."""

from __future__ import annotations

import datetime as dt

from babel import Locale
from babel.dates import format_time, get_timezone_gmt

from ..config import Project
from ..locales import base_locale, bcp47, language_name, og_locale
from ..render.formatting import Formatter, text_direction
from .paths import SITE_INDEX, Publication, index_relative, link, page_relative, pdf_relative, public_url


def page_head(project: Project, slug: str, language: str, publication: Publication,
              formatter: Formatter) -> dict:
    """Links and metadata for the page of ``slug`` in ``language``, as the template receives them."""
    here = page_relative(project, slug, language)
    languages = publication.languages.get(slug, (language,))
    alternates = [
        {"lang": bcp47(other), "name": language_name(other), "dir": text_direction(Locale.parse(base_locale(other))),
         "href": link(here, page_relative(project, slug, other)),
         "url": public_url(project, page_relative(project, slug, other), here), "current": other == language}
        for other in languages
    ]
    default = project.source_language if project.source_language in languages else languages[0]
    default_url = public_url(project, page_relative(project, slug, default), here)
    embargo = publication.embargoed.get(slug)
    return {
        "alternates": alternates,
        "x_default": default_url,
        "canonical": public_url(project, here, here),
        "absolute": bool(project.base_url),
        "pdf": link(here, pdf_relative(project, slug, language)),
        "chooser": link(here, SITE_INDEX) + "#choose",
        "index": link(here, index_relative(project, language)),
        "og_locale": og_locale(language),
        "og_locale_alternates": [og_locale(other) for other in languages if other != language],
        "translation_of": None if language == default else default_url,
        "translations": [a["url"] for a in alternates if not a["current"]] if language == default else [],
        "logo": link(here, publication.brand["logo"]) if "logo" in publication.brand else None,
        "logo_url": public_url(project, publication.brand["logo"], here) if "logo" in publication.brand else None,
        "favicon": link(here, publication.brand["favicon"]) if "favicon" in publication.brand else None,
        "embargo": formatter.localize_digits(embargo_time(embargo, formatter.locale, formatter.date(embargo.date())))
        if embargo else None,
    }


def embargo_time(embargo: dt.datetime, locale: Locale, date_text: str) -> str:
    """The moment of the embargo in the locale's words: ``date_text`` (the long date, formatted by the
    project's Formatter so calendars agree), the short time, and CLDR's localized GMT offset, joined by
    the locale's own date-time pattern: "July 25, 2023, 10:00 AM GMT+02:00".

    The zone is the offset the author wrote: an offset alone does not tell CEST from CAT, so no zone
    name is guessed.
    """
    offset = embargo.utcoffset() or dt.timedelta(0)
    zone = dt.timezone(offset)
    time_text = format_time(embargo, "short", tzinfo=zone, locale=locale)
    gmt = get_timezone_gmt(embargo.astimezone(zone), "long", locale=locale)
    pattern = str(locale.datetime_formats.get("long", "{1} {0}"))
    return pattern.replace("{1}", date_text).replace("{0}", f"{time_text} {gmt}")
