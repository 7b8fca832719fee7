"""Build outputs handed to ``bundle``, checked as hostile: a shard is an artifact downloaded from a CI runner.

A shard's ``.pubkit/state.json`` must match :data:`STATE_SCHEMA`; it must be a shard of the build the
*current* project plans (same jobs, same input digests; a stale one names the file that changed); and
only the outputs that plan expects are read, each by a safe relative name, beneath the shard folder with
no symbolic link on its path, with the size and sha256 its state records. Stylesheets and images must
also be byte for byte the current project's own files. What comes out is exactly the file set of an
unsharded build, or an error.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .. import __version__, safefs
from .plan import SCREEN_ASSETS, STATE_FILE, Job, Plan
from ..config import Project
from ..errors import PubkitError, UsageError
from .paths import page_relative, pdf_relative
from ..render.resources import image_digest
from ..source.templates import BUILTIN_DIR, template_files

#: The largest state file and the largest single output read from a shard.
MAX_STATE_BYTES = 64 * 1024 * 1024
MAX_OUTPUT_BYTES = 512 * 1024 * 1024

_HEX64 = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
_NAME = {"type": "string", "minLength": 1, "maxLength": safefs.MAX_NAME}
_JOB_KEY = r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z]{2,8}(_[A-Za-z0-9]{1,8})*/(html|pdf|email)$"

#: The shape of ``.pubkit/state.json`` (JSON Schema, draft 2020-12). Names are checked further by safefs.
STATE_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["pubkit", "inputs", "shard", "planned", "jobs", "files"],
    "additionalProperties": False,
    "properties": {
        "pubkit": {"type": "string", "maxLength": 64},
        "inputs": _HEX64,
        "shard": {"oneOf": [
            {"type": "null"},
            {"type": "array", "prefixItems": [{"type": "integer", "minimum": 1}] * 2, "minItems": 2, "maxItems": 2,
             "items": False},
        ]},
        "planned": {"type": "array", "items": {"type": "string", "pattern": _JOB_KEY}, "uniqueItems": True},
        "jobs": {
            "type": "object",
            "propertyNames": {"pattern": _JOB_KEY},
            "additionalProperties": {
                "type": "object",
                "required": ["digest", "outputs"],
                "additionalProperties": False,
                "properties": {
                    "digest": _HEX64,
                    # Translations the page did not use (build.py's remembered gate): only ever re-reported
                    # as warnings by a later build; a merged bundle's manifest recomputes them from catalogs.
                    "gate": _HEX64,  # the digest the not_used verdicts come from (build.py)
                    "not_used": {"type": "array", "maxItems": 100_000, "items": {
                        "type": "array", "minItems": 5, "maxItems": 5, "items": False, "prefixItems": [
                            {"type": "string", "maxLength": 4096}, {"type": ["integer", "null"]},
                            {"type": "string", "maxLength": 65536}, {"type": "string"},
                            {"type": ["string", "null"]}]}},
                    "outputs": {
                        "type": "object",
                        "propertyNames": _NAME,
                        "additionalProperties": {
                            "type": "array",
                            "prefixItems": [{"type": "integer", "minimum": 0}, {"type": "integer"}, _HEX64],
                            "minItems": 3, "maxItems": 3, "items": False,
                        },
                    },
                },
            },
        },
        # Releases rendered under embargo for review: slug → the embargo's end (ISO 8601).
        "embargoed": {"type": "object", "propertyNames": _NAME, "additionalProperties": {"type": "string",
                                                                                         "maxLength": 64}},
        # The site around the pages (site.py): never read from a shard, whose site bundle --merge remakes.
        "site": {"type": ["object", "null"]},
        "skipped": {"type": "object", "propertyNames": {"pattern": r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9_]+$"},
                    "additionalProperties": {"type": "array", "minItems": 3, "maxItems": 3, "items": False,
                                             "prefixItems": [_HEX64, {"type": "string", "maxLength": 4096},
                                                             _NAME]}},
        "sources": {"type": "object", "propertyNames": _NAME, "additionalProperties": {
            "type": "object", "required": ["sha256", "slug"], "additionalProperties": False,
            "properties": {"sha256": _HEX64, "slug": {"type": "string", "maxLength": 255},
                           "embargo": {"type": ["string", "null"], "maxLength": 64},
                           "embargo_zone": {"type": "string", "maxLength": 64}}}},
        "files": {"type": "object", "propertyNames": _NAME, "additionalProperties": _HEX64},
    },
}

Files = dict[str, tuple[Job, bytes]]


def load_state(folder: Path) -> dict:
    """The state file of a build folder, validated against :data:`STATE_SCHEMA`; else one error line."""
    path = folder / STATE_FILE
    if not (folder / STATE_FILE).exists() and not os.path.islink(path):
        raise UsageError(f"{folder} holds no pubkit build (no {STATE_FILE}); run `pubkit build` first")
    try:
        data = safefs.read_beneath(folder, STATE_FILE.as_posix(), MAX_STATE_BYTES)
    except PubkitError as exc:
        raise UsageError(f"state file {exc.message}", path, 1) from None
    try:
        state = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise UsageError("state file is not UTF-8", path, 1) from None
    except RecursionError:
        raise UsageError("state file is nested too deeply", path, 1) from None
    except ValueError as exc:
        line = getattr(exc, "lineno", 1)
        raise UsageError(f"state file is not JSON: {getattr(exc, 'msg', exc)}", path, line) from None
    if isinstance(state, dict) and isinstance(state.get("pubkit"), str) and state["pubkit"] != __version__:
        raise UsageError(f"{folder} was built by pubkit {state['pubkit']}, not {__version__}: rebuild it")
    _validate(state, path)
    for key, entry in state["jobs"].items():
        for name in entry["outputs"]:
            problem = safefs.check_name(name)
            if problem:
                raise UsageError(f"{key}: output name '{name[:80]}' is refused: {problem}", path, 1)
    return state


def _validate(state: object, path: Path) -> None:
    import jsonschema  # only bundle reads foreign state files; a build never pays for this import

    validator = jsonschema.Draft202012Validator(STATE_SCHEMA)
    error = jsonschema.exceptions.best_match(validator.iter_errors(state))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "the top level"
        message = " ".join(error.message.split())
        if len(message) > 160:
            message = message[:157] + "..."
        raise UsageError(f"state file does not match its schema at {where}: {message}", path, 1)


def collect(project: Project, folders: list[Path], plan: Plan,
            include_embargoed: bool = False) -> tuple[Files, dict[str, dict]]:
    """Every output of an unsharded build of ``project``, taken from these build folders (shards),
    and the checked state entry of every job (what the site around the pages lists).

    ``plan`` is what the current project builds, unsharded: ``plan_build(project)``, or the plan of
    the whole build that just ran. Raises :class:`UsageError` (one line, exit 2) unless the folders are
    exactly the shards of that build, fresh, and intact.
    """
    states = [(folder, load_state(folder)) for folder in folders]
    if not include_embargoed:
        for folder, state in states:
            if state.get("embargoed"):
                slug, until = next(iter(sorted(state["embargoed"].items())))
                raise UsageError(f"{folder} holds '{slug}', under embargo until {until}; "
                                 "merge it only with --include-embargoed")
    _check_shard_set(states)
    own = {name: path for name, path in template_files(project).items() if name in SCREEN_ASSETS}
    images = _project_images(project)
    files: Files = {}
    listed: dict[str, dict] = {}
    for folder, state in states:
        part, parts = state["shard"] or (1, 1)
        expected = plan.planned[part - 1 :: parts]
        path = folder / STATE_FILE
        planned = set(state["planned"])
        for job in expected:
            if job.key not in planned:
                raise UsageError(f"shard {part}/{parts} did not plan {job.key}, which the current project plans "
                                 "(built with --lang, --source or --format?)", path, 1)
        extra = planned - {job.key for job in expected}
        if extra:
            raise UsageError(f"shard {part}/{parts} planned {sorted(extra)[0]}, which the current project does "
                             "not plan for it", path, 1)
        for job in expected:
            entry = state["jobs"].get(job.key)
            if entry is None:
                raise UsageError(f"{job.key} was never built in {folder}; run `pubkit build` again", path, 1)
            if entry["digest"] != plan.digests[job]:
                raise UsageError(_stale(folder, state, plan.inputs.files), path, 1)
            for name, data in _job_outputs(project, folder, job, entry["outputs"], own, images).items():
                files[name] = (job, data)
            listed[job.key] = entry
    return files, listed


def _check_shard_set(states: list[tuple[Path, dict]]) -> None:
    specs = [tuple(state["shard"]) if state["shard"] else (1, 1) for _, state in states]
    counts = {n for _, n in specs}
    if len(counts) != 1 or sorted(k for k, _ in specs) != list(range(1, next(iter(counts)) + 1)):
        shown = ", ".join(f"{k}/{n}" for k, n in sorted(specs))
        raise UsageError(f"the shards given ({shown}) are not all the shards of one build")


def _stale(folder: Path, state: dict, current: dict[str, str]) -> str:
    """Which input file changed between a shard's build and the current project."""
    built = state["files"]
    for name in sorted(set(built) | set(current)):
        if built.get(name) != current.get(name):
            how = "is new" if name not in built else "was removed" if name not in current else "changed"
            return f"{folder} is stale: {name} {how} since it was built; rebuild the shards"
    return f"{folder} was built from other sources, catalogs or settings; rebuild the shards"


