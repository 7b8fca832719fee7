"""The build plan: what a build reads, judges and makes, computed before anything is rendered.

``plan_build`` reads the state of the last build, indexes the sources (parsing only those that changed),
hashes every input, asks the publish gate which (release, language) pages may be published, and lists
the jobs with their input digests. The build runs the plan's outdated jobs and records the result
(build.py); ``bundle``, shard merging and the site take the same plan, so a page, its language index
and the manifest read one parse of each release and one load of each catalog.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__, safefs
from ..config import Project, is_valid_slug, parse_languages
from ..errors import Diagnostic, UsageError
from ..machine import source_date_epoch
from ..organization import ORGANIZATION_DOMAIN, has_organization_text
from ..render.brand import brand_assets
from ..source.embargo import is_embargoed, parse_moment, zoned
from ..source.templates import template_files
from .paths import Publication

# Catalogs and sources are imported where they are used: a rebuild that finds nothing to do must not
# pay for Babel's catalogs, YAML or Markdown (CLI speed, issue 14).
if TYPE_CHECKING:  # pragma: no cover
    from ..catalog.translations import Fallback, Translations
    from ..source.sources import Source

FORMATS = ("html", "pdf")
#: The e-mail edition (mail.py): built only when asked, after the PDF it attaches.
EMAIL = "email"
ALL_FORMATS = (*FORMATS, EMAIL)
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


def current_time(now: str | None = None) -> dt.datetime:
    """``--now`` if given, else ``SOURCE_DATE_EPOCH`` (reproducible builds), else the clock; always aware."""
    if now is not None:
        try:
            return parse_moment(now)
        except ValueError as exc:
            raise UsageError(f"--now: {exc}") from None
    epoch = source_date_epoch()  # one reading of SOURCE_DATE_EPOCH (machine.py), refusing a bad value
    if epoch is not None:
        return dt.datetime.fromtimestamp(epoch, dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc)


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


def _read_source(path: Path) -> Source:
    from ..source.sources import read_source  # YAML and Markdown: only for a source that changed

    return read_source(path)


def _check_unique_slugs(found: list[tuple[str, Path]]) -> None:
    from ..source.sources import check_unique_slugs

    check_unique_slugs(found)


def _load_translations(project: Project, language: str, domain: str) -> Translations:
    from ..catalog.translations import Translations  # Babel's catalogs: only for a page judged anew

    return Translations.load(project, language, domain)


def _fallback(*fields) -> Fallback:
    from ..catalog.translations import Fallback

    return Fallback(*fields)


class SourceIndex:
    """slug → source file, parsing only the files that changed since the last build.

    The slug of an unchanged file (same bytes) is remembered in the build state: a rebuild of a
    large project does not parse hundreds of releases just to find out there is nothing to do. Each
    release is parsed at most once per build; the gate, the workers and the site share the parse.
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
                zone = entry.get("embargo_zone") if isinstance(entry.get("embargo_zone"), str) else ""
            else:
                source = _read_source(path)
                slug = source.slug
                self.parsed[slug] = source
                embargo = source.fields.get("embargo")  # type: ignore[assignment]
                zone = str(source.fields.get("embargo_zone") or "")
            found.append((slug, path))
            # Shown in the release's zone, or the project's (embargo_zone): the same moment either way.
            self.embargoes[slug] = zoned(embargo, zone or project.embargo_zone)
            self.cache[relative] = {"sha256": digest, "slug": slug, "embargo_zone": zone,
                                    "embargo": embargo.isoformat() if embargo else None}
        if self.parsed:
            # Only files parsed now can bring a new slug: the others were checked unique by the last build.
            _check_unique_slugs(found)
        self.paths = dict(found)

    def embargo(self, slug: str) -> dt.datetime | None:
        return self.embargoes.get(slug)

    def source(self, slug: str) -> Source:
        if slug not in self.parsed:
            self.parsed[slug] = _read_source(self.paths[slug])
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
        boilerplate = project.organization.boilerplate if project.organization else None
        if boilerplate is not None:  # its contacts and logo path are in the configuration, hashed above
            content = boilerplate.read_bytes()
            self._note(boilerplate, content)
            shared.update(b"\0boilerplate\0" + content)
        self._shared = {kind: f"{shared.hexdigest()}:{templates[kind].hexdigest()}" for kind in FORMATS}
        self._shared[EMAIL] = self._shared["html"]  # the same templates; its PDF's digest is added to its own
        self._files: dict[Path, bytes] = {}
        self._catalogs: dict[tuple[str, str], bytes] = {}

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

    @property
    def templates_digest(self) -> str:
        """What the web pages' templates and the shared inputs hash to (the site is made from them too)."""
        return self._shared["html"]

    def digest(self, source_path: Path, job: Job, preview: bool, page: str = "") -> str:
        """``page``: what else the page shows (its languages, an embargo line)."""
        h = hashlib.sha256(f"{self._shared[job.format]}\0{job.key}\0preview={preview}\0{page}\0".encode())
        h.update(self._read(source_path))
        if job.language != self.project.source_language:
            h.update(b"\0" + self._catalog(job.language, job.slug))
            h.update(b"\0" + self._catalog(job.language, UI_DOMAIN))
            # The organization's boilerplate and contact roles, translated once for every release.
            h.update(b"\0" + self._catalog(job.language, ORGANIZATION_DOMAIN))
        return h.hexdigest()

    def _catalog(self, language: str, domain: str) -> bytes:
        # by name: the pages of a language share two catalogs, and each page is judged in every format
        if (language, domain) not in self._catalogs:
            self._catalogs[language, domain] = self._read(self.project.po_path(language, domain))
        return self._catalogs[language, domain]


