"""What the review desk shows of a project: every release × language with progress, findings and links
into the preview build, and a release's heading (its title, and its embargo while it lasts)."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import replace
from pathlib import Path

from ..config import Project
from ..errors import PubkitError
from ..locales import PSEUDO_LOCALES, bcp47, language_name
from ..safefs import confined
from .desk_live import preview_project
from .paths import page_relative, pdf_relative


def overview(project: Project) -> dict:
    """The dashboard's grid: every release × language with progress, findings and links."""
    from ..catalog.pofile import read_catalog
    from ..source.sources import read_sources

    preview = preview_project(project)
    releases = []
    for source in read_sources(project):
        pot_path = project.pot_path(source.slug)
        template = read_catalog(pot_path) if pot_path.exists() else None
        rows = [_row(project, preview, source.slug, language, template) for language in project.output_languages]
        releases.append({"slug": source.slug, **release_heading(project, source), "rows": rows,
                         "pseudo": _pseudo_links(project, source.slug)})
    return {"releases": releases, "source_language": project.source_language,
            "languages": list(project.output_languages)}


def _row(project: Project, preview: Project, slug: str, language: str, template) -> dict:
    """One language of one release on the dashboard: completeness as `status` counts it, findings, links."""
    from ..catalog.checks import check_catalog
    from ..catalog.pofile import read_catalog
    from ..catalog.status import catalog_status

    row = {"language": language, "name": language_name(language), "source": False,
           "page": site_link(preview, page_relative(preview, slug, language)),
           "pdf": site_link(preview, pdf_relative(preview, slug, language))}
    if language == project.source_language:
        row.update(source=True, percent=100.0, fuzzy=0, untranslated=0, rejected=0, errors=0, warnings=0)
        return row
    path = project.po_path(language, slug)
    findings = check_catalog(path, language, project.source_language, project.link_hosts) if path.exists() else []
    catalog = None
    if path.exists():
        with contextlib.suppress(PubkitError):  # the checks above already report it as an error
            catalog = read_catalog(path)
    shown = path.relative_to(project.root).as_posix()
    status = catalog_status(language, slug, catalog, template, shown, project.source_language, project.link_hosts)
    row.update(percent=status.percent, fuzzy=status.fuzzy, untranslated=status.untranslated,
               rejected=status.rejected, errors=sum(f.severity == "error" for f in findings),
               warnings=sum(f.severity == "warning" for f in findings), catalog=shown)
    return row


def _pseudo_links(project: Project, slug: str) -> list[dict]:
    """The pseudo-locale pages of ``slug`` the desk built, as ``/pseudo/…`` links."""
    from .pseudo import OUTPUT_FOLDER  # the pseudo build: only when the desk shows it

    pseudo = replace(project, output_dir=project.root / OUTPUT_FOLDER, languages=tuple(PSEUDO_LOCALES),
                     per_language={})
    links = []
    for language in PSEUDO_LOCALES:
        relative = page_relative(pseudo, slug, language)
        path = confined(pseudo.output_dir, relative)
        if path is not None and path.is_file():
            links.append({"language": language, "tag": bcp47(language), "page": f"/pseudo/{relative}"})
    return links


def site_link(preview: Project, relative: str) -> str | None:
    """``/site/<relative>`` if the preview build wrote that file (``relative``: from paths.py)."""
    path = confined(preview.output_dir, relative)
    return f"/site/{relative}" if path is not None and path.is_file() else None


def project_language(project: Project, language: str) -> str | None:
    """The project's language a URL names (``zh_CN`` or ``zh-CN``), or None."""
    wanted = language.replace("-", "_").casefold()
    return next((lang for lang in project.output_languages if lang.casefold() == wanted), None)


def release_pdf(preview: Project, slug: str, language: str) -> Path | None:
    """The preview PDF of ``slug`` in ``language`` where paths.py puts it, confined; None if not built."""
    path = confined(preview.output_dir, pdf_relative(preview, slug, language))
    return path if path is not None and path.is_file() else None


def release_heading(project: Project, source) -> dict[str, str]:
    """A release's title as its source-language page shows it (values filled in) and, while it is under
    embargo, the embargo line that page prints ("Embargoed until July 25, 2023, 10:00 AM GMT+02:00")."""
    from babel import Locale

    from ..render.formatting import Formatter
    from ..render.render import fill
    from ..source.embargo import is_embargoed, zoned
    from .links import embargo_time
    from .plan import current_time

    language = project.source_language
    formatter = Formatter(Locale.parse(language), project.settings(language).calendar)
    values = {name: formatter.format(value) for name, value in source.values.items()}
    title = fill(str(source.fields.get("title") or source.slug), values)
    embargo = source.fields.get("embargo")
    embargo = zoned(embargo, str(source.fields.get("embargo_zone") or project.embargo_zone)) \
        if isinstance(embargo, dt.datetime) else None
    line = ""
    if isinstance(embargo, dt.datetime) and is_embargoed(embargo, current_time()):
        line = "Embargoed until " + embargo_time(embargo, formatter.locale, formatter.date(embargo.date()))
    return {"title": title, "embargo": line}
