"""Build jobs: (release, language, format) → files in ``dist/``; parallel, incremental, shardable."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__, safefs
from ..config import Project, is_valid_slug, parse_languages
from ..source.embargo import is_embargoed
from ..errors import Diagnostic, UsageError
from ..fileio import write_atomic
from ..machine import require_fonts, source_date_epoch
from .paths import NO_BASE_URL, Publication, page_dir, pdf_path
from ..source.templates import template_files

# Catalogs, sources and the process pool are imported where they are used: a rebuild that finds
# nothing to do must not pay for Babel's catalogs, YAML, Markdown or Jinja (CLI speed, issue 14).
if TYPE_CHECKING:  # pragma: no cover
    from ..catalog.translations import Fallback, Translations
    from ..source.sources import Source

FORMATS = ("html", "pdf")
#: Static files of the template set a web page links to, copied beside it.
SCREEN_ASSETS = ("base.css", "screen.css")
PRINT_STYLESHEETS = ("base.css", "print.css")
#: Where a build remembers what it made from which inputs (inside the output folder).
STATE_FILE = Path(".pubkit") / "state.json"
#: The catalog of the template strings: ``extract.TEMPLATES_DOMAIN``, spelled out here so that hashing
#: the inputs does not import the catalog machinery (a test keeps the two equal).
UI_DOMAIN = "templates"


@dataclass(frozen=True, order=True)
class Job:
    """One output of a build: a release in a language in a format."""

    slug: str
    language: str
    format: str

    @property
    def key(self) -> str:
        return f"{self.slug}/{self.language}/{self.format}"


@dataclass
class JobResult:
    job: Job
    outputs: dict[str, list] = field(default_factory=dict)  # relative path → [size, mtime_ns, sha256]
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass
class BuildResult:
    written: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    up_to_date: int = 0
    jobs: list[Job] = field(default_factory=list)
    #: Translations the checks refused, published in the source language instead: (language, why).
    not_used: list[tuple[str, Fallback]] = field(default_factory=list)
    #: The plan of the whole project (before sharding): every job's input digest, the digest of them all,
    #: and the sha256 of every input file read (so a stale shard can name the file that changed).
    digests: dict[Job, str] = field(default_factory=dict)
    everything: str = ""
    input_files: dict[str, str] = field(default_factory=dict)
    #: Releases under embargo that this build rendered for review (--include-embargoed): slug → its end.
    embargoed: dict[str, dt.datetime] = field(default_factory=dict)
    #: Files of the site around the pages (indexes, feeds, sitemap) that this build rewrote.
    site: list[Path] = field(default_factory=list)
    #: About the site as a whole (no base_url: no feeds, no sitemap), apart from the pages' diagnostics.
    site_warnings: list[Diagnostic] = field(default_factory=list)


Progress = Callable[[int, int, JobResult | None], None]


def parse_shard(spec: str | None) -> tuple[int, int] | None:
    """``K/N`` → (K, N) with 1 ≤ K ≤ N; None for no sharding."""
    if spec is None:
        return None
    parts = spec.split("/")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise UsageError(f"--shard takes K/N, such as 2/4, not '{spec}'")
    index, count = int(parts[0]), int(parts[1])
    if not 1 <= index <= count:
        raise UsageError(f"--shard {spec}: K must be between 1 and N, and N at least 1")
    return index, count


def select_languages(project: Project, tags: list[str] | None) -> list[str]:
    if not tags:
        return list(project.output_languages)
    chosen = parse_languages(tags)
    for tag, language in zip(tags, chosen):
        if language not in project.output_languages:
            raise UsageError(f"'{tag}' is not a language of this project ({', '.join(project.output_languages)})")
    return chosen


def select_slugs(known: dict[str, Path], slugs: list[str] | None) -> list[str]:
    if not slugs:
        return list(known)
    unknown = [slug for slug in slugs if slug not in known]
    if unknown:
        raise UsageError(f"no source with slug '{unknown[0]}' (sources: {', '.join(known) or 'none'})")
    return list(dict.fromkeys(slugs))


class SourceIndex:
    """slug → source file, parsing only the files that changed since the last build.

    The slug of an unchanged file (same bytes) is remembered in the build state: a rebuild of a
    large project does not parse hundreds of releases just to find out there is nothing to do.
    """

    def __init__(self, project: Project, remembered: dict):
        self.project = project
        self.parsed: dict[str, Source] = {}
        self.paths: dict[str, Path] = {}
        self.cache: dict[str, dict] = {}
        self.embargoes: dict[str, dt.datetime | None] = {}
        found: list[tuple[str, Path]] = []
        for path in project.source_files():
            relative = path.relative_to(project.root).as_posix()
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            entry = remembered.get(relative)
            if (isinstance(entry, dict) and entry.get("sha256") == digest and isinstance(entry.get("slug"), str)
                    and is_valid_slug(entry["slug"]) and "embargo" in entry):
                # a slug names folders: never take '../x' from a state
                slug = entry["slug"]
                embargo = _moment(entry["embargo"])
            else:
                from ..source.sources import read_source

                source = read_source(path)
                slug = source.slug
                self.parsed[slug] = source
                embargo = source.fields.get("embargo")  # type: ignore[assignment]
            found.append((slug, path))
            self.embargoes[slug] = embargo
            self.cache[relative] = {"sha256": digest, "slug": slug,
                                    "embargo": embargo.isoformat() if embargo else None}
        if self.parsed:
            # Only files parsed now can bring a new slug: the others were checked unique by the last build.
            from ..source.sources import check_unique_slugs

            check_unique_slugs(found)
        self.paths = dict(found)

    def embargo(self, slug: str) -> dt.datetime | None:
        return self.embargoes.get(slug)

    def source(self, slug: str) -> Source:
        if slug not in self.parsed:
            from ..source.sources import read_source

            self.parsed[slug] = read_source(self.paths[slug])
        return self.parsed[slug]


def _moment(text: object) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if isinstance(text, str) else None


# --- inputs and state ----------------------------------------------------------------------------


class Inputs:
    """Content hashes of everything a job reads, so an unchanged job is not rendered again."""

    def __init__(self, project: Project):
        self.project = project
        shared = hashlib.sha256(f"pubkit {__version__}\n".encode())
        shared.update(project.config_path.read_bytes())
        # A web page does not read print.css and a PDF does not read screen.css.
        unread = {"html": set(PRINT_STYLESHEETS) - set(SCREEN_ASSETS), "pdf": set(SCREEN_ASSETS) - set(PRINT_STYLESHEETS)}
        templates = {kind: hashlib.sha256() for kind in FORMATS}
        self.files: dict[str, str] = {}  # project-relative path → sha256, of every file hashed here
        self._note(project.config_path, project.config_path.read_bytes())
        # fontTools stamps subset fonts with SOURCE_DATE_EPOCH: it is an input of every PDF
        epoch = f"{source_date_epoch()}".encode()
        shared.update(b"\0SOURCE_DATE_EPOCH=" + epoch)
        self.files["SOURCE_DATE_EPOCH"] = hashlib.sha256(epoch).hexdigest()
        for name, path in template_files(project).items():
            content = path.read_bytes()
            self._note(path, content)
            data = f"\0template {name}\0".encode() + content
            for kind in FORMATS:
                if name not in unread[kind]:
                    templates[kind].update(data)
        if project.sources_dir.is_dir():
            for path in sorted(project.sources_dir.rglob("*")):
                if path.is_file() and path.suffix != ".md":  # images and other assets of the sources
                    content = path.read_bytes()
                    self._note(path, content)
                    shared.update(f"\0asset {path.relative_to(project.sources_dir)}\0".encode() + content)
        self._shared = {kind: f"{shared.hexdigest()}:{templates[kind].hexdigest()}" for kind in FORMATS}
        self._files: dict[Path, bytes] = {}

    def _read(self, path: Path) -> bytes:
        if path not in self._files:
            self._files[path] = path.read_bytes() if path.exists() else b""
            self._note(path, self._files[path])
        return self._files[path]

    def _note(self, path: Path, data: bytes) -> None:
        try:
            name = path.relative_to(self.project.root).as_posix()
        except ValueError:  # pubkit's built-in templates: their version is in the digest already
            return
        self.files[name] = hashlib.sha256(data).hexdigest()

    def digest(self, source_path: Path, job: Job, preview: bool, page: str = "") -> str:
        """``page``: what else the page shows (its languages, an embargo line)."""
        h = hashlib.sha256(f"{self._shared[job.format]}\0{job.key}\0preview={preview}\0{page}\0".encode())
        h.update(self._read(source_path))
        if job.language != self.project.source_language:
            h.update(b"\0" + self._read(self.project.po_path(job.language, job.slug)))
            h.update(b"\0" + self._read(self.project.po_path(job.language, UI_DOMAIN)))
        return h.hexdigest()


def read_state(output_dir: Path) -> dict:
    try:
        state = json.loads((output_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(state, dict) or state.get("pubkit") != __version__:
        return {}
    # A damaged or foreign state only costs a full build; bundle validates it strictly (shards.py).
    return state if all(isinstance(state.get(k, {}), dict) for k in ("jobs", "sources")) else {}


def _up_to_date(project: Project, entry: dict | None, digest: str) -> bool:
    if not entry or entry.get("digest") != digest:
        return False
    try:
        for relative, record in entry.get("outputs", {}).items():
            path = project.output_dir / relative
            if safefs.check_name(relative) or safefs.first_link(project.output_dir, path):
                return False
            info = path.stat()
            if info.st_size != record[0] or info.st_mtime_ns != record[1] or len(record) != 3:
                return False
    except (OSError, TypeError, LookupError, AttributeError):  # a damaged state: render again
        return False
    return True


def _remove_stale(project: Project, previous: dict, finished: dict, index: SourceIndex,
                  skipped: list[tuple[str, str]]) -> None:
    """Delete outputs this build no longer makes: of removed releases and languages, of languages
    no longer published, and images a re-rendered page stopped using. Only files recorded in the
    state are touched, only under their release's own folder (paths.py), and never through a link.
    """
    languages = set(project.output_languages)
    for key, entry in list(finished.items()):
        old = previous.get(key) if isinstance(previous.get(key), dict) else {}
        slug, _, rest = key.partition("/")
        language = rest.partition("/")[0]
        gone = slug not in index.paths or language not in languages or (slug, language) in skipped
        kept = set() if gone else set(entry.get("outputs", {})) if isinstance(entry, dict) else set()
        stale = [name for name in (old.get("outputs") or {}) if name not in kept]
        for name in stale:
            # Only inside a release's own folder (<language folder>/<slug>/…, paths.py), whatever the
            # language's folder was called when the file was written.
            parts = name.split("/") if isinstance(name, str) else []
            if len(parts) >= 3 and parts[1] == slug:
                safefs.remove_beneath(project.output_dir, name)
        if gone:
            del finished[key]


# --- the build ---------------------------------------------------------------------------------


def build(
    project: Project,
    languages: list[str] | None = None,
    slugs: list[str] | None = None,
    formats: tuple[str, ...] = FORMATS,
    preview: bool = False,
    jobs: int = 1,
    force: bool = False,
    shard: tuple[int, int] | None = None,
    progress: Progress | None = None,
    plan_only: bool = False,
    now: dt.datetime | None = None,
    include_embargoed: bool = False,
) -> BuildResult:
    """Render what changed since the last build, ``jobs`` at a time; each output is written atomically.

    A job is skipped when the hash of its inputs (source, catalogs, templates, configuration,
    assets, pubkit version) matches the last build and its outputs are untouched, so a rebuild
    with nothing changed imports neither WeasyPrint nor Jinja. ``plan_only`` returns the plan and
    its digests without rendering or writing anything (``bundle --merge`` checks shards against it).

    A release whose embargo has not ended at ``now`` (plan.current_time) is left out, and its earlier
    outputs removed, unless ``include_embargoed`` renders it marked for review. The site around the
    pages (site.py) is regenerated when what it lists changed; a shard leaves it to ``bundle --merge``.
    """
    if preview:  # a preview is never publishable output: it has its own folder
        project = replace(project, output_dir=project.preview_output_dir)
    result = BuildResult()
    source_date_epoch()  # a value that is not a time fails here, before any work
    chosen_languages = select_languages(project, languages)
    state = read_state(project.output_dir)
    index = SourceIndex(project, state.get("sources", {}))
    chosen_slugs = select_slugs(index.paths, slugs)
    if now is None:
        from .plan import current_time

        now = current_time()
    embargoed = {slug: when for slug in index.paths if is_embargoed(when := index.embargo(slug), now)}
    inputs = Inputs(project)
    previous = state.get("jobs", {})
    gate: dict[tuple[str, str], list[Fallback]] = {}  # (slug, language) → its translations not used
    gate_digests: dict[tuple[str, str], str] = {}  # (slug, language) → the digest its verdicts come from
    ui_rejected: dict[str, list[Fallback]] = {}  # language → template strings not used, read when needed

    def ui_gate(language: str) -> list[Fallback]:
        if language not in ui_rejected:
            from ..catalog.extract import TEMPLATES_DOMAIN
            from ..catalog.translations import Translations

            ui_rejected[language] = Translations.load(project, language, TEMPLATES_DOMAIN).rejected()
        return ui_rejected[language]

    # Pages not published last time, by the digest of their inputs: the same inputs give the same verdict,
    # so a no-op build repeats it without reading a catalog or parsing a source.
    was_skipped: dict = state.get("skipped", {}) if isinstance(state.get("skipped"), dict) else {}
    skipped_now: dict[str, list] = {}

    def skip(slug: str, language: str, message: str, path: Path, digest: str, report: bool) -> None:
        skipped_now[f"{slug}/{language}"] = [digest, message, path.relative_to(project.root).as_posix()]
        if report:
            result.skipped.append((slug, language))
            result.diagnostics.append(Diagnostic(message, path))

    published: dict[str, tuple[str, ...]] = {}
    for slug in index.paths:  # every release's languages, for the switcher, even those not built now
        if slug in embargoed and not include_embargoed:
            if slug in chosen_slugs:
                result.diagnostics.append(Diagnostic(
                    f"embargoed until {embargoed[slug].isoformat()}: left out of the site "
                    "(--include-embargoed renders it for review)", index.paths[slug], severity="note"))
            continue
        languages_of_slug = []
        for language in project.output_languages:
            if language == project.source_language:
                languages_of_slug.append(language)
                continue
            settings = project.settings(language)
            report = slug in chosen_slugs and language in chosen_languages
            page_digest = inputs.digest(index.paths[slug], Job(slug, language, "html"), preview)
            gate_digests[(slug, language)] = page_digest
            remembered_skip = was_skipped.get(f"{slug}/{language}")
            if (isinstance(remembered_skip, list) and len(remembered_skip) == 3
                    and remembered_skip[0] == page_digest and all(isinstance(x, str) for x in remembered_skip)):
                skip(slug, language, remembered_skip[1], project.root / remembered_skip[2], page_digest, report)
                continue
            remembered = _remembered_gate(project, previous, slug, language, page_digest)
            if remembered is not None and settings.min_completeness <= 0:
                # Same inputs as a page published last time: same verdicts, no catalog or source to parse.
                gate[(slug, language)] = remembered
                if report:
                    result.not_used.extend((language, rejected) for rejected in remembered)
                languages_of_slug.append(language)
                continue
            from ..catalog.translations import Translations

            source = index.source(slug)
            translations = Translations.load(project, language, source.slug)
            used = set(source.message_keys)
            # The page's own messages and the template strings: both digests are in the job's inputs.
            gate[(slug, language)] = [rejected for rejected in translations.rejected()
                                      if (rejected.context, rejected.msgid) in used] + ui_gate(language)
            completeness = translations.completeness(source.message_keys)
            if completeness == 0 and used:
                # Source text labelled as another language misleads readers and search engines alike.
                skip(source.slug, language, f"'{source.slug}' has no usable translation into {language}: "
                     "not published", translations.path or source.path, page_digest, report)
                continue
            if completeness < settings.min_completeness:
                skip(source.slug, language, f"{language} is {completeness:.1f}% translated, below "
                     f"min_completeness {settings.min_completeness:g}%: not published",
                     translations.path or source.path, page_digest, report)
                continue
            if report:
                result.not_used.extend((language, rejected) for rejected in gate[(slug, language)])
            languages_of_slug.append(language)
        published[slug] = tuple(languages_of_slug)
    from ..render.brand import brand_assets

    publication = Publication(published, {s: w for s, w in embargoed.items() if s in published},
                              brand_assets(project))
    result.embargoed = dict(publication.embargoed)
    planned = [Job(slug, language, f) for slug in chosen_slugs for language in published.get(slug, ())
               if language in chosen_languages for f in FORMATS if f in formats]
    planned.sort()
    pages = {slug: f"{','.join(languages)};embargo={publication.embargoed.get(slug)}"
             for slug, languages in published.items()}
    digests = {job: inputs.digest(index.paths[job.slug], job, preview, pages[job.slug]) for job in planned}
    everything = hashlib.sha256("".join(f"{job.key}={digests[job]}\n" for job in planned).encode()).hexdigest()
    result.digests, result.everything, result.input_files = digests, everything, inputs.files
    if shard is not None:
        part, parts = shard
        planned = planned[part - 1 :: parts]  # sorted jobs dealt round-robin: deterministic and balanced
    result.jobs = planned
    if plan_only:
        return result

    todo = [job for job in planned if force or not _up_to_date(project, previous.get(job.key), digests[job])]
    result.up_to_date = len(planned) - len(todo)
    report_fallbacks = {(j.slug, j.language): j.format for j in reversed(todo)}  # one report per page

    renderer = None
    if todo:
        from ..render.render import Renderer

        if any(job.format == "pdf" for job in todo):
            require_fonts()  # without any font, Pango crashes the process instead of reporting it
        renderer = Renderer(project)  # compiles every template here: a template mistake is reported once, plainly
    finished: dict[str, dict] = {k: v for k, v in previous.items()}
    if not include_embargoed:  # an embargoed page rendered earlier for review must not stay in the site
        for key in [k for k in finished if k.split("/")[0] in embargoed]:
            for relative in finished.pop(key).get("outputs", {}):
                safefs.remove_beneath(project.output_dir, relative)
    total = len(todo)
    if progress:
        progress(0, total, None)
    site_state = state.get("site")
    completed = False
    try:
        for done, job_result in enumerate(_run(project, todo, preview, report_fallbacks, jobs, renderer, index,
                                                                publication),
                                          start=1):
            job = job_result.job
            finished[job.key] = {"digest": digests[job], "outputs": job_result.outputs}
            if (job.slug, job.language) in gate:
                finished[job.key]["not_used"] = [_gate_entry(project, f) for f in gate[(job.slug, job.language)]]
                finished[job.key]["gate"] = gate_digests[(job.slug, job.language)]
            result.written.extend(project.output_dir / rel for rel in job_result.outputs
                                  if rel.endswith((".html", ".pdf")))
            result.diagnostics.extend(job_result.diagnostics)
            if progress:
                progress(done, total, job_result)
        if not languages and not slugs and formats == FORMATS:  # a whole build knows what is no longer made
            _remove_stale(project, previous, finished, index, result.skipped)
        if shard is None:
            site_state = _update_site(project, result, finished, published, inputs, now, site_state, renderer,
                                      index)
        completed = True
    finally:
        new_state = {
            "pubkit": __version__,
            "inputs": everything,
            "shard": list(shard) if shard else None,
            "embargoed": {slug: moment.isoformat() for slug, moment in sorted(result.embargoed.items())},
            "planned": [job.key for job in planned],
            "jobs": dict(sorted(finished.items())),
            "skipped": dict(sorted(skipped_now.items())),
            "sources": index.cache,
            "files": dict(sorted(inputs.files.items())),
            "site": site_state if shard is None else None,
        }
        # Something was rendered: remember it, even if a later job failed. A verdict or the site that
        # changed is remembered only from a build that finished (a failed one writes nothing new).
        if finished != previous or completed and (skipped_now != was_skipped or new_state["site"] != state.get("site")):
            safefs.check_write(project.output_dir, project.output_dir / STATE_FILE)
            write_atomic(project.output_dir / STATE_FILE, json.dumps(new_state, indent=1, sort_keys=True) + "\n")
    result.written.sort()
    return result


#: Documents one worker process renders before it is replaced: WeasyPrint's memory grows a little with
#: every document (about 0.4 MB), so workers are recycled to keep a build's memory flat at any size.
RECYCLE_AFTER = 100


def _run(project: Project, todo: list[Job], preview: bool, report: dict, jobs: int, renderer, index: SourceIndex,
         publication: Publication):
    """Yield each job's result as it finishes: in this process, or in pools of ``jobs`` workers.

    A pool costs a WeasyPrint import per worker; for a single PDF it is cheaper to stay here.
    """
    pdfs = sum(job.format == "pdf" for job in todo)
    if not todo:
        return
    if pdfs < 2 or (jobs <= 1 and pdfs <= RECYCLE_AFTER):
        worker = _Worker(project, preview, renderer, index, publication)
        for job in todo:
            yield worker.run(job, report[(job.slug, job.language)] == job.format)
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from ..render import pdf  # noqa: F401  imported once here, inherited by every forked worker

    workers = max(1, min(jobs, len(todo)))
    generation = workers * RECYCLE_AFTER
    for start in range(0, len(todo), generation):
        batch = todo[start : start + generation]
        # Forked workers inherit the compiled templates and parsed sources without pickling them.
        with ProcessPoolExecutor(max_workers=min(workers, len(batch)), mp_context=_fork_context(),
                                 initializer=_init_worker, initargs=(project, preview, renderer, index, publication)) as pool:
            futures = [pool.submit(_run_in_worker, job, report[(job.slug, job.language)] == job.format)
                       for job in batch]
            try:
                # Each result as soon as it is ready, so progress moves with the work (waiting for the
                # first exception returned only when every job of the batch was done).
                for future in as_completed(futures):
                    yield future.result()  # re-raises a worker's PubkitError with its path and line
            finally:
                for future in futures:
                    future.cancel()


def _fork_context():
    import multiprocessing

    try:
        return multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - no fork on this platform
        return None


_worker: "_Worker | None" = None


def _init_worker(project: Project, preview: bool, renderer, index, publication: Publication) -> None:
    global _worker
    _die_with_parent()
    _worker = _Worker(project, preview, renderer, index, publication)


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

    def __init__(self, project: Project, preview: bool, renderer, index: SourceIndex,
                 publication: Publication | None = None):
    
        self.project = project
        self.publication = publication or Publication()
        self.preview = preview
        self.renderer = renderer
        self.index = index
        self.assets = template_files(project)
        self._ui: dict[str, Translations] = {}
        self._print_styles: list | None = None
        self._screen: dict[str, bytes] = {}
        self._last: tuple[tuple[str, str], Translations] | None = None

    def screen_asset(self, name: str) -> bytes:
        """A stylesheet copied beside every web page, checked once: it must not reach the network or a disk."""
        if name not in self._screen:
            from ..render.resources import check_screen_stylesheet

            self._screen[name] = check_screen_stylesheet(self.assets[name], self.project.allow_network)
        return self._screen[name]

    def translations(self, language: str, slug: str) -> "Translations":
        # The HTML and PDF jobs of a page usually follow each other: read its catalog once.
        if self._last is None or self._last[0] != (language, slug):
            from ..catalog.translations import Translations

            self._last = ((language, slug), Translations.load(self.project, language, slug))
        return self._last[1]

    def run(self, job: Job, report_fallbacks: bool) -> JobResult:
        from ..catalog.extract import TEMPLATES_DOMAIN
        from ..catalog.translations import Translations
        from ..catalog.pofile import shorten

        project, source = self.project, self.index.source(job.slug)
        translations = self.translations(job.language, source.slug)
        if job.language not in self._ui:
            self._ui[job.language] = Translations.load(project, job.language, TEMPLATES_DOMAIN)
        ui = self._ui[job.language]
        folder = page_dir(project, source.slug, job.language)
        files: dict[Path, bytes | str] = {}
        result = JobResult(job)
        from .links import page_head  # Babel and the formatter: only when a page is rendered

        site = page_head(project, source.slug, job.language, self.publication, self.renderer.formatter(job.language))
        if job.format == "html":
            page = self.renderer.render(source, job.language, translations, ui, "screen", self.preview, site)
            files[folder / "index.html"] = page.html
            for name in SCREEN_ASSETS:
                files[folder / name] = self.screen_asset(name)
            for relative, real in page.images:
                files[folder / relative] = real.read_bytes()
        else:
            from ..render.pdf import load_stylesheets, write_pdf  # WeasyPrint is imported only when a PDF is made

            if self._print_styles is None:
                paths = [self.assets[name] for name in PRINT_STYLESHEETS]
                self._print_styles = load_stylesheets(paths, self.renderer.policy)
            page = self.renderer.render(source, job.language, translations, ui, "print", self.preview, site)
            from ..render.hyphenation import preload  # parsed dictionaries from the user's cache: see hyphenation.py

            preload(job.language)
            if page.fallbacks:
                preload(project.source_language)
            data, warnings = write_pdf(
                page.html,
                base_url=source.path.parent,
                stylesheets=self._print_styles,
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
        return result


def _gate_entry(project: Project, fallback: Fallback) -> list:
    return [fallback.path.relative_to(project.root).as_posix(), fallback.line, fallback.finding, fallback.msgid,
            fallback.context]


def _remembered_gate(project: Project, previous: dict, slug: str, language: str,
                     gate_digest: str) -> list[Fallback] | None:
    """The translations not used on a page built last time from the same catalogs and source; None if none.

    ``gate_digest`` is the digest of what the verdicts depend on (the page's inputs, before the
    site around it: the languages a switcher lists do not change a verdict).
    """
    for kind in FORMATS:
        entry = previous.get(Job(slug, language, kind).key)
        if not isinstance(entry, dict) or entry.get("gate") != gate_digest:
            continue
        remembered = entry.get("not_used")
        if remembered == []:
            return []  # the usual case: no need for the catalog machinery (a no-op build stays light)
        try:
            from ..catalog.translations import Fallback

            return [Fallback("rejected", project.root / path, line, finding, msgid, context)
                    for path, line, finding, msgid, context in remembered]
        except (TypeError, ValueError):
            return None
    return None


def not_used_diagnostics(result: BuildResult) -> list[Diagnostic]:
    """One warning per translation the checks refused, at its msgstr line, each reported once."""
    seen: dict[tuple[Path, int | None], Diagnostic] = {}
    for _language, fallback in result.not_used:
        seen.setdefault((fallback.path, fallback.line), Diagnostic(
            f"translation not used: {fallback.finding}", fallback.path, fallback.line))
    return list(seen.values())


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _update_site(project: Project, result: BuildResult, finished: dict[str, dict], published: dict[str, tuple[str, ...]],
                 inputs: Inputs, now: dt.datetime, site_state: dict | None, renderer, index: SourceIndex) -> dict:
    """Regenerate the indexes, feeds, sitemap and robots.txt when what they list changed (site.py).

    They list the pages built so far (this build's and earlier ones') of releases published now.
    """
    if not project.base_url:
        result.site_warnings.append(Diagnostic(NO_BASE_URL, project.config_path))
    listed = {key: entry for key, entry in finished.items()
              if key.split("/")[1] in published.get(key.split("/")[0], ())}
    digest = _site_digest(inputs._shared["html"], listed)
    if site_state and site_state.get("digest") == digest and _up_to_date(project, site_state, digest):
        return site_state
    from .site import write_site  # only when the site changed: a no-op build imports none of it

    return write_site(project, listed, index, now, digest, site_state, renderer, result)


def _site_digest(templates_digest: str, listed: dict[str, dict]) -> str:
    """What the site is made from: the pages listed (with their inputs' digests) and PDF sizes."""
    h = hashlib.sha256(f"site\0{templates_digest}\0".encode())
    for key in sorted(listed):
        sizes = sorted((rel, size) for rel, (size, *_rest) in listed[key].get("outputs", {}).items())
        h.update(f"{key}={listed[key].get('digest')}:{sizes}\n".encode())
    return h.hexdigest()
