"""Build jobs: every (release, language) to ``dist/<slug>/<lang>/`` as a web page and a PDF."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .catalogs import TEMPLATES_DOMAIN, Translations
from .config import Project, normalize_language
from .errors import Diagnostic, UsageError
from .fileio import write_atomic
from .render import Renderer
from .sources import Source, read_sources
from .templates import template_files

FORMATS = ("html", "pdf")
#: Static files of the template set a web page links to, copied beside it.
SCREEN_ASSETS = ("base.css", "screen.css")
PRINT_STYLESHEETS = ("base.css", "print.css")


@dataclass
class BuildResult:
    written: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def pdf_name(slug: str, language: str) -> str:
    return f"{slug}-{language}.pdf"


def select_languages(project: Project, tags: list[str] | None) -> list[str]:
    if not tags:
        return list(project.output_languages)
    chosen = []
    for tag in tags:
        try:
            language = normalize_language(tag)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        if language not in project.output_languages:
            raise UsageError(f"'{tag}' is not a language of this project ({', '.join(project.output_languages)})")
        chosen.append(language)
    return chosen


def select_sources(sources: list[Source], slugs: list[str] | None) -> list[Source]:
    if not slugs:
        return sources
    by_slug = {source.slug: source for source in sources}
    unknown = [slug for slug in slugs if slug not in by_slug]
    if unknown:
        raise UsageError(f"no source with slug '{unknown[0]}' (sources: {', '.join(by_slug) or 'none'})")
    return [by_slug[slug] for slug in slugs]


def build(
    project: Project,
    languages: list[str] | None = None,
    slugs: list[str] | None = None,
    formats: tuple[str, ...] = FORMATS,
    preview: bool = False,
) -> BuildResult:
    """Render the chosen releases and languages; each job's files are written only once all rendered."""
    from .pdf import write_pdf  # WeasyPrint is imported only when a PDF is really made

    result = BuildResult()
    chosen_languages = select_languages(project, languages)
    sources = select_sources(read_sources(project), slugs)
    renderer = Renderer(project)
    assets = template_files(project)
    for source in sources:
        for language in chosen_languages:
            translations = Translations.load(project, language, source.slug)
            ui = Translations.load(project, language, TEMPLATES_DOMAIN)
            settings = project.settings(language)
            completeness = translations.completeness(source.message_keys)
            if completeness < settings.min_completeness:
                result.skipped.append((source.slug, language))
                result.diagnostics.append(Diagnostic(
                    f"{language} is {completeness:.1f}% translated, below min_completeness "
                    f"{settings.min_completeness:g}%: not published",
                    translations.path or source.path,
                ))
                continue
            folder = project.output_dir / source.slug / language
            files: dict[Path, bytes | str] = {}
            fallbacks: list[tuple[str | None, str]] = []
            if "html" in formats:
                page = renderer.render(source, language, translations, ui, "screen", preview)
                fallbacks = page.fallbacks
                files[folder / "index.html"] = page.html
                for name in SCREEN_ASSETS:
                    files[folder / name] = assets[name].read_bytes()
                for relative, real in page.images:
                    files[folder / relative] = real.read_bytes()
            if "pdf" in formats:
                page = renderer.render(source, language, translations, ui, "print", preview)
                fallbacks = page.fallbacks
                data, warnings = write_pdf(
                    page.html,
                    base_url=source.path.parent,
                    stylesheets=[assets[name] for name in PRINT_STYLESHEETS],
                    policy=renderer.policy,
                    referrer=source.path,
                    variant=project.pdf_variant,
                    max_pages=project.max_pages,
                    max_seconds=project.max_render_seconds,
                )
                files[folder / pdf_name(source.slug, language)] = data
                result.diagnostics.extend(Diagnostic(f"{language}: {w}", source.path) for w in warnings)
            if fallbacks:
                shown = "; ".join(f"'{_shorten(msgid)}'" for _, msgid in fallbacks[:3])
                more = f" and {len(fallbacks) - 3} more" if len(fallbacks) > 3 else ""
                result.diagnostics.append(Diagnostic(
                    f"{len(fallbacks)} message(s) not translated into {language} (missing or fuzzy), "
                    f"published in {project.source_language}: {shown}{more}",
                    translations.path or source.path,
                ))
            for path, data in files.items():
                write_atomic(path, data)
            result.written.extend(p for p in files if p.suffix in (".html", ".pdf"))
    return result


def _shorten(text: str, width: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
