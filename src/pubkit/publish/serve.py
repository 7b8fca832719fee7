"""The review desk (``pubkit serve``): every release in every language in the browser, rebuilt on save.

One process keeps the incremental build warm (WeasyPrint, Jinja and the fonts are loaded once): the live
build (desk_live.py) writes *preview* builds into ``dist-preview/`` at every save, in the site's layout
(paths.py); this module serves them read-only with Starlette and uvicorn, with the dashboard
(desk_overview.py), PDF thumbnails (thumbnails.py) and a Server-Sent Events stream that tells every open
page to reload.

Safety: it binds the loopback address unless told otherwise, checks the ``Host`` header (a page on some
other site cannot reach it through DNS rebinding), sends no CORS headers, answers only GET and HEAD,
and serves only files inside the preview folder by real path, plus its own assets.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import signal
import socket
import sys
import threading
from pathlib import Path

import jinja2
import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from ..errors import PubkitError
from ..locales import bcp47, language_name
from ..safefs import confined
from .desk_live import PREVIEW_DIR, LiveBuild, preview_project
from .desk_overview import overview, project_language, release_heading, release_pdf, site_link
from .paths import page_relative, pdf_relative
from .thumbnails import Thumbnails

__all__ = ["PREVIEW_DIR", "Desk", "allowed_hosts", "is_loopback", "serve"]

ASSETS_DIR = Path(__file__).parent / "review"
ASSETS = {"review.css": "text/css", "frame.css": "text/css", "live.js": "text/javascript",
          "review.js": "text/javascript"}
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1", "[::1]")
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


class Desk:
    """The review desk's web application over one project's live build."""

    def __init__(self, root: Path):
        self.live = LiveBuild(root)
        self.root = self.live.root
        self.thumbnails = Thumbnails()
        self.templates = jinja2.Environment(loader=jinja2.FileSystemLoader(ASSETS_DIR), autoescape=True,
                                            undefined=jinja2.StrictUndefined)

    def page(self, name: str, **context) -> HTMLResponse:
        context.setdefault("problem", None)
        html = self.templates.get_template(name).render(state=self.live.state, **context)
        return HTMLResponse(html, headers=_HEADERS)

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
        return Starlette(routes=routes, lifespan=self.live.lifespan,
                         middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts,
                                                www_redirect=False)])

    async def dashboard(self, request: Request) -> Response:
        try:
            shown = await asyncio.to_thread(lambda: overview(self.live.project()))
            problem = None
        except PubkitError as error:
            shown, problem = {"releases": [], "languages": []}, error.format(self.root)
        return self.page("dashboard.html", problem=problem, **shown)

    async def review(self, request: Request) -> Response:
        slug = request.path_params["slug"]
        try:
            project = self.live.project()
        except PubkitError as error:
            return self.page("dashboard.html", problem=error.format(self.root), releases=[], languages=[])
        chosen = [project_language(project, lang) for lang in request.query_params.getlist("lang")]
        languages = [lang for lang in project.output_languages if lang in chosen] or list(project.output_languages)
        preview = preview_project(project)
        # A release the preview holds: its page or PDF in some language, by real path inside the preview.
        if not any(site_link(preview, relative(preview, slug, language))
                   for language in project.output_languages for relative in (page_relative, pdf_relative)):
            return _not_found()
        columns = []
        for language in languages:
            pdf = release_pdf(preview, slug, language)
            pages = await asyncio.to_thread(self.thumbnails.pages, pdf) if pdf else 0
            stamp = pdf.stat().st_mtime_ns if pdf else 0
            columns.append({"language": language, "tag": bcp47(language), "name": language_name(language),
                            "page": site_link(preview, page_relative(preview, slug, language)),
                            "pdf": site_link(preview, pdf_relative(preview, slug, language)),
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
        path = confined(self.live.preview_dir, relative) if relative else None
        if relative == "" or (path is not None and path.is_dir()):
            folder = path or self.live.preview_dir.resolve()
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
            project = self.live.project()
        except PubkitError:
            return _not_found()
        language = project_language(project, request.path_params["language"])
        pdf = release_pdf(preview_project(project), request.path_params["slug"], language) if language else None
        if pdf is None:
            return _not_found()
        data = await asyncio.to_thread(self.thumbnails.png, pdf, request.path_params["page"])
        return Response(data, media_type="image/png", headers=_HEADERS) if data else _not_found()

    async def events(self, request: Request) -> Response:
        async def stream():
            async for state in self.live.changes():
                yield f"data: {state}\n\n"

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
        self.desk.live.stop_soon()
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
    live = desk.live
    shown_dir = live.preview_dir.relative_to(live.root) if live.preview_dir.is_relative_to(live.root) \
        else live.preview_dir
    print(f"building previews into {shown_dir.as_posix()}/ …", file=sys.stderr, flush=True)
    live.build_all()
    if live.state.error:
        print(live.state.error, file=sys.stderr, flush=True)
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
