"""HTML → PDF with WeasyPrint: the only module that imports it; resources go through a confined fetcher."""

from __future__ import annotations

import logging
import mimetypes
import re
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pydyf

from ..errors import PubkitError, RenderError
from ..machine import FONT_PACKAGES
from .resources import ResourcePolicy, stylesheet_references


@contextmanager
def _libraries_by_soname():
    """While WeasyPrint loads Pango, HarfBuzz and fontconfig: no library search by ctypes.util.find_library.

    WeasyPrint tries each library under its Windows and macOS names before the Linux soname its list ends
    with; cffi answers every miss with find_library, which runs ldconfig, gcc and ld: 54 processes, a third
    of WeasyPrint's import (about 0.15 s of every build that makes a PDF). On Linux the dynamic loader
    finds the soname by itself, through the same paths (LD_LIBRARY_PATH, ld.so.cache) find_library reads.
    """
    import ctypes.util
    import sys

    if not sys.platform.startswith("linux"):
        yield
        return
    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = search


with _libraries_by_soname():
    import weasyprint
import weasyprint.draw  # noqa: E402  (after the libraries, above)
import weasyprint.draw.text  # noqa: E402
import weasyprint.pdf.tags  # noqa: E402
from weasyprint.formatting_structure.boxes import MarginBox  # noqa: E402
from weasyprint.matrix import Matrix  # noqa: E402
from weasyprint.text.ffi import FROM_UNITS, ffi, pango  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse  # noqa: E402

_NOTDEF_RE = re.compile(r'unsupported by fonts: "(.*)" \(U\+([0-9A-F]+)\)', re.DOTALL)
#: WeasyPrint's messages for a resource it leaves out of the PDF and carries on: errors for pubkit.
_DROPPED_RE = re.compile(r"^(Failed to load image at .*|Font-face .* cannot be loaded.*)$", re.DOTALL)


# Scripts whose shaping reorders, stacks or fuses characters (Devanagari's reph and pre-base vowel
# signs, Bengali, Tamil, …, Sinhala, Thai and Lao tone marks over vowels, Myanmar, Khmer). WeasyPrint
# maps each glyph to the text of its cluster, once per font, so their text layer comes out of order;
# the whole run's text fixes that.
_REORDERING_SCRIPTS = re.compile("[\u0900-\u0eff\u1000-\u109f\u1780-\u17ff\ua8e0-\ua8ff]")
# Right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic and their presentation forms).
_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


def _letter_spaced(textbox) -> bool:
    """Whether a run is tracked (a label in spaced capitals): readers take the gaps for spaces and
    read "N OTA D E P R E N S A" unless the run carries its text."""
    spacing = getattr(textbox, "style", {}).get("letter_spacing", "normal")  # "normal" or a computed length
    return spacing != "normal" and getattr(spacing, "value", spacing) != 0


def _with_actual_text(draw_text):
    """WeasyPrint's text drawing, wrapping each run of a reordering script, and each letter-spaced run,
    in ``/Span <</ActualText …>>``.

    A PDF reader (search, copy, pdftotext, screen readers) then takes the run's characters in logical
    order instead of guessing them from the glyphs. Other scripts keep WeasyPrint's own mapping."""

    def draw(stream, textbox, *args, **kwargs):
        text = getattr(textbox, "text", "")
        # A right-to-left run gets its ActualText in visual order, run by run (_with_visual_text).
        if not _REORDERING_SCRIPTS.search(text) and (not _letter_spaced(textbox) or _RIGHT_TO_LEFT.search(text)):
            return draw_text(stream, textbox, *args, **kwargs)
        stream.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String(text)}))
        try:
            return draw_text(stream, textbox, *args, **kwargs)
        finally:
            stream.end_marked_content()

    draw.pubkit_actual_text = True
    return draw


# WeasyPrint has no hook for this: wrap the function its drawing code calls, once per process.
# (tests/render/test_typeset.py fails if a WeasyPrint release moves it).
_draw_text = getattr(weasyprint.draw, "draw_text", None)
if _draw_text is not None and not getattr(_draw_text, "pubkit_actual_text", False):
    weasyprint.draw.draw_text = _with_actual_text(_draw_text)


