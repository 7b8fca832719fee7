"""The review desk (``pubkit serve``): every release in every language in the browser, rebuilt on save.

One process keeps the incremental build warm (WeasyPrint, Jinja and the fonts are loaded once), writes
*preview* builds into ``dist-preview/`` (``preview_dir``; never ``output_dir``), in the site's layout
(paths.py, which the desk asks for every page, PDF and thumbnail), and serves them read-only with Starlette
and uvicorn. ``watchfiles`` reports saved sources, catalogs, templates and ``pubkit.toml``; the desk then
rebuilds the web pages, tells every open page to reload (Server-Sent Events), and renders the PDFs.

Safety: it binds the loopback address unless told otherwise, checks the ``Host`` header (a page on some
other site cannot reach it through DNS rebinding), sends no CORS headers, answers only GET and HEAD,
and serves only files inside the preview folder by real path, plus its own assets.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import ipaddress
import json
import signal
import socket
import sys
import threading
import traceback
from collections import OrderedDict
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2
import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route
from watchfiles import DefaultFilter, awatch

from .build import build
from ..config import CONFIG_FILE, PYPROJECT_FILE, Project, load_project
from ..errors import PubkitError
from ..locales import PSEUDO_LOCALES, bcp47, language_name
from ..safefs import confined
from .paths import page_relative, pdf_relative

#: Where preview builds go unless ``pubkit.toml`` says otherwise (``preview_dir``, Project.preview_output_dir):
#: review output never mixes with what gets published.
PREVIEW_DIR = "dist-preview"
ASSETS_DIR = Path(__file__).parent / "review"
ASSETS = {"review.css": "text/css", "frame.css": "text/css", "live.js": "text/javascript",
          "review.js": "text/javascript"}
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1", "[::1]")
#: Thumbnails kept in memory (a few KB each): enough for every page of a large release in every language.
THUMBNAIL_CACHE = 512
THUMBNAIL_WIDTH = 300
#: How long a live-reload stream waits between checks for a shutdown.
_TICK = 0.5
_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "no-referrer",
}


def is_loopback(host: str) -> bool:
    if host.strip("[]") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass
class DeskState:
    """What the browser is told: the output generation, the current build error, and whether a build runs."""

    generation: int = 0
    error: str | None = None
    building: bool = False

    def as_json(self) -> str:
        return json.dumps({"generation": self.generation, "error": self.error, "building": self.building})


class Desk:
    """The review desk of one project: its warm build, its state, its thumbnails."""

    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        #: The preview folder served under /site/: the project's, followed at every build (a broken
        #: configuration keeps the last one known).
        self.preview_dir = self.root / PREVIEW_DIR
        with contextlib.suppress(PubkitError):
            self.preview_dir = self.project().preview_output_dir
        self.state = DeskState()
        self._build_lock = threading.Lock()
        self._pdfium_lock = threading.Lock()  # PDFium is not thread-safe
        self._thumbnails: OrderedDict[tuple, bytes] = OrderedDict()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._changed: asyncio.Event | None = None
        self._dirty: asyncio.Event | None = None
        self._stop: asyncio.Event | None = None
        self.stopping = False
        self.templates = jinja2.Environment(loader=jinja2.FileSystemLoader(ASSETS_DIR), autoescape=True,
                                            undefined=jinja2.StrictUndefined)

    # --- building ----------------------------------------------------------------------------------

    def project(self) -> Project:
        return load_project(self.root)

    def preview_project(self, project: Project) -> Project:
        """The project with its preview folder as output: where paths.py finds what the desk built."""
        return replace(project, output_dir=project.preview_output_dir)

    def build(self, formats: tuple[str, ...]) -> bool:
        """A preview build of ``formats``, in this process; True if it wrote something.

        A mistake in the project becomes the desk's error (``path:line: error: …``), shown on every
        page; the server keeps running and the next good save clears it.
        """
        with self._build_lock:
            try:
                project = self.project()
                self.preview_dir = project.preview_output_dir
                # The desk is for text not yet published: embargoed releases too, marked with their embargo.
                result = build(project, formats=formats, preview=True, jobs=1, include_embargoed=True)
            except PubkitError as error:
                self.state.error = error.format(self.root)
                return False
            except Exception as error:  # a bug must not take the desk down: show it, keep serving
                traceback.print_exc()
                self.state.error = f"pubkit: error: internal error while building: {type(error).__name__}: {error}"
                return False
            self.state.error = None
            if formats == ("html",):
                self.build_pseudo(project)
            return bool(result.written)

    def build_pseudo(self, project: Project) -> None:
        """The pseudo-locales' web pages (en-XA, ar-XB) into ``dist-pseudo/``, embargoed releases included:
        what layouts do with longer text and right-to-left script, before any translation exists."""
        from .pseudo import build_pseudo

        try:
            build_pseudo(project, formats=("html",), jobs=1)
        except PubkitError as error:
            self.state.error = error.format(self.root)

    def build_all(self) -> None:
        """Web pages first (they are on screen sooner), then the PDFs."""
        for formats in (("html",), ("pdf",)):
            if self.build(formats):
                self.state.generation += 1
            if self.state.error:
                return

    async def _builder(self) -> None:
        assert self._dirty is not None
        while True:
            await self._dirty.wait()
            self._dirty.clear()
            self.state.building = True
            self._notify()
            for formats in (("html",), ("pdf",)):
                wrote = await asyncio.to_thread(self.build, formats)
                if wrote:
                    self.state.generation += 1
                self._notify()
                if self.state.error or self._dirty.is_set():
                    break  # a newer save is waiting: start again from its web pages
            self.state.building = False
            self._notify()

    def _notify(self) -> None:
        assert self._changed is not None
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    async def _watch(self, paths: list[Path], recursive: bool, names: tuple[str, ...] = ()) -> None:
        assert self._stop is not None and self._dirty is not None
        default = DefaultFilter()

        def relevant(change, path: str) -> bool:
            if names and Path(path).name not in names:
                return False
            return (default(change, path) and PREVIEW_DIR not in Path(path).parts
                    and not Path(path).is_relative_to(self.preview_dir))

        existing = [path for path in paths if path.exists()]
        if not existing:
            return
        async for _ in awatch(*existing, watch_filter=relevant, recursive=recursive, stop_event=self._stop,
                              debounce=400, step=30):
            self._dirty.set()

    def watched(self) -> tuple[list[Path], list[Path]]:
        """Folders watched with everything in them, and the project folder (for its configuration file)."""
        try:
            project = self.project()
        except PubkitError:
            return [self.root / "sources", self.root / "locale", self.root / "templates"], [self.root]
        return [project.sources_dir, project.locale_dir, project.templates_dir], [self.root]

    @contextlib.asynccontextmanager
    async def lifespan(self, app):
        self._loop = asyncio.get_running_loop()
        self._changed, self._dirty, self._stop = asyncio.Event(), asyncio.Event(), asyncio.Event()
        self._dirty.set()  # catch up with saves made during the first build, before anything watched
        folders, top = self.watched()
        tasks = [asyncio.create_task(self._builder()),
                 asyncio.create_task(self._watch(folders, True)),
                 asyncio.create_task(self._watch(top, False, (CONFIG_FILE, PYPROJECT_FILE)))]
        try:
            yield
        finally:
            self.stop_soon()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    def stop_soon(self) -> None:
        """Called on Ctrl-C or SIGTERM: end the live streams and the watchers, so no task outlives the server."""
        self.stopping = True
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
            self._loop.call_soon_threadsafe(self._notify)

    # --- what the pages show -----------------------------------------------------------------------

    def overview(self) -> dict:
        """The dashboard's grid: every release × language with progress, findings and links."""
        from ..catalog.pofile import read_catalog
        from ..source.sources import read_sources

        project = self.project()
        preview = self.preview_project(project)
        releases = []
        for source in read_sources(project):
            pot_path = project.pot_path(source.slug)
            template = read_catalog(pot_path) if pot_path.exists() else None
            rows = [self._row(project, preview, source.slug, language, template)
                    for language in project.output_languages]
            releases.append({"slug": source.slug, **release_heading(project, source), "rows": rows,
                             "pseudo": self._pseudo_links(project, source.slug)})
        return {"releases": releases, "source_language": project.source_language,
                "languages": list(project.output_languages)}

    def _row(self, project: Project, preview: Project, slug: str, language: str, template) -> dict:
        """One language of one release on the dashboard: completeness as `status` counts it, findings, links."""
        from ..catalog.checks import check_catalog
        from ..catalog.pofile import read_catalog
        from ..catalog.status import catalog_status

        row = {"language": language, "name": language_name(language), "source": False,
               "page": self._link(preview, page_relative(preview, slug, language)),
               "pdf": self._link(preview, pdf_relative(preview, slug, language))}
        if language == project.source_language:
            row.update(source=True, percent=100.0, fuzzy=0, untranslated=0, rejected=0, errors=0, warnings=0)
            return row
        path = project.po_path(language, slug)
        findings = check_catalog(path, language, project.source_language, project.link_hosts) if path.exists() else []
        catalog = None
        if path.exists():
            with contextlib.suppress(PubkitError):  # the checks above already report it as an error
                catalog = read_catalog(path)
        shown = path.relative_to(project.root).as_posix()
        status = catalog_status(language, slug, catalog, template, shown, project.source_language, project.link_hosts)
        row.update(percent=status.percent, fuzzy=status.fuzzy, untranslated=status.untranslated,
                   rejected=status.rejected, errors=sum(f.severity == "error" for f in findings),
                   warnings=sum(f.severity == "warning" for f in findings), catalog=shown)
        return row

    def _pseudo_links(self, project: Project, slug: str) -> list[dict]:
        """The pseudo-locale pages of ``slug`` the desk built, as ``/pseudo/…`` links."""
        from .pseudo import OUTPUT_FOLDER  # the pseudo build: only when the desk shows it

        pseudo = replace(project, output_dir=project.root / OUTPUT_FOLDER, languages=tuple(PSEUDO_LOCALES),
                         per_language={})
        links = []
        for language in PSEUDO_LOCALES:
            relative = page_relative(pseudo, slug, language)
            path = confined(pseudo.output_dir, relative)
            if path is not None and path.is_file():
                links.append({"language": language, "tag": bcp47(language), "page": f"/pseudo/{relative}"})
        return links

    @staticmethod
    def _link(preview: Project, relative: str) -> str | None:
        """``/site/<relative>`` if the preview build wrote that file (``relative``: from paths.py)."""
        path = confined(preview.output_dir, relative)
        return f"/site/{relative}" if path is not None and path.is_file() else None

    def _language(self, project: Project, language: str) -> str | None:
        """The project's language a URL names (``zh_CN`` or ``zh-CN``), or None."""
        wanted = language.replace("-", "_").casefold()
        return next((lang for lang in project.output_languages if lang.casefold() == wanted), None)

    def _release_pdf(self, preview: Project, slug: str, language: str) -> Path | None:
        """The preview PDF of ``slug`` in ``language`` where paths.py puts it, confined; None if not built."""
        path = confined(preview.output_dir, pdf_relative(preview, slug, language))
        return path if path is not None and path.is_file() else None

    def pdf_pages(self, pdf: Path) -> int:
        import pypdfium2

        with self._pdfium_lock:
            document = pypdfium2.PdfDocument(pdf.read_bytes())
            try:
                return len(document)
            finally:
                document.close()

    def thumbnail(self, pdf: Path, page: int) -> bytes | None:
        """Page ``page`` (from 1) of ``pdf`` as a PNG, from PDFium; cached until the PDF changes."""
        import pypdfium2

        info = pdf.stat()
        key = (str(pdf), info.st_size, info.st_mtime_ns, page)
        if key in self._thumbnails:
            self._thumbnails.move_to_end(key)
            return self._thumbnails[key]
        with self._pdfium_lock:
            document = pypdfium2.PdfDocument(pdf.read_bytes())
            try:
                if not 1 <= page <= len(document):
                    return None
                sheet = document[page - 1]
                image = sheet.render(scale=THUMBNAIL_WIDTH / sheet.get_width()).to_pil()
                sheet.close()
            finally:
                document.close()
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=False)
        self._thumbnails[key] = out.getvalue()
        while len(self._thumbnails) > THUMBNAIL_CACHE:
            self._thumbnails.popitem(last=False)
        return self._thumbnails[key]

    def page(self, name: str, **context) -> HTMLResponse:
        context.setdefault("problem", None)
        html = self.templates.get_template(name).render(state=self.state, **context)
        return HTMLResponse(html, headers=_HEADERS)

    # --- the application ---------------------------------------------------------------------------

    def app(self, allowed_hosts: list[str]) -> Starlette:
        routes = [
            Route("/", self.dashboard, methods=["GET", "HEAD"]),
            Route("/review/{slug}", self.review, methods=["GET", "HEAD"]),
            Route("/site/{path:path}", self.site, methods=["GET", "HEAD"]),
            Route("/pseudo/{path:path}", self.pseudo, methods=["GET", "HEAD"]),
            Route("/_pubkit/events", self.events, methods=["GET"]),
            Route("/_pubkit/thumb/{slug}/{language}/{page:int}.png", self.thumb, methods=["GET", "HEAD"]),
            Route("/_pubkit/{name}", self.asset, methods=["GET", "HEAD"]),
        ]
        return Starlette(routes=routes, lifespan=self.lifespan,
                         middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts,
                                                www_redirect=False)])

    async def dashboard(self, request: Request) -> Response:
        try:
            overview = await asyncio.to_thread(self.overview)
            problem = None
        except PubkitError as error:
            overview, problem = {"releases": [], "languages": []}, error.format(self.root)
        return self.page("dashboard.html", problem=problem, **overview)

    async def review(self, request: Request) -> Response:
        slug = request.path_params["slug"]
        try:
            project = self.project()
        except PubkitError as error:
            return self.page("dashboard.html", problem=error.format(self.root), releases=[], languages=[])
        chosen = [self._language(project, lang) for lang in request.query_params.getlist("lang")]
        languages = [lang for lang in project.output_languages if lang in chosen] or list(project.output_languages)
        preview = self.preview_project(project)
        # A release the preview holds: its page or PDF in some language, by real path inside the preview.
        if not any(self._link(preview, relative(preview, slug, language))
                   for language in project.output_languages for relative in (page_relative, pdf_relative)):
            return _not_found()
        columns = []
        for language in languages:
            pdf = self._release_pdf(preview, slug, language)
            pages = await asyncio.to_thread(self.pdf_pages, pdf) if pdf else 0
            stamp = pdf.stat().st_mtime_ns if pdf else 0
            columns.append({"language": language, "tag": bcp47(language), "name": language_name(language),
                            "page": self._link(preview, page_relative(preview, slug, language)),
                            "pdf": self._link(preview, pdf_relative(preview, slug, language)),
                            "thumbnails": [f"/_pubkit/thumb/{slug}/{language}/{n}.png?v={stamp}"
                                           for n in range(1, pages + 1)]})
        from ..source.sources import read_sources

        heading = {"title": slug, "embargo": ""}
        with contextlib.suppress(PubkitError):
            source = next((s for s in read_sources(project) if s.slug == slug), None)
            heading = release_heading(project, source) if source else heading
        return self.page("review.html", slug=slug, columns=columns, chosen=languages, **heading,
                         languages=[(lang, language_name(lang)) for lang in project.output_languages])

    async def pseudo(self, request: Request) -> Response:
        """A pseudo-locale page (``dist-pseudo/``), confined and served like the preview site's pages."""
        from .pseudo import OUTPUT_FOLDER

        path = confined(self.root / OUTPUT_FOLDER, request.path_params["path"])
        if path is None or not path.is_file():
            return _not_found()
        return _with_live_reload(path)

    async def site(self, request: Request) -> Response:
        relative = request.path_params["path"]
        path = confined(self.preview_dir, relative) if relative else None
        if relative == "" or (path is not None and path.is_dir()):
            folder = path or self.preview_dir.resolve()
            index = folder / "index.html"
            if index.is_file():
                path = index
            elif folder.is_dir():
                here = "/site/" + (relative.strip("/") + "/" if relative.strip("/") else "")
                return self.page("listing.html", here=here,
                                 entries=sorted((p.name + ("/" if p.is_dir() else ""))
                                                for p in folder.iterdir() if not p.name.startswith(".")))
        if path is None or not path.is_file():
            return _not_found()
        return _with_live_reload(path)

    async def asset(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ASSETS:
            return _not_found()
        return FileResponse(ASSETS_DIR / name, media_type=ASSETS[name], headers=_HEADERS)

    async def thumb(self, request: Request) -> Response:
        try:
            project = self.project()
        except PubkitError:
            return _not_found()
        language = self._language(project, request.path_params["language"])
        pdf = self._release_pdf(self.preview_project(project), request.path_params["slug"], language) \
            if language else None
        if pdf is None:
            return _not_found()
        data = await asyncio.to_thread(self.thumbnail, pdf, request.path_params["page"])
        return Response(data, media_type="image/png", headers=_HEADERS) if data else _not_found()

    async def events(self, request: Request) -> Response:
        async def stream():
            sent = None
            while not self.stopping:
                assert self._changed is not None
                waiting = self._changed
                now = self.state.as_json()
                if now != sent:
                    yield f"data: {now}\n\n"
                    sent = now
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(waiting.wait(), _TICK)

        return StreamingResponse(stream(), media_type="text/event-stream", headers=_HEADERS)


def _with_live_reload(path: Path) -> Response:
    """A file of a built site; a web page with the desk's live-reload script added on the way out."""
    if path.suffix == ".html":
        # Every open page reloads itself when the desk rebuilds: one script tag, added on the way out.
        text = path.read_text(encoding="utf-8", errors="replace")
        tag = '<script src="/_pubkit/live.js"></script>'
        end = text.rfind("</body>")
        text = text[:end] + tag + text[end:] if end >= 0 else text + tag
        return HTMLResponse(text, headers=_HEADERS)
    return FileResponse(path, headers=_HEADERS)


def _not_found() -> Response:
    return PlainTextResponse("not found", status_code=404, headers=_HEADERS)


def release_heading(project: Project, source) -> dict[str, str]:
    """A release's title as its source-language page shows it (values filled in) and, while it is under
    embargo, the embargo line that page prints ("Embargoed until July 25, 2023, 10:00 AM GMT+02:00")."""
    import datetime as dt

    from babel import Locale

    from ..render.formatting import Formatter
    from ..render.render import fill
    from ..source.embargo import is_embargoed, zoned
    from .links import embargo_time
    from .plan import current_time

    language = project.source_language
    formatter = Formatter(Locale.parse(language), project.settings(language).calendar)
    values = {name: formatter.format(value) for name, value in source.values.items()}
    title = fill(str(source.fields.get("title") or source.slug), values)
    embargo = source.fields.get("embargo")
    embargo = zoned(embargo, str(source.fields.get("embargo_zone") or project.embargo_zone)) \
        if isinstance(embargo, dt.datetime) else None
    line = ""
    if isinstance(embargo, dt.datetime) and is_embargoed(embargo, current_time()):
        line = "Embargoed until " + embargo_time(embargo, formatter.locale, formatter.date(embargo.date()))
    return {"title": title, "embargo": line}


def allowed_hosts(host: str) -> list[str]:
    """The names a browser may use to reach the desk: loopback names, and the bound host itself."""
    names = list(LOOPBACK_NAMES)
    if not is_loopback(host):
        names.append(host)
        if host in ("0.0.0.0", "::"):
            # Every address means: the machine's own names and addresses.
            hostname = socket.gethostname()
            names += [hostname, socket.getfqdn()]
            with contextlib.suppress(OSError):
                names += [info[4][0] for info in socket.getaddrinfo(hostname, None)]
    return list(dict.fromkeys(name.lower() for name in names))


class _Server(uvicorn.Server):
    """uvicorn's server, stopping the desk's live streams as soon as Ctrl-C or SIGTERM arrives."""

    def __init__(self, config: uvicorn.Config, desk: Desk):
        super().__init__(config)
        self.desk = desk

    def handle_exit(self, sig, frame) -> None:
        self.desk.stop_soon()
        super().handle_exit(sig, frame)

    @contextlib.contextmanager
    def capture_signals(self):
        # Like uvicorn's, without raising the signal again afterwards: a stopped desk exits with status 0.
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False) -> int:
    """Build what is out of date, then serve the review desk until Ctrl-C or SIGTERM."""
    desk = Desk(root)
    if not is_loopback(host):
        print(f"pubkit: warning: serving on {host}: the project's unpublished text is visible to every "
              f"machine that can reach this one", file=sys.stderr)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
        sock.listen(128)  # a browser opening the printed URL waits in the queue until uvicorn accepts
    except OSError as exc:
        sock.close()
        raise PubkitError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    shown_dir = desk.preview_dir.relative_to(desk.root) if desk.preview_dir.is_relative_to(desk.root) \
        else desk.preview_dir
    print(f"building previews into {shown_dir.as_posix()}/ …", file=sys.stderr, flush=True)
    desk.build_all()
    if desk.state.error:
        print(desk.state.error, file=sys.stderr, flush=True)
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    url = f"http://{shown}:{sock.getsockname()[1]}/"
    print(f"pubkit: the review desk is at {url} (Ctrl-C to stop)", flush=True)
    config = uvicorn.Config(desk.app(allowed_hosts(host)), log_level="warning", access_log=False,
                            timeout_graceful_shutdown=3, lifespan="on")
    server = _Server(config, desk)
    if open_browser:
        import webbrowser

        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    server.run(sockets=[sock])
    return 0
