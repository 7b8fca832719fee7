"""Release bundles: every output plus ``manifest.json`` in one zip, the same bytes for the same inputs."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import time
import zipfile
from pathlib import Path

from . import __version__
from .build import STATE_FILE, Job, Progress, build
from .catalogs import Translations, domains
from .config import Project
from .errors import UsageError
from .fileio import write_atomic
from .pofile import read_catalog
from .sources import read_sources
from .status import catalog_status

BUNDLE_NAME = "bundle.zip"
MANIFEST_NAME = "manifest.json"
#: Zip timestamps cannot be earlier than 1980; SOURCE_DATE_EPOCH is clamped to this.
ZIP_EPOCH = 315532800  # 1980-01-01T00:00:00Z


def bundle(project: Project, output: Path | None = None, jobs: int = 1,
           progress: Progress | None = None, now=None, include_embargoed: bool = False) -> tuple[Path, dict]:
    """Build what is out of date, then pack the whole site: every release and language, indexes, feeds.

    Releases under embargo at ``now`` are left out unless ``include_embargoed``; then the manifest
    names them under "embargoed".
    """
    target = _target(project, output)
    result = build(project, jobs=jobs, progress=progress, now=now, include_embargoed=include_embargoed)
    state = _state(project.output_dir)
    files = _job_files(project.output_dir, state, result.jobs)
    files.update(_site_files(project.output_dir, state))
    manifest = _manifest(project, files)
    if result.embargoed:
        manifest["embargoed"] = {slug: moment.isoformat() for slug, moment in sorted(result.embargoed.items())}
    _write_zip(target, files, manifest)
    return target, manifest


def merge_bundle(project: Project, folders: list[Path], output: Path | None = None,
                 include_embargoed: bool = False) -> tuple[Path, dict]:
    """One bundle from the output folders of sharded builds (``pubkit build --shard K/N``).

    The shards must come from the same sources and pubkit version, and together cover every job.
    A shard built with ``--include-embargoed`` holds embargoed releases: refused unless asked the same way.
    """
    target = _target(project, output)
    states = [(folder, _state(folder)) for folder in folders]
    embargoed: dict[str, str] = {}
    for folder, state in states:
        embargoed.update(state.get("embargoed") or {})
        if state.get("embargoed") and not include_embargoed:
            slug = next(iter(state["embargoed"]))
            raise UsageError(f"{folder} holds '{slug}', under embargo until {state['embargoed'][slug]}; "
                             "merge it only with --include-embargoed")
    first_folder, first = states[0]
    for folder, state in states[1:]:
        if state["inputs"] != first["inputs"]:
            raise UsageError(f"{folder} was built from other sources, catalogs or settings than {first_folder}")
    specs = {tuple(state["shard"]) if state.get("shard") else (1, 1) for _, state in states}
    count = {n for _, n in specs}
    if len(count) != 1 or {k for k, _ in specs} != set(range(1, next(iter(count)) + 1)):
        shown = ", ".join(f"{k}/{n}" for k, n in sorted(specs))
        raise UsageError(f"the shards given ({shown}) are not all the shards of one build")
    files: dict[str, tuple[Job, bytes]] = {}
    for folder, state in states:
        jobs = [_job(key) for key in state["planned"]]
        for relative, (job, data) in _job_files(folder, state, jobs).items():
            if relative in files and files[relative][1] != data:
                raise UsageError(f"{folder / relative} differs from the same file in another shard")
            files[relative] = (job, data)
    files.update(_merged_site(project, states))
    manifest = _manifest(project, files)  # the same manifest, and bundle, as an unsharded build
    if embargoed:
        manifest["embargoed"] = dict(sorted(embargoed.items()))
    _write_zip(target, files, manifest)
    return target, manifest


def _target(project: Project, output: Path | None) -> Path:
    target = (Path(output) if output else project.output_dir / BUNDLE_NAME).resolve()
    for folder in (project.sources_dir, project.locale_dir, project.templates_dir):
        if target.is_relative_to(folder):
            raise UsageError(f"refusing to write the bundle inside {folder.name}/, which holds the project's inputs")
    if target.is_dir():
        raise UsageError(f"{target} is a folder; give the bundle a file name such as release.zip")
    return target


def _state(folder: Path) -> dict:
    path = folder / STATE_FILE
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{folder} holds no pubkit build (no {STATE_FILE}); run `pubkit build` first") from None
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path} cannot be read: {exc}") from None
    if not isinstance(state, dict) or state.get("pubkit") != __version__:
        version = state.get("pubkit") if isinstance(state, dict) else None
        raise UsageError(f"{folder} was built by pubkit {version}, not {__version__}: rebuild it")
    return state


def _job(key: str) -> Job:
    slug, language, kind = key.split("/")
    return Job(slug, language, kind)


def _job_files(folder: Path, state: dict, jobs: list[Job]) -> dict[str, tuple[Job, bytes]]:
    files: dict[str, tuple[Job, bytes]] = {}
    for job in jobs:
        entry = state.get("jobs", {}).get(job.key)
        if entry is None:
            raise UsageError(f"{folder}: {job.key} was never built; run `pubkit build` again")
        for relative, (size, _mtime) in sorted(entry["outputs"].items()):
            path = folder / relative
            try:
                data = path.read_bytes()
            except OSError:
                raise UsageError(f"{path} is missing; run `pubkit build` again") from None
            if len(data) != size:
                raise UsageError(f"{path} changed since it was built; run `pubkit build` again")
            files[relative] = (job, data)
    return files


def _merged_site(project: Project, states: list[tuple[Path, dict]]) -> dict[str, tuple[Job, bytes]]:
    """The site around the pages of all shards, made as the unsharded build makes it (site.py)."""
    from .build import SourceIndex
    from .embargo import current_time
    from .site import site_files

    listed: dict[str, dict] = {}
    for _folder, state in states:
        for key in state["planned"]:
            listed[key] = state["jobs"][key]
    index = SourceIndex(project, {})
    return {relative: (Job("", "", "site"), data)
            for relative, data in site_files(project, listed, index, current_time()).items()}


def _site_files(folder: Path, state: dict) -> dict[str, tuple[Job, bytes]]:
    """The indexes, feeds, sitemap and robots.txt the build made around the pages (site.py)."""
    files: dict[str, tuple[Job, bytes]] = {}
    for relative, (size, _mtime) in sorted(((state.get("site") or {}).get("outputs") or {}).items()):
        path = folder / relative
        try:
            data = path.read_bytes()
        except OSError:
            raise UsageError(f"{path} is missing; run `pubkit build` again") from None
        if len(data) != size:
            raise UsageError(f"{path} changed since it was built; run `pubkit build` again")
        files[relative] = (Job("", "", "site"), data)
    return files


def _manifest(project: Project, files: dict[str, tuple[Job, bytes]]) -> dict:
    from .checks import check_catalog

    sources = read_sources(project)
    languages: dict[str, dict] = {}
    for language in project.output_languages:
        translated = total = fuzzy = untranslated = errors = warnings = 0
        for source in sources:
            keys = list(dict.fromkeys(source.message_keys))
            translations = Translations.load(project, language, source.slug)
            translated += sum(1 for c, m in keys if translations.get(c, m) is not None)
            total += len(keys)
        if language != project.source_language:
            for domain in domains(project):
                path = project.po_path(language, domain)
                if not path.exists():
                    continue
                progress = catalog_status(language, domain, read_catalog(path), None, str(path))
                fuzzy += progress.fuzzy
                untranslated += progress.untranslated
                for finding in check_catalog(path, language, project.source_language):
                    errors += finding.severity == "error"
                    warnings += finding.severity == "warning"
        languages[language] = {
            "completeness": round(100.0 * translated / total, 1) if total else 100.0,
            "fuzzy": fuzzy,
            "untranslated": untranslated,
            "checks": {"errors": errors, "warnings": warnings},
        }
    return {
        "pubkit": __version__,
        "revision": _revision(project.root),
        "source_date_epoch": _epoch(),
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
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o100644 << 16
            info.create_system = 3
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=9)
    write_atomic(target, buffer.getvalue())


def _epoch() -> int:
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    return max(int(value), ZIP_EPOCH) if value.strip().isdigit() else ZIP_EPOCH


def _revision(root: Path) -> str | None:
    try:
        result = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True,
                                timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() if result.returncode == 0 else None



