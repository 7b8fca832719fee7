"""Write files whole or not at all: a crash or a full disk leaves the previous file intact."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import PubkitError


def write_atomic(path: Path, data: bytes | str) -> bool:
    """Replace ``path`` with ``data`` atomically; return False (and touch nothing) if it already holds it.

    The bytes go to a temporary file in the same folder, are flushed to disk, and then renamed over
    the target, so readers see either the old file or the new one, never a truncated mix.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    import tempfile  # here: a command that writes nothing (a no-op build) need not import it

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise PubkitError(f"cannot write: {exc.strerror}", path, 1) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException as exc:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            # A full disk or a file-size limit: the old file is still whole; say so in one line.
            raise PubkitError(f"cannot write ({exc.strerror}); the previous file is unchanged", path, 1) from None
        raise
    _fsync_dir(path.parent)
    return True


def read_limited(path: Path, limit: int, error: type[PubkitError], what: str, nul_ok: bool = False) -> bytes:
    """The bytes of an input file, or ``error`` saying in one line why it cannot be used.

    A file over ``limit`` bytes, a folder, a missing or unreadable file, and a NUL byte (a binary
    file given by mistake, unless ``nul_ok``: UTF-16 text has them) are refused; ``what`` names the
    kind of file in the message.
    """
    try:
        size = path.stat().st_size
        if size > limit:
            raise error(f"{what} is too large ({size} bytes; at most {limit})", path, 1)
        data = path.read_bytes()
    except FileNotFoundError:
        raise error(f"no such {what}", path, 1) from None
    except IsADirectoryError:
        raise error(f"is a folder, not a {what}", path, 1) from None
    except OSError as exc:
        raise error(f"cannot read {what}: {exc.strerror}", path, 1) from None
    if b"\x00" in data and not nul_ok:
        raise error("contains a NUL byte: is this a text file?", path, data[: data.index(b"\x00")].count(b"\n") + 1)
    return data


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _fsync_dir(folder: Path) -> None:
    # The rename itself must reach the disk too, or a power cut could bring the old name back.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def user_cache(*parts: str) -> Path:
    """A place in pubkit's folder of the user's cache (``$XDG_CACHE_HOME/pubkit``, else ``~/.cache/pubkit``).

    It holds only what pubkit derives from installed software (parsed hyphenation patterns, compiled
    templates, CLDR's language names), never project data, each under a name that carries the versions
    it was derived with; anything there may be deleted at any time."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base, "pubkit", *parts)
