"""``pubkit build``: plan (plan.py) → render what is outdated (workers.py) → record the outputs, the site
and the state file. Parallel, incremental and shardable; every output is written atomically."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__, safefs
from ..config import Project
from ..errors import Diagnostic
from ..fileio import write_atomic
from .paths import NO_BASE_URL
from .plan import (  # noqa: F401  Job, SourceIndex, read_state and the constants are also used from here
    ALL_FORMATS,
    EMAIL,
    FORMATS,
    PRINT_STYLESHEETS,
    SCREEN_ASSETS,
    STATE_FILE,
    UI_DOMAIN,
    Job,
    Plan,
    SourceIndex,
    parse_shard,
    plan_build,
    read_state,
    up_to_date,
)

# The renderer, catalogs and sources come with workers.py, imported only when something is to be
# rendered; the site with site.py, only when it changed: a no-op build imports neither (issue 14).
if TYPE_CHECKING:  # pragma: no cover
    from ..catalog.translations import Fallback
    from ..render.render import Renderer
    from .workers import JobResult


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
    #: The plan this build ran: its parsed sources and the gate's verdicts, for bundle and the site.
    plan: Plan | None = None

    @classmethod
    def of(cls, plan: Plan, up_to_date: int) -> BuildResult:
        return cls(diagnostics=list(plan.diagnostics), skipped=list(plan.skipped), up_to_date=up_to_date,
                   jobs=plan.jobs, not_used=list(plan.not_used), digests=plan.digests, everything=plan.everything,
                   input_files=plan.inputs.files, embargoed=dict(plan.publication.embargoed), plan=plan)


Progress = Callable[[int, int, "JobResult | None"], None]


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
    now: dt.datetime | None = None,
    include_embargoed: bool = False,
) -> BuildResult:
    """Render what changed since the last build, ``jobs`` at a time: plan → run → record.

    A job is skipped when the hash of its inputs (source, catalogs, templates, configuration,
    assets, pubkit version) matches the last build and its outputs are untouched, so a rebuild
    with nothing changed imports neither WeasyPrint nor Jinja. A release whose embargo has not ended
    at ``now`` (plan.current_time) is left out, and its earlier outputs removed, unless
    ``include_embargoed`` renders it marked for review. The site around the pages (site.py) is
    regenerated when what it lists changed; a shard leaves it to ``bundle --merge``.
    """
    plan = plan_build(project, languages, slugs, formats, preview, shard, now, include_embargoed)
    todo = plan.outdated(force)
    result = BuildResult.of(plan, up_to_date=len(plan.jobs) - len(todo))
    renderer, run = _runner(plan, todo, jobs)
    record = Record(plan, result, renderer)
    if progress:
        progress(0, len(todo), None)
    try:
        for done, job_result in enumerate(run, start=1):
            record.job(job_result)
            if progress:
                progress(done, len(todo), job_result)
        record.finish()
    finally:
        record.write_state()
    result.written.sort()
    return result


def _runner(plan: Plan, todo: list[Job], jobs: int) -> tuple[Renderer | None, object]:
    """The renderer (None when nothing is to be rendered) and the iterator of the jobs' results."""
    if not todo:
        return None, iter(())
    from . import workers  # the renderer, catalogs and sources: only when something is rendered

    renderer = workers.make_renderer(plan, todo)
    return renderer, workers.run_jobs(plan, todo, jobs, renderer)


class Record:
    """What a build leaves behind: each job's outputs in the state, stale outputs removed, the site, the state file."""

    def __init__(self, plan: Plan, result: BuildResult, renderer: Renderer | None):
        self.plan, self.result, self.renderer = plan, result, renderer
        self.project = plan.project
        self.finished: dict[str, dict] = dict(plan.previous)
        self.site_state = plan.state.get("site")
        self.completed = False
        if not plan.include_embargoed:  # an embargoed page rendered earlier for review must not stay in the site
            for key in [k for k in self.finished if k.split("/")[0] in plan.embargoed]:
                for relative in self.finished.pop(key).get("outputs", {}):
                    safefs.remove_beneath(self.project.output_dir, relative)

    def job(self, job_result: JobResult) -> None:
        job = job_result.job
        entry = self.finished[job.key] = {"digest": self.plan.digests[job], "outputs": job_result.outputs}
        verdict = self.plan.verdicts.get((job.slug, job.language))
        if verdict is not None:
            entry["not_used"] = [_gate_entry(self.project, f) for f in verdict.not_used]
            entry["gate"] = verdict.digest
        self.result.written.extend(self.project.output_dir / rel for rel in job_result.outputs
                                   if rel.endswith((".html", ".pdf", ".eml")))
        self.result.diagnostics.extend(job_result.diagnostics)

    def finish(self) -> None:
        if self.plan.whole:  # a whole build knows what is no longer made
            _remove_stale(self.project, self.plan.previous, self.finished, self.plan.sources, self.plan.skipped)
        if self.plan.shard is None:
            self.site_state = _update_site(self.plan, self.result, self.finished, self.site_state, self.renderer)
        self.completed = True

    def write_state(self) -> None:
        """Something was rendered: remember it, even if a later job failed. A verdict or the site that
        changed is remembered only from a build that finished (a failed one writes nothing new)."""
        plan, state = self.plan, self.plan.state
        refused = plan.refused()
        was_refused = state.get("skipped", {}) if isinstance(state.get("skipped"), dict) else {}
        new_state = {
            "pubkit": __version__,
            "inputs": plan.everything,
            "shard": list(plan.shard) if plan.shard else None,
            "embargoed": {slug: moment.isoformat() for slug, moment in sorted(self.result.embargoed.items())},
            "planned": [job.key for job in plan.jobs],
            "jobs": dict(sorted(self.finished.items())),
            "skipped": dict(sorted(refused.items())),
            "sources": plan.sources.cache,
            "files": dict(sorted(plan.inputs.files.items())),
            "site": self.site_state if plan.shard is None else None,
        }
        if self.finished != plan.previous or self.completed and (
                refused != was_refused or new_state["site"] != state.get("site")):
            output = self.project.output_dir
            safefs.check_write(output, output / STATE_FILE)
            write_atomic(output / STATE_FILE, json.dumps(new_state, indent=1, sort_keys=True) + "\n")


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


