"""(release, language) → HTML: the long-lived renderer of a project (templates compiled once, formatters,
the resource policy); each page is rendered by its own ``PageRender`` (page.py), its body by body.py."""

from __future__ import annotations

import re
from dataclasses import replace

import jinja2
from babel import Locale
from markupsafe import Markup, escape

from ..catalog.translations import Translations
from ..config import Project
from ..errors import RenderError, TemplateError
from ..locales import base_locale
from ..source.sources import Source
from ..source.values import VALUE_TYPES, Value
from .contacts import OrganizationParts
from .formatting import Formatter
from .head import news_article
from .layout import fill
from .page import PageRender, RenderedPage
from .resources import policy_for
from .templates import BUILTIN_DIR, TEMPLATE_SUFFIXES, environment, template_error, template_files
from .typography import typesetter

__all__ = ["Renderer", "RenderedPage", "css_font_family", "css_string", "fill", "language_values", "page_counter"]


class Renderer:
    """Renders releases of one project. Compiles each template once; keep one per process."""

    def __init__(self, project: Project):
        self.project = project
        self.env = environment(project)
        self.env.filters.update(css_string=css_string, page_counter=page_counter, css_font_family=css_font_family,
                                value=lambda text: self._page.layout.value(str(text)), news_article=news_article)
        self.policy = policy_for(project.root, BUILTIN_DIR, allow_network=project.allow_network)
        self._formatters: dict[str, Formatter] = {}
        self._page: PageRender | None = None  # the page being rendered: the ``value`` filter lays out for it
        self._values_of: Source | None = None  # the release whose values are in _values, by language
        self._values: dict[str, dict[str, str]] = {}
        self._compile_all()
        self.organization = OrganizationParts(self)

    def _compile_all(self) -> None:
        """Compile every template once, up front, so a mistake is reported against its own file."""
        for name, path in template_files(self.project).items():
            if path.suffix not in TEMPLATE_SUFFIXES:
                continue
            try:
                self.env.get_template(name)
            except RecursionError:
                raise TemplateError("template is nested too deeply to compile", path, 1) from None
            except jinja2.TemplateError as exc:
                raise template_error(exc, self.project) from None

    def formatter(self, language: str) -> Formatter:
        language = base_locale(language)  # a pseudo-locale (en_XA) formats values like its real one (en)
        if language not in self._formatters:
            settings = self.project.settings(language)
            self._formatters[language] = Formatter(Locale.parse(language), settings.calendar, settings.digits,
                                                   settings.gregorian_beside)
        return self._formatters[language]

    def render(self, source: Source, language: str, translations: Translations, ui: Translations,
               medium: str = "screen", preview: bool = False, site: dict | None = None) -> RenderedPage:
        """The page of ``source`` in ``language``; raises :class:`PubkitError` with a file and line."""
        self._page = PageRender(self, source, language, translations, ui, medium, preview)
        return self._page.render(site)

    def values(self, source: Source, language: str) -> dict[str, str]:
        """The release's values written the way of ``language``, each formatted once per release and locale.

        Text shown in the source language (a fallback) takes the source language's values, on a page
        and on the language index alike: its figures are written the source language's way too.
        """
        if self._values_of is not source:
            self._values_of, self._values = source, {}
        if language not in self._values:
            formatter = self.formatter(language)
            try:
                self._values[language] = {name: formatter.format(value) for name, value
                                          in language_values(self.project, language, source.values).items()}
            except RenderError as exc:
                raise RenderError(exc.message, exc.path or source.path, exc.line) from None
        return self._values[language]

    def field_text(self, source: Source, language: str, translations: Translations, name: str) -> str | None:
        """A text field of the release (``title``, ``summary``…) as plain text in ``language``, typeset and
        filled: the translation, or the source text with the source language's values when it falls back."""
        msgid = source.fields.get(name)
        if not isinstance(msgid, str):
            return None
        translated = translations.get(name, msgid)
        if translated:
            return fill(self.typeset(language, translated), self.values(source, language))
        source_language = self.project.source_language
        return fill(self.typeset(source_language, msgid), self.values(source, source_language))

    def typeset(self, language: str, text: str) -> str:
        """``text`` with the typography of ``language`` unless the project switched it off there."""
        return typesetter(base_locale(language))(text) if self.project.settings(language).typography else text

    def render_template(self, name: str, context: dict, ui: Translations, language: str | None = None) -> str:
        """A template of the site around the pages (an index, the chooser), its strings translated by ``ui``."""
        self.install_gettext(ui, language=language)
        return self.env.get_template(name).render(context)

    def install_gettext(self, ui: Translations, page: RenderedPage | None = None, language: str | None = None) -> None:
        # Jinja marks what gettext returns as safe; escaping here keeps catalog text as text. Template
        # strings get the typography of their language, like body text ("PDF’yi", « … »).
        def lookup(context: str | None, message: str) -> str:
            translated = ui.get(context, message)
            if translated is None:
                if page is not None and (context, message) not in page.fallbacks:
                    page.fallbacks.append((context, message))  # reported like body text
                return self.typeset(self.project.source_language, message) if language else message
            return self.typeset(language, translated) if language else translated

        def gettext(message: str) -> Markup:
            return escape(lookup(None, message))

        def pgettext(context: str, message: str) -> Markup:
            return escape(lookup(context, message))

        def ngettext(singular: str, plural: str, n: int) -> Markup:
            return escape(singular if n == 1 else plural)

        def npgettext(context: str, singular: str, plural: str, n: int) -> Markup:
            return escape(singular if n == 1 else plural)

        self.env.install_gettext_callables(gettext, ngettext, newstyle=True, pgettext=pgettext, npgettext=npgettext)


