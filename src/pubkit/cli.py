"""The ``pubkit`` command line: parses arguments, calls the library, prints, and picks the exit status."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Sequence

from . import __version__
from .errors import EXIT_BAD_INPUT, EXIT_CHECKS_FAILED, EXIT_OK, Diagnostic, PubkitError, UsageError, display_path


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit status (0 success, 1 checks failed, 2 bad input or usage)."""
    _leave_quickly()
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


def _leave_quickly() -> None:
    """At the process's exit, after the atexit functions that run before this one (temporary folders,
    pools, logging): nothing left for the garbage collector. The interpreter would otherwise walk and
    free every object of a build (WeasyPrint's boxes and fonts, CLDR data, templates) before exiting,
    about 0.14 s of a rebuild that makes one PDF. The memory goes back to the system with the process."""
    import atexit
    import gc

    atexit.unregister(gc.freeze)  # once, however often main() runs in one process
    atexit.register(gc.freeze)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pubkit",
        description="Write a press release once in Markdown; translate it with gettext; publish it in every language.",
    )
    parser.add_argument("--version", action="version", version=f"pubkit {__version__}")
    parser.add_argument(
        "-C", "--project", metavar="DIR", type=Path, default=Path("."), help="the project folder (default: here)"
    )
    # -C after the command works too (`pubkit build -C press`); SUPPRESS keeps the one given before it.
    after = argparse.ArgumentParser(add_help=False)
    after.add_argument("-C", "--project", metavar="DIR", type=Path, default=argparse.SUPPRESS,
                       help="the project folder (default: here)")
    commands = _Commands(parser.add_subparsers(dest="command", metavar="COMMAND"), after)
    _catalog_commands(commands)
    _build_command(commands)
    _exchange_commands(commands)
    return parser


def _catalog_commands(commands: _Commands) -> None:
    """``new`` and the catalog lifecycle: ``extract``, ``init``, ``update``, ``status``, ``check``."""
    new = commands.add_parser("new", help="create a working project to start from")
    new.add_argument("folder", type=Path, metavar="DIR", help="the folder to create (must not exist)")
    new.add_argument("--source-language", default="en", metavar="LANG", help="the language releases are written in")
    new.add_argument("--lang", action="append", metavar="LANG", help="a target language (repeatable; default de, fr)")
    new.set_defaults(run=_new)

    extract = commands.add_parser("extract", help="write locale/<slug>.pot and locale/templates.pot from the sources")
    extract.set_defaults(run=_extract)

    init = commands.add_parser("init", help="create the catalogs of a new language (or --remove one)")
    init.add_argument("language", metavar="LANG",
                      help="a locale such as de, zh_CN or pt-BR; added to 'languages' in pubkit.toml")
    init.add_argument("--remove", action="store_true",
                      help="remove LANG instead: from 'languages', with its catalogs (the next build removes its pages)")
    init.set_defaults(run=_init)

    update = commands.add_parser("update", help="merge the templates into every catalog, keeping every translation")
    update.add_argument("--lang", action="append", metavar="LANG", help="only this language (repeatable)")
    update.add_argument("--prune", action="store_true",
                        help="also remove the catalogs of releases that no longer exist (status lists them)")
    update.add_argument("--memory", action="append", type=Path, default=[], metavar="FILE",
                        help="also fill from this translation memory: a .po compendium or a .tmx file (repeatable)")
    update.set_defaults(run=_update)

    status = commands.add_parser("status", help="translated, fuzzy and untranslated messages and words")
    status.add_argument("--lang", action="append", metavar="LANG", help="only this language (repeatable)")
    status.add_argument("--format", choices=("table", "json"), default="table", help="a table for people, or JSON")
    status.set_defaults(run=_status)

    check = commands.add_parser("check", help="quality checks on every catalog, for people and for CI")
    check.add_argument("--lang", action="append", metavar="LANG", help="only this language (repeatable)")
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="one line per finding (path:line: severity: …), or JSON")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument("--summary", action="store_true",
                       help="counts per catalog and check instead of every finding, for long runs")
    check.set_defaults(run=_check)


