"""What shaped a bundle's bytes: pubkit, Python, Babel and CLDR, the PDF engine, the lock and every font file.

Fonts are read from the PDFs themselves (each embedded subset keeps its PostScript name), so the list is
true for a bundle merged from shards or made of PDFs an earlier build left, and names only fonts used.
"""

from __future__ import annotations

import hashlib
import io
import platform
import subprocess
import sys
import zlib
from functools import cache
from pathlib import Path

import babel
import babel.core
from fontTools.ttLib import TTCollection, TTFont, TTLibError
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from .. import __version__
from ..render.pdf import engine_versions

#: Written by ``tools/dev`` into the virtual environment it installs from requirements/lock.txt.
LOCK_STAMP = "pubkit-lock.sha256"
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")


def provenance(pdfs: list[bytes], project_fonts: Path | None = None) -> dict:
    """The versions of everything that shapes the bytes, and every font file embedded in ``pdfs``."""
    return {
        "pubkit": __version__,
        "pubkit_revision": pubkit_revision(),
        "python": platform.python_version(),
        "zlib": zlib.ZLIB_RUNTIME_VERSION,  # compresses every zip entry and PDF stream
        "babel": babel.__version__,
        "cldr": str(babel.core.get_cldr_version()),
        **engine_versions(),
        "lock_sha256": lock_digest(),
        "fonts": fonts_used(pdfs, project_fonts),
    }


def lock_digest() -> str | None:
    """The sha256 of the lock this environment was installed from, or None when it was not."""
    stamp = Path(sys.prefix) / LOCK_STAMP
    try:
        text = stamp.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text if len(text) == 64 and all(c in "0123456789abcdef" for c in text) else None


@cache
def pubkit_revision() -> str | None:
    """The git commit of the pubkit checkout this runs from ("+dirty" with changed code), or None."""
    package = Path(__file__).resolve().parent.parent

    def git(*args: str) -> str | None:
        try:
            result = subprocess.run(["git", "-C", str(package), *args], capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return result.stdout.strip() if result.returncode == 0 else None

    top = git("rev-parse", "--show-toplevel")
    # An installed copy inside some other repository (a venv in a project) has no revision of its own.
    if top is None or (Path(top) / "src" / "pubkit").resolve() != package:
        return None
    revision = git("rev-parse", "HEAD")
    if revision and git("status", "--porcelain", "--untracked-files=no", "--", "src"):
        revision += "+dirty"
    return revision


def fonts_used(pdfs: list[bytes], project_fonts: Path | None = None) -> list[dict]:
    """Family, file name and sha256 of every font file whose faces the PDFs embed, sorted by file name."""
    names: set[str] = set()
    for data in pdfs:
        names |= _embedded_postscript_names(data)
    files = installed_fonts()
    if project_fonts is not None:
        files = {**files, **_font_files(sorted(p for p in project_fonts.rglob("*") if p.suffix in FONT_SUFFIXES))}
    found = {}
    for name in sorted(names):
        if name in files:
            family, path = files[name]
            found[path, family] = {"family": family, "file": Path(path).name, "sha256": _file_digest(path)}
        else:  # a font pubkit cannot trace to a file: named, so a reader sees it is unaccounted for
            found["", name] = {"family": name, "file": None, "sha256": None}
    return sorted(found.values(), key=lambda font: (font["file"] or "", font["family"]))


def _embedded_postscript_names(data: bytes) -> set[str]:
    names = set()
    try:
        reader = PdfReader(io.BytesIO(data))
        descriptors = [font.get_object() for page in reader.pages
                       for font in (page.get("/Resources", {}).get("/Font", {}) or {}).values()]
    except (PdfReadError, ValueError, KeyError, TypeError):
        return names
    seen = set()
    for font in descriptors:
        for descendant in font.get("/DescendantFonts", [font]):
            descriptor = descendant.get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            stream = next((descriptor[key] for key in ("/FontFile2", "/FontFile3", "/FontFile") if key in descriptor),
                          None)
            if stream is None or stream.indirect_reference in seen:
                continue
            seen.add(stream.indirect_reference)
            name = _postscript_name(stream.get_object().get_data())
            if name:
                names.add(name)
    return names


def _postscript_name(data: bytes) -> str | None:
    try:
        return TTFont(io.BytesIO(data), lazy=True)["name"].getDebugName(6)
    except (TTLibError, KeyError, AssertionError, ValueError, IndexError):
        return None


@cache
def installed_fonts() -> dict[str, tuple[str, str]]:
    """PostScript name → (family, file) of every font fontconfig knows (the fonts Pango chooses from)."""
    try:
        listed = subprocess.run(["fc-list", "--format", "%{postscriptname}\\t%{family[0]}\\t%{file}\\n"],
                                capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return {}
    fonts: dict[str, tuple[str, str]] = {}
    for line in sorted(listed.splitlines()):
        parts = line.split("\t")
        if len(parts) == 3 and parts[0]:
            fonts.setdefault(parts[0], (parts[1], parts[2]))
    return fonts


def _font_files(paths: list[Path]) -> dict[str, tuple[str, str]]:
    """PostScript name → (family, file) of a project's own font files (templates/ with @font-face)."""
    fonts = {}
    for path in paths:
        try:
            faces = TTCollection(str(path)).fonts if path.suffix in (".ttc", ".otc") else [TTFont(str(path), lazy=True)]
            for face in faces:
                name = face["name"]
                fonts[name.getDebugName(6)] = (name.getDebugName(16) or name.getDebugName(1), str(path))
        except (TTLibError, KeyError, OSError, AssertionError):
            continue
    return fonts


@cache
def _file_digest(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
