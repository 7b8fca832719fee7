"""The template set of a project (its ``templates/`` over pubkit's built-ins) and its translatable strings.

Listing the files (which a no-op build does to hash its inputs) stays cheap: Jinja and the Markdown
sources are imported only by the functions that parse templates. Rendering them is render/templates.py.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Project
from ..errors import TemplateError
from ..safefs import confined_input

if TYPE_CHECKING:  # pragma: no cover
    import jinja2

    from .sources import Message

#: pubkit's own template set (package data of the render stage, which renders it).
BUILTIN_DIR = Path(__file__).parent.parent / "render" / "templates"
#: Files of a template set that hold translatable strings.
TEMPLATE_SUFFIXES = (".html", ".j2", ".jinja")
#: Comments that start like this, just above a string, are shown to translators.
COMMENT_TAGS = ("translators:",)

_PYTHON_FORMAT_RE = re.compile(r"%\((\w+)\)[sd]")


def template_files(project: Project) -> dict[str, Path]:
    """Template name → file, the project's own file winning over the built-in one of the same name."""
    files = {p.name: p for p in sorted(BUILTIN_DIR.iterdir()) if p.is_file()}
    if project.templates_dir.is_dir():
        for path in sorted(project.templates_dir.rglob("*")):
            if path.is_file() or path.is_symlink():
                confined_input(path, project.root, TemplateError, "template")  # a link out is refused
                files[path.relative_to(project.templates_dir).as_posix()] = path
    return dict(sorted(files.items()))


def reference_path(project: Project, path: Path) -> str:
    """How a template file is named in catalog references: project-relative, or ``pubkit/…`` if built in."""
    if path.is_relative_to(BUILTIN_DIR):
        return "pubkit/templates/" + path.relative_to(BUILTIN_DIR).as_posix()
    return path.relative_to(project.root).as_posix()


def sandboxed_environment(loader: jinja2.BaseLoader | None = None) -> jinja2.Environment:
    """The environment templates are parsed and rendered in: sandboxed (a template cannot reach Python
    internals), autoescaped, strict about undefined names, with the i18n extension."""
    import jinja2  # here, not at the top: a no-op build lists template files without Jinja
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    return ImmutableSandboxedEnvironment(
        loader=loader,
        extensions=["jinja2.ext.i18n"],
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def template_messages(project: Project) -> list[tuple[str, Message]]:
    """Every translatable string of the effective template set, as ``(reference path, message)``."""
    import jinja2
    import jinja2.ext

    env = sandboxed_environment()
    found: list[tuple[str, Message]] = []
    for name, path in template_files(project).items():
        if path.suffix not in TEMPLATE_SUFFIXES:
            continue
        try:
            data = path.read_bytes()
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise TemplateError("template is not valid UTF-8", path, data[: exc.start].count(b"\n") + 1) from None
        except OSError as exc:
            raise TemplateError(f"cannot read template: {exc.strerror}", path, 1) from None
        try:
            env.parse(text, name, str(path))
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"template syntax error: {exc.message}", path, exc.lineno) from None
        reference = reference_path(project, path)
        # babel_extract skips templates it cannot parse; the parse above made sure this one is valid.
        extracted = jinja2.ext.babel_extract(
            io.BytesIO(data),
            jinja2.ext.GETTEXT_FUNCTIONS,
            COMMENT_TAGS,
            {"trimmed": "true", "extensions": "jinja2.ext.i18n"},
        )
        for line, function, strings, comments in extracted:
            message = _message(function, strings, line, comments, path)
            if message is not None:
                found.append((reference, message))
    return found


def _message(function: str, strings, line: int, comments: list[str], path: Path) -> Message | None:
    from .sources import PLACEHOLDER_RE, Message  # YAML and Markdown: only when templates are extracted

    strings = strings if isinstance(strings, tuple) else (strings,)
    context = None
    if function in ("pgettext", "npgettext"):
        context, strings = strings[0], strings[1:]
        if not isinstance(context, str):
            raise TemplateError(f"{function}() needs a literal context string", path, line)
    msgid = strings[0]
    if not isinstance(msgid, str):
        # gettext(variable): nothing to extract; rendering will look the value up as it is.
        return None
    plural = strings[1] if function in ("ngettext", "npgettext") and len(strings) > 1 else None
    text = msgid + (plural or "")
    flags: tuple[str, ...] = ()
    if _PYTHON_FORMAT_RE.search(text):
        flags = ("python-format",)
    elif PLACEHOLDER_RE.search(text):
        flags = ("python-brace-format",)
    cleaned = tuple(" ".join(c.removeprefix("translators:").split()) for c in comments)
    return Message(
        msgid,
        context,
        line,
        comments=tuple(c for c in cleaned if c),
        placeholders=tuple(dict.fromkeys(PLACEHOLDER_RE.findall(text))),
        plural=plural,
        flags=flags,
    )