def _build_command(commands: _Commands) -> None:
    build = commands.add_parser("build", help="render every release in every language: the site in dist/")
    build.add_argument("--lang", action="append", metavar="LANG", help="only this language (repeatable)")
    build.add_argument("--source", action="append", metavar="SLUG", help="only this release (repeatable)")
    build.add_argument("--format", default="html,pdf", metavar="LIST",
                       help="html, pdf and/or email, separated by commas (default: html,pdf; email: one .eml per "
                            "language with the PDF attached, docs/email.md)")
    build.add_argument("--preview", action="store_true",
                       help="highlight text shown in the source language, and say why; writes to dist-preview/")
    build.add_argument("-j", "--jobs", type=_positive, default=None, metavar="N",
                       help="render N documents at a time (default: the number of cores)")
    build.add_argument("--force", action="store_true", help="render everything, even what is up to date")
    build.add_argument("--shard", metavar="K/N", help="build only the K-th of N deterministic slices of the jobs")
    build.add_argument("--strict", action="store_true",
                       help="exit 1 when a translation was not used because `pubkit check` rejects it")
    build.add_argument("--pseudo", action="store_true",
                       help="render the pseudo-locales en-XA and ar-XB from the source text into dist-pseudo/")
    _embargo_options(build)
    build.set_defaults(run=_build)


def _exchange_commands(commands: _Commands) -> None:
    """XLIFF and TMX ``export``, ``import``, the ``bundle`` and its ``verify``, and the review desk (``serve``)."""
    export = commands.add_parser(
        "export", help="write the catalogs as XLIFF for CAT tools (DIR/<lang>/<slug>.xlf), or as one TMX memory")
    export.add_argument("--format", choices=("xliff", "tmx"), default="xliff",
                        help="XLIFF files for CAT tools, or one TMX 1.4b memory of the approved translations")
    export.add_argument("--xliff-version", choices=("1.2", "2.1"), default=None,
                        help="XLIFF 1.2 (most CAT tools) or 2.1 (default: 1.2)")
    export.add_argument("--lang", action="append", metavar="LANG", help="only this language (repeatable)")
    export.add_argument("-o", "--output", type=Path, default=None, metavar="DIR|FILE",
                        help="XLIFF: the folder to write into (default: the project's xliff/); "
                             "TMX: the file (default: the project's memory.tmx)")
    export.set_defaults(run=_export)

    import_ = commands.add_parser("import", help="bring the translations of XLIFF files back into the catalogs")
    import_.add_argument("files", nargs="+", type=Path, metavar="FILE", help="XLIFF files written by `pubkit export`")
    import_.set_defaults(run=_import)

    bundle = commands.add_parser("bundle", help="build, then pack every output and a manifest into one zip")
    bundle.add_argument("-o", "--output", type=Path, metavar="ZIP", help="the bundle (default: dist/bundle.zip)")
    bundle.add_argument("--merge", nargs="+", type=Path, metavar="DIR",
                        help="pack the outputs of sharded builds (their dist/ folders) instead of building")
    bundle.add_argument("-j", "--jobs", type=_positive, default=None, metavar="N",
                        help="render N documents at a time (default: the number of cores)")
    bundle.add_argument("--strict", action="store_true",
                        help="exit 1 when a translation was not used because `pubkit check` rejects it")
    _embargo_options(bundle)
    bundle.set_defaults(run=_bundle)

    send = commands.add_parser("send", help="e-mail a release to a recipient list, each in their language "
                                            "(a dry run without --yes)")
    send.add_argument("slug", metavar="SLUG", help="the release to send")
    send.add_argument("--to", required=True, type=Path, metavar="CSV",
                      help="the recipients: a CSV file with the columns email,language (and optionally name)")
    send.add_argument("--smtp", default="localhost:25", metavar="HOST:PORT",
                      help="the SMTP server (default localhost:25); credentials come from the environment: "
                           "PUBKIT_SMTP_USER, PUBKIT_SMTP_PASSWORD")
    send.add_argument("--starttls", action="store_true", help="encrypt the connection with STARTTLS")
    send.add_argument("--yes", action="store_true", help="really send (without it: print who would get what)")
    send.add_argument("--missing-language", choices=("source", "skip"), default="source",
                      help="a recipient whose language the release lacks gets the source language (default) "
                           "or nothing")
    send.add_argument("-j", "--jobs", type=_positive, default=None, metavar="N",
                      help="render N documents at a time while building the messages")
    _embargo_options(send)
    send.set_defaults(run=_send)

    verify = commands.add_parser("verify", help="rebuild a bundle from the sources and say whether the bytes match")
    verify.add_argument("bundle", type=Path, metavar="BUNDLE", help="a zip written by `pubkit bundle`")
    verify.add_argument("-j", "--jobs", type=_positive, default=None, metavar="N",
                        help="render N documents at a time (default: the number of cores)")
    verify.add_argument("--now", metavar="TIME", help="the moment embargoes are judged at, as given to `bundle`")
    verify.set_defaults(run=_verify)

    serve = commands.add_parser("serve", help="the review desk: every language side by side in a browser, live")
    serve.add_argument("--port", type=_port, default=8000, metavar="N", help="the port (default 8000; 0: any free one)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="the address to listen on (default 127.0.0.1: this machine only)")
    serve.add_argument("--open", action="store_true", help="open the desk in the web browser")
    serve.set_defaults(run=_serve)


class _Commands:
    """Sub-commands that all accept the options every command shares (``-C DIR``)."""

    def __init__(self, subparsers, common: argparse.ArgumentParser):
        self.subparsers = subparsers
        self.common = common

    def add_parser(self, name: str, **kwargs) -> argparse.ArgumentParser:
        return self.subparsers.add_parser(name, parents=[self.common], description=kwargs.get("help"), **kwargs)


def _embargo_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--now", metavar="TIME",
                         help="the moment embargoes are judged at, e.g. 2023-07-25T10:00:00+02:00 "
                              "(default: SOURCE_DATE_EPOCH, else the clock)")
    command.add_argument("--include-embargoed", action="store_true",
                         help="also publish releases still under embargo, marked as such, for review")