def _run_text(textbox, item) -> str:
    """A Pango run's text in the order its glyphs stand: a right-to-left run's characters reversed."""
    piece = textbox.pango_layout.text.encode()[item.offset:item.offset + item.length].decode("utf-8", "replace")
    return piece[::-1] if item.analysis.level % 2 else piece


@contextmanager
def _actual_text(stream, text: str):
    stream.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String(text)}))
    try:
        yield
    finally:
        stream.end_marked_content()


class _OneRun:
    """A stand-in for a Pango layout line holding one of its runs, for WeasyPrint to draw alone."""

    def __init__(self, glyph_item) -> None:
        self.runs = ffi.new("GSListRuns *", {"data": glyph_item, "next": ffi.NULL})


def _draw_runs_in_logical_order(draw_first_line, runs, stream, textbox, text_overflow, block_ellipsis, matrix):
    """Draw a line's runs (Arabic words, a number, a Latin name) in the order they are read, each at its
    place and with its own ActualText: readers that ignore ActualText (pypdf) join the runs in the order
    they are drawn, and poppler places a span's text between its first and last glyph."""
    starts, x = [], 0  # each run's distance from the line's left edge, in Pango units
    for item in runs:
        starts.append(x)
        x += sum(item.glyphs.glyphs[i].geometry.width for i in range(item.glyphs.num_glyphs))
    layout, emojis = textbox.pango_layout, []
    try:
        for index in sorted(range(len(runs)), key=lambda i: runs[i].item.offset):
            shift = starts[index] * FROM_UNITS
            layout.get_first_line = lambda one=_OneRun(runs[index]): (one, None)
            with _actual_text(stream, _run_text(textbox, runs[index].item)):
                drawn = draw_first_line(stream, textbox, text_overflow, block_ellipsis, Matrix(e=shift) @ matrix)
            emojis += [[*emoji[:4], emoji[4] + shift, *emoji[5:]] for emoji in drawn]
    finally:
        layout.__dict__.pop("get_first_line", None)  # WeasyPrint's own method again
    return emojis


def _with_visual_text(draw_first_line):
    """WeasyPrint's glyph drawing of Arabic and Hebrew lines, readable by text extraction.

    Arabic marks (tanwin, shadda) are glyphs of their own, set above the letter: readers took them for
    lines of their own and broke headings into fragments in reverse order. Each run of a line gets its
    text as ActualText; readers place those characters left to right over the glyphs and read them back
    in the line's direction, so the text given is the run's visual order. The runs are drawn in logical
    order. A line WeasyPrint may cut with an ellipsis (it lays the line out again) is one span."""

    def draw(stream, textbox, text_overflow, block_ellipsis, matrix):
        text = getattr(textbox, "text", "")
        if not _RIGHT_TO_LEFT.search(text) or _REORDERING_SCRIPTS.search(text):  # (those have one span)
            return draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
        pango.pango_layout_set_single_paragraph_mode(textbox.pango_layout.layout, True)  # as WeasyPrint does
        line, runs = textbox.pango_layout.get_first_line()[0], []
        run = line.runs[0]
        while run != ffi.NULL:
            runs.append(run.data)
            run = run.next
        if len(runs) > 1 and text_overflow != "ellipsis" and block_ellipsis == "none":
            return _draw_runs_in_logical_order(draw_first_line, runs, stream, textbox, text_overflow,
                                               block_ellipsis, matrix)
        with _actual_text(stream, "".join(_run_text(textbox, item.item) for item in runs)):
            return draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)

    draw.pubkit_visual_text = True
    return draw


