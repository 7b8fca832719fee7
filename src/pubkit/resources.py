"""The one door to every file a document references: inside the project (or pubkit's own templates) only."""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import RenderError

#: The largest file a document may pull in (an image, a stylesheet).
MAX_RESOURCE_BYTES = 32 * 1024 * 1024


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

    def check_file(self, candidate: Path, reference: str, referrer: Path | None, line: int | None = None) -> Path:
        real = Path(os.path.realpath(candidate))
        if not any(real.is_relative_to(root) for root in self.roots):
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
        return real


def policy_for(project_root: Path, *extra_roots: Path, allow_network: bool = False) -> ResourcePolicy:
    roots = tuple(Path(os.path.realpath(p)) for p in (project_root, *extra_roots))
    return ResourcePolicy(roots=roots, allow_network=allow_network)


def image_digest(real: Path, roots: tuple[Path, ...]) -> str:
    """The prefix of an image's name beside a page: from its path inside the project, not on this machine,
    so that shards built in different folders name the same image alike."""
    inside = next((real.relative_to(root) for root in roots if real.is_relative_to(root)), real)
    return hashlib.sha256(inside.as_posix().encode()).hexdigest()[:8]
