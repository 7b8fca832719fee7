"""The newsroom around the pages: language chooser, per-language indexes, Atom feeds, sitemap, robots.txt.

Everything here is generated from what the build published (its state) and is cheap to regenerate;
nothing here renders a release. Paths come from paths.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from babel import Locale
from babel.units import format_unit

from .. import safefs
from ..catalog.extract import TEMPLATES_DOMAIN
from ..catalog.translations import Translations
from ..config import Project
from ..fileio import write_atomic
from ..render.render import Renderer
from ..locales import base_locale, bcp47, language_name
from ..render.formatting import text_direction
from .paths import (
    ROBOTS,
    SITE_INDEX,
    SITEMAP,
    absolute_url,
    feed_relative,
    index_relative,
    link,
    public_url,
    page_relative,
    pdf_relative,
)
from ..render.brand import brand_assets
from ..source.templates import template_files

CHOOSER_TEMPLATE = "site-index.html"
INDEX_TEMPLATE = "language-index.html"
#: Stylesheets of the indexes, copied once into the site's assets/ folder.
ASSETS = ("base.css", "screen.css")
ATOM = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
#: Characters XML 1.0 cannot carry at all: removed from text a translator typed, never escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class Listing:
    """One release in one language, as the indexes and feeds show it."""

    slug: str
    language: str
    title: str
    summary: str | None
    date: dt.date | None
    date_text: str | None
    moment: dt.datetime  # the Atom "updated": the embargo's end, else the release date at midnight UTC
    pdf_size: int | None
    organization: str = ""


def write_site(project: Project, listed: dict[str, dict], index, now: dt.datetime, digest: str,
               old_state: dict | None, renderer, result) -> dict:
    """Write the site's files; only those whose bytes changed are rewritten. Returns the new site state."""
    files = site_files(project, listed, index, now, renderer)
    outputs: dict[str, list] = {}
    for relative, data in sorted(files.items()):
        path = project.output_dir / relative
        raw = data.encode() if isinstance(data, str) else data
        safefs.check_write(project.output_dir, path)  # never through a link out of the output folder
        if not path.is_file() or path.read_bytes() != raw:
            write_atomic(path, raw)
            result.site.append(path)
        info = path.stat()
        # As a page's outputs: size, time and sha256 (build._up_to_date, shards.py).
        outputs[relative] = [info.st_size, info.st_mtime_ns, hashlib.sha256(raw).hexdigest()]
    for relative in (old_state or {}).get("outputs", {}):
        if relative not in files:  # a page of the index that is no longer needed, a feed without base_url
            safefs.remove_beneath(project.output_dir, relative)
    return {"digest": digest, "outputs": outputs}


def site_files(project: Project, listed: dict[str, dict], index, now: dt.datetime, renderer=None) -> dict[str, bytes]:
    """Relative path → bytes of every file of the site around the pages."""
    if renderer is None:
        renderer = Renderer(project)
    listings = _listings(project, listed, index, now, renderer)
    languages = [language for language in project.output_languages if listings.get(language)]
    assets = template_files(project)
    files: dict[str, bytes] = {f"assets/{name}": assets[name].read_bytes() for name in ASSETS}
    brand = brand_assets(project)
    for relative in brand.values():
        files[relative] = assets[relative.split("/", 1)[1]].read_bytes()
    files[SITE_INDEX] = _render(renderer, project.source_language, CHOOSER_TEMPLATE, {
        "lang": bcp47(project.source_language),
        "dir": text_direction(Locale.parse(project.source_language)),
        "organization": _organization(listings),
        "stylesheets": [link(SITE_INDEX, f"assets/{name}") for name in ASSETS],
        "favicon": link(SITE_INDEX, brand["favicon"]) if "favicon" in brand else None,
        "logo": link(SITE_INDEX, brand["logo"]) if "logo" in brand else None,
        "languages": [{"lang": bcp47(language), "name": language_name(language),
                       "dir": text_direction(Locale.parse(base_locale(language))),
                       "href": link(SITE_INDEX, index_relative(project, language)),
                       "url": public_url(project, index_relative(project, language), SITE_INDEX)}
                      for language in languages],
        "canonical": absolute_url(project, SITE_INDEX),
    })
    for language in languages:
        files.update(_language_index(project, language, listings[language], renderer, languages, brand))
    if project.base_url:
        for language in languages:
            files[feed_relative(project, language)] = _feed(project, language, listings[language])
        files[SITEMAP] = _sitemap(project, listings)
    robots = "User-agent: *\nAllow: /\n"
    if project.base_url:
        robots += f"\nSitemap: {absolute_url(project, SITEMAP)}\n"
    files[ROBOTS] = robots.encode()
    return files


