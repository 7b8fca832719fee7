"""(release, language) → HTML: translated blocks rendered from inline Markdown, values filled, all escaped."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2
from babel import Locale
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape

from .. import __version__
from ..locales import base_locale
from ..catalog.translations import Translations
from ..config import Project
from ..errors import PubkitError, RenderError, TemplateError
from .formatting import Formatter, paper_size, text_direction
from .layout import TextLayout, value_at
from .resources import image_digest, policy_for
from ..source.sources import MAX_EMPHASIS_MARKS, MAX_NESTING, PLACEHOLDER_RE, Source, too_deep
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
                                value=lambda text: self._layout.value(str(text)), news_article=news_article)
        self.policy = policy_for(project.root, BUILTIN_DIR, allow_network=project.allow_network)
        self._formatters: dict[str, Formatter] = {}
        self._values_of: Source | None = None  # the release whose values are in _values, by language
        self._values: dict[str, dict[str, str]] = {}
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
        language = base_locale(language)  # a pseudo-locale (en_XA) formats values like its real one (en)
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
        values = self.values(source, language)
        page = RenderedPage(html="")
        page_dir = text_direction(locale)

        def values_for(fell_back: bool) -> dict[str, str]:
            return self.values(source, self.project.source_language if fell_back else language)
        # Bidi isolation, unbreakable values and Korean words for this page (one render at a time).
        self._layout = TextLayout(language, page_dir, medium)
        self._source_layout = TextLayout(self.project.source_language,
                                         text_direction(self.formatter(self.project.source_language).locale), medium)

        def text_of(context: str | None, msgid: str) -> str:
            # Locale typography is applied here, to every message's text, never to values or catalogs.
            translated = translations.get(context, msgid)
            if translated is None:
                page.fallbacks.append((context, msgid))
                return self.typeset(self.project.source_language, msgid)
            return self.typeset(language, translated)

        fields: dict[str, str] = {}
        shown: dict[str, Markup] = {}  # the text fields marked up for the page's body (fields: for metadata)
        fallback_fields: dict[str, dict[str, str]] = {}
        for name, text in _text_fields(source):
            before = len(page.fallbacks)
            typed = text_of(name, text)
            fell_back = len(page.fallbacks) > before
            field_values = values_for(fell_back)
            fields[name] = fill(typed, field_values)
            shown[name] = (self._source_layout if fell_back else self._layout).markup(typed, field_values)
            if fell_back:
                fallback_fields[name] = self._fallback_attrs(translations.fallback(name, text), page_dir, preview)

        def marks(fallback) -> dict[str, str]:
            return self._fallback_attrs(fallback, page_dir, preview)

        body = self._body(source, text_of, values_for, marks, translations, medium, page)
        settings = self.project.settings(language)
        release_date = source.fields.get("date")
        lang = language.replace("_", "-")

        def fallback_attrs(name: str, css_class: str = "") -> Markup:
            """``class`` (and ``lang``, ``dir`` where the field shows the source text) for a field's element."""
            return _attributes(fallback_fields.get(name, {}), css_class)

        def ui_attrs(msgid: str, css_class: str = "", context: str | None = None) -> Markup:
            """The same marks for an element showing a template string, when it is in the source language."""
            if ui.is_identity or ui.get(context, msgid) is not None:
                return _attributes({}, css_class)
            return _attributes(marks(ui.fallback(context, msgid)), css_class)

        self._install_gettext(ui, page)
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
            "shown": shown,  # the text fields marked up for the page's body (plain text above is for metadata)
            "medium": medium,
            "preview": preview,
            "untranslated": bool(page.fallbacks),
            "fallback_attrs": fallback_attrs,
            "ui_attrs": ui_attrs,
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
                self._values[language] = {name: formatter.format(value) for name, value in source.values.items()}
            except RenderError as exc:
                raise RenderError(exc.message, source.path, exc.line) from None
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

    def _install_gettext(self, ui: Translations, page: RenderedPage | None = None) -> None:
        # Jinja marks what gettext returns as safe; escaping here keeps catalog text as text.
        def lookup(context: str | None, message: str) -> str:
            translated = ui.get(context, message)
            if translated is None:
                if page is not None and (context, message) not in page.fallbacks:
                    page.fallbacks.append((context, message))  # reported like body text
                return message
            return translated

        def gettext(message: str) -> Markup:
            return escape(lookup(None, message))

        def pgettext(context: str, message: str) -> Markup:
            return escape(lookup(context, message))

        def ngettext(singular: str, plural: str, n: int) -> Markup:
            return escape(singular if n == 1 else plural)

        def npgettext(context: str, singular: str, plural: str, n: int) -> Markup:
            return escape(singular if n == 1 else plural)

        self.env.install_gettext_callables(gettext, ngettext, newstyle=True, pgettext=pgettext, npgettext=npgettext)

    def _fallback_attrs(self, fallback, page_dir: str, preview: bool) -> dict[str, str]:
        """The attributes of an element showing source text: the shared interface of fallback marking.

        Every build says what language and direction the text is in; a preview build also says why
        and where the entry is, for reviewers.
        """
        source_language = self.project.source_language
        attrs = {"lang": source_language.replace("_", "-"), "class": "untranslated"}
        source_dir = text_direction(self.formatter(source_language).locale)
        if source_dir != page_dir:
            attrs["dir"] = source_dir  # with dir set, the element is isolated: punctuation stays on its side
        if preview and fallback is not None:
            attrs["data-pubkit-state"] = fallback.state
            attrs["data-pubkit-where"] = fallback.where(self.project.root)
            attrs["data-pubkit-finding"] = fallback.finding
        return attrs

    def _body(self, source: Source, text_of, values_for, marks, translations: Translations, medium: str,
              page: RenderedPage) -> Markup:
        translations_path = None if translations.is_identity else translations.path
        blocks = {id(block.node.token): block for block in source.blocks}
        tokens: list[Token] = []
        closing_figure = False  # the paragraph_close after a captioned image closes its <figure>
        for token in source.tokens:
            if token.type == "html_block":
                continue  # directives and raw HTML are not published
            if token.type != "inline":
                if closing_figure and token.type == "paragraph_close":
                    token = _as_figure(token, "figure_close")
                    closing_figure = False
                tokens.append(token)
                continue
            block = blocks.get(id(token))
            message = block.message if block else None
            referrer = source.path
            values = values_for(False)
            in_source = False  # a fallback to the source language (a block with no message keeps the page's layout)
            figure = bool(block and block.caption is not None and tokens and tokens[-1].type == "paragraph_open")
            image_marks: dict[str, str] = {}  # a figure's alt text in the source language: marked on the <img>
            if message is None:
                text = block.node.content if block else token.content
            else:
                before = len(page.fallbacks)
                text = text_of(message.context, message.msgid)
                fell_back = len(page.fallbacks) > before
                if not fell_back and translations_path is not None:
                    referrer = translations_path  # a reference in translated text is the catalog's doing
                if fell_back and figure:
                    image_marks = marks(translations.fallback(message.context, message.msgid))
                elif fell_back and tokens:
                    # Fallback text is in the source language: say so, for hyphenation, fonts and readers.
                    # A tight list hides its paragraphs: the list item carries the marks then.
                    at = len(tokens) - 1
                    while at > 0 and tokens[at].hidden:
                        at -= 1
                    opener = copy.copy(tokens[at])
                    added = marks(translations.fallback(message.context, message.msgid))
                    classes = " ".join(filter(None, (str(opener.attrs.get("class", "")), added.pop("class"))))
                    opener.attrs = {**opener.attrs, **added, "class": classes}
                    tokens[at] = opener
                values = values_for(fell_back)
                in_source = fell_back
            line = (message.line if message else block.node.map[0] + 1 if block and block.node.map else None)
            page_layout, self._layout = self._layout, self._source_layout if in_source else self._layout
            try:  # source-language text is laid out in its own direction (no Latin runs to isolate in English)
                tokens.append(self._inline(token, text, bool(block and block.alt_text), values, referrer, source,
                                           medium, page, line if referrer == source.path else None))
            finally:
                self._layout = page_layout
            if figure:
                tokens[-2] = _as_figure(tokens[-2], "figure_open")
                image = tokens[-1].children[0]
                attrs = {key: value for key, value in image.attrs.items() if key != "title"}  # the caption says it
                image.attrs = {**attrs, **image_marks}
                tokens.extend(self._caption(block, text_of, values_for, marks, translations, page))
                closing_figure = True
        parser = inline_parser()
        return Markup(parser.renderer.render(tokens, parser.options, {}))

    def _caption(self, block, text_of, values_for, marks, translations: Translations,
                 page: RenderedPage) -> list[Token]:
        """``<figcaption>`` of a captioned image: its translated caption as text, or the source's, marked."""
        message = block.caption_message
        opener = Token("figcaption_open", "figcaption", 1)
        opener.block = True
        fell_back = False
        if message is None:  # skipped, or no words to translate: published as written
            text = block.caption
        else:
            before = len(page.fallbacks)
            text = text_of(message.context, message.msgid)
            fell_back = len(page.fallbacks) > before
            if fell_back:
                opener.attrs = marks(translations.fallback(message.context, message.msgid))
        page_layout, self._layout = self._layout, self._source_layout if fell_back else self._layout
        try:  # plain text: markup a translator types is shown as text; values are filled in and isolated
            values = values_for(fell_back)
            if self._layout.needed(text):
                child = Token("html_inline", "", 0, content=str(self._layout.markup(text, values)))
            else:
                child = Token("text", "", 0, content=text)
        finally:
            self._layout = page_layout
        inline = Token("inline", "", 0, content=text, children=[child])
        closer = Token("figcaption_close", "figcaption", -1)
        closer.block = True
        return [opener, inline, closer]

    def _inline(self, original: Token, text: str, alt_text: bool, values, referrer: Path, source: Source,
                medium: str, page: RenderedPage, line: int | None = None) -> Token:
        inline = copy.copy(original)
        if alt_text:
            image = copy.copy(next(c for c in original.children or [] if c.type == "image"))
            image.content = text
            image.children = inline_parser().parseInline(text)[0].children or []
            children = [image]
        else:
            if text.count("*") + text.count("_") > MAX_EMPHASIS_MARKS:  # markdown-it: a token, ~500 bytes, each
                raise RenderError(f"a message has more than {MAX_EMPHASIS_MARKS:,} emphasis marks (* and _)", referrer)
            parsed = inline_parser().parseInline(text)
            if too_deep(parsed) is not None:  # WeasyPrint would recurse once per level of <em><strong>…
                raise RenderError(f"a message is nested more than {MAX_NESTING} levels deep (emphasis)", referrer)
            children = parsed[0].children or []
        inline.children = [self._finish(child, values, referrer, source, medium, page, line) for child in children]
        inline.content = text
        return inline

    def _finish(self, token: Token, values, referrer: Path, source: Source, medium: str, page: RenderedPage,
                line: int | None = None, alt: bool = False) -> Token:
        if token.type == "text_special":
            # An escaped character (\{): literal text, never a placeholder (the job of text_join, kept off).
            token = copy.copy(token)
            token.type = "text"
            return token
        if token.type == "text" and self._layout.needed(token.content) and not alt:
            token = copy.copy(token)  # escaped and marked up here, so the renderer emits it as it is
            token.type, token.content = "html_inline", str(self._layout.markup(token.content, values))
        elif token.type == "text" and "{" in token.content:  # an image's alt text stays plain text
            token = copy.copy(token)
            token.content = fill(token.content, values)
        if token.type == "image":
            token = copy.copy(token)
            src = self._image(str(token.attrs.get("src", "")), referrer, source, medium, page, line)
            token.attrs = {**token.attrs, "src": src}
            copied = dict(page.images).get(src)
            if copied is not None:  # a web page: width and height keep the layout still while it loads
                from .images import size_attributes

                token.attrs.update(size_attributes(copied))
        if token.children:
            token.children = [self._finish(child, values, referrer, source, medium, page, line,
                                           alt or token.type == "image")
                              for child in token.children]
        return token

    def _image(self, src: str, referrer: Path, source: Source, medium: str, page: RenderedPage,
               line: int | None = None) -> str:
        if line is not None:
            line = _line_with(source.path, f"({src}", line)
        try:
            real = self.policy.local_file(src, source.path.parent, referrer, line)
        except RenderError as exc:
            if not exc.message.endswith(" not found"):
                raise
            # Say where pubkit looked: image paths are relative to the source file, not the working folder.
            looked = source.path.parent / unquote(urlsplit(src).path)
            shown = looked.relative_to(self.project.root) if looked.is_relative_to(self.project.root) else looked
            raise RenderError(f"{exc.message} (looked for {shown.as_posix()})", exc.path, exc.line) from None
        if real is None:  # data: URL, or the network where the project allows it
            return src
        if medium == "print":
            return real.as_uri()
        digest = image_digest(real, self.policy.roots)
        relative = f"images/{digest}-{real.name}"
        page.images.append((relative, real))
        return relative