def language_values(project: Project, language: str, values: dict[str, Value]) -> dict[str, Value]:
    """``values`` with the options ``[language.<lang>.values]`` sets for ``language`` (display, notation)."""
    settings = project.settings(language)
    if not settings.values:
        return values
    chosen = {}
    for name, value in values.items():
        options = settings.value_options(name, value.kind)
        for option, setting in options.items():
            if setting not in (VALUE_TYPES[value.kind].get(option) or ()):
                lines = project.config_path.read_text(encoding="utf-8").splitlines()
                line = next((n for n, text in enumerate(lines, 1) if f"language.{language}" in text), 1)
                raise RenderError(f"[language.{language}.values]: '{option} = \"{setting}\"' does not apply to the "
                                  f"{value.kind} value '{name}'", project.config_path, line)
        chosen[name] = replace(value, options={**value.options, **options}) if options else value
    return chosen


def css_string(text: object) -> Markup:
    """A CSS string literal safe inside ``<style>``: quotes, backslashes, ``<`` and newlines escaped."""
    escaped = "".join(ch if ch.isalnum() or ch in " .,:;!?()-–—/'·،؛" or ord(ch) > 0x7F and ch not in "\u2028\u2029"
                      else f"\\{ord(ch):x} " for ch in str(text or ""))
    return Markup(f'"{escaped}"')


def page_counter(pattern: object, style: str = "decimal") -> Markup:
    """A translated ``Page {page} of {pages}`` as a CSS ``content`` value with page counters."""
    parts: list[str] = []
    for piece in re.split(r"(\{pages?\})", str(pattern)):
        if piece == "{page}":
            parts.append(f"counter(page, {style})")
        elif piece == "{pages}":
            parts.append(f"counter(pages, {style})")
        elif piece:
            parts.append(str(css_string(piece)))
    return Markup(" ".join(parts) or '""')


def css_font_family(value: object) -> Markup:
    """A comma-separated list of font names as quoted CSS family names."""
    names = [name.strip().strip("\"'") for name in str(value).split(",") if name.strip()]
    return Markup(", ".join(str(css_string(name)) for name in names) + ", sans-serif")
