"""``pubkit build --pseudo``: every release in ``en-XA`` and ``ar-XB`` (render/pseudo.py), into ``dist-pseudo/``.

The same build as ``pubkit build`` (incremental, parallel), run on a copy of the project whose catalogs
are pseudo-translations of the current templates, never into ``dist/`` or a bundle.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import polib

from ..catalog.extract import build_template, project_templates
from ..catalog.pofile import render
from ..config import Project
from ..fileio import write_atomic
from ..locales import PSEUDO_LOCALES
from ..render.pseudo import OUTPUT_FOLDER, pseudo_text
from .build import FORMATS, BuildResult, build

def pseudo_catalogs(project: Project, folder: Path) -> None:
    """Write the ``.po`` of every pseudo-locale and catalog under ``folder``, from the sources' messages."""
    for domain, located in project_templates(project).items():
        template = build_template(domain, located, "")
        for language in PSEUDO_LOCALES:
            catalog = polib.POFile()
            catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": language,
                                "Plural-Forms": "nplurals=2; plural=(n != 1);"}
            for entry in template:
                pseudo = polib.POEntry(msgid=entry.msgid, msgctxt=entry.msgctxt, msgid_plural=entry.msgid_plural,
                                       msgstr="" if entry.msgid_plural else pseudo_text(entry.msgid, language))
                if entry.msgid_plural:
                    pseudo.msgstr_plural = {0: pseudo_text(entry.msgid, language),
                                            1: pseudo_text(entry.msgid_plural, language)}
                catalog.append(pseudo)
            write_atomic(folder / language / "LC_MESSAGES" / f"{domain}.po", render(catalog))


def build_pseudo(project: Project, slugs: list[str] | None = None, formats: tuple[str, ...] | None = None,
                 **options) -> BuildResult:
    """Build the releases in the source language, ``en-XA`` and ``ar-XB`` into ``dist-pseudo/``.

    The same build as ``pubkit build`` (incremental, parallel), run on a copy of the project whose
    catalogs are the pseudo ones and whose output folder is its own. Embargoed releases are included.
    """
    # Designers test layouts on what is coming, too: embargoed releases are built (marked as such); the
    # pseudo folder is never publishable output.
    options.setdefault("include_embargoed", True)
    with tempfile.TemporaryDirectory(prefix="pubkit-pseudo-") as folder:
        pseudo_catalogs(project, Path(folder))
        pseudo = replace(project, locale_dir=Path(folder), output_dir=project.root / OUTPUT_FOLDER,
                         languages=tuple(PSEUDO_LOCALES), per_language={})
        return build(pseudo, None, slugs, formats or FORMATS, **options)
