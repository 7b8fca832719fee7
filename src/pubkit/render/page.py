"""One page being rendered: a release in a language for a medium, with its own layout and fallbacks.

The long-lived :class:`~pubkit.render.render.Renderer` (templates, formatters, resource policy) makes
one ``PageRender`` per page, so nothing of one page is left behind in the renderer for the next.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup

from .. import __version__
from ..catalog.translations import Fallback, Translations
from ..errors import PubkitError, RenderError
from ..locales import bcp47, writing_script
from ..source.sources import Source
from .body import write_body
from .formatting import paper_size, text_direction
from .layout import TextLayout, fill
from .templates import template_error

if TYPE_CHECKING:  # pragma: no cover
    from .render import Renderer

RELEASE_TEMPLATE = "release.html"
# CLDR numbering systems → CSS counter styles, so page numbers use the locale's digits.
_COUNTER_STYLES = {"arab": "arabic-indic", "arabext": "persian", "deva": "devanagari", "beng": "bengali",
                   "thai": "thai", "mymr": "myanmar", "khmr": "khmer", "laoo": "lao", "tibt": "tibetan"}


@dataclass
class RenderedPage:
    """One release in one language for one medium (``screen`` or ``print``)."""

    html: str
    fallbacks: list[tuple[str | None, str]] = field(default_factory=list)
    #: Local images: (path in the page, real file), to be copied beside a screen page.
    images: list[tuple[str, Path]] = field(default_factory=list)


class PageRender:
    """The page of ``source`` in ``language``: which text falls back, how it is laid out, what it shows."""

    def __init__(self, renderer: Renderer, source: Source, language: str, translations: Translations,
                 ui: Translations, medium: str, preview: bool):
        self.renderer, self.project = renderer, renderer.project
        self.source, self.language, self.translations, self.ui = source, language, translations, ui
        self.medium, self.preview = medium, preview
        self.formatter = renderer.formatter(language)
        self.locale = self.formatter.locale
        self.values = renderer.values(source, language)
        self.out = RenderedPage(html="")
        self.page_dir = text_direction(self.locale)
        source_language = self.project.source_language
        # Bidi isolation, unbreakable values and Korean words: the page's, and the source language's for
        # text that falls back (laid out in its own direction).
        self.layout = TextLayout(language, self.page_dir, medium)
        self.source_layout = TextLayout(source_language, text_direction(renderer.formatter(source_language).locale),
                                        medium)

    def values_for(self, fell_back: bool) -> dict[str, str]:
        """Fallback text is source-language text: its figures are written the source language's way too."""
        return self.renderer.values(self.source, self.project.source_language if fell_back else self.language)

    def text_of(self, context: str | None, msgid: str) -> str:
        """A message's text on this page; a fallback is recorded. Locale typography is applied here, to
        every message's text, never to values or catalogs."""
        translated = self.translations.get(context, msgid)
        if translated is None:
            self.out.fallbacks.append((context, msgid))
            return self.renderer.typeset(self.project.source_language, msgid)
        return self.renderer.typeset(self.language, translated)

    def marks(self, fallback: Fallback | None) -> dict[str, str]:
        """The attributes of an element showing source text: the shared interface of fallback marking.

        Every build says what language and direction the text is in; a preview build also says why
        and where the entry is, for reviewers.
        """
        source_language = self.project.source_language
        attrs = {"lang": bcp47(source_language), "class": "untranslated"}
        source_dir = text_direction(self.renderer.formatter(source_language).locale)
        if source_dir != self.page_dir:
            attrs["dir"] = source_dir  # with dir set, the element is isolated: punctuation stays on its side
        if self.preview and fallback is not None:
            attrs["data-pubkit-state"] = fallback.state
            attrs["data-pubkit-where"] = fallback.where(self.project.root)
            attrs["data-pubkit-finding"] = fallback.finding
        return attrs

    def render(self, site: dict | None) -> RenderedPage:
        """The page's HTML; raises :class:`PubkitError` with a file and line."""
        fields, shown, fallback_fields = self._fields()
        body = write_body(self)
        organization = self.renderer.organization.context(self.source, self.language, self.text_of, self.values_for,
                                                          self.marks, _attributes, self.translations, self)
        if "contact" in shown:  # the free-text contact keeps its lines
            shown["contact"] = Markup(str(shown["contact"]).replace("\n", Markup("<br>\n")))
        self.renderer.install_gettext(self.ui, self.out, self.language)
        context = {**self._context(fields, shown, body, site), **organization}  # organization, boilerplate, contacts
        context["fallback_attrs"] = lambda name, css_class="": _attributes(fallback_fields.get(name, {}), css_class)
        try:
            self.out.html = self.renderer.env.get_template(RELEASE_TEMPLATE).render(context)
        except PubkitError:
            raise
        except (jinja2.TemplateError, Exception) as exc:  # a template's own mistake, shown at its line
            raise template_error(exc, self.project) from None
        return self.out

    def _fields(self) -> tuple[dict[str, str], dict[str, Markup], dict[str, dict[str, str]]]:
        """The text fields (title, summary…): plain for metadata, marked up for the body, and the marks
        of those shown in the source language."""
        fields: dict[str, str] = {}
        shown: dict[str, Markup] = {}
        fallback_fields: dict[str, dict[str, str]] = {}
        for name, text in _text_fields(self.source):
            before = len(self.out.fallbacks)
            typed = self.text_of(name, text)
            fell_back = len(self.out.fallbacks) > before
            field_values = self.values_for(fell_back)
            fields[name] = fill(typed, field_values)
            shown[name] = (self.source_layout if fell_back else self.layout).markup(typed, field_values)
            if fell_back:
                fallback_fields[name] = self.marks(self.translations.fallback(name, text))
        return fields, shown, fallback_fields

    def body_of(self, source: Source, text_of: Callable[[str | None, str], str], translations: Translations) -> Markup:
        """Another text shown in this page (the organization's boilerplate): its own source, catalog and
        lookups, with this page's values, layout and fallbacks."""
        other = copy.copy(self)
        other.source, other.translations, other.text_of = source, translations, text_of  # type: ignore[method-assign]
        other.values_for = self.values_for  # type: ignore[method-assign]
        return write_body(other)

    def ui_attrs(self, msgid: str, css_class: str = "", context: str | None = None) -> Markup:
        """The marks for an element showing a template string, when it is in the source language."""
        if self.ui.is_identity or self.ui.get(context, msgid) is not None:
            return _attributes({}, css_class)
        return _attributes(self.marks(self.ui.fallback(context, msgid)), css_class)

    def _dateline_date(self, day: dt.date) -> str:
        """The release's date in the language's calendar; a date that calendar cannot write names the source."""
        try:
            return self.formatter.date(day)
        except RenderError as exc:
            raise RenderError(f"cannot write the release's date {day.isoformat()} {exc.message}", self.source.path,
                              None) from None

    def _context(self, fields: dict[str, str], shown: dict[str, Markup], body: Markup, site: dict | None) -> dict:
        project, locale, source = self.project, self.locale, self.source
        settings = project.settings(self.language)
        release_date = source.fields.get("date")
        return {
            "lang": bcp47(self.language),
            "dir": text_direction(locale),
            "script": writing_script(locale),
            "title": fields.get("title", ""),
            "subtitle": fields.get("subtitle"),
            "summary": fields.get("summary"),
            "contact": fields.get("contact"),
            "place": fields.get("place"),
            "date": self._dateline_date(release_date) if release_date else None,
            "date_iso": release_date.isoformat() if release_date else None,
            "description": fields.get("summary") or fields.get("subtitle"),
            "body": body,
            "images": [relative for relative, _ in self.out.images],  # the first is the page's og:image
            "shown": shown,  # the text fields marked up for the page's body (plain text above is for metadata)
            "medium": self.medium,
            "preview": self.preview,
            "untranslated": bool(self.out.fallbacks),
            "ui_attrs": self.ui_attrs,
            "paper_size": settings.paper_size if settings.paper_size != "auto" else paper_size(locale),
            "counter_style": _COUNTER_STYLES.get(self.formatter.numbering_system, "decimal"),
            "font_family": settings.font_family,
            "crop_marks": project.crop_marks,
            "bleed": project.bleed,
            "source_language": bcp47(project.source_language),
            "pubkit_version": __version__,
            "site": site,  # links to translations, PDF and chooser, and the embargo line (publish/links.py)
        }


def _attributes(attrs: dict[str, str], css_class: str = "") -> Markup:
    """``attrs`` (with ``css_class`` joined to its class) as escaped HTML attributes."""
    attrs = dict(attrs)
    classes = " ".join(filter(None, (css_class, attrs.pop("class", ""))))
    if classes:
        attrs = {"class": classes, **attrs}
    return Markup("").join(Markup(' {}="{}"').format(name, value) for name, value in attrs.items())


def _text_fields(source: Source) -> Iterator[tuple[str, str]]:
    for message in source.messages:
        if message.context in source.fields and source.fields.get(message.context) == message.msgid:
            yield message.context, message.msgid


