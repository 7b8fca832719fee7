"""``pubkit new DIR``: a small working project to start from, with one release and its catalogs."""

from __future__ import annotations

from pathlib import Path

from .catalogs import extract, update
from ..config import load_project
from ..locales import normalize_language
from ..errors import UsageError
from ..fileio import write_atomic

EXAMPLE_SOURCE = """\
---
title: Our new plant opens
subtitle: Production starts this spring
place: Berlin
date: 2024-03-01
values:
  opening: {date: 2024-03-04, skeleton: MMMMd}
  area:    {unit: area-hectare, value: 12.5}
  cost:    {money: 250000000, currency: EUR, notation: compact}
  staff:   {number: 1200}
---
<!-- translators: "plant" means a factory. -->
Example Company opens its new plant on {opening}. The site covers {area} and cost {cost}.

## A place to work

The plant gives work to {staff} people. Read more on [our website](https://example.com/plant).
"""
#: What every release shares, written once: [organization] in pubkit.toml (docs/reference.md).
EXAMPLE_ORGANIZATION = """
# The organization behind every release: its boilerplate (organization.md, translated once in
# locale/organization.pot) closes each release, and each page shows the press contacts of its language.
[organization]
name = "Example Company"
boilerplate = "organization.md"

[[organization.contact]]
name = "Alex Example"
role = "Press officer"
phone = "+49 30 1234 5678"
email = "press@example.com"
"""
EXAMPLE_BOILERPLATE = """## About Example Company

Example Company makes **things people need**, in Europe and beyond.
"""


def new_project(folder: Path, source_language: str = "en", languages: tuple[str, ...] = ("de", "fr")) -> Path:
    """Create ``folder`` with ``pubkit.toml``, one release, its templates and empty catalogs.

    Refuses a folder that already holds files, so that nothing is ever overwritten.
    """
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"{folder} already exists and is not empty; choose a new folder")
    try:
        chosen = [normalize_language(tag) for tag in (source_language, *languages)]
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    listed = ", ".join(f'"{tag}"' for tag in chosen[1:])
    write_atomic(folder / "pubkit.toml",
                 f'source_language = "{chosen[0]}"\nlanguages = [{listed}]\n{EXAMPLE_ORGANIZATION}')
    write_atomic(folder / "organization.md", EXAMPLE_BOILERPLATE)
    write_atomic(folder / "sources" / "example.md", EXAMPLE_SOURCE)
    (folder / "templates").mkdir(exist_ok=True)
    # Every folder pubkit writes: the site, review previews (serve, build --preview), pseudo-locales.
    write_atomic(folder / ".gitignore", "/dist/\n/dist-preview/\n/dist-pseudo/\n")
    project = load_project(folder)
    extract(project)
    update(project)
    return folder
