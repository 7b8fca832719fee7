"""What a release page knows about its site: its translations, canonical address, PDF and embargo line."""

from __future__ import annotations

from babel import Locale

from ..config import Project
from ..locales import base_locale, bcp47, language_name, og_locale
from ..render.formatting import Formatter, text_direction
from ..source.embargo import embargo_time
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
