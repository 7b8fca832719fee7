"""A release's body as HTML: its Markdown tokens rewritten with the page's translations, values and images.

Each block's text is replaced by its translation (or the source text, marked as a fallback), parsed as
inline Markdown with raw HTML off, its values filled in and laid out (layout.py), and each image checked
by the resource policy and, on a web page, copied beside it.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

from ..errors import RenderError
from ..locales import base_locale
from ..source.sources import MAX_EMPHASIS_MARKS, MAX_NESTING, too_deep
from .images import size_attributes
from .layout import TextLayout, fill
from .resources import image_digest

if TYPE_CHECKING:  # pragma: no cover
    from .page import PageRender


@cache
def inline_parser() -> MarkdownIt:
    """Inline Markdown of a message. Raw HTML is off: ``<script>`` typed by a translator stays text."""
    return MarkdownIt("commonmark", {"html": False}).disable("text_join")


def write_body(page: PageRender) -> Markup:
    """The release's body: its Markdown tokens with every message translated (or marked as a fallback),
    values filled in and laid out, images checked and copied."""
    source, translations, text_of, marks = page.source, page.translations, page.text_of, page.marks
    translations_path = None if translations.is_identity else translations.path
    blocks = {id(block.node.token): block for block in source.blocks}
    tokens: list[Token] = []
    closing_figure = False  # the paragraph_close after a captioned image closes its <figure>
    demote = _heading_offset(source.tokens)
    for token in source.tokens:
        if token.type == "html_block":
            continue  # directives and raw HTML are not published
        if token.type != "inline":
            if demote and token.type in ("heading_open", "heading_close"):
                token = copy.copy(token)
                token.tag = f"h{min(int(token.tag[1]) + demote, 6)}"
            if closing_figure and token.type == "paragraph_close":
                token = _as_figure(token, "figure_close")
                closing_figure = False
            tokens.append(token)
            continue
        block = blocks.get(id(token))
        message = block.message if block else None
        referrer = source.path
        values = page.values_for(False)
        in_source = False  # a fallback to the source language (a block with no message keeps the page's layout)
        figure = bool(block and block.caption is not None and tokens and tokens[-1].type == "paragraph_open")
        image_marks: dict[str, str] = {}  # a figure's alt text in the source language: marked on the <img>
        if message is None:
            text = block.node.content if block else token.content
        else:
            before = len(page.out.fallbacks)
            text = text_of(message.context, message.msgid)
            fell_back = len(page.out.fallbacks) > before
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
            values = page.values_for(fell_back)
            in_source = fell_back
        line = (message.line if message else block.node.map[0] + 1 if block and block.node.map else None)
        # Source-language text is laid out in its own direction (no Latin runs to isolate in English).
        layout = page.source_layout if in_source else page.layout
        tokens.append(_inline(page, token, text, bool(block and block.alt_text), values, referrer, layout,
                              line if referrer == source.path else None))
        if figure:
            tokens[-2] = _as_figure(tokens[-2], "figure_open")
            image = tokens[-1].children[0]
            attrs = {key: value for key, value in image.attrs.items() if key != "title"}  # the caption says it
            image.attrs = {**attrs, **image_marks}
            tokens.extend(_caption(page, block))
            closing_figure = True
    parser = inline_parser()
    return Markup(parser.renderer.render(tokens, parser.options, {}))

def _caption(page: PageRender, block) -> list[Token]:
    """``<figcaption>`` of a captioned image: its translated caption as text, or the source's, marked."""
    message = block.caption_message
    opener = Token("figcaption_open", "figcaption", 1)
    opener.block = True
    fell_back = False
    if message is None:  # skipped, or no words to translate: published as written
        text = block.caption
    else:
        before = len(page.out.fallbacks)
        text = page.text_of(message.context, message.msgid)
        fell_back = len(page.out.fallbacks) > before
        if fell_back:
            opener.attrs = page.marks(page.translations.fallback(message.context, message.msgid))
    # Plain text: markup a translator types is shown as text; values are filled in and isolated.
    layout = page.source_layout if fell_back else page.layout
    values = page.values_for(fell_back)
    if layout.needed(text):
        child = Token("html_inline", "", 0, content=str(layout.markup(text, values)))
    else:
        child = Token("text", "", 0, content=text)
    inline = Token("inline", "", 0, content=text, children=[child])
    closer = Token("figcaption_close", "figcaption", -1)
    closer.block = True
    return [opener, inline, closer]

