"""Release bundles: every output plus ``manifest.json`` in one zip, the same bytes for the same inputs."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import subprocess
import time
import zipfile
from pathlib import Path

from .. import __version__, safefs
from .build import Progress, build
from ..catalog.checks import check_catalog
from ..catalog.extract import TEMPLATES_DOMAIN
from ..catalog.translations import Translations
from ..config import Project
from ..errors import UsageError
from ..fileio import write_atomic
from ..machine import source_date_epoch
from ..organization import ORGANIZATION_DOMAIN, has_organization_text
from ..catalog.pofile import read_catalog
from .provenance import provenance
from .plan import Job, Plan, plan_build
from .shards import collect
from .site import site_files
from ..catalog.status import CatalogStatus, catalog_status, completeness

BUNDLE_NAME = "bundle.zip"
MANIFEST_NAME = "manifest.json"
#: Zip timestamps cannot be earlier than 1980; SOURCE_DATE_EPOCH is clamped to this.
ZIP_EPOCH = 315532800  # 1980-01-01T00:00:00Z


def bundle(project: Project, output: Path | None = None, jobs: int = 1, progress: Progress | None = None,
           now: dt.datetime | None = None, include_embargoed: bool = False) -> tuple[Path, dict]:
    """Build what is out of date, then pack the whole site: every release and language, indexes, feeds.

    Releases under embargo at ``now`` are left out unless ``include_embargoed``; then the manifest
    names them under "embargoed".
    """
    source_date_epoch()  # checked before any work: a bad value must not leave a half-made bundle
    target = _target(project, output)
    result = build(project, jobs=jobs, progress=progress, now=now, include_embargoed=include_embargoed)
    assert result.plan is not None
    # Checked like a shard (the folder may be a download), and the site made from what was checked.
    files, listed = collect(project, [project.output_dir], result.plan, include_embargoed)
    files.update(_site(project, listed, result.plan))
    manifest = _manifest(project, files, result.plan)
    if result.embargoed:
        manifest["embargoed"] = {slug: moment.isoformat() for slug, moment in sorted(result.embargoed.items())}
    _write_zip(target, files, manifest)
    return target, manifest


def merge_bundle(project: Project, folders: list[Path], output: Path | None = None,
                 now: dt.datetime | None = None, include_embargoed: bool = False) -> tuple[Path, dict]:
    """One bundle from the output folders of sharded builds (``pubkit build --shard K/N``).

    The shards must come from the same sources and pubkit version, and together cover every job.
    A shard built with ``--include-embargoed`` holds embargoed releases: refused unless asked the same way.
    """
    source_date_epoch()
    target = _target(project, output)
    plan = plan_build(project, now=now, include_embargoed=include_embargoed)
    files, listed = collect(project, folders, plan, include_embargoed)  # every shard is hostile until checked
    files.update(_site(project, listed, plan))  # never a shard's own site: made here, as a whole build makes it
    manifest = _manifest(project, files, plan)  # the same manifest, and bundle, as an unsharded build
    embargoed = plan.publication.embargoed
    if embargoed:
        manifest["embargoed"] = {slug: moment.isoformat() for slug, moment in sorted(embargoed.items())}
    _write_zip(target, files, manifest)
    return target, manifest


def _target(project: Project, output: Path | None) -> Path:
    given = Path(os.path.abspath(output)) if output else project.output_dir / BUNDLE_NAME
    if given.is_relative_to(project.output_dir):  # dist/bundle.zip must not be a link leading out of the project
        safefs.check_write(project.output_dir, given)
    target = (Path(output) if output else project.output_dir / BUNDLE_NAME).resolve()
    for folder in (project.sources_dir, project.locale_dir, project.templates_dir):
        if target.is_relative_to(folder):
            raise UsageError(f"refusing to write the bundle inside {folder.name}/, which holds the project's inputs")
    if target.is_dir():
        raise UsageError(f"{target} is a folder; give the bundle a file name such as release.zip")
    return target


def _site(project: Project, listed: dict[str, dict], plan: Plan) -> dict[str, tuple[Job, bytes]]:
    """The indexes, feeds, sitemap and robots.txt around the checked pages, made as a build makes them,
    from the plan's sources and moment."""
    return {relative: (Job("", "", "site"), data)
            for relative, data in site_files(project, listed, plan.sources, plan.now).items()}