def read_state(output_dir: Path) -> dict:
    try:
        state = json.loads((output_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(state, dict) or state.get("pubkit") != __version__:
        return {}
    # A damaged or foreign state only costs a full build; bundle validates it strictly (shards.py).
    return state if all(isinstance(state.get(k, {}), dict) for k in ("jobs", "sources")) else {}


def up_to_date(project: Project, entry: dict | None, digest: str, folders: set[str] | None = None) -> bool:
    """Whether the outputs a state entry records were made from ``digest`` and are untouched since.
    ``folders``: the output folders this pass has found real already (safefs.first_link_below)."""
    if not entry or entry.get("digest") != digest:
        return False
    root = str(project.output_dir)
    try:
        for relative, record in entry.get("outputs", {}).items():
            if safefs.check_name(relative):
                return False
            parts = relative.split("/")  # a plain relative name, as check_name found it
            if safefs.first_link_below(root, parts, folders):
                return False
            info = os.stat(os.path.join(root, *parts))
            if info.st_size != record[0] or info.st_mtime_ns != record[1] or len(record) != 3:
                return False
    except (OSError, TypeError, LookupError, AttributeError):  # a damaged state: render again
        return False
    return True


# --- the publish gate ----------------------------------------------------------------------------


@dataclass
class Verdict:
    """The gate's word on one page: published or not (and why), and the translations it refused."""

    digest: str  # what the verdict depends on: the page's inputs, before the site around it
    not_used: list[Fallback] = field(default_factory=list)
    refused: tuple[str, Path] | None = None  # (why, where) when the page is not published


class Gate:
    """Which (release, language) pages are published, and which of their translations are not used.

    Five questions, cheapest first: the same inputs as a page refused last time (same refusal), as a
    page published last time (same verdicts), else the catalog is read: no usable translation, or
    below ``min_completeness``, is not published; the checks' refusals are published in the source
    language. The source language is always published.
    """

    def __init__(self, project: Project, inputs: Inputs, state: dict, preview: bool, sources: SourceIndex):
        self.project, self.inputs, self.preview, self.sources = project, inputs, preview, sources
        self.previous: dict = state.get("jobs", {})
        was = state.get("skipped", {})
        self.was_refused: dict = was if isinstance(was, dict) else {}
        self._ui: dict[str, list[Fallback]] = {}  # language → template strings not used, read when needed

    def judge(self, slug: str, language: str) -> Verdict:
        digest = self.inputs.digest(self.sources.paths[slug], Job(slug, language, "html"), self.preview)
        refused = self.was_refused.get(f"{slug}/{language}")
        if (isinstance(refused, list) and len(refused) == 3 and refused[0] == digest
                and all(isinstance(x, str) for x in refused)):
            return Verdict(digest, refused=(refused[1], self.project.root / refused[2]))
        remembered = self._remembered(slug, language, digest)
        if remembered is not None and self.project.settings(language).min_completeness <= 0:
            # Same inputs as a page published last time: same verdicts, no catalog or source to parse.
            return Verdict(digest, remembered)
        return self._read(slug, language, digest)

    def _read(self, slug: str, language: str, digest: str) -> Verdict:
        source = self.sources.source(slug)
        translations = _load_translations(self.project, language, source.slug)
        used = set(source.message_keys)
        # The page's own messages and the template strings: both digests are in the job's inputs.
        not_used = [rejected for rejected in translations.rejected()
                    if (rejected.context, rejected.msgid) in used] + self._ui_rejected(language)
        completeness = translations.completeness(source.message_keys)
        where = translations.path or source.path
        minimum = self.project.settings(language).min_completeness
        if completeness == 0 and used:
            # Source text labelled as another language misleads readers and search engines alike.
            return Verdict(digest, not_used, (f"'{source.slug}' has no usable translation into {language}: "
                                              "not published", where))
        if completeness < minimum:
            return Verdict(digest, not_used, (f"{language} is {completeness:.1f}% translated, below "
                                              f"min_completeness {minimum:g}%: not published", where))
        return Verdict(digest, not_used)

    def _ui_rejected(self, language: str) -> list[Fallback]:
        if language not in self._ui:
            # Template strings and the organization's text are on every page: their rejections too.
            shared = (UI_DOMAIN, ORGANIZATION_DOMAIN) if has_organization_text(self.project) else (UI_DOMAIN,)
            self._ui[language] = [fallback for domain in shared
                                  for fallback in _load_translations(self.project, language, domain).rejected()]
        return self._ui[language]

    def _remembered(self, slug: str, language: str, digest: str) -> list[Fallback] | None:
        """The translations not used on a page built last time from the same catalogs and source; None if none."""
        for kind in FORMATS:
            entry = self.previous.get(Job(slug, language, kind).key)
            if not isinstance(entry, dict) or entry.get("gate") != digest:
                continue
            remembered = entry.get("not_used")
            if remembered == []:
                return []  # the usual case: no need for the catalog machinery (a no-op build stays light)
            try:
                return [_fallback("rejected", self.project.root / path, line, finding, msgid, context)
                        for path, line, finding, msgid, context in remembered]
            except (TypeError, ValueError):
                return None
        return None


# --- the plan ------------------------------------------------------------------------------------


@dataclass
class Plan:
    """Everything a build decides before rendering: read once, handed to the workers, the site and bundle."""

    project: Project
    sources: SourceIndex
    inputs: Inputs
    state: dict  # the state file of the last build
    now: dt.datetime
    languages: list[str]  # chosen with --lang
    slugs: list[str]  # chosen with --source
    formats: tuple[str, ...]
    preview: bool = False
    shard: tuple[int, int] | None = None
    include_embargoed: bool = False
    narrowed: bool = False  # --lang or --source chose part of the project
    #: Every release under embargo at ``now``: slug → its end.
    embargoed: dict[str, dt.datetime] = field(default_factory=dict)
    #: The gate: (slug, language) → its verdict, for every page of a release not left out.
    verdicts: dict[tuple[str, str], Verdict] = field(default_factory=dict)
    publication: Publication = field(default_factory=Publication)
    #: The jobs of the whole project as chosen (before sharding), with their input digests and the digest
    #: of them all; ``jobs`` are this shard's.
    planned: list[Job] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    digests: dict[Job, str] = field(default_factory=dict)
    everything: str = ""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: Pages not published, each reported at its file: (slug, language).
    skipped: list[tuple[str, str]] = field(default_factory=list)
    #: Translations the checks refused on the chosen pages, published in the source language instead.
    not_used: list[tuple[str, Fallback]] = field(default_factory=list)

    @property
    def previous(self) -> dict:
        """The jobs of the last build: key → digest and outputs."""
        return self.state.get("jobs", {})

    @property
    def whole(self) -> bool:
        """A build of everything (no --lang, --source or --format) knows what is no longer made."""
        return not self.narrowed and set(FORMATS) <= set(self.formats)

    def outdated(self, force: bool = False) -> list[Job]:
        """This shard's jobs whose inputs changed since the last build, or whose outputs were touched."""
        folders: set[str] = set()
        return [job for job in self.jobs if force or not up_to_date(self.project, self.previous.get(job.key),
                                                                      self.digests[job], folders)]

    def refused(self) -> dict[str, list]:
        """``slug/language`` → [digest, why, where] of every page not published: remembered in the state."""
        return {f"{slug}/{language}": [v.digest, v.refused[0], v.refused[1].relative_to(self.project.root).as_posix()]
                for (slug, language), v in self.verdicts.items() if v.refused is not None}

    def published(self, slug: str) -> tuple[str, ...]:
        return self.publication.languages.get(slug, ())


def plan_build(project: Project, languages: list[str] | None = None, slugs: list[str] | None = None,
               formats: tuple[str, ...] = FORMATS, preview: bool = False, shard: tuple[int, int] | None = None,
               now: dt.datetime | None = None, include_embargoed: bool = False) -> Plan:
    """Plan a build of ``project``: nothing is rendered or written (``bundle --merge`` checks shards with it).

    A release whose embargo has not ended at ``now`` is left out unless ``include_embargoed``.
    """
    if preview:  # a preview is never publishable output: it has its own folder
        project = replace(project, output_dir=project.preview_output_dir)
    source_date_epoch()  # a value that is not a time fails here, before any work
    chosen_languages = select_languages(project, languages)
    state = read_state(project.output_dir)
    sources = SourceIndex(project, state.get("sources", {}))
    plan = Plan(project, sources, Inputs(project), state, now if now is not None else current_time(),
                chosen_languages, select_slugs(sources.paths, slugs), formats, preview, shard, include_embargoed,
                narrowed=bool(languages or slugs))
    plan.embargoed = {slug: when for slug in sources.paths if is_embargoed(when := sources.embargo(slug), plan.now)}
    _judge(plan, Gate(project, plan.inputs, state, preview, sources))
    _list_jobs(plan)
    return plan


def _judge(plan: Plan, gate: Gate) -> None:
    """Ask the gate about every page of every release (for the language switcher, even those not built now)."""
    project = plan.project
    published: dict[str, tuple[str, ...]] = {}
    for slug in plan.sources.paths:
        if slug in plan.embargoed and not plan.include_embargoed:
            if slug in plan.slugs:
                plan.diagnostics.append(Diagnostic(
                    f"embargoed until {plan.embargoed[slug].isoformat()}: left out of the site "
                    "(--include-embargoed renders it for review)", plan.sources.paths[slug], severity="note"))
            continue
        languages = []
        for language in project.output_languages:
            if language == project.source_language:
                languages.append(language)
                continue
            verdict = plan.verdicts[(slug, language)] = gate.judge(slug, language)
            report = slug in plan.slugs and language in plan.languages
            if verdict.refused is not None:
                if report:
                    plan.skipped.append((slug, language))
                    plan.diagnostics.append(Diagnostic(*verdict.refused))
                continue
            if report:
                plan.not_used.extend((language, rejected) for rejected in verdict.not_used)
            languages.append(language)
        published[slug] = tuple(languages)
    plan.publication = Publication(published, {s: w for s, w in plan.embargoed.items() if s in published},
                                   brand_assets(project))


def _list_jobs(plan: Plan) -> None:
    """The chosen jobs of published pages, sorted, with the digests of their inputs; then this shard's."""
    published = plan.publication.languages
    plan.planned = sorted(Job(slug, language, f) for slug in plan.slugs for language in published.get(slug, ())
                          if language in plan.languages for f in ALL_FORMATS
                          if f in plan.formats or f == "pdf" and EMAIL in plan.formats)  # a message attaches the PDF
    pages = {slug: f"{','.join(languages)};embargo={plan.publication.embargoed.get(slug)}"
             for slug, languages in published.items()}
    plan.digests = _with_attachments({job: plan.inputs.digest(plan.sources.paths[job.slug], job, plan.preview,
                                                              pages[job.slug]) for job in plan.planned})
    plan.everything = hashlib.sha256("".join(f"{job.key}={plan.digests[job]}\n"
                                             for job in plan.planned).encode()).hexdigest()
    plan.jobs = plan.planned
    if plan.shard is not None:
        part, parts = plan.shard
        plan.jobs = plan.planned[part - 1 :: parts]  # sorted jobs dealt round-robin: deterministic and balanced


def _with_attachments(digests: dict[Job, str]) -> dict[Job, str]:
    """A message's digest includes its PDF's: it changes with the PDF it attaches."""
    return {job: hashlib.sha256(f"{digest}\0{digests[replace(job, format='pdf')]}".encode()).hexdigest()
            if job.format == EMAIL else digest for job, digest in digests.items()}
