"""Rendering templates: the project's Jinja environment, confined to the project, and template errors."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Project
from ..errors import TemplateError
from ..safefs import confined_input
from ..source.templates import BUILTIN_DIR, TEMPLATE_SUFFIXES, sandboxed_environment, template_files

# Jinja is imported by the functions that use it: a no-op build imports this module without it.
if TYPE_CHECKING:  # pragma: no cover
    import jinja2

__all__ = ["BUILTIN_DIR", "TEMPLATE_SUFFIXES", "environment", "template_error", "template_files"]


def environment(project: Project | None = None) -> jinja2.Environment:
    """The environment templates render in: sandboxed (a template cannot reach Python internals),
    autoescaped, strict about undefined names, with the i18n extension, the project's templates
    first and pubkit's built-ins second.
    """
    folders = [str(BUILTIN_DIR)]
    if project is not None and project.templates_dir.is_dir():
        folders.insert(0, str(project.templates_dir))
    env = sandboxed_environment(_confined_loader(folders, project.root if project is not None else BUILTIN_DIR))
    env.bytecode_cache = _compiled_templates()
    return env


def _compiled_templates() -> "jinja2.BytecodeCache | None":
    """Jinja's cache of compiled templates, in the user's cache folder beside the hyphenation patterns:
    a one-PDF rebuild is a new process each time, and compiling the templates again took 0.03 s of it.

    Jinja keys each entry by the template's name and file and checks it against a digest of the source
    and its own and Python's versions; the folder's name carries pubkit's version and the environment's
    settings (a sandboxed environment must never load code compiled by another). A folder that cannot
    be made means no cache."""
    import hashlib

    import jinja2

    from .. import __version__
    from ..fileio import user_cache

    settings = f"{__version__}\0{jinja2.__version__}\0sandboxed, autoescape, i18n, strict"
    folder = user_cache("templates", hashlib.sha256(settings.encode()).hexdigest()[:16])
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def _confined_loader(folders: list[str], root: Path) -> "jinja2.BaseLoader":
    """Jinja's file loader, refusing a template (``{% include "sub/x" %}``) whose real path leaves the
    project, for instance through a linked folder inside ``templates/``."""
    import jinja2  # here, not at the top: a no-op build lists template files without Jinja

    class ConfinedLoader(jinja2.FileSystemLoader):
        def get_source(self, environment, template):
            source, filename, uptodate = super().get_source(environment, template)
            confined_input(Path(filename), root, TemplateError, "template", BUILTIN_DIR)
            return source, filename, uptodate

    return ConfinedLoader(folders)


def template_error(exc: BaseException, project: Project) -> TemplateError:
    """A Jinja exception as ``template:line: error``, using the template's own line."""
    import jinja2

    if isinstance(exc, jinja2.TemplateSyntaxError):
        return TemplateError(f"template syntax error: {exc.message}", exc.filename or exc.name, exc.lineno)
    if isinstance(exc, jinja2.TemplateNotFound):
        return TemplateError(f"template '{exc.name}' not found", project.templates_dir, 1)
    path, line = None, None
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(TEMPLATE_SUFFIXES):
            path, line = filename, tb.tb_lineno
        tb = tb.tb_next
    message = exc.message if isinstance(exc, jinja2.TemplateError) and exc.message else str(exc)
    return TemplateError(f"template error: {message}", path or project.templates_dir, line or 1)
