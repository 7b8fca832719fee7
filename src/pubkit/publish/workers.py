"""Rendering a plan's jobs: in this process or in pools of forked workers, each output written atomically.

This module is imported only when something is to be rendered: it brings Jinja, Babel's catalogs and
the Markdown parser; WeasyPrint comes with the first PDF (render/pdf.py).
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .. import safefs
from ..catalog.pofile import shorten
from ..catalog.translations import Translations
from ..config import Project
from ..errors import Diagnostic
from ..fileio import write_atomic
from ..locales import bcp47, language_name
from ..machine import require_fonts
from ..render.formatting import text_direction
from ..render.page import RenderedPage
from ..render.render import Renderer
from ..source.sources import Source
from ..render.resources import check_screen_stylesheet
from ..source.templates import template_files
from .links import page_head
from .paths import absolute_url, mail_path, page_dir, page_relative, pdf_path
from .plan import EMAIL, PRINT_STYLESHEETS, SCREEN_ASSETS, UI_DOMAIN, Job, Plan

@dataclass
class JobResult:
    job: Job
    outputs: dict[str, list] = field(default_factory=dict)  # relative path → [size, mtime_ns, sha256]
    diagnostics: list[Diagnostic] = field(default_factory=list)




RECYCLE_AFTER = 100


def run_jobs(plan: Plan, todo: list[Job], jobs: int, renderer: Renderer | None) -> Iterator[JobResult]:
    """Yield each job's result as it finishes: in this process, or in pools of ``jobs`` workers.

    A pool costs a WeasyPrint import per worker; for a single PDF it is cheaper to stay here. The
    first job of each page reports the messages it shows in the source language.
    """
    if not todo:
        return
    report = {(j.slug, j.language): j.format for j in reversed(todo)}  # one report per page
    # Messages last, in this process: each reads the PDF its release's job has just written.
    yield from _run_pages(plan, [job for job in todo if job.format != EMAIL], jobs, renderer, report)
    yield from _run_pages(plan, [job for job in todo if job.format == EMAIL], 1, renderer, report)


def _run_pages(plan: Plan, todo: list[Job], jobs: int, renderer: Renderer | None,
               report: dict) -> Iterator[JobResult]:
    pdfs = sum(job.format == "pdf" for job in todo)
    if not todo:
        return
    if pdfs < 2 or (jobs <= 1 and pdfs <= RECYCLE_AFTER):
        worker = _Worker(plan, renderer)
        try:
            for job in todo:
                yield worker.run(job, report[(job.slug, job.language)] == job.format)
        finally:
            gc.unfreeze()  # this process collects its own garbage again
        return
    yield from _pool(plan, todo, jobs, renderer, report)


def _pool(plan: Plan, todo: list[Job], jobs: int, renderer: Renderer | None, report: dict) -> Iterator[JobResult]:
    """The jobs in pools of worker processes, each pool replaced after ``RECYCLE_AFTER`` documents a worker.

    When the workers fork from this process, it works as one of them in the first pool: it is warmed up
    already, and with one worker fewer to start nothing waits on a core that the build paid to warm.
    """
    from concurrent.futures import ProcessPoolExecutor  # only a parallel build pays for it

    workers = max(1, min(jobs, len(todo)))
    generation = workers * RECYCLE_AFTER
    context, initializer, initargs = _how_workers_start(plan, todo, renderer)
    # Not with -j1: a pool of one worker is there to be recycled, for memory, and this process is not.
    here = initargs[0] if initializer is _init_forked_worker and workers > 1 else None
    try:
        for start in range(0, len(todo), generation):
            batch = todo[start : start + generation]
            if initializer is _init_forked_worker:
                # Pango starts a short-lived thread of its own ("[pango] FcInit", which calls into
                # fontconfig) for each font map, the parent's warm-up included: a pool forks once it has ended.
                if _single_threaded(wait=FORK_WAIT):
                    # What the workers inherit stays out of their garbage collector, which would otherwise
                    # touch, and so copy, every page of it (about 4 % of a -j2 build's time).
                    gc.freeze()
                else:
                    context, initializer, initargs = _fork_server(plan, todo)
                    here = None
            helping = here if start == 0 else None
            with ProcessPoolExecutor(max_workers=min(workers - (helping is not None), len(batch)), mp_context=context,
                                     initializer=initializer, initargs=initargs) as pool:
                yield from _share(pool, batch, helping, lambda job: report[(job.slug, job.language)] == job.format)
    finally:
        gc.unfreeze()  # this process collects its own garbage again


def _share(pool, batch: list[Job], here: _Worker | None, fallbacks) -> Iterator[JobResult]:
    """Each job's result as soon as it is ready, so progress moves with the work. The pool's workers take
    the jobs from the start of the batch; this process, with a worker ``here``, takes them from its end,
    each one nobody has started yet (a job still queued can be cancelled), until they meet."""
    from concurrent.futures import FIRST_COMPLETED, wait

    futures = [pool.submit(_run_in_worker, job, fallbacks(job)) for job in batch]
    reported: set = set()
    mine = len(futures)  # futures[mine:] were cancelled for this process, which has run those jobs itself
    try:
        while True:
            for future in futures[:mine]:
                if future not in reported and future.done():
                    reported.add(future)
                    yield future.result()  # re-raises a worker's PubkitError with its path and line
            if len(reported) == mine:
                return
            if here is not None and futures[mine - 1].cancel():
                mine -= 1
                yield here.run(batch[mine], fallbacks(batch[mine]))
                continue
            wait([future for future in futures[:mine] if not future.done()], return_when=FIRST_COMPLETED)
    finally:
        for future in futures:
            future.cancel()


def _how_workers_start(plan: Plan, todo: list[Job], renderer: Renderer | None) -> tuple:
    """The multiprocessing context of the workers, their initializer and its arguments.

    Forked from this process, warmed up once here, when this process runs no other thread: the workers
    then inherit the compiled templates, parsed sources, stylesheets, fonts and hyphenation dictionaries
    without pickling or loading them again. But a fork copies a lock that another thread holds at that
    moment as held, forever: a thread freeing WeasyPrint's fonts holds fontconfig's cache lock, and the
    worker hangs on its first document (it happened in a test process, whose runner has a thread of its
    own). A process with threads (a server, a test runner, a program that calls build()) starts its
    workers from multiprocessing's fork server instead, a process with one thread; each of those
    workers reads the plan and warms up by itself.
    """
    import multiprocessing

    if _single_threaded() and "fork" in multiprocessing.get_all_start_methods():
        parent = _Worker(plan, renderer)
        _warm_up(parent, todo)
        return multiprocessing.get_context("fork"), _init_forked_worker, (parent,)
    return _fork_server(plan, todo)


def _fork_server(plan: Plan, todo: list[Job]) -> tuple:
    """Workers started from multiprocessing's fork server, each reading the plan and warming up by itself."""
    import multiprocessing

    context = multiprocessing.get_context("forkserver")
    # Imported once in the server, before it forks a worker (it has no threads: that fork is safe).
    context.set_forkserver_preload([__name__, "pubkit.render.pdf"])
    return context, _init_started_worker, (plan, todo)