def _project_images(project: Project) -> dict[str, Path]:
    """``images/<digest>-<name>`` → the project file a page copies under that name."""
    roots = tuple(Path(os.path.realpath(p)) for p in (project.root, BUILTIN_DIR))
    found: dict[str, Path] = {}
    if project.sources_dir.is_dir():
        for path in sorted(project.sources_dir.rglob("*")):
            real = Path(os.path.realpath(path))
            if path.suffix != ".md" and real.is_file() and real.is_relative_to(roots[0]):
                found[f"images/{image_digest(real, roots)}-{real.name}"] = real
    return found


def _job_outputs(project: Project, folder: Path, job: Job, outputs: dict, own: dict[str, Path],
                 images: dict[str, Path]) -> dict[str, bytes]:
    """The outputs of one job, read safely and checked against what the job makes."""
    prefix = page_relative(project, job.slug, job.language).rsplit("/", 1)[0] + "/"
    if job.format == "pdf":
        required = {pdf_relative(project, job.slug, job.language)}
    else:
        required = {prefix + "index.html", *(prefix + name for name in SCREEN_ASSETS)}
    where = folder / STATE_FILE
    missing = required - set(outputs)
    if missing:
        raise UsageError(f"{job.key} lists no {sorted(missing)[0]}", where, 1)
    taken: dict[str, bytes] = {}
    for name, (size, _mtime, digest) in sorted(outputs.items()):
        expected_copy: Path | None = None
        if name not in required:
            image = name[len(prefix):] if name.startswith(prefix) else None
            if job.format != "html" or image not in images:
                raise UsageError(f"{job.key} lists '{name[:80]}', which this job does not make", where, 1)
            expected_copy = images[image]
        elif name[len(prefix):] in own:
            expected_copy = own[name[len(prefix):]]
        try:
            data = safefs.read_beneath(folder, name, MAX_OUTPUT_BYTES)
        except PubkitError as exc:
            raise UsageError(exc.message, folder / name, 1) from None
        if len(data) != size or hashlib.sha256(data).hexdigest() != digest:
            raise UsageError("differs from the size or sha256 its state records; rebuild this shard",
                             folder / name, 1)
        if expected_copy is not None and expected_copy.read_bytes() != data:
            raise UsageError(f"is not a copy of the project's {expected_copy.relative_to(project.root)}"
                             if expected_copy.is_relative_to(project.root) else
                             f"is not a copy of pubkit's {expected_copy.name}", folder / name, 1)
        taken[name] = data
    return taken