def _as_figure(token: Token, kind: str) -> Token:
    """A paragraph's opening or closing token as the ``<figure>`` of an image with a caption."""
    token = copy.copy(token)
    token.type, token.tag, token.hidden = kind, "figure", False
    return token


def _line_with(path: Path, needle: str, start: int) -> int:
    """The first line from ``start`` on that contains ``needle``: where an image is written in its source."""
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return start
    return next((i + 1 for i in range(start - 1, len(lines)) if needle in lines[i]), start)


def _attributes(attrs: dict[str, str], css_class: str = "") -> Markup:
    """``attrs`` (with ``css_class`` joined to its class) as escaped HTML attributes."""
    attrs = dict(attrs)
    classes = " ".join(filter(None, (css_class, attrs.pop("class", ""))))
    if classes:
        attrs = {"class": classes, **attrs}
    return Markup("").join(Markup(' {}="{}"').format(name, value) for name, value in attrs.items())


def _text_fields(source: Source):
    for message in source.messages:
        if message.context in source.fields and source.fields.get(message.context) == message.msgid:
            yield message.context, message.msgid


def fill(text: str, values: dict[str, str]) -> str:
    """Replace ``{name}`` by its formatted value (one full stop where a value ends a sentence);
    an unknown name stays as written."""

    def value(match: re.Match[str]) -> str:
        found = value_at(text, match, values)
        return match.group(0) if found is None else found

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