#: How long a build waits for this process's other threads to end before it forks (seconds).
FORK_WAIT = 2.0


def _single_threaded(wait: float = 0.0) -> bool:
    """Whether this process runs no thread but the one asking (native threads count too), waiting up to
    ``wait`` seconds for the others to end."""
    import threading
    import time

    deadline = time.monotonic() + wait
    while True:
        try:
            alone = len(os.listdir("/proc/self/task")) == 1
        except OSError:  # pragma: no cover - no procfs: Python's own threads are all that can be seen
            alone = threading.active_count() == 1
        if alone or time.monotonic() >= deadline:
            return alone
        time.sleep(0.001)


_worker: "_Worker | None" = None


def _init_forked_worker(worker: _Worker) -> None:
    global _worker
    _die_with_parent()
    _worker = worker  # the parent's, warmed up (forked, not pickled)


def _init_started_worker(plan: Plan, todo: list[Job]) -> None:
    global _worker
    from multiprocessing.util import Finalize

    _die_with_parent()
    _worker = _Worker(plan, Renderer(plan.project))
    _warm_up(_worker, todo)
    Finalize(_worker, _worker.close, exitpriority=1)  # as it leaves (a forked worker has the parent's fonts)


def _warm_up(worker: _Worker, todo: list[Job]) -> None:
    """Load here, once, before the workers fork, what each worker (and each worker that replaces one,
    RECYCLE_AFTER) would otherwise load for itself: the sources of the jobs, the CLDR data of every
    language a page names or formats, the print stylesheets, the hyphenation dictionaries and
    WeasyPrint's own start with a line in each language (fonts). Each worker's first document then
    costs what its others do."""
    for slug in dict.fromkeys(job.slug for job in todo):
        worker.index.source(slug)
    for language in worker.project.output_languages:
        language_name(language)  # the language switcher of every page
    for language in dict.fromkeys(job.language for job in todo):
        worker.renderer.formatter(language)
    printed = list(dict.fromkeys(job.language for job in todo if job.format == "pdf"))
    if not printed:
        return
    from ..render.hyphenation import preload  # WeasyPrint and Pyphen: only for a build with PDFs
    from ..render.pdf import warm_up

    for language in printed:
        preload(language)
    warm_up(worker.print_styles(), [(bcp47(language), language_name(language)) for language in printed],
            worker.project.pdf_variant)


