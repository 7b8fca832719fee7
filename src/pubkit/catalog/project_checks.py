"""``pubkit check`` over a project: every catalog of the chosen languages, and the templates against the sources."""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Project
from ..errors import Diagnostic
from .checks import check_catalog
from .extract import project_templates, template_text


def check_project(project: Project, languages: list[str] | None = None) -> list[Diagnostic]:
    """Every finding for every catalog of the chosen languages, in file and line order."""
    templates = project_templates(project)
    findings: list[Diagnostic] = list(_stale_templates(project, templates))
    for language in languages or project.languages:
        for domain in templates:
            path = project.po_path(language, domain)
            if not path.exists():
                findings.append(Diagnostic("no catalog: run `pubkit update`", path, 1, "error", "missing-catalog"))
                continue
            findings.extend(check_catalog(path, language, project.source_language, project.link_hosts))
    return findings


def _stale_templates(project: Project, templates: dict) -> Iterator[Diagnostic]:
    """A ``.pot`` that ``pubkit extract`` would change: translators are working on old text."""
    for domain, located in templates.items():
        path = project.pot_path(domain)
        if not path.exists():
            yield Diagnostic("no template: run `pubkit extract`", path, 1, "error", "stale-template")
            continue
        current = path.read_text(encoding="utf-8", errors="replace")
        if template_text(domain, located, current) != current:
            yield Diagnostic("out of date with the sources: run `pubkit extract` and "
                          "`pubkit update`", path, 1, "warning", "stale-template")
