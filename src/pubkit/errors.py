"""Every error pubkit reports: one exception family that knows its file, line and exit status."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: Exit statuses shared by every command (docs/reference.md, "Exit codes").
EXIT_OK = 0
EXIT_CHECKS_FAILED = 1
EXIT_BAD_INPUT = 2


class PubkitError(Exception):
    """A problem the user can fix, reported as ``path:line: error: message``.

    ``line`` is 1-based; a problem with a whole file (missing, empty, not UTF-8 at its start)
    is reported at line 1 so that editors and CI annotations can still jump to it.
    """

    exit_code = EXIT_BAD_INPUT

    def __init__(self, message: str, path: str | os.PathLike[str] | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line

    def __reduce__(self):
        # Errors cross process boundaries (parallel builds): keep the path and line when pickled.
        return (self.__class__, (self.message, self.path, self.line))

    @property
    def diagnostic(self) -> Diagnostic:
        return Diagnostic(self.message, self.path, self.line or 1, "error")

    def format(self, relative_to: Path | None = None) -> str:
        """The one line shown to the user."""
        return self.diagnostic.format(relative_to)

    def __str__(self) -> str:
        return self.format()


class ConfigError(PubkitError):
    """``pubkit.toml`` or ``[tool.pubkit]`` is missing, malformed or names something unknown."""


class SourceError(PubkitError):
    """A release source (front matter, values or Markdown body) cannot be used."""


class CatalogError(PubkitError):
    """A ``.pot`` or ``.po`` file cannot be read, or an operation on it would lose work."""


class TemplateError(PubkitError):
    """A Jinja template cannot be read or parsed; the line is the template's own."""


class RenderError(PubkitError):
    """A document cannot be rendered: a value CLDR cannot format, a refused resource, a PDF problem."""


class ExchangeError(PubkitError):
    """An exchange file (XLIFF, TMX) cannot be read, or names a language, catalog or message pubkit does not have."""


class UsageError(PubkitError):
    """The command line asks for something impossible (an unknown language, a file that exists)."""


class BundleError(PubkitError):
    """A file given as a bundle is not one pubkit made, or is not safe to read; a zip has no lines to point at."""

    def format(self, relative_to: Path | None = None) -> str:
        if self.path is not None and self.line is None:
            return f"{display_path(self.path, relative_to)}: error: {self.message}"
        return super().format(relative_to)


@dataclass(frozen=True)
class Diagnostic:
    """The one shape of everything pubkit reports about a file: ``path:line: severity: message [check]``.

    Build warnings and notes, ``pubkit check`` findings (with the ``check`` that found them) and errors
    (:attr:`PubkitError.diagnostic`) alike; the CLI prints :meth:`format` and JSON emits :meth:`as_dict`.
    """

    message: str
    path: Path | None = None
    line: int | None = None
    severity: str = "warning"  # "error", "warning", "note" or "info"
    check: str | None = None

    def __post_init__(self) -> None:
        if self.path is not None and not isinstance(self.path, Path):
            object.__setattr__(self, "path", Path(self.path))

    def format(self, relative_to: Path | None = None) -> str:
        check = f" [{self.check}]" if self.check else ""
        if self.path is None:
            return f"pubkit: {self.severity}: {self.message}{check}"
        return f"{display_path(self.path, relative_to)}:{self.line or 1}: {self.severity}: {self.message}{check}"

    def as_dict(self, relative_to: Path) -> dict[str, object]:
        return {"path": display_path(self.path, relative_to) if self.path is not None else None,
                "line": self.line, "severity": self.severity, "message": self.message, "check": self.check}


def display_path(path: Path, relative_to: Path | None = None) -> str:
    """Show ``path`` relative to ``relative_to`` (default: the working directory) when it is inside."""
    base = relative_to if relative_to is not None else Path.cwd()
    try:
        return str(Path(os.path.abspath(path)).relative_to(os.path.abspath(base)))
    except ValueError:
        return os.path.normpath(path)  # as given, without "folder/../": the file the user meant
