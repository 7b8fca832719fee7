"""What the review desk shows: every release × language with progress, findings and links to the previews."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..catalog.checks import check_catalog
from ..catalog.pofile import read_catalog
from ..catalog.status import catalog_status
from ..config import Project
from ..errors import PubkitError
from ..locales import language_name, tag_key
from ..safefs import confined
from ..source.sources import read_sources
from .paths import page_relative, pdf_relative


def preview_project(project: Project) -> Project:
    """The project with its preview folder as output: where paths.py finds what the desk built."""
    return replace(project, output_dir=project.preview_output_dir)


def overview(project: Project) -> dict:
    """The dashboard's grid: every release × language with progress, findings and links."""
    preview = preview_project(project)
    releases = []
    for source in read_sources(project):
        pot_path = project.pot_path(source.slug)
        template = read_catalog(pot_path) if pot_path.exists() else None
        rows = []
        for language in project.output_languages:
            row = {"language": language, "name": language_name(language), "source": False,
                   "page": link(preview, page_relative(preview, source.slug, language)),
                   "pdf": link(preview, pdf_relative(preview, source.slug, language))}
            if language == project.source_language:
                row.update(source=True, percent=100.0, fuzzy=0, untranslated=0, errors=0, warnings=0)
            else:
                path = project.po_path(language, source.slug)
                findings = check_catalog(path, language, project.source_language) if path.exists() else []
                catalog = None
                if path.exists():
                    try:
                        catalog = read_catalog(path)
                    except PubkitError:
                        pass  # the checks above already report it as an error
                shown = path.relative_to(project.root).as_posix()
                status = catalog_status(language, source.slug, catalog, template, shown)
                row.update(percent=status.percent, fuzzy=status.fuzzy, untranslated=status.untranslated,
                           errors=sum(f.severity == "error" for f in findings),
                           warnings=sum(f.severity == "warning" for f in findings), catalog=shown)
            rows.append(row)
        embargo = source.fields.get("embargo")
        releases.append({"slug": source.slug, "title": source.fields.get("title", source.slug),
                         "embargo": str(embargo) if embargo else "", "rows": rows})
    return {"releases": releases, "source_language": project.source_language,
            "languages": list(project.output_languages)}


def link(preview: Project, relative: str) -> str | None:
    """``/site/<relative>`` if the preview build wrote that file (``relative``: from paths.py)."""
    path = confined(preview.output_dir, relative)
    return f"/site/{relative}" if path is not None and path.is_file() else None


def url_language(project: Project, language: str) -> str | None:
    """The project's language a URL names (``zh_CN`` or ``zh-CN``), or None."""
    wanted = tag_key(language)
    return next((lang for lang in project.output_languages if tag_key(lang) == wanted), None)


def release_pdf(preview: Project, slug: str, language: str) -> Path | None:
    """The preview PDF of ``slug`` in ``language`` where paths.py puts it, confined; None if not built."""
    path = confined(preview.output_dir, pdf_relative(preview, slug, language))
    return path if path is not None and path.is_file() else None