def _listings(project: Project, listed: dict[str, dict], index, now: dt.datetime, renderer) -> dict[str, list[Listing]]:
    by_language: dict[str, list[Listing]] = {}
    for key in sorted(listed):
        slug, language, kind = key.split("/")
        if kind != "html":
            continue
        source = index.source(slug)
        formatter = renderer.formatter(language)
        translations = Translations.load(project, language, slug)

        def text(name: str) -> str | None:
            # As the page shows it (render.py): a field in the source language keeps its figures the same way.
            shown = renderer.field_text(source, language, translations, name)
            return None if shown is None else _NOT_XML.sub("", shown)

        date = source.fields.get("date")
        embargo = source.fields.get("embargo")
        if isinstance(embargo, dt.datetime):
            moment = embargo.astimezone(dt.timezone.utc)
        elif isinstance(date, dt.date):
            moment = dt.datetime(date.year, date.month, date.day, tzinfo=dt.timezone.utc)
        else:
            moment = now.astimezone(dt.timezone.utc).replace(microsecond=0)
        pdf = listed.get(f"{slug}/{language}/pdf", {}).get("outputs", {}).get(pdf_relative(project, slug, language))
        by_language.setdefault(language, []).append(Listing(
            slug, language, text("title") or slug, text("summary") or text("subtitle"),
            date if isinstance(date, dt.date) else None,
            formatter.date(date) if isinstance(date, dt.date) else None,
            moment, pdf[0] if pdf else None, str(source.fields.get("organization") or ""),
        ))
    for entries in by_language.values():
        entries.sort(key=lambda e: (e.moment, e.slug), reverse=True)  # newest first
    return by_language


def _organization(listings: dict[str, list[Listing]]) -> str:
    """The organization of the newest release: the newsroom's name."""
    newest = max((entries[0] for entries in listings.values() if entries), key=lambda e: e.moment, default=None)
    return newest.organization if newest else ""


def _render(renderer, language: str, template: str, context: dict) -> bytes:
    ui = Translations.load(renderer.project, language, TEMPLATES_DOMAIN)
    return renderer.render_template(template, context, ui).encode()


def _size(size: int, locale: Locale) -> str:
    """A file size in the locale's words and digits: "245 kB", "1,2 MB"."""
    if size < 1000 * 1000:
        return format_unit(max(1, round(size / 1000)), "digital-kilobyte", "short", locale=locale)
    return format_unit(round(size / 1_000_000, 1), "digital-megabyte", "short", locale=locale, format="#,##0.#")