def _progress(project: Project, language: str, domain: str) -> CatalogStatus:
    """A catalog's progress as `status` counts it (a missing catalog: its template, all untranslated)."""
    path, pot = project.po_path(language, domain), project.pot_path(domain)
    catalog = read_catalog(path) if path.exists() else None
    template = read_catalog(pot) if catalog is None and pot.exists() else None
    return catalog_status(language, domain, catalog, template, str(path), project.source_language, project.link_hosts)


def _manifest(project: Project, files: dict[str, tuple[Job, bytes]], plan: Plan) -> dict:
    sources = [plan.sources.source(slug) for slug in plan.sources.paths]  # parsed once, by the plan
    catalogs = [*plan.sources.paths, TEMPLATES_DOMAIN] + ([ORGANIZATION_DOMAIN] if has_organization_text(project) else [])
    languages: dict[str, dict] = {}
    for language in project.output_languages:
        done = total = fuzzy = untranslated = rejected = errors = warnings = 0
        not_used = []
        for source in sources:
            keys = set(source.message_keys)
            not_used += [f for f in Translations.load(project, language, source.slug).rejected()
                         if (f.context, f.msgid) in keys]
        for shared in (TEMPLATES_DOMAIN, ORGANIZATION_DOMAIN):  # on every page
            if shared == TEMPLATES_DOMAIN or has_organization_text(project):
                not_used += Translations.load(project, language, shared).rejected()
        if language != project.source_language:
            slugs = {source.slug for source in sources}
            for domain in catalogs:
                progress = _progress(project, language, domain)
                if domain in slugs:  # completeness is the releases' text; the template strings are shared
                    done, total = done + progress.translated, total + progress.total
                fuzzy += progress.fuzzy
                untranslated += progress.untranslated if progress.exists else 0
                rejected += progress.rejected
                path = project.po_path(language, domain)
                for finding in check_catalog(path, language, project.source_language, project.link_hosts) \
                        if path.exists() else ():
                    errors += finding.severity == "error"
                    warnings += finding.severity == "warning"
        languages[language] = {
            "completeness": completeness(done, total),
            "fuzzy": fuzzy,
            "untranslated": untranslated,
            "rejected": rejected,
            "checks": {"errors": errors, "warnings": warnings},
            # Translations the checks refused: published in the source language instead, and why.
            "not_used": [{"where": f.where(project.root), "msgid": f.msgid, "why": f.finding} for f in not_used],
        }
    pdfs = [data for _relative, (job, data) in sorted(files.items()) if job.format == "pdf"]
    return {
        "pubkit": __version__,
        "revision": _revision(project.root),
        "provenance": provenance(pdfs, project.templates_dir),
        "source_date_epoch": _epoch(),
        # Without it the dates come from the clock: `pubkit verify` must rebuild the same way.
        "source_date_epoch_given": source_date_epoch() is not None,
        "languages": languages,
        "files": [
            {"path": relative, "source": job.slug or None, "language": job.language or None, "format": job.format,
             "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for relative, (job, data) in sorted(files.items())
        ],
    }


def _write_zip(target: Path, files: dict[str, tuple[Job, bytes]], manifest: dict) -> None:
    """Sorted entries, one timestamp, fixed permissions and compression: the same bytes every time."""
    stamp = time.gmtime(_epoch())[:6]
    buffer = io.BytesIO()
    entries = [(MANIFEST_NAME, (json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode())]
    entries += [(relative, data) for relative, (_job, data) in sorted(files.items())]
    for name, _data in entries:
        problem = safefs.check_name(name)  # no entry may land outside the folder it is unpacked into
        if problem:
            raise UsageError(f"refusing zip entry name '{name[:80]}': {problem}")
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o100644 << 16
            info.create_system = 3
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=9)
    write_atomic(target, buffer.getvalue())


def _epoch() -> int:
    return max(source_date_epoch() or ZIP_EPOCH, ZIP_EPOCH)


def _revision(root: Path) -> str | None:
    try:
        result = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True,
                                timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() if result.returncode == 0 else None



