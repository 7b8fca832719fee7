"""Where every file of the site lives: the one place that knows the layout of ``output_dir``.

``<lang>/<slug>/index.html`` and ``<lang>/<slug>/<slug>-<lang>.pdf`` per release and language,
``<lang>/index.html`` and ``<lang>/feed.xml`` per language, ``index.html``, ``sitemap.xml`` and
``robots.txt`` at the root (docs/site.md). ``<lang>`` is the lowercase BCP 47 tag (``zh-cn``) unless
``pubkit.toml`` gives the language a ``folder`` of its own. Build, bundle, site and tests all ask here.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Project
from ..locales import default_folder

SITE_INDEX = "index.html"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
FEED = "feed.xml"
#: Why a site without ``base_url`` has no feeds and no sitemap (a build warning at pubkit.toml).
NO_BASE_URL = ("no base_url in the configuration: the site links relatively, and the Atom feeds and "
               "sitemap.xml, which need absolute addresses, are not written")


def language_folder(project: Project, language: str) -> str:
    """The folder of ``language`` in the site: its own ``folder`` setting, else ``zh-cn``."""
    return project.settings(language).folder or default_folder(language)


def page_relative(project: Project, slug: str, language: str) -> str:
    """``de/launch/index.html``: the page of a release, relative to the site's root."""
    return f"{language_folder(project, language)}/{slug}/index.html"


def pdf_relative(project: Project, slug: str, language: str) -> str:
    """``de/launch/launch-de.pdf``: the PDF of a release, relative to the site's root."""
    folder = language_folder(project, language)
    return f"{folder}/{slug}/{slug}-{folder}.pdf"


def mail_relative(project: Project, slug: str, language: str) -> str:
    """``de/launch/launch-de.eml``: the e-mail edition of a release (``build --format email``)."""
    folder = language_folder(project, language)
    return f"{folder}/{slug}/{slug}-{folder}.eml"


def page_dir(project: Project, slug: str, language: str) -> Path:
    """The folder holding a release's page, its PDF, stylesheets and images in one language."""
    return project.output_dir / language_folder(project, language) / slug


def page_path(project: Project, slug: str, language: str) -> Path:
    return project.output_dir / page_relative(project, slug, language)


def pdf_path(project: Project, slug: str, language: str) -> Path:
    return project.output_dir / pdf_relative(project, slug, language)


def mail_path(project: Project, slug: str, language: str) -> Path:
    return project.output_dir / mail_relative(project, slug, language)


def index_relative(project: Project, language: str, number: int = 1) -> str:
    """``de/index.html`` for the newest releases, ``de/index-2.html`` and on for older ones."""
    folder = language_folder(project, language)
    return f"{folder}/index.html" if number == 1 else f"{folder}/index-{number}.html"


def feed_relative(project: Project, language: str) -> str:
    return f"{language_folder(project, language)}/{FEED}"


def absolute_url(project: Project, relative: str) -> str | None:
    """The public address of a file of the site, or None without ``base_url``.

    A folder's ``index.html`` is addressed as the folder itself (``…/de/launch/``), as servers do.
    """
    if not project.base_url:
        return None
    if relative == SITE_INDEX:
        return project.base_url
    if relative.endswith("/" + SITE_INDEX):
        relative = relative[: -len(SITE_INDEX)]
    return project.base_url + relative


def link(from_relative: str, relative: str) -> str:
    """How the file at ``from_relative`` links to ``relative`` for a reader: always relative, so the site
    works wherever it is copied, opened from disk (file://) included, hence the explicit ``index.html``.
    """
    return posixpath.relpath(relative, posixpath.dirname(from_relative) or ".")


def public_url(project: Project, relative: str, from_relative: str) -> str:
    """The address search engines and feed readers get (canonical, hreflang, og:url): absolute with
    ``base_url``, else relative."""
    return absolute_url(project, relative) or link(from_relative, relative)


@dataclass(frozen=True)
class Publication:
    """What this build publishes: each release's languages (source language first), and embargoes shown."""

    languages: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Releases still under embargo that this build renders anyway, for review (--include-embargoed).
    embargoed: dict[str, dt.datetime] = field(default_factory=dict)
    #: ``logo``/``favicon`` → their path in the site (site.brand_assets).
    brand: dict[str, str] = field(default_factory=dict)
