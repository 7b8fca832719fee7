"""``pubkit verify BUNDLE``: rebuild from the project's sources in a temporary folder and compare, byte for byte.

The bundle is untrusted input (a download, an old artifact): it is read, never unpacked, and refused with one
line unless it is a zip of safe names holding pubkit's manifest and every file the manifest lists.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import tempfile
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import Path

from .. import safefs
from ..config import Project
from ..errors import BundleError
from .bundle import MANIFEST_NAME, bundle

#: Far more than any press site; a bigger "bundle" is refused before it fills memory.
MAX_ENTRIES = 100_000
MAX_BYTES = 4 << 30
MANIFEST_SCHEMA = {
    "type": "object",
    "required": ["pubkit", "files", "languages", "source_date_epoch"],
    "properties": {
        "pubkit": {"type": "string"},
        "source_date_epoch": {"type": "integer"},
        "source_date_epoch_given": {"type": "boolean"},
        "languages": {"type": "object"},
        "provenance": {"type": "object"},
        "files": {"type": "array", "items": {
            "type": "object", "required": ["path", "sha256", "bytes"],
            "properties": {"path": {"type": "string"}, "sha256": {"type": "string"}, "bytes": {"type": "integer"}},
        }},
    },
}


@dataclasses.dataclass
class Verdict:
    """What a rebuild showed: no differences (identical), or one line per file or version that differs."""

    files: int
    differences: list[str]

    @property
    def identical(self) -> bool:
        return not self.differences


def read_bundle(path: Path) -> tuple[dict, dict[str, bytes]]:
    """The manifest and every entry of a bundle, or a :class:`BundleError` saying why it is not one."""
    if not path.is_file():
        raise BundleError("no such file" if not path.exists() else "not a file", path)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_entries(path, infos)
            entries = {info.filename: archive.read(info) for info in infos}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, zlib.error) as exc:
        raise BundleError(f"not a zip file ({exc})", path) from None
    except RuntimeError as exc:  # an encrypted entry: pubkit never writes one
        raise BundleError(f"cannot read it: {exc}", path) from None
    except OSError as exc:
        raise BundleError(f"cannot read it: {exc.strerror or exc}", path) from None
    if MANIFEST_NAME not in entries:
        raise BundleError(f"no {MANIFEST_NAME}: not a bundle made by `pubkit bundle`", path)
    manifest = _manifest(path, entries[MANIFEST_NAME])
    listed = {entry["path"] for entry in manifest["files"]}
    for name in sorted(listed):
        problem = safefs.check_name(name)
        if problem:  # never echoed: it may hold control characters meant for the terminal
            raise BundleError(f"{MANIFEST_NAME} lists a file whose name has {problem}", path)
    missing = sorted(listed - entries.keys())
    if missing:
        raise BundleError(f"'{missing[0][:120]}' is listed in {MANIFEST_NAME} but not in the zip", path)
    extra = sorted(entries.keys() - listed - {MANIFEST_NAME})
    if extra:
        raise BundleError(f"'{extra[0][:120]}' is in the zip but not listed in {MANIFEST_NAME}", path)
    return manifest, entries


def _check_entries(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_ENTRIES:
        raise BundleError(f"{len(infos)} entries, over the limit of {MAX_ENTRIES}", path)
    if sum(info.file_size for info in infos) > MAX_BYTES:
        raise BundleError(f"its files unpack to more than {MAX_BYTES >> 30} GiB", path)
    names = set()
    for info in infos:
        problem = safefs.check_name(info.filename)
        if problem:  # '../x', '/etc/x': a zip that would write outside the folder it is unpacked into
            raise BundleError(f"zip entry '{info.filename[:80]}' has {problem}: it points outside the bundle", path)
        if info.filename in names:
            raise BundleError(f"zip entry '{info.filename[:80]}' appears twice", path)
        names.add(info.filename)


def _manifest(path: Path, data: bytes) -> dict:
    import jsonschema

    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BundleError(f"{MANIFEST_NAME} is not JSON ({exc})", path) from None
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(MANIFEST_SCHEMA).iter_errors(manifest))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "the top level"
        raise BundleError(f"{MANIFEST_NAME} is not pubkit's manifest (at {where}: {error.message[:120]})", path)
    return manifest


def verify(project: Project, path: Path, jobs: int = 1, now: dt.datetime | None = None) -> Verdict:
    """Rebuild ``project`` into a temporary folder under the bundle's SOURCE_DATE_EPOCH and compare.

    Nothing is written in the project: the rebuild's output folder and bundle live in the temporary folder.
    """
    manifest, entries = read_bundle(path)
    given = manifest.get("source_date_epoch_given", True)
    with tempfile.TemporaryDirectory(prefix="pubkit-verify-") as folder, \
            _source_date_epoch(manifest["source_date_epoch"] if given else None):
        scratch = dataclasses.replace(project, output_dir=Path(folder) / "dist")
        rebuilt_path, _manifest = bundle(scratch, Path(folder) / "bundle.zip", jobs=jobs, now=now,
                                          include_embargoed="embargoed" in manifest)
        if rebuilt_path.read_bytes() == path.read_bytes():
            return Verdict(len(entries), [])
        rebuilt_manifest, rebuilt = read_bundle(rebuilt_path)
    return Verdict(len(entries), file_differences(entries, rebuilt)
                   + version_differences(manifest.get("provenance", {}), rebuilt_manifest["provenance"])
                   + _manifest_differences(manifest, rebuilt_manifest))


@contextmanager
def _source_date_epoch(value: int | None):
    before = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    else:
        os.environ["SOURCE_DATE_EPOCH"] = str(value)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def file_differences(recorded: dict[str, bytes], rebuilt: dict[str, bytes]) -> list[str]:
    lines = []
    for name in sorted((recorded.keys() | rebuilt.keys()) - {MANIFEST_NAME}):
        if name not in rebuilt:
            lines.append(f"file {name}: in the bundle, not in the rebuild")
        elif name not in recorded:
            lines.append(f"file {name}: in the rebuild, not in the bundle")
        elif recorded[name] != rebuilt[name]:
            lines.append(f"file {name}: differs ({len(recorded[name])} bytes in the bundle, "
                         f"{len(rebuilt[name])} rebuilt)")
    return lines


def version_differences(recorded: dict, here: dict) -> list[str]:
    """One line per version, and per font file, that differs between the bundle and this machine."""
    lines = []
    for key in sorted((recorded.keys() | here.keys()) - {"fonts"}):
        if recorded.get(key) != here.get(key):
            lines.append(f"version {key}: {_shown(recorded.get(key))} in the bundle, {_shown(here.get(key))} here")
    fonts = [{(f.get("file"), f.get("family")): f.get("sha256") for f in side.get("fonts", []) if isinstance(f, dict)}
             for side in (recorded, here)]
    for file, family in sorted(fonts[0].keys() | fonts[1].keys(), key=lambda k: (str(k[0]), str(k[1]))):
        before, after = fonts[0].get((file, family), "not used"), fonts[1].get((file, family), "not used")
        if before != after:
            lines.append(f"font {file} ({family}): {_shown(before)} in the bundle, {_shown(after)} here")
    return lines


def _manifest_differences(recorded: dict, rebuilt: dict) -> list[str]:
    keys = (recorded.keys() | rebuilt.keys()) - {"files", "provenance"}
    return [f"manifest {key}: differs" for key in sorted(keys) if recorded.get(key) != rebuilt.get(key)]


def _shown(value: object) -> str:
    if value is None:
        return "none"
    text = str(value)
    return text[:12] + "…" if len(text) == 64 and all(c in "0123456789abcdef" for c in text) else text[:80]
