"""A rendered release as HTML for mail clients: inline styles only, no script, no stylesheet, images as cid: parts."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html
from markupsafe import escape

#: Mail clients drop <style> and <link> and every script: each element carries its own style.
#: Generic families only after Arial: the reader's client picks the fonts of the text's language (lang).
_FONT = "font-family: Arial, Helvetica, sans-serif"
_STYLES = {
    "h1": "font-size: 24px; line-height: 1.3; margin: 0 0 12px; color: #111111",
    "h2": "font-size: 19px; line-height: 1.3; margin: 24px 0 8px; color: #111111",
    "h3": "font-size: 16px; line-height: 1.3; margin: 20px 0 6px; color: #111111",
    "p": "margin: 0 0 12px",
    "ul": "margin: 0 0 12px; padding-{start}: 24px",
    "ol": "margin: 0 0 12px; padding-{start}: 24px",
    "li": "margin: 0 0 4px",
    "blockquote": "margin: 0 0 12px; padding-{start}: 12px; border-{start}: 3px solid #cccccc; color: #444444",
    "table": "border-collapse: collapse; margin: 0 0 12px",
    "th": "border: 1px solid #cccccc; padding: 4px 8px; text-align: {start}; background: #f2f2f2",
    "td": "border: 1px solid #cccccc; padding: 4px 8px; text-align: {start}",
    "a": "color: #0b57d0",
    "img": "max-width: 100%; height: auto; border: 0",
    "figure": "margin: 0 0 12px",
    "figcaption": "font-size: 13px; color: #555555",
    "pre": "white-space: pre-wrap; font-family: monospace; font-size: 13px",
    "code": "font-family: monospace",
}
_CLASS_STYLES = {
    "kind": "text-transform: uppercase; letter-spacing: 1px; font-size: 12px; color: #555555; margin: 0 0 6px",
    "subtitle": "font-size: 17px; color: #333333; margin: 0 0 12px",
    "summary": "font-weight: bold; margin: 0 0 12px",
    "dateline": "color: #555555; margin: 0 0 12px",
    "letterhead": "font-weight: bold; color: #333333; margin: 0 0 16px",
    "organization": "display: block",
    "tagline": "display: block; font-weight: normal; color: #555555; font-size: 13px",
    "contact": "border-top: 1px solid #cccccc; margin-top: 24px; padding-top: 8px",
}
#: Elements a message never carries: active content, and what would load something from the network.
_REMOVED = ("script", "style", "link", "meta", "iframe", "object", "embed", "form", "input", "button", "noscript",
            "template", "audio", "video", "source", "base")
#: Scripts without italics (base.css says the same for the page): emphasis is weight, not a fake slant.
_NO_ITALIC = ("ar", "fa", "ur", "he", "yi", "zh", "ja", "ko", "th", "hi", "mr", "ne")
_UPRIGHT_EMPHASIS = "font-style: normal; font-weight: bold"
_NOTICE_STYLE = "margin: 0 0 16px; padding: 8px 12px; border: 2px solid #b00020; color: #b00020; font-weight: bold"


def mail_html(page_html: str, language: str, direction: str, title: str, images: dict[str, str],
              page_url: str | None, notice: str | None = None) -> str:
    """The article of a rendered page as a complete HTML document for mail clients.

    ``images``: a page's image path → the ``cid:`` it is attached as. Links relative to the page are
    made absolute with ``page_url`` (the release's address under ``base_url``, which also ends the
    message), or lose their target without one; nothing is left that loads from the network when the
    message is opened.
    """
    document = lxml_html.document_fromstring(page_html)
    body = document.body
    for element in list(body.iter(*_REMOVED, etree.Comment, etree.ProcessingInstruction)):
        element.drop_tree()
    start = "right" if direction == "rtl" else "left"
    for element in list(body.iter(etree.Element)):
        _restyle(element, start, images, page_url)
    content = "".join(lxml_html.tostring(child, encoding="unicode") for child in body)
    if body.text and body.text.strip():
        content = str(escape(body.text)) + content
    banner = f'<p style="{_NOTICE_STYLE}">{escape(notice)}</p>\n' if notice else ""
    if page_url:  # the release on the web, last
        content += (f'\n<p dir="ltr" style="margin: 24px 0 0"><a href="{escape(page_url)}" '
                    f'style="{_STYLES["a"]}">{escape(page_url)}</a></p>\n')
    wrapper = f"max-width: 640px; margin: 0 auto; padding: 16px; text-align: {start}; {_FONT}; font-size: 15px; " \
              "line-height: 1.5; color: #222222"
    return (f'<!DOCTYPE html>\n<html lang="{escape(language)}" dir="{direction}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{escape(title)}</title>\n'
            f'</head>\n<body style="margin: 0; background: #ffffff">\n'
            f'<div lang="{escape(language)}" dir="{direction}" style="{wrapper}">\n{banner}{content}</div>\n'
            "</body>\n</html>\n")


def _restyle(element, start: str, images: dict[str, str], page_url: str | None) -> None:
    """Inline styles instead of classes; no event handlers; images from the message, links absolute."""
    for name in list(element.attrib):
        if name.startswith("on") or name in ("style", "srcset", "loading", "data-pubkit-state",
                                             "data-pubkit-where", "data-pubkit-finding"):
            if name == "style" and element.tag in ("th", "td"):
                continue  # a table column's alignment, from the source's Markdown
            del element.attrib[name]
    classes = (element.get("class") or "").split()
    styles = [_CLASS_STYLES[name] for name in classes if name in _CLASS_STYLES]  # in place of the tag's own
    styles = styles or [_STYLES.get(element.tag, "").format(start=start)]
    if element.tag in ("em", "i") and _language_of(element) in _NO_ITALIC:
        styles.append(_UPRIGHT_EMPHASIS)
    own = element.get("style")
    style = "; ".join(s for s in [*styles, own] if s)
    if style:
        element.set("style", style)
    if "class" in element.attrib:
        del element.attrib["class"]
    if element.tag == "img":
        src = element.get("src", "")
        if src in images:
            element.set("src", f"cid:{images[src]}")
        elif not src.startswith("data:"):
            element.drop_tree()  # a remote image would tell the sender who opened the message, and when
    elif element.tag == "a" and element.get("href") is not None:
        href = element.get("href", "")
        scheme = urlsplit(href).scheme
        if scheme in ("http", "https", "mailto", "tel"):
            return
        if page_url and not scheme and not href.startswith("#"):
            element.set("href", urljoin(page_url, href))
        else:
            del element.attrib["href"]  # a link into the page or the local site leads nowhere in a mailbox


def _language_of(element) -> str:
    """The primary language subtag of the text in ``element`` (its own ``lang`` or its nearest ancestor's)."""
    found = element.xpath("ancestor-or-self::*[@lang][1]/@lang")
    return str(found[0]).split("-")[0].lower() if found else ""