def _die_with_parent() -> None:
    """A worker must not outlive a build that was killed (Ctrl-C twice, a CI timeout, SIGKILL)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: Linux only; elsewhere the pool's pipes end it
    except (OSError, AttributeError):  # pragma: no cover
        pass


def _run_in_worker(job: Job, report_fallbacks: bool) -> JobResult:
    assert _worker is not None
    return _worker.run(job, report_fallbacks)


class _Worker:
    """Renders jobs; one per process, so templates are compiled and WeasyPrint imported once."""

    def __init__(self, plan: Plan, renderer: Renderer | None):
        self.project = plan.project
        self.publication = plan.publication
        self.preview = plan.preview
        self.renderer = renderer
        self.index = plan.sources
        self.assets = template_files(self.project)
        self._ui: dict[str, Translations] = {}
        self._print_styles = None  # render.pdf.PrintStyles, once a PDF is made
        self._screen: dict[str, bytes] = {}
        self._last: tuple[tuple[str, str], Translations] | None = None
        self._settled = False  # per process: a forked worker gets the parent's, which has rendered nothing

    def settle(self) -> None:
        """After this process's first document: what it loaded to render (templates, CLDR data, catalogs,
        fonts, WeasyPrint's own caches) lives until the build ends, so it leaves the garbage collector,
        whose every full collection would walk it again. An in-process build unfreezes it at its end."""
        if not self._settled:
            gc.collect()
            gc.freeze()
            self._settled = True

    def screen_asset(self, name: str) -> bytes:
        """A stylesheet copied beside every web page, checked once: it must not reach the network or a disk."""
        if name not in self._screen:
            self._screen[name] = check_screen_stylesheet(self.assets[name], self.project.allow_network)
        return self._screen[name]

    def close(self) -> None:
        """Remove the folder of the fonts the print stylesheets add (PrintStyles.close), if any were loaded."""
        if self._print_styles is not None:
            self._print_styles.close()

    def print_styles(self):
        """The print stylesheets and fonts (render.pdf.PrintStyles), once per process (and before the workers
        fork, by _warm_up)."""
        if self._print_styles is None:
            from ..render.pdf import load_stylesheets  # WeasyPrint: only when a PDF is made

            paths = [self.assets[name] for name in PRINT_STYLESHEETS]
            self._print_styles = load_stylesheets(paths, self.renderer.policy)
        return self._print_styles

    def translations(self, language: str, slug: str) -> "Translations":
        # The HTML and PDF jobs of a page usually follow each other: read its catalog once.
        if self._last is None or self._last[0] != (language, slug):
            self._last = ((language, slug), Translations.load(self.project, language, slug))
        return self._last[1]

    def message(self, source: Source, language: str, page: RenderedPage, site: dict, ui: Translations) -> bytes:
        """The e-mail edition of a rendered page, with the PDF this build wrote (mail.py)."""
        from .mail import Edition, embargo_notice, release_message  # the email package: only for messages

        pdf = pdf_path(self.project, source.slug, language)
        relative = page_relative(self.project, source.slug, language)
        date = source.fields.get("date")
        edition = Edition(
            slug=source.slug, language=language, direction=text_direction(self.renderer.formatter(language).locale),
            page_html=page.html, images=tuple(page.images), pdf=safefs.read_beneath(
                self.project.output_dir, pdf.relative_to(self.project.output_dir).as_posix(), 512 * 1024 * 1024),
            pdf_name=pdf.name, page_url=absolute_url(self.project, relative),
            date=date if isinstance(date, dt.date) else None, notice=embargo_notice(ui, site.get("embargo")))
        return release_message(self.project, edition)

    def run(self, job: Job, report_fallbacks: bool) -> JobResult:
        project, source = self.project, self.index.source(job.slug)
        translations = self.translations(job.language, source.slug)
        if job.language not in self._ui:
            self._ui[job.language] = Translations.load(project, job.language, UI_DOMAIN)
        ui = self._ui[job.language]
        folder = page_dir(project, source.slug, job.language)
        files: dict[Path, bytes | str] = {}
        result = JobResult(job)
        site = page_head(project, source.slug, job.language, self.publication, self.renderer.formatter(job.language))
        if job.format == EMAIL:
            page = self.renderer.render(source, job.language, translations, ui, EMAIL, self.preview, site)
            files[mail_path(project, source.slug, job.language)] = self.message(source, job.language, page, site, ui)
        elif job.format == "html":
            page = self.renderer.render(source, job.language, translations, ui, "screen", self.preview, site)
            files[folder / "index.html"] = page.html
            for name in SCREEN_ASSETS:
                files[folder / name] = self.screen_asset(name)
            for relative, real in page.images:
                files[folder / relative] = real.read_bytes()
        else:
            # WeasyPrint and Pyphen's dictionaries are imported only when a PDF is made
            from ..render.hyphenation import preload
            from ..render.pdf import write_pdf

            styles = self.print_styles()
            page = self.renderer.render(source, job.language, translations, ui, "print", self.preview, site)
            preload(job.language)
            if page.fallbacks:
                preload(project.source_language)
            data, warnings = write_pdf(
                page.html,
                base_url=source.path.parent,
                styles=styles,
                policy=self.renderer.policy,
                referrer=source.path,
                variant=project.pdf_variant,
                max_pages=project.max_pages,
                max_seconds=project.max_render_seconds,
            )
            files[pdf_path(project, source.slug, job.language)] = data
            result.diagnostics.extend(Diagnostic(f"{job.language}: {w}", source.path) for w in warnings)
        if report_fallbacks and page.fallbacks:
            shown = "; ".join(f"'{shorten(msgid)}'" for _, msgid in page.fallbacks[:3])
            more = f" and {len(page.fallbacks) - 3} more" if len(page.fallbacks) > 3 else ""
            count = len(page.fallbacks)
            result.diagnostics.append(Diagnostic(
                f"{count} {'message' if count == 1 else 'messages'} not translated into {job.language} "
                f"(missing, fuzzy or not usable), published in {project.source_language}: {shown}{more}",
                translations.path or source.path,
            ))
        for path, data in files.items():
            safefs.check_write(project.output_dir, path)  # never through a link such as dist/<slug> → /etc
            write_atomic(path, data)
            info = path.stat()
            digest = hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()
            result.outputs[path.relative_to(project.output_dir).as_posix()] = [info.st_size, info.st_mtime_ns, digest]
        self.settle()
        return result


def make_renderer(plan: Plan, todo: list[Job]) -> Renderer | None:
    """The renderer of a build with something to render: every template compiled here, so that a
    template mistake is reported once, plainly."""
    if not todo:
        return None
    _check_senders(plan.project, todo)
    if any(job.format == "pdf" for job in todo):
        require_fonts()  # without any font, Pango crashes the process instead of reporting it
    return Renderer(plan.project)


def _check_senders(project: Project, todo: list[Job]) -> None:
    """A message without a From is reported before anything is written (mail.press_sender)."""
    for language in sorted({job.language for job in todo if job.format == EMAIL}):
        from .mail import press_sender  # the email package: only for a build with messages

        press_sender(project, language)
