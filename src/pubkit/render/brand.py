"""The organization's logo and the site's icon: found in the template set and checked to be images."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ..config import Project
from ..errors import TemplateError
from ..source.templates import template_files

#: The organization's logo and the site's icon, looked for in the template set (the project's templates/
#: first, then pubkit's own, which has a plain favicon.svg and no logo).
BRAND_NAMES = {"logo": ("logo.svg", "logo.png", "logo.jpg", "logo.webp"),
               "favicon": ("favicon.svg", "favicon.png", "favicon.ico")}
_IMAGE_SIGNATURES = {".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",),
                     ".ico": (b"\x00\x00\x01\x00",),
                     ".webp": (b"RIFF",)}


def brand_assets(project: Project) -> dict[str, str]:
    """``logo``/``favicon`` → their path in the site (``assets/logo.svg``); each checked to be the image its
    name says, so a logo that is not one stops the build before anything is written."""
    return {kind: relative for kind, (relative, _path) in brand_files(project).items()}


def brand_files(project: Project) -> dict[str, tuple[str, Path]]:
    """``logo``/``favicon`` → (their path in the site, the file it is copied from). The logo is
    ``[organization] logo`` when set, else ``logo.*`` of the template set."""
    files = template_files(project)
    found: dict[str, tuple[str, Path]] = {}
    for kind, names in BRAND_NAMES.items():
        present = [n for n in names if n in files]
        own = [n for n in present if files[n].is_relative_to(project.templates_dir)]
        name = (own or present or [None])[0]  # the project's own icon wins over pubkit's default
        path = files[name] if name else None
        configured = project.organization.logo if project.organization and kind == "logo" else None
        if configured is not None:
            name, path = f"logo{configured.suffix.lower()}", configured
        if name is None or path is None:
            continue
        suffix = Path(name).suffix
        if suffix not in (".svg", *_IMAGE_SIGNATURES):
            raise TemplateError(f"{path.name} is not an SVG, PNG, JPEG or WebP image", path, 1)
        data = path.read_bytes()
        if suffix == ".svg":
            ok = _is_svg(data)
        else:
            ok = data.startswith(_IMAGE_SIGNATURES[suffix]) and (suffix != ".webp" or data[8:12] == b"WEBP")
        if not ok:
            raise TemplateError(f"{path.name} is not a {suffix[1:].upper()} image", path, 1)
        found[kind] = (f"assets/{name}", path)
    return found


def _is_svg(data: bytes) -> bool:
    # A DOCTYPE is refused outright: no entity can then expand, and ElementTree loads nothing external.
    if b"<!doctype" in data.lower():
        return False
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return False
    return root.tag in ("{http://www.w3.org/2000/svg}svg", "svg")
