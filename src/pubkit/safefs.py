"""Files beneath one folder, never through a symbolic link: the one file-confinement layer.

Writes into the output folder and reads of downloaded shards go through the descriptor-relative
functions below; the project's own inputs (sources, templates, stylesheets) through
:func:`confined_input`; a file the review desk serves through :func:`confined`.

Every name is checked as text first (relative, normalized, portable), then opened one component at a
time with ``O_NOFOLLOW`` relative to the folder's descriptor, so neither ``../`` nor a link anywhere on
the path (``dist/<slug>`` → ``/etc``) can lead out of the folder.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path, PurePosixPath

from .errors import PubkitError

#: The longest relative name accepted in a state file or a zip entry.
MAX_NAME = 1024
_DRIVE_RE = re.compile(r"^[A-Za-z]:")


def check_name(name: object) -> str | None:
    """Why ``name`` is not a safe relative file name (``a/b/c.pdf``), or None when it is.

    Refused: empty, absolute, ``.`` or ``..`` components, doubled or trailing slashes, backslashes,
    drive letters (``C:``), control characters and names over :data:`MAX_NAME` characters. These are
    the names that escape a folder when written, or when someone unpacks a zip holding them.
    """
    if not isinstance(name, str) or not name:
        return "an empty name"
    if len(name) > MAX_NAME:
        return f"a name over {MAX_NAME} characters"
    if name.startswith("/"):
        return "an absolute path"
    if "\\" in name:
        return "a backslash"
    if _DRIVE_RE.match(name):
        return "a drive name"
    if any(ord(ch) < 0x20 or ch == "\x7f" for ch in name):
        return "a control character"
    parts = name.split("/")
    if ".." in parts:
        return "a '..' component"
    if "." in parts or "" in parts or str(PurePosixPath(name)) != name:
        return "a path that is not normalized"
    return None


def _open_parent(root: Path, parts: list[str], create: bool = False) -> int:
    """A descriptor of the folder holding ``parts[-1]``, reached from ``root`` without following links."""
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for part in parts[:-1]:
            if create:
                try:
                    os.mkdir(part, 0o777, dir_fd=fd)
                except FileExistsError:
                    pass
            child = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = child
    except BaseException:
        os.close(fd)
        raise
    return fd


def _why(exc: OSError) -> str:
    if exc.errno in (errno.ELOOP, errno.ENOTDIR):
        return "a symbolic link or not a folder is on its path"
    if exc.errno == errno.ENOENT:
        return "it is missing"
    return exc.strerror or str(exc)


def read_beneath(root: Path, name: str, limit: int) -> bytes:
    """The bytes of the regular file ``root/name``; raises :class:`PubkitError` if anything is off."""
    path = root / name
    problem = check_name(name)
    if problem:
        raise PubkitError(f"refused file name '{name}': {problem}", root, 1)
    parts = name.split("/")
    try:
        parent = _open_parent(root, parts)
        try:
            fd = os.open(parts[-1], os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=parent)
        finally:
            os.close(parent)
    except OSError as exc:
        raise PubkitError(f"refused: {_why(exc)}", path, 1) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise PubkitError("refused: not a regular file", path, 1)
        if info.st_size > limit:
            raise PubkitError(f"refused: {info.st_size} bytes is over the limit of {limit}", path, 1)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(limit + 1)
    finally:
        os.close(fd)


def first_link(root: Path, path: Path) -> Path | None:
    """The first symbolic link (or non-folder) on the way from ``root`` to ``path``, itself included."""
    found = first_link_below(str(root), path.relative_to(root).parts)
    return None if found is None else Path(found)


def first_link_below(root: str, parts: "tuple[str, ...] | list[str]", folders: set[str] | None = None) -> str | None:
    """:func:`first_link` for a path given as its parts below ``root``, in strings (no pathlib: it runs
    once per output of every build). ``folders``: the folders found real folders by earlier calls of one
    pass, which a pass over thousands of outputs in a few hundred folders then looks at once each (a
    no-op build of 1,800 PDFs made 22,000 lstat calls)."""
    current = root
    for index, part in enumerate(parts):
        current = os.path.join(current, part)
        last = index == len(parts) - 1
        if not last and folders is not None and current in folders:
            continue
        try:
            info = os.lstat(current)
        except FileNotFoundError:
            return None  # nothing further exists yet: it will be created as a real folder or file
        if stat.S_ISLNK(info.st_mode) or (not last and not stat.S_ISDIR(info.st_mode)):
            return current
        if not last and folders is not None:
            folders.add(current)
    return None


def check_write(root: Path, path: Path) -> None:
    """Refuse to write ``path`` unless it lies beneath ``root`` with no symbolic link on the way."""
    if not path.is_relative_to(root) or path == root:
        raise PubkitError(f"refusing to write outside the output folder {root}", path, 1)
    link = first_link(root, path)
    if link is not None:
        raise PubkitError(
            f"refusing to write through {link}: it is a symbolic link (or not a folder) inside the output folder",
            path, 1,
        )


def remove_beneath(root: Path, name: str) -> bool:
    """Delete the regular file ``root/name`` (no link followed) and the folders it leaves empty.

    Returns False, touching nothing, when the name is unsafe, the path holds a link, or the file is gone.
    """
    if check_name(name):
        return False
    parts = name.split("/")
    try:
        parent = _open_parent(root, parts)
    except OSError:
        return False
    try:
        info = os.stat(parts[-1], dir_fd=parent, follow_symlinks=False)
        if not stat.S_ISREG(info.st_mode):
            return False
        os.unlink(parts[-1], dir_fd=parent)
    except OSError:
        return False
    finally:
        os.close(parent)
    for depth in range(len(parts) - 1, 0, -1):  # images/, then <lang>/, then <slug>/ when empty
        try:
            os.rmdir(root.joinpath(*parts[:depth]))
        except OSError:
            break
    return True


def real_inside(path: Path, *roots: Path) -> Path | str:
    """The real path of ``path`` (links, ``..`` resolved) when it lies inside one of ``roots`` (real paths);
    else that real path as text, for the message that refuses it."""
    real = Path(os.path.realpath(path))
    return real if any(real.is_relative_to(root) for root in roots) else str(real)


def confined_input(path: Path, root: Path, error: type[PubkitError], what: str, *extra_roots: Path) -> Path:
    """``path`` if its real path is a regular file inside ``root`` (or ``extra_roots``), else ``error``.

    The door for the project's own inputs (templates, stylesheets, sources): a ``templates/base.css``
    or ``sources/x.md`` that is a link to a file elsewhere on the machine is refused, not read.
    """
    real = real_inside(path, *(Path(os.path.realpath(r)) for r in (root, *extra_roots)))
    if isinstance(real, str):
        raise error(f"refused {what}: it is a link to {real}, outside the project", path, 1)
    try:
        info = real.stat()
    except OSError as exc:
        raise error(f"cannot read {what}: {exc.strerror}", path, 1) from None
    if not stat.S_ISREG(info.st_mode):
        raise error(f"refused {what}: not a regular file", path, 1)
    return real


def confined(root: Path, relative: str) -> Path | None:
    """The file ``relative`` names inside ``root``, by real path; None for anything that leaves it.

    The URL path arrives percent-decoded (``%2e%2e`` is ``..`` here). Absolute paths, ``..``, hidden
    names (the build state) and symbolic links that resolve outside ``root`` are all refused.
    """
    if not relative or "\0" in relative or "\\" in relative or relative.startswith("/"):
        return None
    parts = PurePosixPath(relative).parts
    if any(part in ("..", ".") or part.startswith(".") for part in parts):
        return None
    try:
        base = root.resolve(strict=True)
        real = (base / relative).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    return real if real.is_relative_to(base) else None
