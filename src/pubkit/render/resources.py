"""The one door to every file a document references: inside the project (or pubkit's own templates) only."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO
from urllib.parse import unquote, urlsplit

from ..errors import RenderError
from ..safefs import real_inside

#: The largest file a document may pull in (an image, a stylesheet).
MAX_RESOURCE_BYTES = 32 * 1024 * 1024
#: The folder a print document's roots appear under (``/pubkit-root/0/`` is the project): see portable_uri.
PORTABLE_ROOT = "/pubkit-root"
#: The most pixels a raster image may have: 50 million (say 8660 × 5773), 200 MB once decoded to RGBA.
#: A few hundred KB of PNG can declare billions of pixels (a decompression bomb); the header is read first.
MAX_IMAGE_PIXELS = 50_000_000
_RASTER_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff", ".ico")


@dataclass(frozen=True)
class ResourcePolicy:
    """Which files and URLs rendering may read.

    Files are checked by their real path (after percent-decoding and symlinks), so ``..%2f`` or a
    link pointing out of the project is refused like a plain ``../``. Devices, FIFOs and folders are
    refused; so is the network unless the project sets ``allow_network = true``.
    """

    roots: tuple[Path, ...]
    allow_network: bool = False
    max_bytes: int = MAX_RESOURCE_BYTES

    def local_file(self, reference: str, base: Path, referrer: Path | None, line: int | None = None) -> Path | None:
        """The file a reference in a document points to, or None for data: and allowed network URLs.

        Raises :class:`RenderError` naming the referring file and the reference when it is refused.
        """
        parts = urlsplit(reference)
        scheme = parts.scheme.lower()
        if scheme == "data":
            check_data_url(reference, referrer, line)
            return None
        if scheme in ("http", "https"):
            if self.allow_network:
                return None
            raise RenderError(
                f"refused network resource '{reference}' (set allow_network = true to allow it)", referrer, line
            )
        if scheme == "file":
            candidate = Path(unquote(parts.path))
        elif scheme or reference.startswith("//"):
            raise RenderError(f"refused resource '{reference}': unsupported URL scheme", referrer, line)
        else:
            candidate = base / unquote(parts.path)
        return self.check_file(candidate, reference, referrer, line)

    def portable_uri(self, path: Path) -> str:
        """A ``file:`` URI for a file or folder inside a root that names no folder of this machine.

        WeasyPrint names each image of a PDF after its URL, so a URL with the project's folder in it would
        make the same sources give other bytes in another folder. :meth:`from_portable` maps it back.
        """
        real = Path(os.path.realpath(path))
        for index, root in enumerate(self.roots):
            if real.is_relative_to(root):
                return (PurePosixPath(PORTABLE_ROOT) / str(index) / real.relative_to(root).as_posix()).as_uri()
        return real.as_uri()

    def from_portable(self, path: Path) -> Path:
        """The real path of a path made by :meth:`portable_uri` (any other path is returned as it is)."""
        parts = PurePosixPath(path).parts
        if len(parts) >= 3 and parts[:2] == ("/", PORTABLE_ROOT[1:]) and parts[2].isdigit() \
                and int(parts[2]) < len(self.roots):
            return self.roots[int(parts[2])].joinpath(*parts[3:])
        return path

    def check_file(self, candidate: Path, reference: str, referrer: Path | None, line: int | None = None) -> Path:
        real = real_inside(candidate, *self.roots)
        if isinstance(real, str):
            raise RenderError(f"refused resource '{reference}': it is outside the project", referrer, line)
        try:
            info = real.stat()
        except FileNotFoundError:
            raise RenderError(f"resource '{reference}' not found", referrer, line) from None
        except OSError as exc:
            raise RenderError(f"cannot read resource '{reference}': {exc.strerror}", referrer, line) from None
        if not stat.S_ISREG(info.st_mode):
            raise RenderError(f"refused resource '{reference}': not a regular file", referrer, line)
        if info.st_size > self.max_bytes:
            raise RenderError(
                f"refused resource '{reference}': {info.st_size} bytes is over the limit of {self.max_bytes}",
                referrer,
                line,
            )
        if real.suffix.lower() in _RASTER_SUFFIXES:
            check_pixels(real, reference, referrer, line)
        return real


def check_data_url(reference: str, referrer: Path | None, line: int | None = None) -> None:
    """A ``data:`` image (a translator may type one) gets the same pixel limit as an image file."""
    import base64
    import binascii
    import io
    from urllib.parse import unquote_to_bytes

    header, _, payload = reference.partition(",")
    try:
        data = base64.b64decode(payload) if header.lower().endswith(";base64") else unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        return  # not decodable: the print engine reports it, and pubkit makes that an error
    check_pixels(io.BytesIO(data), reference[:40] + ("…" if len(reference) > 40 else ""), referrer, line)


def check_pixels(real: Path | IO[bytes], reference: str, referrer: Path | None, line: int | None = None) -> None:
    """Refuse a raster image whose header declares more than :data:`MAX_IMAGE_PIXELS` pixels.

    Pillow reads only the header here; nothing is decoded.
    """
    import warnings

    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the limit below is pubkit's own
            with Image.open(real) as image:
                width, height = image.size
    except Image.DecompressionBombError as exc:  # over twice Pillow's own limit, so over pubkit's
        pixels = next(iter(re.findall(r"\d+", str(exc))), "too many")
        size = f"{int(pixels):,} pixels" if pixels.isdigit() else "too many pixels"
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return  # not an image Pillow knows: the print engine reports it, and pubkit makes that an error
    else:
        if width * height <= MAX_IMAGE_PIXELS:
            return
        size = f"{width}×{height} = {width * height:,} pixels"
    raise RenderError(f"refused image '{reference}': {size}, over the limit of {MAX_IMAGE_PIXELS:,}", referrer, line)


def policy_for(project_root: Path, *extra_roots: Path, allow_network: bool = False) -> ResourcePolicy:
    roots = tuple(Path(os.path.realpath(p)) for p in (project_root, *extra_roots))
    return ResourcePolicy(roots=roots, allow_network=allow_network)


def image_digest(real: Path, roots: tuple[Path, ...]) -> str:
    """The prefix of an image's name beside a page: from its path inside the project, not on this machine,
    so that shards built in different folders name the same image alike."""
    inside = next((real.relative_to(root) for root in roots if real.is_relative_to(root)), real)
    return hashlib.sha256(inside.as_posix().encode()).hexdigest()[:8]


def stylesheet_references(text: str) -> list[tuple[str, int]]:
    """Every URL a stylesheet refers to (``url()``, ``@import``, ``image-set()``), with its line."""
    import tinycss2  # WeasyPrint's own CSS parser

    found: list[tuple[str, int]] = []
    stack = list(reversed(tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)))
    while stack:  # an explicit stack: a stylesheet nested 10,000 blocks deep must not exhaust recursion
        node = stack.pop()
        kind = getattr(node, "type", "")
        if kind == "url":
            found.append((node.value, node.source_line))
        elif kind == "function" and node.lower_name in ("url", "src", "image-set", "-webkit-image-set"):
            found.extend((arg.value, arg.source_line) for arg in node.arguments if arg.type == "string")
        elif kind == "at-rule" and node.lower_at_keyword == "import":
            found.extend((arg.value, arg.source_line) for arg in node.prelude if arg.type == "string")
        for attribute in ("prelude", "content", "arguments"):
            children = getattr(node, attribute, None)
            if isinstance(children, list):
                stack.extend(reversed(children))
    return found


def check_screen_stylesheet(path: Path, allow_network: bool) -> bytes:
    """The bytes of a stylesheet copied beside a web page, refused if it would make the page load more.

    Only ``data:`` URLs, ``#fragments`` and, with ``allow_network``, http(s) URLs may appear: nothing
    else is copied beside the page, and a ``file:`` URL would read the *reader's* disk.
    """
    data = path.read_bytes()
    text = data.decode("utf-8", errors="replace")
    for reference, line in stylesheet_references(text):
        scheme = urlsplit(reference.strip()).scheme.lower()
        if scheme == "data" or reference.startswith("#"):
            continue
        if scheme in ("http", "https"):
            if allow_network:
                continue
            raise RenderError(f"refused network resource '{reference}' in a web page's stylesheet "
                              "(set allow_network = true to allow it)", path, line)
        raise RenderError(f"refused resource '{reference}' in a web page's stylesheet: only data: URLs "
                          "are allowed there (nothing else is copied beside the page)", path, line)
    return data