def _with_languages(build_box_tree):
    """WeasyPrint's structure tree, with ``/Lang`` on every element whose HTML element names its language.

    WeasyPrint writes the document's language only (the catalog's ``/Lang``); a screen reader would read
    an English fallback sentence, alt text or caption in a French PDF with a French voice. The margin
    boxes (running header, footer) get no element at all: they are drawn as artifacts (below)."""

    def build(box, parent, pdf, *args):
        if isinstance(box, MarginBox):
            return
        element = box.element
        own = element.get("lang") if element is not None else None
        # The languages of the elements being built, innermost last, kept on the document being written
        # (elements from lxml-less ElementTree know no parent). The tree is built depth first.
        languages = pdf.__dict__.setdefault("pubkit_languages", [])
        languages.append(own or (languages[-1] if languages else None))
        try:
            for tagged in build_box_tree(box, parent, pdf, *args):
                _describe(tagged, element, own if box.element_tag not in ("html", "body") else None, languages[-1])
                yield tagged
        finally:
            languages.pop()

    build.pubkit_languages = True
    return build


def _describe(tagged, element, own: str | None, inherited: str | None) -> None:
    """Add a structure element's language, and the header cells' scope, which WeasyPrint leaves out."""
    # Alt text is read on its own, out of its paragraph: a figure names its language itself.
    lang = inherited if tagged["S"] == "/Figure" else own
    if lang and "Lang" not in tagged:
        tagged["Lang"] = pydyf.String(lang)
    if tagged["S"] == "/TH" and "A" in tagged:  # which cells a header heads, for every checker
        tagged["A"]["Scope"] = "/Row" if element is not None and element.get("scope") == "row" else "/Column"


def _with_artifact_margins(draw_stacking_context):
    """WeasyPrint's drawing, with the page's margin boxes (running header, footer) marked as pagination
    artifacts, so assistive technology skips them, as PDF/UA requires, instead of reading them on every page."""

    def draw(stream, stacking_context, *args, **kwargs):
        box = stacking_context.box
        if not isinstance(box, MarginBox) or stream._tags is None:
            return draw_stacking_context(stream, stacking_context, *args, **kwargs)
        where = "/Header" if box.at_keyword.startswith("@top") else "/Footer"
        if not box.at_keyword.startswith(("@top", "@bottom")):
            where = None
        properties = pydyf.Dictionary({"Type": "/Pagination", **({"Subtype": where} if where else {})})
        tags, stream._tags = stream._tags, None  # no marked content of its own inside an artifact
        stream.begin_marked_content("Artifact", properties)
        try:
            return draw_stacking_context(stream, stacking_context, *args, **kwargs)
        finally:
            stream.end_marked_content()
            stream._tags = tags

    draw.pubkit_artifacts = True
    return draw


# WeasyPrint has no hooks for these: wrap the functions it calls, once per process (each looks the
# other up by its module's name, recursion included). tests/render/test_accessibility.py fails if they move.
if not getattr(weasyprint.pdf.tags._build_box_tree, "pubkit_languages", False):
    weasyprint.pdf.tags._build_box_tree = _with_languages(weasyprint.pdf.tags._build_box_tree)
if not getattr(weasyprint.draw.text.draw_first_line, "pubkit_visual_text", False):
    weasyprint.draw.text.draw_first_line = _with_visual_text(weasyprint.draw.text.draw_first_line)
if not getattr(weasyprint.draw.draw_stacking_context, "pubkit_artifacts", False):
    weasyprint.draw.draw_stacking_context = _with_artifact_margins(weasyprint.draw.draw_stacking_context)


def _clean_bookmarks(pages) -> None:
    """Bookmark labels without the word joiners that keep Korean words whole on the page (layout.py)."""
    for page in pages:
        page.bookmarks = [(level, label.replace("\u2060", ""), *rest) for level, label, *rest in page.bookmarks]


class _Refused(Exception):
    def __init__(self, error: PubkitError):
        super().__init__(error.message)
        self.error = error


class ConfinedFetcher(URLFetcher):
    """WeasyPrint's door to every resource: local files through the project's policy, nothing else."""

    def __init__(self, policy: ResourcePolicy, referrer: Path):
        super().__init__(fail_on_errors=True, allow_redirects=False)
        self.policy = policy
        self.referrer = referrer

    def fetch(self, url: str, headers=None):
        scheme = urlsplit(url).scheme.lower()
        try:
            if scheme == "file":
                candidate = self.policy.from_portable(Path(unquote(urlsplit(url).path)))
                path = self.policy.check_file(candidate, candidate.as_uri() if candidate.is_absolute() else url,
                                              self.referrer)
                media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": media_type})
            self.policy.local_file(url, self.referrer.parent, self.referrer)  # refuses what is not allowed
        except PubkitError as error:
            raise _Refused(error) from None
        return super().fetch(url, headers)


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _collected():
    """WeasyPrint's warnings while the block runs, as a list of messages."""
    collector = _Collector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        yield collector.messages
    finally:
        logger.removeHandler(collector)