def _gate_entry(project: Project, fallback: Fallback) -> list:
    return [fallback.path.relative_to(project.root).as_posix(), fallback.line, fallback.finding, fallback.msgid,
            fallback.context]


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


def _update_site(plan: Plan, result: BuildResult, finished: dict[str, dict], site_state: dict | None,
                 renderer: Renderer | None) -> dict:
    """Regenerate the indexes, feeds, sitemap and robots.txt when what they list changed (site.py).

    They list the pages built so far (this build's and earlier ones') of releases published now.
    """
    project = plan.project
    if not project.base_url:
        result.site_warnings.append(Diagnostic(NO_BASE_URL, project.config_path))
    listed = {key: entry for key, entry in finished.items()
              if key.split("/")[1] in plan.published(key.split("/")[0])}
    digest = _site_digest(plan.inputs.templates_digest, listed)
    if site_state and site_state.get("digest") == digest and up_to_date(project, site_state, digest):
        return site_state
    from .site import write_site  # only when the site changed: a no-op build imports none of it

    parts = _site_part_digests(project, plan.inputs.templates_digest, listed)
    return write_site(project, listed, plan.sources, plan.now, digest, site_state, renderer, result, parts,
                      _stale_site_parts(project, site_state, parts))


def _site_part_digests(project: Project, templates_digest: str, listed: dict[str, dict]) -> dict[str, str]:
    """What each part of the site is made from (site.py: COMMON, and one part per language).

    A language's indexes and feed show its pages' titles, dates and PDF sizes: its pages' digests
    (source, its catalogs, configuration, templates) and sizes, and the languages the site lists. The
    chooser, sitemap and robots.txt show which pages exist and the releases' dates and organization,
    which come from the sources alone: the digests of the source language's pages. So a changed
    catalog re-makes its own language's part only.
    """
    languages = sorted({key.split("/")[1] for key in listed if key.endswith("/html")})
    head = f"site\0{templates_digest}\0{','.join(languages)}\0"
    by_language: dict[str, list[str]] = {}
    common = []
    # A release whose source-language page was never built: any of its pages' digests speaks for its source.
    unsourced = {key.split("/")[0] for key in listed} - {key.split("/")[0] for key in listed
                                                          if key.split("/")[1] == project.source_language}
    for key in sorted(listed):
        slug, language, _kind = key.split("/")
        sizes = sorted((rel, size) for rel, (size, *_rest) in listed[key].get("outputs", {}).items())
        by_language.setdefault(language, []).append(f"{key}={listed[key].get('digest')}:{sizes}\n")
        sourced = language == project.source_language or slug in unsourced
        common.append(f"{key}={listed[key].get('digest')}\n" if sourced else f"{key}\n")
    parts = {"": hashlib.sha256((head + "".join(common)).encode()).hexdigest()}
    for language in languages:
        parts[language] = hashlib.sha256((head + "".join(by_language.get(language, []))).encode()).hexdigest()
    return parts


def _stale_site_parts(project: Project, site_state: dict | None, parts: dict[str, str]) -> set[str]:
    """The parts of the site to make again: those whose inputs changed, or whose files the last build
    did not leave as they are now (changed, removed, or never recorded part by part)."""
    old = site_state.get("parts") if isinstance(site_state, dict) else None
    outputs = site_state.get("outputs") if isinstance(site_state, dict) else None
    if not isinstance(old, dict) or not isinstance(outputs, dict):
        return set(parts)
    stale = set()
    for part, digest in parts.items():
        entry = old.get(part)
        files = entry.get("files") if isinstance(entry, dict) else None
        if (not isinstance(files, list) or not all(isinstance(f, str) for f in files) or entry.get("digest") != digest
                or not up_to_date(project, {"digest": digest, "outputs": {f: outputs.get(f) for f in files}}, digest)):
            stale.add(part)
    return stale


def _site_digest(templates_digest: str, listed: dict[str, dict]) -> str:
    """What the site is made from: the pages listed (with their inputs' digests) and PDF sizes."""
    h = hashlib.sha256(f"site\0{templates_digest}\0".encode())
    for key in sorted(listed):
        sizes = sorted((rel, size) for rel, (size, *_rest) in listed[key].get("outputs", {}).items())
        h.update(f"{key}={listed[key].get('digest')}:{sizes}\n".encode())
    return h.hexdigest()