def _language_index(project: Project, language: str, entries: list[Listing], renderer,
                    languages: list[str], brand: dict[str, str]) -> dict[str, bytes]:
    locale = Locale.parse(base_locale(language))
    size = project.index_page_size
    chunks = [entries[i : i + size] for i in range(0, len(entries), size)] or [[]]
    files = {}
    for number, chunk in enumerate(chunks, start=1):
        here = index_relative(project, language, number)
        files[here] = _render(renderer, language, INDEX_TEMPLATE, {
            "lang": bcp47(language),
            "dir": text_direction(locale),
            "language_name": language_name(language),
            "organization": entries[0].organization if entries else "",
            "stylesheets": [link(here, f"assets/{name}") for name in ASSETS],
            "favicon": link(here, brand["favicon"]) if "favicon" in brand else None,
            "logo": link(here, brand["logo"]) if "logo" in brand else None,
            "chooser": link(here, SITE_INDEX) + "#choose",
            "feed": link(here, feed_relative(project, language)) if project.base_url else None,
            "hreflang": [{"lang": bcp47(other), "url": public_url(project, index_relative(project, other), here)}
                         for other in languages] if number == 1 else [],
            "canonical": public_url(project, here, here) if project.base_url else None,
            "newer": link(here, index_relative(project, language, number - 1)) if number > 1 else None,
            "older": link(here, index_relative(project, language, number + 1))
            if number < len(chunks) else None,
            "releases": [{
                "title": entry.title, "summary": entry.summary, "date": entry.date_text,
                "date_iso": entry.date.isoformat() if entry.date else None,
                "href": link(here, page_relative(project, entry.slug, language)),
                "pdf": link(here, pdf_relative(project, entry.slug, language)) if entry.pdf_size else None,
                "pdf_size": _size(entry.pdf_size, locale) if entry.pdf_size else None,
            } for entry in chunk],
        })
    return files


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _feed(project: Project, language: str, entries: list[Listing]) -> bytes:
    """An Atom feed (RFC 4287) of a language's releases; ElementTree escapes every text and attribute."""
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
        if text is not None:
            element.text = text
        return element

    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": bcp47(language)})
    home = absolute_url(project, index_relative(project, language))
    sub(feed, "id", home)
    sub(feed, "title", language_name(language))
    sub(feed, "updated", _stamp(max((e.moment for e in entries), default=dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc))))
    sub(feed, "link", rel="self", type="application/atom+xml", href=absolute_url(project, feed_relative(project, language)))
    sub(feed, "link", rel="alternate", type="text/html", href=home)
    author = sub(feed, "author")
    sub(author, "name", (entries[0].organization if entries else "") or project.base_url)  # RFC 4287 §4.1.1
    sub(feed, "generator", "pubkit")
    for entry in entries:
        page = absolute_url(project, page_relative(project, entry.slug, language))
        item = sub(feed, "entry")
        sub(item, "id", page)
        sub(item, "title", entry.title)
        sub(item, "updated", _stamp(entry.moment))
        sub(item, "published", _stamp(entry.moment))
        sub(item, "link", rel="alternate", type="text/html", hreflang=bcp47(language), href=page)
        if entry.pdf_size:
            sub(item, "link", rel="enclosure", type="application/pdf", length=str(entry.pdf_size),
                hreflang=bcp47(language), href=absolute_url(project, pdf_relative(project, entry.slug, language)))
        if entry.summary:
            sub(item, "summary", entry.summary)
        # The page itself is the content (RFC 4287 §4.1.3.2: out-of-line content, with a summary beside it).
        sub(item, "content", type="text/html", src=page)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _sitemap(project: Project, listings: dict[str, list[Listing]]) -> bytes:
    """Every page and index, each with its translations as ``xhtml:link`` alternates (and x-default)."""
    ET.register_namespace("", SITEMAP_NS)
    ET.register_namespace("xhtml", XHTML)
    urlset = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    slugs: dict[str, dict[str, Listing]] = {}
    for language, entries in listings.items():
        for entry in entries:
            slugs.setdefault(entry.slug, {})[language] = entry
    groups: list[tuple[dict[str, str], str | None]] = []
    indexes = {language: index_relative(project, language) for language in listings}
    groups.append((indexes, None))
    for slug in sorted(slugs):
        pages = {language: page_relative(project, slug, language) for language in slugs[slug]}
        newest = max(entry.moment for entry in slugs[slug].values())
        groups.append((pages, _stamp(newest)[:10]))
    for pages, lastmod in groups:
        if not pages:  # a build of PDFs only has no page to list
            continue
        default = pages.get(project.source_language) or next(iter(pages.values()))
        for language, relative in pages.items():
            url = ET.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
            ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = absolute_url(project, relative)
            if lastmod:
                ET.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = lastmod
            for other, other_relative in [*pages.items(), ("x-default", default)]:
                ET.SubElement(url, f"{{{XHTML}}}link", {
                    "rel": "alternate", "hreflang": other if other == "x-default" else bcp47(other),
                    "href": absolute_url(project, other_relative)})
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"

