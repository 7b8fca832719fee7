"""The ``pubkit`` command line: parses arguments, calls the library, prints, and picks the exit status."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

from . import __version__
from .errors import EXIT_BAD_INPUT, EXIT_CHECKS_FAILED, EXIT_OK, PubkitError, UsageError, display_path


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit status (0 success, 1 checks failed, 2 bad input or usage)."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        return args.run(args)
    except PubkitError as error:
        print(error.format(), file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("pubkit: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pubkit",
        description="Write a press release once in Markdown; translate it with gettext; publish it in every language.",
    )
    parser.add_argument("--version", action="version", version=f"pubkit {__version__}")
    parser.add_argument(
        "-C", "--project", metavar="DIR", type=Path, default=Path("."), help="the project folder (default: here)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    new = commands.add_parser("new", help="create a working project to start from")
    new.add_argument("folder", type=Path, metavar="DIR")
    new.add_argument("--source-language", default="en", metavar="LANG")
    new.add_argument("--lang", action="append", metavar="LANG", help="a target language (repeatable; default de, fr)")
    new.set_defaults(run=_new)

    extract = commands.add_parser("extract", help="write locale/<slug>.pot and locale/templates.pot from the sources")
    extract.set_defaults(run=_extract)

    init = commands.add_parser("init", help="create the catalogs of a new language")
    init.add_argument("language", metavar="LANG", help="a locale such as de, zh_CN or pt-BR")
    init.set_defaults(run=_init)

    update = commands.add_parser("update", help="merge the templates into every catalog, keeping every translation")
    update.add_argument("--lang", action="append", metavar="LANG", help="only this language (repeatable)")
    update.set_defaults(run=_update)

    status = commands.add_parser("status", help="translated, fuzzy and untranslated messages and words")
    status.add_argument("--lang", action="append", metavar="LANG", help="only this language (repeatable)")
    status.add_argument("--format", choices=("table", "json"), default="table")
    status.set_defaults(run=_status)

    check = commands.add_parser("check", help="quality checks on every catalog, for people and for CI")
    check.add_argument("--lang", action="append", metavar="LANG", help="only this language (repeatable)")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.set_defaults(run=_check)

    build = commands.add_parser("build", help="render every release in every language: the site in dist/")
    build.add_argument("--lang", action="append", metavar="LANG", help="only this language (repeatable)")
    build.add_argument("--source", action="append", metavar="SLUG", help="only this release (repeatable)")
    build.add_argument("--format", default="html,pdf", metavar="LIST", help="html, pdf or both (default: html,pdf)")
    build.add_argument("--preview", action="store_true", help="highlight text shown in the source language")
    build.add_argument("-j", "--jobs", type=_positive, default=None, metavar="N",
                       help="render N documents at a time (default: the number of cores)")
    build.add_argument("--force", action="store_true", help="render everything, even what is up to date")
    build.add_argument("--shard", metavar="K/N", help="build only the K-th of N deterministic slices of the jobs")
    _embargo_options(build)
    build.set_defaults(run=_build)

    bundle = commands.add_parser("bundle", help="build, then pack every output and a manifest into one zip")
    bundle.add_argument("-o", "--output", type=Path, metavar="ZIP", help="the bundle (default: dist/bundle.zip)")
    bundle.add_argument("--merge", nargs="+", type=Path, metavar="DIR",
                        help="pack the outputs of sharded builds (their dist/ folders) instead of building")
    bundle.add_argument("-j", "--jobs", type=_positive, default=None, metavar="N")
    _embargo_options(bundle)
    bundle.set_defaults(run=_bundle)
    return parser


def _embargo_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--now", metavar="TIME",
                         help="the moment embargoes are judged at, e.g. 2023-07-25T10:00:00+02:00 "
                              "(default: SOURCE_DATE_EPOCH, else the clock)")
    command.add_argument("--include-embargoed", action="store_true",
                         help="also publish releases still under embargo, marked as such, for review")


def _now(args: argparse.Namespace):
    from .embargo import current_time

    return current_time(args.now)


def _project(args: argparse.Namespace):
    from .config import load_project

    return load_project(args.project)


def _languages(tags: list[str] | None) -> list[str] | None:
    from .config import parse_languages

    return parse_languages(tags) if tags else None


def _show(path: Path, project) -> str:
    return display_path(path, project.root)


def _new(args: argparse.Namespace) -> int:
    from .scaffold import new_project

    folder = new_project(args.folder, args.source_language, tuple(args.lang or ("de", "fr")))
    print(f"created {folder}: edit sources/example.md, translate locale/*/LC_MESSAGES/*.po, then `pubkit build`")
    return EXIT_OK


def _extract(args: argparse.Namespace) -> int:
    from .catalogs import extract

    project = _project(args)
    for written in extract(project):
        state = "wrote" if written.changed else "unchanged"
        print(f"{state:9} {_show(written.path, project)} ({written.messages} messages)")
    return EXIT_OK


def _init(args: argparse.Namespace) -> int:
    from .catalogs import init_language

    project = _project(args)
    (language,) = _languages([args.language]) or []
    for written in init_language(project, language):
        print(f"created {_show(written.path, project)} ({written.messages} messages)")
    if language not in project.languages:
        print(
            f"note: '{language}' is not in 'languages' of {project.config_path.name}; add it to publish it",
            file=sys.stderr,
        )
    return EXIT_OK


def _update(args: argparse.Namespace) -> int:
    from .catalogs import update

    project = _project(args)
    for result in update(project, _languages(args.lang)):
        report = result.report
        if result.created:
            summary = f"created ({report.new} messages)"
        else:
            summary = (
                f"{report.kept} kept, {report.fuzzy} fuzzy, {report.revived} revived, "
                f"{report.new} new, {report.obsoleted} obsolete"
            )
            if not result.changed:
                summary += " (unchanged)"
        print(f"{_show(result.path, project)}: {summary}")
    return EXIT_OK


def _status(args: argparse.Namespace) -> int:
    from .status import status

    from .embargo import current_time, embargo_notes

    project = _project(args)
    rows = status(project, _languages(args.lang))
    for note in embargo_notes(project, current_time()):
        print(note.format(project.root), file=sys.stderr)
    if args.format == "json":
        json.dump({"languages": list(dict.fromkeys(r.language for r in rows)), "catalogs": [r.as_dict() for r in rows]},
                  sys.stdout, ensure_ascii=False, indent=2)
        print()
        return EXIT_OK
    header = ("language", "catalog", "translated", "fuzzy", "untranslated", "words done", "percent")
    table = [header]
    for row in rows:
        words = row.translated_words + row.fuzzy_words + row.untranslated_words
        table.append((
            row.language,
            row.domain + ("" if row.exists else " (missing)"),
            str(row.translated),
            str(row.fuzzy),
            str(row.untranslated),
            f"{row.translated_words}/{words}",
            f"{row.percent:.1f}%",
        ))
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    for line in table:
        cells = [cell.ljust(widths[i]) if i < 2 else cell.rjust(widths[i]) for i, cell in enumerate(line)]
        print("  ".join(cells).rstrip())
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from .checks import check_project

    project = _project(args)
    findings = check_project(project, _languages(args.lang))
    counts = {severity: sum(f.severity == severity for f in findings) for severity in ("error", "warning", "info")}
    if args.format == "json":
        json.dump({"findings": [f.as_dict(project.root) for f in findings], **{f"{k}s": v for k, v in counts.items()}},
                  sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        for finding in findings:
            print(finding.format(project.root))
        print(f"{counts['error']} errors, {counts['warning']} warnings", file=sys.stderr)
    failed = counts["error"] or (args.strict and counts["warning"])
    return EXIT_CHECKS_FAILED if failed else EXIT_OK


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not '{text}'")
    return int(text)


class _Progress:
    """A one-line progress bar on a terminal; on a log (CI), one plain line per finished job."""

    def __init__(self, project, stream=None):
        self.project = project
        self.stream = stream or sys.stdout
        self.tty = self.stream.isatty()

    def __call__(self, done: int, total: int, result) -> None:
        if self.tty:
            width = 30
            filled = width * done // total if total else width
            job = f" {result.job.key}" if result else ""
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}{job}\x1b[K")
            if done == total:
                self.stream.write("\n")
            self.stream.flush()
        elif result is not None:
            for relative in result.outputs:
                if relative.endswith((".html", ".pdf")):
                    print(f"[{done}/{total}] wrote {_show(self.project.output_dir / relative, self.project)}",
                          file=self.stream)


def _build(args: argparse.Namespace) -> int:
    from .build import FORMATS, build, default_jobs, parse_shard

    formats = tuple(f.strip() for f in args.format.split(",") if f.strip())
    if not formats or any(f not in FORMATS for f in formats):
        raise UsageError(f"--format takes html, pdf or html,pdf, not '{args.format}'")
    shard = parse_shard(args.shard)
    now = _now(args)
    project = _project(args)
    result = build(project, args.lang, args.source, formats, args.preview, jobs=args.jobs or default_jobs(),
                   force=args.force, shard=shard, progress=_Progress(project), now=now,
                   include_embargoed=args.include_embargoed)
    for diagnostic in [*result.diagnostics, *result.site_warnings]:
        print(diagnostic.format(project.root), file=sys.stderr)
    notes = [f"{len(result.skipped)} skipped"] if result.skipped else []
    if result.up_to_date:
        notes.append(f"{result.up_to_date} up to date")
    if result.site:
        print(f"updated {len(result.site)} files of the site (indexes, feeds, sitemap)")
    print(f"built {len(result.written)} files" + (f" ({', '.join(notes)})" if notes else ""))
    return EXIT_OK


def _bundle(args: argparse.Namespace) -> int:
    from .build import default_jobs
    from .bundle import bundle, merge_bundle

    project = _project(args)
    if args.merge:
        path, manifest = merge_bundle(project, args.merge, args.output, include_embargoed=args.include_embargoed)
    else:
        path, manifest = bundle(project, args.output, jobs=args.jobs or default_jobs(), progress=_Progress(project),
                                now=_now(args), include_embargoed=args.include_embargoed)
    print(f"wrote {_show(path, project)} ({len(manifest['files'])} files)")
    return EXIT_OK
