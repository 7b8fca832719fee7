"""pubkit's speed and memory against its targets, side by side in one run.

    .venv/bin/python benchmarks/run.py                 # 5 releases × 8 languages = 40 PDFs, and the rest
    .venv/bin/python benchmarks/run.py --quick         # skip GNU msgmerge (it takes about 100 s)
    .venv/bin/python benchmarks/run.py --releases 200  # the memory target: 200 releases × 8 languages

Figures: full build (-j1, -j2) against the floor (bare WeasyPrint write_pdf over the same HTML with
the same parallelism), a no-op rebuild, a rebuild after one .po changed, `update` on 10,000 messages
against GNU msgmerge, peak memory, and the start-up time of `pubkit --help` and `pubkit status`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402
import update_10k  # noqa: E402

PUBKIT = [sys.executable, "-m", "pubkit"]


def wall(command: list[str], cwd: Path, repeat: int = 1) -> float:
    """Best wall-clock time of a command over ``repeat`` runs."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - started)
    return best


def print_pages(project: Path, folder: Path) -> list[tuple[Path, Path]]:
    """The exact print HTML pubkit hands WeasyPrint, written to files for the floor measurement."""
    from pubkit import load_project, read_sources
    from pubkit.catalogs import TEMPLATES_DOMAIN, Translations
    from pubkit.render import Renderer

    loaded = load_project(project)
    renderer = Renderer(loaded)
    pages = []
    for source in read_sources(loaded):
        for language in loaded.output_languages:
            page = renderer.render(source, language, Translations.load(loaded, language, source.slug),
                                          Translations.load(loaded, language, TEMPLATES_DOMAIN), "print")
            path = folder / f"{source.slug}-{language}.html"
            path.write_text(page.html, encoding="utf-8")
            pages.append((path, source.path.parent))
    return pages


def typography_seconds(project: Path) -> float:
    """Time spent in locale typography while rendering every page of the project once (HTML for print),
    measured around the one call that applies it (Renderer.typeset), caches warm as in a build."""
    from pubkit import load_project, read_sources
    from pubkit.catalogs import TEMPLATES_DOMAIN, Translations
    from pubkit.render import Renderer

    spent = [0.0]

    class TimedRenderer(Renderer):
        def typeset(self, language: str, text: str) -> str:
            started = time.perf_counter()
            try:
                return super().typeset(language, text)
            finally:
                spent[0] += time.perf_counter() - started

    loaded = load_project(project)
    renderer = TimedRenderer(loaded)
    for source in read_sources(loaded):
        for language in loaded.output_languages:
            renderer.render(source, language, Translations.load(loaded, language, source.slug),
                            Translations.load(loaded, language, TEMPLATES_DOMAIN), "print")
    return spent[0]


def site_seconds(project: Path) -> float:
    """Time to make the site around the pages (chooser, indexes, feeds, sitemap, robots.txt) from a
    finished build's state, in a fresh process's terms: templates compiled, catalogs read, nothing cached."""
    from pubkit import load_project
    from pubkit.build import SourceIndex, read_state
    from pubkit.embargo import current_time
    from pubkit.site import site_files

    loaded = load_project(project)
    state = read_state(loaded.output_dir)
    started = time.perf_counter()
    site_files(loaded, state["jobs"], SourceIndex(loaded, state.get("sources", {})), current_time())
    return time.perf_counter() - started


_STYLES: list = []


def _floor_init(stylesheets: list[str]) -> None:
    import weasyprint

    _STYLES[:] = [weasyprint.CSS(filename=s) for s in stylesheets]


def _floor_one(item: tuple[str, str]) -> int:
    import weasyprint

    html, base = item
    text = Path(html).read_text(encoding="utf-8")
    return len(weasyprint.HTML(string=text, base_url=Path(base).as_uri() + "/").write_pdf(stylesheets=_STYLES))


def floor(pages: list[tuple[Path, Path]], stylesheets: list[str], jobs: int) -> float:
    items = [(str(html), str(base)) for html, base in pages]
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs, initializer=_floor_init, initargs=(stylesheets,)) as pool:
        list(pool.map(_floor_one, items, chunksize=1))
    return time.perf_counter() - started


