"""schema.org metadata of a release page (its links to the site come from ``publish/links.py``)."""

from __future__ import annotations

import json

from markupsafe import Markup


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