def _refuse_dropped(messages: list[str], referrer: Path) -> None:
    """A PDF without its image or font is not the document the editor approved."""
    dropped = [m for m in messages if _DROPPED_RE.match(m)]
    if dropped:
        raise RenderError(f"the print engine left a resource out: {' '.join(dropped[0].split())[:200]}", referrer)


class _TimeUp(BaseException):
    """Raised inside WeasyPrint when a page takes too long; a BaseException so nothing swallows it."""


@contextmanager
def _time_limit(seconds: float):
    # An interval timer can only interrupt the main thread; elsewhere the page cap still bounds work.
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise _TimeUp()

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _weasyprint_errors(referrer: Path, doing: str):
    """Turn whatever WeasyPrint raises into one pubkit error naming the file it was working for."""
    try:
        yield
    except FatalURLFetchingError as exc:
        cause = exc.__cause__
        if isinstance(cause, _Refused):
            raise cause.error from None
        raise RenderError(f"cannot fetch a resource: {exc}", referrer) from None
    except _Refused as exc:
        raise exc.error from None
    except PubkitError:
        raise
    except (Exception, RecursionError) as exc:  # WeasyPrint's own failure on a pathological input
        raise RenderError(f"WeasyPrint cannot {doing}: {type(exc).__name__}: {exc}", referrer) from None


def pdf_options(variant: str) -> dict:
    """WeasyPrint's options for a ``pdf_variant``: every PDF is tagged (PDF/A included: every part allows a
    structure tree) unless the project asks for ``none``."""
    if variant in ("", "none"):
        return {"pdf_variant": None, "pdf_tags": False}
    return {"pdf_variant": variant, "pdf_tags": True}


@dataclass
class PrintStyles:
    """The print stylesheets, parsed, and the font configuration every document of a build shares.

    One FontConfiguration for every document a process renders: WeasyPrint would otherwise make a new
    one per document (a new fontconfig configuration and Pango font map), so each document would open,
    measure and read every font it uses again, about a fifth of a PDF's time. The PDFs are the same to
    the byte. It also gives ``@font-face`` rules of the print stylesheets (a project's own fonts) the
    configuration they are added to: without one, WeasyPrint ignores them.
    """

    sheets: list
    fonts: FontConfiguration

    def close(self) -> None:
        """Remove the folder WeasyPrint copies ``@font-face`` fonts into. FontConfiguration.__del__ does it
        when the object is freed, which never happens in a pool worker: it leaves by os._exit."""
        self.fonts.__del__()


def load_stylesheets(paths: list[Path], policy: ResourcePolicy) -> PrintStyles:
    """Parse the print stylesheets once, for every document a process renders."""
    fonts = FontConfiguration()
    sheets = []
    for path in paths:
        # Every url() is checked here, by real path, with its line: WeasyPrint drops some (fonts) silently.
        for reference, line in stylesheet_references(path.read_text(encoding="utf-8", errors="replace")):
            policy.local_file(reference, path.parent, path, line)
        with _weasyprint_errors(path, "read this stylesheet"), _collected() as messages:
            # Read here, with a base URL that names no folder of this machine (ResourcePolicy.portable_uri).
            sheets.append(weasyprint.CSS(string=path.read_text(encoding="utf-8"), base_url=policy.portable_uri(path),
                                         url_fetcher=ConfinedFetcher(policy, path), font_config=fonts))
        _refuse_dropped(messages, path)
    return PrintStyles(sheets, fonts)