def _now(args: argparse.Namespace):
    from .publish.plan import current_time

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
    from .catalog.scaffold import new_project

    folder = new_project(args.folder, args.source_language, tuple(args.lang or ("de", "fr")))
    print(f"created {folder}: edit sources/example.md, translate locale/*/LC_MESSAGES/*.po, then `pubkit build`")
    return EXIT_OK


def _extract(args: argparse.Namespace) -> int:
    from .catalog.catalogs import extract

    project = _project(args)
    for written in extract(project):
        state = "wrote" if written.changed else "unchanged"
        print(f"{state:9} {_show(written.path, project)} ({_count(written.messages, 'message')})")
    return EXIT_OK


def _init(args: argparse.Namespace) -> int:
    from .catalog.catalogs import init_language

    from .configfile import add_language

    project = _project(args)
    (language,) = _languages([args.language]) or []
    if args.remove:
        return _remove_language(project, language)
    for written in init_language(project, language):
        state = "created" if written.changed else "kept"
        print(f"{state:7} {_show(written.path, project)} ({_count(written.messages, 'message')})")
    if language not in project.languages and language != project.source_language:
        name = _show(project.config_path, project)
        if add_language(project, language):
            print(f"added '{language}' to 'languages' in {name}")
        else:
            print(f"note: add \"{language}\" to 'languages' in {name} to publish it", file=sys.stderr)
    return EXIT_OK


def _remove_language(project, language: str) -> int:
    from .catalog.catalogs import remove_language
    from .configfile import remove_language as unlist

    if language not in project.languages:
        raise UsageError(f"'{language}' is not one of the project's languages ({', '.join(project.languages)})")
    name = _show(project.config_path, project)
    if not unlist(project, language):
        raise UsageError(f"cannot edit {name}: take '{language}' out of 'languages' by hand")
    print(f"removed '{language}' from 'languages' in {name}")
    for path in remove_language(project, language):
        print(f"removed {_show(path, project)}")
    return EXIT_OK


def _update(args: argparse.Namespace) -> int:
    from .catalog.catalogs import prune, update

    project = _project(args)
    for result in update(project, _languages(args.lang), list(args.memory)):
        report = result.report
        if result.created:
            summary = f"created ({report.new} messages, {result.from_memory} from memory)"
        else:
            summary = (
                f"{report.kept} kept, {report.fuzzy} fuzzy, {report.revived} revived, "
                f"{report.new} new, {report.obsoleted} obsolete, {result.from_memory} from memory"
            )
            if not result.changed:
                summary += " (unchanged)"
        print(f"{_show(result.path, project)}: {summary}")
    for path in prune(project) if args.prune else ():
        print(f"removed {_show(path, project)} (its release no longer exists)")
    return EXIT_OK


