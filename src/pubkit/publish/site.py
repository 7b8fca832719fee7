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
from ..locales import base_locale, bcp47, language_name, writing_script
from ..render.render import Renderer
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
from ..render.brand import brand_assets, brand_files
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
    dated: bool = True  # False: listed as of now, for want of a date


#: The part of the site every language shares (chooser, sitemap, robots.txt, assets); each language's own
#: part is its indexes and feed, named by the language.
COMMON = ""


def write_site(project: Project, listed: dict[str, dict], index, now: dt.datetime, digest: str,
               old_state: dict | None, renderer, result, parts: dict[str, str], stale: set[str]) -> dict:
    """Write the site's files; only those whose bytes changed are rewritten. Returns the new site state.

    ``parts`` gives the digest of each part of the site (COMMON, and each language); only the ``stale``
    ones are made again, the files of the others are kept as the last build wrote them (build.py
    decides which: a changed catalog re-makes its language's indexes and feed, not every language's).
    Each release's listing (title, summary, date) is remembered by its page's digest, so re-making a
    language's index reads only the catalogs that changed.
    """
    old_state = old_state if isinstance(old_state, dict) else {}
    remembered = old_state.get("entries") if isinstance(old_state.get("entries"), dict) else {}
    made, entries = site_parts(project, listed, index, now, renderer, stale, remembered)
    old_outputs = old_state.get("outputs") if isinstance(old_state.get("outputs"), dict) else {}
    old_parts = old_state.get("parts") if isinstance(old_state.get("parts"), dict) else {}
    outputs: dict[str, list] = {}
    new_parts: dict[str, dict] = {}
    for part in parts:
        if part not in stale:  # build.py checked these files are as the last build left them
            new_parts[part] = old_parts[part]
            outputs.update({name: old_outputs[name] for name in old_parts[part]["files"]})
            continue
        files = made.get(part, {})
        for relative, data in sorted(files.items()):
            outputs[relative] = _write(project, relative, data, result)
        new_parts[part] = {"digest": parts[part], "files": sorted(files)}
    for relative in old_outputs:
        if relative not in outputs:  # a page of the index that is no longer needed, a feed without base_url
            safefs.remove_beneath(project.output_dir, relative)
    return {"digest": digest, "outputs": outputs, "parts": new_parts, "entries": entries}


def _write(project: Project, relative: str, data: bytes | str, result) -> list:
    path = project.output_dir / relative
    raw = data.encode() if isinstance(data, str) else data
    safefs.check_write(project.output_dir, path)  # never through a link out of the output folder
    if not path.is_file() or path.read_bytes() != raw:
        write_atomic(path, raw)
        result.site.append(path)
    info = path.stat()
    # As a page's outputs: size, time and sha256 (build._up_to_date, shards.py).
    return [info.st_size, info.st_mtime_ns, hashlib.sha256(raw).hexdigest()]


def site_files(project: Project, listed: dict[str, dict], index, now: dt.datetime, renderer=None) -> dict[str, bytes]:
    """Relative path → bytes of every file of the site around the pages."""
    made, _ = site_parts(project, listed, index, now, renderer, None, {})
    return {relative: data for files in made.values() for relative, data in files.items()}


def listed_languages(project: Project, listed: dict[str, dict]) -> list[str]:
    """The languages the site lists: those with at least one web page, in the configuration's order."""
    having = {key.split("/")[1] for key in listed if key.endswith("/html")}
    return [language for language in project.output_languages if language in having]


def site_parts(project: Project, listed: dict[str, dict], index, now: dt.datetime, renderer, stale: set[str] | None,
               remembered: dict) -> tuple[dict[str, dict[str, bytes]], dict[str, dict]]:
    """Part → its files (relative path → bytes), for the ``stale`` parts (None: all); and the listings
    to remember, by the key of their page."""
    if renderer is None:
        renderer = Renderer(project)
    languages = listed_languages(project, listed)
    wanted = set(languages) | {COMMON} if stale is None else stale
    if COMMON in wanted:  # the chooser and the sitemap need every release's date, not its text
        needed = {language: language in wanted for language in languages}
    else:
        needed = {language: True for language in languages if language in wanted}
    listings, entries = _listings(project, listed, index, now, renderer, needed, remembered)
    brand = brand_assets(project)
    made: dict[str, dict[str, bytes]] = {}
    if COMMON in wanted:
        made[COMMON] = _common_files(project, listings, languages, renderer, brand)
    for language in languages:
        if language in wanted:
            files = _language_index(project, language, listings[language], renderer, languages, brand)
            if project.base_url:
                files[feed_relative(project, language)] = _feed(project, language, listings[language])
            made[language] = files
    return made, entries