def warm_up(styles: PrintStyles, samples: list[tuple[str, str]], variant: str = "pdf/ua-1") -> None:
    """Lay out a short document with ``styles`` and a line per (language tag, text), tagged as the
    build's ``variant`` PDFs are, and drop it.

    WeasyPrint imports modules on its first document, fontconfig reads its font list, Pango loads the
    fonts of each script into the shared font map, cffi parses the C types WeasyPrint asks for. Done
    once in the build's process before its workers fork, every worker inherits all of it. The PDF is
    not written: that would subset every font once more (four fifths of the warm-up's time) and warm
    nothing a document does not pay for again anyway.
    """
    from html import escape

    lines = "".join(f'<p lang="{escape(tag)}">{escape(text)}</p>' for tag, text in samples)
    try:
        options = pdf_options(variant)
        document = weasyprint.HTML(string=f"<p>pubkit</p>{lines}")
        document.render(stylesheets=styles.sheets, font_config=styles.fonts, **options)
    except Exception:  # noqa: BLE001  only a head start: a real document reports any problem at its own path
        pass


def write_pdf(
    html: str,
    base_url: Path,
    styles: PrintStyles,
    policy: ResourcePolicy,
    referrer: Path,
    variant: str = "pdf/ua-1",
    max_pages: int = 300,
    max_seconds: float = 120,
) -> tuple[bytes, list[str]]:
    """The PDF bytes of a page (with ``styles`` from :func:`load_stylesheets`), and WeasyPrint's warnings.

    A glyph no installed font has (drawn as an empty box) is an error, not a warning: such a PDF
    must not reach a printer. So are a document over ``max_pages`` pages, one that takes more than
    ``max_seconds``, and anything WeasyPrint itself trips over (absurd CSS values, deep nesting).
    """
    fetcher = ConfinedFetcher(policy, referrer)
    try:
        with _collected() as messages, _weasyprint_errors(referrer, "render this page"), _time_limit(max_seconds):
            document = weasyprint.HTML(string=html, base_url=policy.portable_uri(base_url) + "/", url_fetcher=fetcher)
            options = pdf_options(variant)
            rendered = document.render(stylesheets=styles.sheets, font_config=styles.fonts, **options)
            if len(rendered.pages) > max_pages:
                raise RenderError(
                    f"the document has {len(rendered.pages)} pages, over the limit of {max_pages} (max_pages)", referrer
                )
            _clean_bookmarks(rendered.pages)
            data = rendered.write_pdf(**options)
    except _TimeUp:
        raise RenderError(f"rendering took longer than {max_seconds:g} s (max_render_seconds)", referrer) from None
    _refuse_dropped(messages, referrer)
    missing = [m for m in (_NOTDEF_RE.search(message) for message in messages) if m]
    if missing:
        shown = ", ".join(f"'{m.group(1)}' (U+{m.group(2)})" for m in missing[:5])
        raise RenderError(f"no installed font has a glyph for {shown}: install a font for this script (Debian: "
                          f"apt-get install {' '.join(FONT_PACKAGES)} fonts-noto-extra)", referrer)
    return data, [m for m in messages if ".notdef" not in m]


def engine_versions() -> dict[str, str]:
    """The versions of what typesets a PDF: WeasyPrint, pydyf, and the Pango and HarfBuzz it has loaded."""
    from importlib.metadata import version

    from weasyprint.text.ffi import pango

    packed = pango.pango_version()  # major * 10000 + minor * 100 + micro
    return {"weasyprint": weasyprint.__version__, "pydyf": version("pydyf"),
            "pango": f"{packed // 10000}.{packed // 100 % 100}.{packed % 100}", "harfbuzz": _harfbuzz_version()}


def _harfbuzz_version() -> str:
    # WeasyPrint's cffi declarations lack hb_version_string; the library is already loaded through Pango,
    # so this opens the same one.
    import ctypes
    import ctypes.util

    for name in ("libharfbuzz.so.0", ctypes.util.find_library("harfbuzz")):
        try:
            library = ctypes.CDLL(name) if name else None
        except OSError:
            continue
        if library is not None:
            library.hb_version_string.restype = ctypes.c_char_p
            return library.hb_version_string().decode()
    return "unknown"
