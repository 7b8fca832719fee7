"""``pubkit check`` over a project: every catalog of the chosen languages, and the templates against the sources."""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Project
from .checks import Finding, check_catalog
from .extract import project_templates, template_text


def check_project(project: Project, languages: list[str] | None = None) -> list[Finding]:
    """Every finding for every catalog of the chosen languages, in file and line order."""
    templates = project_templates(project)
    findings: list[Finding] = list(_stale_templates(project, templates))
    for language in languages or project.languages:
        for domain in templates:
            path = project.po_path(language, domain)
            if not path.exists():
                findings.append(Finding(path, 1, "error", "no catalog: run `pubkit update`", "missing-catalog"))
                continue
            findings.extend(check_catalog(path, language, project.source_language))
    return findings


def _stale_templates(project: Project, templates: dict) -> Iterator[Finding]:
    """A ``.pot`` that ``pubkit extract`` would change: translators are working on old text."""
    for domain, located in templates.items():
        path = project.pot_path(domain)
        if not path.exists():
            yield Finding(path, 1, "error", "no template: run `pubkit extract`", "stale-template")
            continue
        current = path.read_text(encoding="utf-8", errors="replace")
        if template_text(domain, located, current) != current:
            yield Finding(path, 1, "warning", "out of date with the sources: run `pubkit extract` and "
                          "`pubkit update`", "stale-template")