def _tree_rss_kb(root: int) -> int:
    """Memory of a process and all its descendants, from /proc: the proportional set size, which
    counts pages shared by forked workers (fonts, WeasyPrint's code) once in all rather than once each."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def timed_with_memory(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall time and the peak of the summed resident memory of the whole process tree (MB)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss_kb(process.pid))
        time.sleep(0.2)
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed")
    return time.perf_counter() - started, peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="skip GNU msgmerge")
    args = parser.parse_args()
    rows: list[tuple[str, str, str]] = []

    def row(name: str, figure: str, target: str = "") -> None:
        rows.append((name, figure, target))
        print(f"  {name:<44} {figure:>14}   {target}", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        project = synthetic.generate(Path(tmp) / "project", args.releases, synthetic.LANGUAGES)
        config = project / "pubkit.toml"  # feeds and a sitemap are part of the build being measured
        config.write_text(config.read_text(encoding="utf-8") + '\nbase_url = "https://newsroom.example.com/"\n',
                          encoding="utf-8")
        documents = args.releases * (len(synthetic.LANGUAGES) + 1)
        print(f"synthetic project: {args.releases} releases × {len(synthetic.LANGUAGES) + 1} languages = "
              f"{documents} PDFs, on {os.cpu_count()} cores")

        from pubkit import load_project
        from pubkit.build import PRINT_STYLESHEETS
        from pubkit.templates import template_files

        pages_dir = Path(tmp) / "pages"
        pages_dir.mkdir()
        pages = print_pages(project, pages_dir)
        assets = template_files(load_project(project))
        stylesheets = [str(assets[name]) for name in PRINT_STYLESHEETS]

        floor1 = floor(pages, stylesheets, 1)
        build1 = wall(PUBKIT + ["build", "--format", "pdf", "--force", "-j", "1"], project)
        row("full build -j1 (PDF)", f"{build1:.2f} s")
        row("floor: bare WeasyPrint -j1", f"{floor1:.2f} s", f"build/floor {build1 / floor1:.2f} (target ≤ 1.10)")
        floor2 = floor(pages, stylesheets, 2)
        build2 = wall(PUBKIT + ["build", "--format", "pdf", "--force", "-j", "2"], project)
        row("full build -j2 (PDF)", f"{build2:.2f} s", f"-j2/-j1 {build2 / build1:.2f} (target ≤ 0.60)")
        row("floor: bare WeasyPrint -j2", f"{floor2:.2f} s", f"build/floor {build2 / floor2:.2f} (target ≤ 1.10)")

        full, memory = timed_with_memory(PUBKIT + ["build", "--force", "-j", "2"], project)
        noop = wall(PUBKIT + ["build", "-j", "2"], project, repeat=3)
        row("full build -j2 (HTML and PDF)", f"{full:.2f} s")
        row("no-op rebuild", f"{noop:.2f} s", f"{100 * noop / full:.1f} % of a full build (target ≤ 5 %)")
        site = site_seconds(project)
        row("site: indexes, feeds, sitemap", f"{site:.2f} s", f"{100 * site / full:.1f} % of a full build (target < 5 %)")
        bare = wall([sys.executable, "-c", "import weasyprint"], project, repeat=3)
        for language in ("de", "zh_CN"):
            # German pages pay for Pyphen's German dictionary (about 0.6 s to load); Chinese has none.
            po = project / "locale" / language / "LC_MESSAGES" / "release-000.po"
            text = po.read_text(encoding="utf-8")
            start = text.index('msgstr "', text.index('msgctxt "title"'))
            po.write_text(text[:start] + 'msgstr "* ' + text[start + len('msgstr "'):], encoding="utf-8")
            one = wall(PUBKIT + ["build", "-j", "2"], project)
            row(f"rebuild after one .po changed ({language})", f"{one:.2f} s",
                f"{one / bare:.2f} × import weasyprint ({bare:.2f} s; target ≤ 1.5)")

        typography = typography_seconds(project)
        row("locale typography (render time)", f"{typography:.3f} s",
            f"{100 * typography / build1:.2f} % of the full build -j1 (target < 3 %)")

        help_time = wall(PUBKIT + ["--help"], project, repeat=5)
        status_time = wall(PUBKIT + ["status"], project, repeat=5)
        row("pubkit --help", f"{help_time:.3f} s", "target < 0.2 s")
        row("pubkit status", f"{status_time:.3f} s", "target < 0.2 s")
        row("peak memory of the full -j2 build (all processes)", f"{memory:.0f} MB",
            "target < 600 MB at 200 × 8")

    old, template = update_10k.make_inputs(10_000, 500, 1_000)
    from pubkit.merge import merge

    started = time.perf_counter()
    merged, report = merge(old, template, nplurals=2)
    ours = time.perf_counter() - started
    row("update, 10,000 messages (500 edited, 1,000 new)", f"{ours:.2f} s", "target ≤ 2 s")
    if not args.quick and shutil.which("msgmerge"):
        with tempfile.TemporaryDirectory() as tmp:
            from pubkit.pofile import render

            old_path, pot_path, out_path = (Path(tmp) / n for n in ("old.po", "new.pot", "out.po"))
            old_path.write_text(render(old), encoding="utf-8")
            pot_path.write_text(render(template), encoding="utf-8")
            theirs = wall(["msgmerge", "-q", "--previous", "-o", str(out_path), str(old_path), str(pot_path)], Path(tmp))
            import polib

            gnu = {e.msgid for e in polib.pofile(str(out_path)) if "fuzzy" in e.flags and not e.obsolete}
        mine = {e.msgid for e in merged if "fuzzy" in e.flags and not e.obsolete}
        row("GNU msgmerge on the same catalogs", f"{theirs:.2f} s",
            f"fuzzy: msgmerge {len(gnu)}, pubkit {len(mine)}, missed {len(gnu - mine)} (target 0)")


if __name__ == "__main__":
    main()
