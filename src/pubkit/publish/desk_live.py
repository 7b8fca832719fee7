"""The review desk's live build: preview builds of one project in this process, again at every save.

``watchfiles`` reports saved sources, catalogs, templates and ``pubkit.toml``; the web pages are rebuilt
first (they are on screen sooner), then the PDFs, into the preview folder (``preview_dir``; never
``output_dir``). Every open page hears of each new generation through :meth:`LiveBuild.changes`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import traceback
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import Path

from watchfiles import DefaultFilter, awatch

from ..config import CONFIG_FILE, PYPROJECT_FILE, Project, load_project
from ..errors import PubkitError
from .build import build

#: Where preview builds go unless ``pubkit.toml`` says otherwise (``preview_dir``, Project.preview_output_dir):
#: review output never mixes with what gets published.
PREVIEW_DIR = "dist-preview"
#: How long a live-reload stream waits between checks for a shutdown.
_TICK = 0.5


@dataclass
class DeskState:
    """What the browser is told: the output generation, the current build error, and whether a build runs."""

    generation: int = 0
    error: str | None = None
    building: bool = False

    def as_json(self) -> str:
        return json.dumps({"generation": self.generation, "error": self.error, "building": self.building})


def preview_project(project: Project) -> Project:
    """The project with its preview folder as output: where paths.py finds what the desk built."""
    return replace(project, output_dir=project.preview_output_dir)


class LiveBuild:
    """One project's preview builds, its watchers and the state the browser is shown."""

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
        self._changed: asyncio.Event | None = None
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

    async def changes(self) -> AsyncIterator[str]:
        """The state as JSON, each time it changes, until the desk stops (a Server-Sent Events stream)."""
        sent = None
        while not self.stopping:
            assert self._changed is not None
            waiting = self._changed
            now = self.state.as_json()
            if now != sent:
                yield now
                sent = now
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(waiting.wait(), _TICK)

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