def _status(args: argparse.Namespace) -> int:
    from .catalog.status import catalog_domains, embargo_notes, orphan_catalogs, status
    from .publish.plan import current_time

    project = _project(args)
    rows = status(project, _languages(args.lang))
    for note in embargo_notes(project, current_time()):
        print(note.format(project.root), file=sys.stderr)
    orphans = [_show(path, project) for path in orphan_catalogs(project, set(catalog_domains(project)))]
    for orphan in orphans:
        print(f"{orphan}:1: note: catalog of a release that no longer exists; `pubkit update --prune` removes it",
              file=sys.stderr)
    if args.format == "json":
        json.dump({"languages": list(dict.fromkeys(r.language for r in rows)), "catalogs": [r.as_dict() for r in rows],
                   "orphans": orphans}, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return EXIT_OK
    header = ("language", "catalog", "translated", "fuzzy", "untranslated", "rejected", "words done", "percent",
              "from memory")
    table = [header]
    for row in rows:
        words = row.translated_words + row.fuzzy_words + row.untranslated_words + row.rejected_words
        table.append((
            row.language,
            row.domain + ("" if row.exists else " (missing)"),
            str(row.translated),
            str(row.fuzzy),
            str(row.untranslated),
            str(row.rejected),
            f"{row.translated_words}/{words}",
            f"{row.percent:.1f}%",
            str(row.from_memory),
        ))
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    for line in table:
        cells = [cell.ljust(widths[i]) if i < 2 else cell.rjust(widths[i]) for i, cell in enumerate(line)]
        print("  ".join(cells).rstrip())
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from .catalog.project_checks import check_project

    project = _project(args)
    findings = check_project(project, _languages(args.lang))
    counts = {severity: sum(f.severity == severity for f in findings) for severity in ("error", "warning", "info")}
    if args.format == "json":
        json.dump({"findings": [f.as_dict(project.root) for f in findings], **{f"{k}s": v for k, v in counts.items()}},
                  sys.stdout, ensure_ascii=False, indent=2)
        print()
    elif args.summary:
        for line in _summary(findings, project):
            print(line)
        print(f"{_count(counts['error'], 'error')}, {_count(counts['warning'], 'warning')}", file=sys.stderr)
    else:
        for finding in findings:
            print(finding.format(project.root))
        print(f"{_count(counts['error'], 'error')}, {_count(counts['warning'], 'warning')}", file=sys.stderr)
    failed = counts["error"] or (args.strict and counts["warning"])
    return EXIT_CHECKS_FAILED if failed else EXIT_OK


def _summary(findings, project) -> list[str]:
    """``path: N errors, N warnings (check: N, …)`` per catalog, in file order."""
    by_path: dict[str, dict[str, dict[str, int]]] = {}
    for finding in findings:
        if finding.severity not in ("error", "warning"):
            continue
        checks = by_path.setdefault(_show(finding.path, project), {})
        tally = checks.setdefault(finding.check, {"error": 0, "warning": 0})
        tally[finding.severity] += 1
    lines = []
    for path, checks in by_path.items():
        errors = sum(t["error"] for t in checks.values())
        warnings = sum(t["warning"] for t in checks.values())
        detail = ", ".join(f"{check} {sum(t.values())}" for check, t in sorted(checks.items()))
        lines.append(f"{path}: {_count(errors, 'error')}, {_count(warnings, 'warning')} ({detail})")
    return lines


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
                if relative.endswith((".html", ".pdf", ".eml")):
                    print(f"[{done}/{total}] wrote {_show(self.project.output_dir / relative, self.project)}",
                          file=self.stream)


def _build(args: argparse.Namespace) -> int:
    from .publish.build import ALL_FORMATS, build, default_jobs, not_used_diagnostics, parse_shard

    formats = tuple(f.strip() for f in args.format.split(",") if f.strip())
    if not formats or any(f not in ALL_FORMATS for f in formats):
        raise UsageError(f"--format takes html, pdf or email, or several separated by commas, not '{args.format}'")
    shard = parse_shard(args.shard)
    now = _now(args)
    project = _project(args)
    if args.pseudo:
        from .publish.pseudo import OUTPUT_FOLDER, build_pseudo

        if args.lang or args.preview or shard:
            raise UsageError("--pseudo builds every release in en-XA and ar-XB: it takes no --lang, --preview or --shard")
        shown = replace(project, output_dir=project.root / OUTPUT_FOLDER)
        result = build_pseudo(project, args.source, formats, jobs=args.jobs or default_jobs(), force=args.force,
                              progress=_Progress(shown))
    else:
        result = build(project, args.lang, args.source, formats, args.preview, jobs=args.jobs or default_jobs(),
                       force=args.force, shard=shard, progress=_Progress(project), now=now,
                       include_embargoed=args.include_embargoed)
    not_used = not_used_diagnostics(result)
    for diagnostic in [*not_used, *result.diagnostics, *result.site_warnings]:
        print(diagnostic.format(project.root), file=sys.stderr)
    notes = [f"{len(result.skipped)} skipped"] if result.skipped else []
    if not result.written and result.up_to_date:
        print(f"nothing to render: {_count(result.up_to_date, 'file')} up to date"
              + (f" ({', '.join(notes)})" if notes else ""))
        return EXIT_CHECKS_FAILED if args.strict and not_used else EXIT_OK
    if result.up_to_date:
        notes.append(f"{result.up_to_date} up to date")
    if result.site:
        print(f"updated {_count(len(result.site), 'file')} of the site (indexes, feeds, sitemap)")
    print(f"built {_count(len(result.written), 'file')}" + (f" ({', '.join(notes)})" if notes else ""))
    return EXIT_CHECKS_FAILED if args.strict and not_used else EXIT_OK


def _count(number: int, noun: str) -> str:
    """``1 file``, ``2 files``: English nouns pubkit prints take an s in the plural."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _bundle(args: argparse.Namespace) -> int:
    from .publish.build import default_jobs
    from .publish.bundle import bundle, merge_bundle

    project = _project(args)
    if args.merge:
        path, manifest = merge_bundle(project, args.merge, args.output, now=_now(args),
                                           include_embargoed=args.include_embargoed)
    else:
        path, manifest = bundle(project, args.output, jobs=args.jobs or default_jobs(), progress=_Progress(project),
                                now=_now(args), include_embargoed=args.include_embargoed)
    not_used = [(language, item) for language, info in manifest["languages"].items() for item in info["not_used"]]
    for _language, item in not_used:
        print(f"{item['where']}: warning: translation not used: {item['why']}", file=sys.stderr)
    print(f"wrote {_show(path, project)} ({_count(len(manifest['files']), 'file')})")
    return EXIT_CHECKS_FAILED if args.strict and not_used else EXIT_OK


def _verify(args: argparse.Namespace) -> int:
    from .publish.build import default_jobs
    from .publish.verify import read_bundle, verify

    path = Path.cwd() / args.bundle
    read_bundle(path)  # bad input is refused before the project is even read
    verdict = verify(_project(args), path, jobs=args.jobs or default_jobs(),
                     now=_now(args) if args.now else None)
    shown = display_path(path)
    for line in verdict.differences:
        print(f"{shown}: {line}")
    if verdict.identical:
        print(f"{shown}: identical to a rebuild from the sources ({_count(verdict.files, 'file')})")
        return EXIT_OK
    print(f"{shown}: differs from a rebuild from the sources ({_count(len(verdict.differences), 'difference')})")
    return EXIT_CHECKS_FAILED


def _export(args: argparse.Namespace) -> int:
    from .catalog.xliff import export

    project = _project(args)
    if args.format == "tmx":
        from .catalog.tmx import export_tmx

        if args.xliff_version:
            raise UsageError("--xliff-version is for --format xliff; a TMX file is TMX 1.4b")
        target = args.output or project.root / "memory.tmx"
        memory = export_tmx(project, _languages(args.lang), target)
        print(f"wrote {_show(memory.path, project)} ({_count(memory.units, 'unit')} in "
              f"{', '.join(memory.languages)})")
        return EXIT_OK
    folder = args.output or project.root / "xliff"
    examples = _placeholder_examples(project)
    for written in export(project, _languages(args.lang), folder, args.xliff_version or "1.2", examples):
        print(f"wrote {_show(written.path, project)} ({written.units} units)")
    return EXIT_OK


def _placeholder_examples(project):
    """``examples(catalog, language)``: each value of a release as its readers in the language see it."""
    from babel import Locale

    from .render.formatting import Formatter
    from .source.sources import read_sources

    values = {source.slug: source.values for source in read_sources(project)}

    def examples(domain: str, language: str) -> dict[str, str]:
        formatter = Formatter(Locale.parse(language), project.settings(language).calendar)
        shown = {}
        for name, value in values.get(domain, {}).items():
            try:
                shown[name] = formatter.format(value)
            except PubkitError:
                continue  # a value CLDR cannot format: the translator sees the placeholder alone
        return shown

    return examples


def _import(args: argparse.Namespace) -> int:
    from .catalog.xliff_import import import_files

    project = _project(args)
    # The paths as given: they are shown as typed (normalised), not made absolute.
    result = import_files(project, list(args.files))
    for path, line, message in result.notes:
        print(Diagnostic(message, path, line, "note").format(project.root), file=sys.stderr)
    for path, line, message, check in result.refused:
        print(Diagnostic(message, path, line, "error", check).format(project.root), file=sys.stderr)
    for report in result.catalogs:
        state = "" if report.changed else " (unchanged)"
        print(f"{_show(report.path, project)}: {report.imported} imported, {report.refused} refused, "
              f"{report.unchanged} unchanged{state}")
    return EXIT_CHECKS_FAILED if result.refused else EXIT_OK


def _send(args: argparse.Namespace) -> int:
    from .publish.build import default_jobs
    from .publish.recipients import read_recipients
    from .publish.send import connect, deliver, log_path, parse_server, prepare

    parse_server(args.smtp)  # a mistyped server is reported before any work
    now = _now(args)
    project = _project(args)
    recipients = read_recipients(Path.cwd() / args.to)  # the whole list is checked before anything else
    deliveries, diagnostics = prepare(project, args.slug, recipients, args.missing_language,
                                      include_embargoed=args.include_embargoed, now=now,
                                      jobs=args.jobs or default_jobs())
    for diagnostic in diagnostics:
        print(diagnostic.format(project.root), file=sys.stderr)
    if not args.yes:
        from .publish.send import read_log

        states, _ = read_log(log_path(project, args.slug))
        for delivery in deliveries:
            language = delivery.language.replace("_", "-") if delivery.language else "-"
            state = states.get(delivery.recipient.address.lower())
            done = {"sent": "; already sent", "sending": "; an earlier run may have sent it"}.get(state or "", "")
            note = f"  ({delivery.note}{done})" if delivery.note else f"  ({done[2:]})" if done else ""
            print(f"would send {language:7} to {delivery.recipient.address}{note}")
        print(f"dry run: nothing sent; add --yes to send {_count(sum(d.message is not None for d in deliveries), 'message')}"
              f" (those the send log {_show(log_path(project, args.slug), project)} lists as sent are skipped)")
        return EXIT_OK
    session = connect(args.smtp, args.starttls)

    def progress(delivery, outcome: str) -> None:
        language = delivery.language.replace("_", "-") if delivery.language else "-"
        print(f"{outcome:12} {language:7} {delivery.recipient.address}", flush=True)

    try:
        report = deliver(project, args.slug, deliveries, session, progress)
    finally:
        try:
            session.quit()
        except Exception:  # noqa: BLE001  the connection may be gone already; what was sent is logged
            pass
    for problem in report.log_problems:
        print(problem.format(project.root), file=sys.stderr)
    for delivery, reason in report.failed:
        print(f"{_show(Path.cwd() / args.to, project)}:{delivery.recipient.line}: error: "
              f"{delivery.recipient.address}: {reason}", file=sys.stderr)
    for delivery in report.uncertain:
        print(f"{_show(log_path(project, args.slug), project)}:1: warning: {delivery.recipient.address}: an earlier "
              "run stopped while handing the message over; it may have arrived, so it is not sent again",
              file=sys.stderr)
    for delivery in report.not_tried:
        print(f"not sent: {delivery.recipient.address} (the connection was lost; run again to resume)",
              file=sys.stderr)
    print(f"sent {_count(len(report.sent), 'message')}; {len(report.already)} already sent, "
          f"{len(report.skipped)} skipped, {len(report.failed)} failed, {len(report.not_tried)} not tried")
    return EXIT_CHECKS_FAILED if report.failed or report.not_tried else EXIT_OK


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 0 to 65535, not '{text}'")
    return int(text)


def _serve(args: argparse.Namespace) -> int:
    try:
        from .publish.serve import serve
    except ImportError as exc:
        raise UsageError(f"`pubkit serve` needs its extra packages ({exc.name} is missing): "
                         "pip install 'pubkit[serve]'") from None
    return serve(_project(args).root, host=args.host, port=args.port, open_browser=args.open)
