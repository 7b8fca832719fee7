"""HTML → PDF with WeasyPrint: the only module that imports it; resources go through a confined fetcher."""

from __future__ import annotations

import logging
import mimetypes
import re
import signal
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pydyf
import weasyprint
import weasyprint.draw
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from ..errors import PubkitError, RenderError
from .resources import ResourcePolicy, stylesheet_references

_NOTDEF_RE = re.compile(r'unsupported by fonts: "(.*)" \(U\+([0-9A-F]+)\)', re.DOTALL)
#: WeasyPrint's messages for a resource it leaves out of the PDF and carries on: errors for pubkit.
_DROPPED_RE = re.compile(r"^(Failed to load image at .*|Font-face .* cannot be loaded.*)$", re.DOTALL)


# Scripts whose shaping reorders, stacks or fuses characters (Devanagari's reph and pre-base vowel
# signs, Bengali, Tamil, …, Sinhala, Thai and Lao tone marks over vowels, Myanmar, Khmer). WeasyPrint
# maps each glyph to the text of its cluster, once per font, so their text layer comes out of order;
# the whole run's text fixes that.
_REORDERING_SCRIPTS = re.compile("[\u0900-\u0eff\u1000-\u109f\u1780-\u17ff\ua8e0-\ua8ff]")


def _with_actual_text(draw_text):
    """WeasyPrint's text drawing, wrapping each run of a reordering script in ``/Span <</ActualText …>>``.

    A PDF reader (search, copy, pdftotext, screen readers) then takes the run's characters in logical
    order instead of guessing them from the glyphs. Other scripts keep WeasyPrint's own mapping."""

    def draw(stream, textbox, *args, **kwargs):
        text = getattr(textbox, "text", "")
        if not _REORDERING_SCRIPTS.search(text):
            return draw_text(stream, textbox, *args, **kwargs)
        stream.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String(text)}))
        try:
            return draw_text(stream, textbox, *args, **kwargs)
        finally:
            stream.end_marked_content()

    draw.pubkit_actual_text = True
    return draw


# WeasyPrint has no hook for this: wrap the function its drawing code calls, once per process.
# (tests/test_typeset.py fails if a WeasyPrint release moves it).
_draw_text = getattr(weasyprint.draw, "draw_text", None)
if _draw_text is not None and not getattr(_draw_text, "pubkit_actual_text", False):
    weasyprint.draw.draw_text = _with_actual_text(_draw_text)


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


def load_stylesheets(paths: list[Path], policy: ResourcePolicy) -> list:
    """Parse the print stylesheets once, for every document a process renders."""
    styles = []
    for path in paths:
        # Every url() is checked here, by real path, with its line: WeasyPrint drops some (fonts) silently.
        for reference, line in stylesheet_references(path.read_text(encoding="utf-8", errors="replace")):
            policy.local_file(reference, path.parent, path, line)
        with _weasyprint_errors(path, "read this stylesheet"):
            # Read here, with a base URL that names no folder of this machine (ResourcePolicy.portable_uri).
            styles.append(weasyprint.CSS(string=path.read_text(encoding="utf-8"), base_url=policy.portable_uri(path),
                                         url_fetcher=ConfinedFetcher(policy, path)))
    return styles


def write_pdf(
    html: str,
    base_url: Path,
    stylesheets: list,
    policy: ResourcePolicy,
    referrer: Path,
    variant: str = "",
    max_pages: int = 300,
    max_seconds: float = 120,
) -> tuple[bytes, list[str]]:
    """The PDF bytes of a page (with ``stylesheets`` from :func:`load_stylesheets`), and WeasyPrint's warnings.

    A glyph no installed font has (drawn as an empty box) is an error, not a warning: such a PDF
    must not reach a printer. So are a document over ``max_pages`` pages, one that takes more than
    ``max_seconds``, and anything WeasyPrint itself trips over (absurd CSS values, deep nesting).
    """
    fetcher = ConfinedFetcher(policy, referrer)
    collector = _Collector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        with _weasyprint_errors(referrer, "render this page"), _time_limit(max_seconds):
            document = weasyprint.HTML(string=html, base_url=policy.portable_uri(base_url) + "/", url_fetcher=fetcher)
            rendered = document.render(stylesheets=stylesheets, pdf_variant=variant or None)
            if len(rendered.pages) > max_pages:
                raise RenderError(
                    f"the document has {len(rendered.pages)} pages, over the limit of {max_pages} (max_pages)", referrer
                )
            _clean_bookmarks(rendered.pages)
            data = rendered.write_pdf(pdf_variant=variant or None)
    except _TimeUp:
        raise RenderError(f"rendering took longer than {max_seconds:g} s (max_render_seconds)", referrer) from None
    finally:
        logger.removeHandler(collector)
    dropped = [m for m in collector.messages if _DROPPED_RE.match(m)]
    if dropped:  # a PDF without its image or font is not the document the editor approved
        raise RenderError(f"the print engine left a resource out: {' '.join(dropped[0].split())[:200]}", referrer)
    missing = [m for m in (_NOTDEF_RE.search(message) for message in collector.messages) if m]
    if missing:
        shown = ", ".join(f"'{m.group(1)}' (U+{m.group(2)})" for m in missing[:5])
        raise RenderError(f"no installed font has a glyph for {shown}: install a font for this script", referrer)
    return data, [m for m in collector.messages if ".notdef" not in m]


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