def _inline(page: PageRender, original: Token, text: str, alt_text: bool, values: dict[str, str], referrer: Path,
            layout: TextLayout, line: int | None = None) -> Token:
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
    inline.children = [_finish(page, child, values, referrer, layout, line) for child in children]
    inline.content = text
    return inline

def _finish(page: PageRender, token: Token, values: dict[str, str], referrer: Path, layout: TextLayout,
            line: int | None = None, alt: bool = False) -> Token:
    if token.type == "text_special":
        # An escaped character (\{): literal text, never a placeholder (the job of text_join, kept off).
        token = copy.copy(token)
        token.type = "text"
        return token
    if token.type == "text" and layout.needed(token.content) and not alt:
        token = copy.copy(token)  # escaped and marked up here, so the renderer emits it as it is
        token.type, token.content = "html_inline", str(layout.markup(token.content, values))
    elif token.type == "text" and "{" in token.content:  # an image's alt text stays plain text
        token = copy.copy(token)
        token.content = fill(token.content, values)
    if token.type == "image":
        token = copy.copy(token)
        src = _image(page, str(token.attrs.get("src", "")), referrer, line)
        token.attrs = {**token.attrs, "src": src}
        copied = dict(page.out.images).get(src)
        if copied is not None:  # a web page: width and height keep the layout still while it loads
            token.attrs.update(size_attributes(copied))
    if token.children:
        token.children = [_finish(page, child, values, referrer, layout, line, alt or token.type == "image")
                          for child in token.children]
    return token

def _image(page: PageRender, src: str, referrer: Path, line: int | None = None) -> str:
    """The address of an image in the page: checked by the resource policy, copied beside a web page."""
    source, policy, root = page.source, page.renderer.policy, page.project.root
    if line is not None:
        line = _line_with(source.path, f"({src}", line)
    try:
        real = policy.local_file(src, source.path.parent, referrer, line)
    except RenderError as exc:
        if not exc.message.endswith(" not found"):
            raise
        # Say where pubkit looked: image paths are relative to the source file, not the working folder.
        looked = source.path.parent / unquote(urlsplit(src).path)
        shown = looked.relative_to(root) if looked.is_relative_to(root) else looked
        raise RenderError(f"{exc.message} (looked for {shown.as_posix()})", exc.path, exc.line) from None
    if real is None:  # data: URL, or the network where the project allows it
        return src
    real = _localized_image(page, src, real, referrer, line)
    if page.medium == "print":
        return policy.portable_uri(real)
    digest = image_digest(real, policy.roots)
    relative = f"images/{digest}-{real.name}"
    page.out.images.append((relative, real))
    return relative


def _localized_image(page: PageRender, src: str, real: Path, referrer: Path, line: int | None) -> Path:
    """``chart.de.png`` beside ``chart.png`` on a German page (``chart.pt_BR.png``, else ``chart.pt.png``,
    on a Brazilian one), found through the same checks as any image; else the image itself."""
    parts = urlsplit(src)
    stem, dot, suffix = parts.path.rpartition(".")
    language = page.language
    if not dot or "/" in suffix or language == page.project.source_language:
        return real
    for tag in dict.fromkeys((language, base_locale(language).split("_")[0])):
        variant = parts._replace(path=f"{stem}.{tag}.{suffix}").geturl()
        try:
            found = page.renderer.policy.local_file(variant, page.source.path.parent, referrer, line)
        except RenderError as exc:
            if exc.message.endswith(" not found"):
                continue
            raise
        if found is not None:
            return found
    return real


def _heading_offset(tokens: list[Token]) -> int:
    """How many levels the body's headings go down so that the release's title is the page's only <h1>."""
    levels = [int(token.tag[1]) for token in tokens if token.type == "heading_open"]
    return max(0, 2 - min(levels)) if levels else 0


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
