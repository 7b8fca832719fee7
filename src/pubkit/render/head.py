"""What a release page knows about its site: its translations, canonical address, PDF and embargo line."""

from __future__ import annotations

import json

from babel import Locale
from babel.core import get_global
from markupsafe import Markup

from ..config import Project
from .formatting import Formatter, text_direction
from ..publish.paths import SITE_INDEX, Publication, bcp47, index_relative, link, page_relative, pdf_relative, public_url
from .pseudo import base_locale

#: CLDR's localeDisplayPattern where it differs from Babel's fixed "name (detail)": Chinese uses
#: full-width parentheses, "中文（中国）". Babel exposes the names but not this pattern.
_DISPLAY_PATTERNS = {"zh": "{0}（{1}）", "yue": "{0}（{1}）"}


def language_name(language: str) -> str:
    """The language named in itself from CLDR: "Deutsch", "中文（中国）", "العربية".

    Only the parts written in the tag are named (``zh_CN`` names China, not the script CLDR infers);
    a pseudo-locale is named after its base: "English (Pseudo-Accents)".
    """
    locale = Locale.parse(base_locale(language))
    name = locale.languages.get(locale.language) or language
    details = []
    for part in language.split("_")[1:]:
        named = locale.scripts.get(part) if len(part) == 4 else locale.territories.get(part)
        if named:
            details.append(named)
    if not details:
        return name
    pattern = _DISPLAY_PATTERNS.get(locale.language, "{0} ({1})")
    return pattern.format(name, ", ".join(details))


def og_locale(language: str) -> str:
    """Open Graph's ``language_TERRITORY`` for a language: its own territory, else CLDR's likeliest
    ("de" is de_DE, "ar" ar_EG), so social sites do not take every page for en_US."""
    locale = Locale.parse(base_locale(language))
    territory = locale.territory
    if not territory:
        likely = get_global("likely_subtags").get(locale.language)
        territory = Locale.parse(likely).territory if likely else None
    return f"{locale.language}_{territory}" if territory else locale.language


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
    from ..source.embargo import embargo_time

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


def news_article(site: dict, title: str, description: str | None, date_iso: str | None, organization: str,
                 lang: str) -> Markup:
    """schema.org ``NewsArticle`` JSON-LD, safe inside ``<script>``: ``<``, ``>`` and ``&`` are escaped."""
    article: dict = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": str(title),
                     "inLanguage": lang, "url": site["canonical"]}
    if description:
        article["description"] = str(description)
    if date_iso:
        article["datePublished"] = date_iso
    if organization:
        article["publisher"] = {"@type": "Organization", "name": organization}
    if site.get("translation_of"):
        article["translationOfWork"] = {"@id": site["translation_of"]}
    if site.get("translations"):
        article["workTranslation"] = [{"@id": href} for href in site["translations"]]
    text = json.dumps(article, ensure_ascii=False, sort_keys=True)
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))
