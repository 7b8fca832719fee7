"""The review desk's build loop: preview builds in this process, rebuilt when a watched file is saved.

One process keeps the incremental build warm (WeasyPrint, Jinja and the fonts are loaded once), writes
*preview* builds into ``dist-preview/`` (``preview_dir``; never ``output_dir``), and ``watchfiles``
reports saved sources, catalogs, templates and ``pubkit.toml``; the loop then rebuilds the web pages,
tells every open page to reload (through :attr:`BuildLoop.changed`), and renders the PDFs.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path

from watchfiles import DefaultFilter, awatch

from ..config import CONFIG_FILE, PYPROJECT_FILE, Project, load_project
from ..errors import PubkitError
from .build import build

#: Where preview builds go unless ``pubkit.toml`` says otherwise (``preview_dir``, Project.preview_output_dir):
#: review output never mixes with what gets published.
PREVIEW_DIR = "dist-preview"


@dataclass
class DeskState:
    """What the browser is told: the output generation, the current build error, and whether a build runs."""

    generation: int = 0
    error: str | None = None
    building: bool = False

    def as_json(self) -> str:
        return json.dumps({"generation": self.generation, "error": self.error, "building": self.building})


class BuildLoop:
    """The warm preview build of one project, its state, and the watchers that start it again."""

    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        #: The preview folder served under /site/: the project's, followed at every build (a broken
        #: configuration keeps the last one known).
        self.preview_dir = self.root / PREVIEW_DIR
        with contextlib.suppress(PubkitError):
            self.preview_dir = self.project().preview_output_dir
        self.state = DeskState()
        self._build_lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self.changed: asyncio.Event | None = None  # set (and replaced) whenever the state changes
        self._dirty: asyncio.Event | None = None
        self._stop: asyncio.Event | None = None
        self.stopping = False

    def project(self) -> Project:
        return load_project(self.root)

    def build(self, formats: tuple[str, ...]) -> bool:
        """A preview build of ``formats``, in this process; True if it wrote something.

        A mistake in the project becomes the desk's error (``path:line: error: …``), shown on every
        page; the server keeps running and the next good save clears it.
        """
        with self._build_lock:
            try:
                project = self.project()
                self.preview_dir = project.preview_output_dir
                result = build(project, formats=formats, preview=True, jobs=1)
            except PubkitError as error:
                self.state.error = error.format(self.root)
                return False
            except Exception as error:  # a bug must not take the desk down: show it, keep serving
                traceback.print_exc()
                self.state.error = f"pubkit: error: internal error while building: {type(error).__name__}: {error}"
                return False
            self.state.error = None
            return bool(result.written)

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
        assert self.changed is not None
        changed, self.changed = self.changed, asyncio.Event()
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
        self.changed, self._dirty, self._stop = asyncio.Event(), asyncio.Event(), asyncio.Event()
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