def _common_files(project: Project, listings: dict[str, list[Listing]], languages: list[str], renderer,
                  brand: dict[str, str]) -> dict[str, bytes]:
    assets = template_files(project)
    files: dict[str, bytes] = {f"assets/{name}": assets[name].read_bytes() for name in ASSETS}
    for relative, path in brand_files(project).values():
        files[relative] = path.read_bytes()
    files[SITE_INDEX] = _render(renderer, project.source_language, CHOOSER_TEMPLATE, {
        "lang": bcp47(project.source_language),
        "dir": text_direction(Locale.parse(project.source_language)),
        "script": writing_script(Locale.parse(project.source_language)),
        "organization": project.organization.name if project.organization else _organization(listings),
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
    if project.base_url:
        files[SITEMAP] = _sitemap(project, listings)
    robots = "User-agent: *\nAllow: /\n"
    if project.base_url:
        robots += f"\nSitemap: {absolute_url(project, SITEMAP)}\n"
    files[ROBOTS] = robots.encode()
    return files


def _listings(project: Project, listed: dict[str, dict], index, now: dt.datetime, renderer, needed: dict[str, bool],
              remembered: dict) -> tuple[dict[str, list[Listing]], dict[str, dict]]:
    """Per language in ``needed``, its releases newest first, with their text (title, summary, date in the
    language) where ``needed`` says so. A listing remembered for a page of the same digest is used as it
    is; the listings to remember next time are returned beside them."""
    by_language: dict[str, list[Listing]] = {}
    entries: dict[str, dict] = {}
    for key in sorted(listed):
        slug, language, kind = key.split("/")
        if kind != "html":
            continue
        digest = listed[key].get("digest")
        listing = _remembered_listing(remembered.get(key), digest, slug, language)
        if listing is not None:
            entries[key] = remembered[key]
        if language not in needed:
            continue
        if listing is None:
            listing = _listing(project, slug, language, index, now, renderer, needed[language])
            if needed[language] and listing.dated and isinstance(digest, str):
                entries[key] = {"digest": digest, "listing": _as_record(listing)}
        pdf = listed.get(f"{slug}/{language}/pdf", {}).get("outputs", {}).get(pdf_relative(project, slug, language))
        listing.pdf_size = pdf[0] if pdf else None
        by_language.setdefault(language, []).append(listing)
    for entries_of_language in by_language.values():
        entries_of_language.sort(key=lambda e: (e.moment, e.slug), reverse=True)  # newest first
    return by_language, entries


def _listing(project: Project, slug: str, language: str, index, now: dt.datetime, renderer, text: bool) -> Listing:
    source = index.source(slug)
    date = source.fields.get("date")
    embargo = source.fields.get("embargo")
    dated = True
    if isinstance(embargo, dt.datetime):
        moment = embargo.astimezone(dt.timezone.utc)
    elif isinstance(date, dt.date):
        moment = dt.datetime(date.year, date.month, date.day, tzinfo=dt.timezone.utc)
    else:  # a release without a date is listed as of now: never remembered
        moment, dated = now.astimezone(dt.timezone.utc).replace(microsecond=0), False
    organization = str(source.fields.get("organization")
                       or (project.organization.name if project.organization else ""))
    if not text:
        return Listing(slug, language, slug, None, None, None, moment, None, organization, dated)
    formatter = renderer.formatter(language)
    translations = Translations.load(project, language, slug)

    def shown(name: str) -> str | None:
        # As the page shows it (render.py): a field in the source language keeps its figures the same way.
        text = renderer.field_text(source, language, translations, name)
        return None if text is None else _NOT_XML.sub("", text)

    return Listing(slug, language, shown("title") or slug, shown("summary") or shown("subtitle"),
                   date if isinstance(date, dt.date) else None,
                   formatter.date(date) if isinstance(date, dt.date) else None,
                   moment, None, organization, dated)


def _as_record(listing: Listing) -> list:
    return [listing.title, listing.summary, listing.date.isoformat() if listing.date else None, listing.date_text,
            listing.moment.isoformat(), listing.organization]


def _remembered_listing(known: object, digest: object, slug: str, language: str) -> Listing | None:
    """The listing remembered for a page of this very digest; None if there is none or it is damaged."""
    if not isinstance(known, dict) or known.get("digest") != digest or not isinstance(digest, str):
        return None
    try:
        title, summary, date, date_text, moment, organization = known["listing"]
        if not all(isinstance(x, str) or x is None for x in (summary, date, date_text)) or not all(
                isinstance(x, str) for x in (title, moment, organization)):
            return None
        return Listing(slug, language, title, summary, dt.date.fromisoformat(date) if date else None, date_text,
                       dt.datetime.fromisoformat(moment), None, organization)
    except (KeyError, TypeError, ValueError):
        return None


def _organization(listings: dict[str, list[Listing]]) -> str:
    """The organization of the newest release: the newsroom's name."""
    newest = max((entries[0] for entries in listings.values() if entries), key=lambda e: e.moment, default=None)
    return newest.organization if newest else ""


def _render(renderer, language: str, template: str, context: dict) -> bytes:
    ui = Translations.load(renderer.project, language, TEMPLATES_DOMAIN)
    return renderer.render_template(template, context, ui, language).encode()


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
            "script": writing_script(locale),
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
    # A feed reader lists feeds by title: say whose releases these are, in the feed's language.
    heading = Translations.load(project, language, TEMPLATES_DOMAIN).get(None, "Press releases") or "Press releases"
    organization = (entries[0].organization if entries else "") or \
        (project.organization.name if project.organization else "")
    sub(feed, "title", f"{heading} · {organization}" if organization else f"{heading} ({language_name(language)})")
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

