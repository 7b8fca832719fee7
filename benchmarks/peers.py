"""pubkit against what a user would script instead: po4a + pandoc + WeasyPrint, on the sample's seed release.

    .venv/bin/python benchmarks/peers.py [--rounds 3]

Both sides publish the seed release (sources/weiqiao-aluminium-park.md) as a web page and a PDF in every
language of the sample. The peers run file by file, as a shell script would: `po4a-translate` makes the
translated Markdown from a catalog, `pandoc -s` the HTML page, `python -m weasyprint` the PDF (the same
WeasyPrint pubkit uses). Their catalogs are made with `po4a-updatepo` and filled with pubkit's own
translations of the same paragraphs, so both print the same text in the same scripts. The runs are
interleaved (pubkit -j1, pubkit with every core, the peers; the order rotates each round) and the
medians are compared, so that other work on the machine weighs on every side alike.

po4a and pandoc are Debian packages (`apt-get install po4a pandoc`); they are needed for this benchmark
only, not by pubkit or its tests. Without them the script says so and exits.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = "weiqiao-aluminium-park"
PEERS = "po4a + pandoc + WeasyPrint"
PO4A = ["-f", "text", "-o", "markdown", "-o", "yfm_keys=title,subtitle,place", "-M", "UTF-8"]


def seed_project(folder: Path) -> Path:
    """The sample with its seed release only."""
    root = HERE.parent
    folder.mkdir()
    for name in ("pubkit.toml", "locale", "templates"):
        if (root / name).is_dir():
            shutil.copytree(root / name, folder / name)
        elif (root / name).exists():
            shutil.copy2(root / name, folder / name)
    (folder / "sources").mkdir()
    shutil.copy2(root / "sources" / f"{SEED}.md", folder / "sources" / f"{SEED}.md")
    return folder


def peer_inputs(project: Path, folder: Path) -> list[tuple[str, Path | None]]:
    """The release as plain Markdown (po4a's YAML reader takes no `values:` table; figures stay as
    written), and per language a po4a catalog holding pubkit's translation of each paragraph."""
    import polib

    from pubkit import load_project

    loaded = load_project(project)
    text = (project / "sources" / f"{SEED}.md").read_text(encoding="utf-8")
    head, body = text.split("\n---\n", 1)
    kept = [line for line in head.split("\n") if not line.startswith(("  ", "values:"))]
    (folder / "release.md").write_text("\n".join(kept) + "\n---\n" + body, encoding="utf-8")
    subprocess.run(["po4a-updatepo", *PO4A, "-m", "release.md", "-p", "release.pot"], cwd=folder, check=True,
                   capture_output=True)
    inputs: list[tuple[str, Path | None]] = [(loaded.source_language, None)]
    for language in loaded.languages:
        ours = polib.pofile(str(loaded.po_path(language, SEED)))
        known = {entry.msgid: entry.msgstr for entry in ours if entry.msgstr}
        catalog = polib.pofile(str(folder / "release.pot"))
        catalog.metadata["Content-Type"] = "text/plain; charset=UTF-8"
        for entry in catalog:
            entry.msgstr = known.get(entry.msgid, entry.msgid)
        catalog.save(str(folder / f"{language}.po"))
        inputs.append((language, folder / f"{language}.po"))
    return inputs


def peers(folder: Path, inputs: list[tuple[str, Path | None]]) -> None:
    """What a script would do for each language, one file after the other."""
    for language, catalog in inputs:
        markdown = folder / f"release-{language}.md"
        if catalog is None:
            shutil.copy2(folder / "release.md", markdown)
        else:
            subprocess.run(["po4a-translate", *PO4A, "-m", "release.md", "-p", str(catalog), "-l", str(markdown),
                            "-L", "UTF-8", "-k", "0"], cwd=folder, check=True, capture_output=True)
        html = folder / f"release-{language}.html"
        subprocess.run(["pandoc", "-s", str(markdown), "-o", str(html), "--metadata",
                        f"lang={language.replace('_', '-')}"], cwd=folder, check=True, capture_output=True)
        subprocess.run([sys.executable, "-m", "weasyprint", str(html), str(html.with_suffix(".pdf"))], cwd=folder,
                       check=True, capture_output=True)


def timed(run) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def measure(rounds: int = 3) -> dict[str, list[float]] | None:
    """Seconds of each side per round (interleaved); None when po4a or pandoc is not installed."""
    if any(shutil.which(tool) is None for tool in ("po4a-updatepo", "po4a-translate", "pandoc")):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        project = seed_project(Path(tmp) / "project")
        folder = Path(tmp) / "peers"
        folder.mkdir()
        inputs = peer_inputs(project, folder)
        cores = len(os.sched_getaffinity(0))

        def pubkit(jobs: int):
            return lambda: subprocess.run([sys.executable, "-m", "pubkit", "build", "--force", "-j", str(jobs)],
                                          cwd=project, check=True, capture_output=True)

        sides = {"pubkit -j1": pubkit(1), f"pubkit -j{cores}": pubkit(cores), PEERS: lambda: peers(folder, inputs)}
        for run in sides.values():  # warm up every side once (page cache, font caches)
            run()
        times: dict[str, list[float]] = {name: [] for name in sides}
        names = list(sides)
        for turn in range(rounds):
            for name in names[turn % 3:] + names[:turn % 3]:
                times[name].append(timed(sides[name]))
    return times


def report(times: dict[str, list[float]]) -> list[tuple[str, str, str]]:
    """(name, median, comparison) per side."""
    median = {name: statistics.median(values) for name, values in times.items()}
    rows = []
    for name, value in median.items():
        spread = f"runs {min(times[name]):.2f}–{max(times[name]):.2f} s"
        versus = spread if name == PEERS else f"peers take {median[PEERS] / value:.2f} × as long ({spread})"
        rows.append((name, f"{value:.2f} s", versus))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    times = measure(args.rounds)
    if times is None:
        print("peers: po4a or pandoc is not installed (Debian: apt-get install po4a pandoc); nothing measured")
        return
    print(f"the seed release in every language of the sample, web page and PDF; medians of {args.rounds} "
          "interleaved runs:")
    for name, figure, versus in report(times):
        print(f"  {name:<28} {figure:>8}   {versus}")


if __name__ == "__main__":
    main()
