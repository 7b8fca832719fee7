"""(release, language) → HTML: translated blocks rendered from inline Markdown, values filled, all escaped."""

from __future__ import annotations

import copy
import hashlib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import jinja2
from babel import Locale
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape

from . import __version__
from .catalogs import Translations
from .config import Project
from .errors import PubkitError, RenderError, TemplateError
from .formatting import Formatter, paper_size, text_direction
from .resources import policy_for
from .sources import PLACEHOLDER_RE, Source
from .templates import BUILTIN_DIR, TEMPLATE_SUFFIXES, environment, template_error, template_files
from .head import news_article
from .typography import typesetter

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


@cache
def inline_parser() -> MarkdownIt:
    """Inline Markdown of a message. Raw HTML is off: ``<script>`` typed by a translator stays text."""
    return MarkdownIt("commonmark", {"html": False}).disable("text_join")


class Renderer:
    """Renders releases of one project. Compiles each template once; keep one per process."""

    def __init__(self, project: Project):
        self.project = project
        self.env = environment(project)
        self.env.filters.update(css_string=css_string, page_counter=page_counter, css_font_family=css_font_family,
                                news_article=news_article)
        self.policy = policy_for(project.root, BUILTIN_DIR, allow_network=project.allow_network)
        self._formatters: dict[str, Formatter] = {}
        self._compile_all()

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
        if language not in self._formatters:
            self._formatters[language] = Formatter(Locale.parse(language), self.project.settings(language).calendar)
        return self._formatters[language]

    def render(
        self,
        source: Source,
        language: str,
        translations: Translations,
        ui: Translations,
        medium: str = "screen",
        preview: bool = False,
        site: dict | None = None,
    ) -> RenderedPage:
        """The page of ``source`` in ``language``; raises :class:`PubkitError` with a file and line."""
        formatter = self.formatter(language)
        locale = formatter.locale
        try:
            values = {name: formatter.format(value) for name, value in source.values.items()}
        except RenderError as exc:
            raise RenderError(exc.message, source.path, exc.line) from None
        page = RenderedPage(html="")

        def text_of(context: str | None, msgid: str) -> str:
            # Locale typography is applied here, to every message's text, never to values or catalogs.
            translated = translations.get(context, msgid)
            if translated is None:
                page.fallbacks.append((context, msgid))
                return self.typeset(self.project.source_language, msgid)
            return self.typeset(language, translated)

        fields = {name: fill(text_of(name, text), values) for name, text in _text_fields(source)}
        body = self._body(source, text_of, values, medium, page, None if translations.is_identity else translations.path)
        fallback_fields = {ctx for ctx, _ in page.fallbacks}
        settings = self.project.settings(language)
        release_date = source.fields.get("date")
        lang = language.replace("_", "-")

        def fallback_attrs(name: str, css_class: str = "") -> Markup:
            """``class`` (and ``lang`` where the field shows the source text) for a field's element."""
            if name in fallback_fields:
                classes = f"{css_class} untranslated".strip()
                return Markup(' class="{}" lang="{}"').format(classes, self.project.source_language.replace("_", "-"))
            return Markup(' class="{}"').format(css_class) if css_class else Markup("")

        self._install_gettext(ui)
        context = {
            "lang": lang,
            "dir": text_direction(locale),
            "title": fields.get("title", ""),
            "subtitle": fields.get("subtitle"),
            "summary": fields.get("summary"),
            "contact": fields.get("contact"),
            "place": fields.get("place"),
            "date": formatter.date(release_date) if release_date else None,
            "date_iso": release_date.isoformat() if release_date else None,
            "organization": source.fields.get("organization", ""),
            "description": fields.get("summary") or fields.get("subtitle"),
            "body": body,
            "medium": medium,
            "preview": preview,
            "untranslated": bool(page.fallbacks),
            "fallback_attrs": fallback_attrs,
            "paper_size": settings.paper_size if settings.paper_size != "auto" else paper_size(locale),
            "counter_style": _COUNTER_STYLES.get(locale.default_numbering_system, "decimal"),
            "font_family": settings.font_family,
            "crop_marks": self.project.crop_marks,
            "bleed": self.project.bleed,
            "source_language": self.project.source_language.replace("_", "-"),
            "pubkit_version": __version__,
            "site": site,  # links to translations, PDF and chooser, and the embargo line (head.py)
        }
        try:
            page.html = self.env.get_template(RELEASE_TEMPLATE).render(context)
        except PubkitError:
            raise
        except (jinja2.TemplateError, Exception) as exc:  # a template's own mistake, shown at its line
            raise template_error(exc, self.project) from None
        return page

    def typeset(self, language: str, text: str) -> str:
        """``text`` with the typography of ``language`` unless the project switched it off there."""
        return typesetter(language)(text) if self.project.settings(language).typography else text

    def _install_gettext(self, ui: Translations) -> None:
        # Jinja marks what gettext returns as safe; escaping here keeps catalog text as text.
        def gettext(message: str) -> Markup:
            return escape(ui.get(None, message) or message)

        def pgettext(context: str, message: str) -> Markup:
            return escape(ui.get(context, message) or message)

        def ngettext(singular: str, plural: str, n: int) -> Markup:
            return escape(singular if n == 1 else plural)

        def npgettext(context: str, singular: str, plural: str, n: int) -> Markup:
            return escape(singular if n == 1 else plural)

        self.env.install_gettext_callables(gettext, ngettext, newstyle=True, pgettext=pgettext, npgettext=npgettext)

    def _body(self, source: Source, text_of, values: dict[str, str], medium: str, page: RenderedPage,
              translations_path: Path | None) -> Markup:
        blocks = {id(block.node.token): block for block in source.blocks}
        tokens: list[Token] = []
        for token in source.tokens:
            if token.type == "html_block":
                continue  # directives and raw HTML are not published
            if token.type != "inline":
                tokens.append(token)
                continue
            block = blocks.get(id(token))
            message = block.message if block else None
            referrer = source.path
            if message is None:
                text = block.node.content if block else token.content
            else:
                before = len(page.fallbacks)
                text = text_of(message.context, message.msgid)
                if len(page.fallbacks) == before and translations_path is not None:
                    referrer = translations_path  # a reference in translated text is the catalog's doing
                if len(page.fallbacks) > before and tokens:
                    # Fallback text is in the source language: say so, for hyphenation, fonts and readers.
                    opener = copy.copy(tokens[-1])
                    opener.attrs = {**opener.attrs, "lang": self.project.source_language.replace("_", "-"),
                                    "class": "untranslated"}
                    tokens[-1] = opener
            tokens.append(self._inline(token, text, bool(block and block.alt_text), values, referrer, source, medium,
                                       page))
        parser = inline_parser()
        return Markup(parser.renderer.render(tokens, parser.options, {}))

    def _inline(self, original: Token, text: str, alt_text: bool, values, referrer: Path, source: Source,
                medium: str, page: RenderedPage) -> Token:
        inline = copy.copy(original)
        if alt_text:
            image = copy.copy(next(c for c in original.children or [] if c.type == "image"))
            image.content = text
            image.children = inline_parser().parseInline(text)[0].children or []
            children = [image]
        else:
            children = inline_parser().parseInline(text)[0].children or []
        inline.children = [self._finish(child, values, referrer, source, medium, page) for child in children]
        inline.content = text
        return inline

    def _finish(self, token: Token, values, referrer: Path, source: Source, medium: str, page: RenderedPage) -> Token:
        if token.type == "text_special":
            # An escaped character (\{): literal text, never a placeholder (the job of text_join, kept off).
            token = copy.copy(token)
            token.type = "text"
            return token
        if token.type == "text" and "{" in token.content:
            token = copy.copy(token)
            token.content = fill(token.content, values)
        if token.type == "image":
            token = copy.copy(token)
            src = self._image(str(token.attrs.get("src", "")), referrer, source, medium, page)
            token.attrs = {**token.attrs, "src": src}
            copied = dict(page.images).get(src)
            if copied is not None:  # a web page: width and height keep the layout still while it loads
                from .images import size_attributes

                token.attrs.update(size_attributes(copied))
        if token.children:
            token.children = [self._finish(child, values, referrer, source, medium, page) for child in token.children]
        return token

    def _image(self, src: str, referrer: Path, source: Source, medium: str, page: RenderedPage) -> str:
        real = self.policy.local_file(src, source.path.parent, referrer)
        if real is None:  # data: URL, or the network where the project allows it
            return src
        if medium == "print":
            return real.as_uri()
        digest = hashlib.sha256(str(real).encode()).hexdigest()[:8]
        relative = f"images/{digest}-{real.name}"
        page.images.append((relative, real))
        return relative


def _text_fields(source: Source):
    for message in source.messages:
        if message.context in source.fields and source.fields.get(message.context) == message.msgid:
            yield message.context, message.msgid


def fill(text: str, values: dict[str, str]) -> str:
    """Replace ``{name}`` by its formatted value; an unknown name stays as written.

    A value ending in a full stop ("10 марта 2025 г.") that ends a sentence gives one stop, not two.
    """

    def value(match: re.Match[str]) -> str:
        text_value = values.get(match.group(1), match.group(0))
        if text_value.endswith(".") and text.startswith(".", match.end()) and not text.startswith("..", match.end()):
            return text_value[:-1]
        return text_value

    return PLACEHOLDER_RE.sub(value, text)


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
