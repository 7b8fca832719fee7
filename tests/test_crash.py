"""Nothing lost: a pubkit killed with SIGKILL mid-update or mid-build leaves every file whole."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest
from pypdf import PdfReader

from conftest import page_file, pdf_file, snapshot

pytestmark = pytest.mark.slow
KILL_POINTS = 5


def start(args: list[str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pubkit", *args], cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def timed(args: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    process = start(args, cwd)
    assert process.wait() == 0
    return time.perf_counter() - started


def big_project(root: Path, paragraphs: int = 3000) -> Path:
    (root / "sources").mkdir(parents=True)
    (root / "pubkit.toml").write_text('source_language = "en"\nlanguages = ["de", "fr", "ja"]\n')
    body = "".join(f"Paragraph {i} tells part {i % 7} of the story about plant number {i}.\n\n" for i in range(paragraphs))
    (root / "sources" / "big.md").write_text(f"---\ntitle: Big\n---\n{body}", encoding="utf-8")
    assert timed(["extract"], root) >= 0
    assert timed(["update"], root) >= 0
    for po in root.glob("locale/*/LC_MESSAGES/*.po"):
        catalog = polib.pofile(str(po))
        for entry in catalog:
            entry.msgstr = f"[{po.parts[-3]}] {entry.msgid}"
        catalog.save()
    # Change a third of the paragraphs, so that update has real merging to do.
    text = (root / "sources" / "big.md").read_text(encoding="utf-8")
    (root / "sources" / "big.md").write_text(text.replace("of the story", "of the long story", paragraphs // 3))
    assert timed(["extract"], root) >= 0
    return root


def test_killing_update_leaves_every_catalog_old_or_new(tmp_path: Path) -> None:
    original = big_project(tmp_path / "original")
    finished = tmp_path / "finished"
    shutil.copytree(original, finished)
    duration = timed(["update"], finished)
    old, new = snapshot(original), snapshot(finished)
    catalogs = [name for name in old if name.endswith(".po")]
    assert any(old[name] != new[name] for name in catalogs)

    for attempt in range(KILL_POINTS):
        project = tmp_path / f"run{attempt}"
        shutil.copytree(original, project)
        process = start(["update"], project)
        time.sleep(duration * (attempt + 0.5) / KILL_POINTS)
        process.send_signal(signal.SIGKILL)
        process.wait()
        after = snapshot(project)
        for name in catalogs:
            assert after[name] in (old[name], new[name]), f"{name} is half-written after a kill at attempt {attempt}"
        # Whatever the kill left, the next update completes the job, byte for byte.
        assert timed(["update"], project) >= 0
        final = snapshot(project)
        assert all(final[name] == new[name] for name in catalogs)


def test_killing_build_leaves_no_half_written_output(sample: Path, tmp_path: Path) -> None:
    warm = tmp_path / "warm"
    shutil.copytree(sample, warm)
    duration = timed(["build", "-j", "2"], warm)
    for attempt in range(KILL_POINTS):
        project = tmp_path / f"build{attempt}"
        shutil.copytree(sample, project)
        process = start(["build", "-j", "2"], project)
        time.sleep(duration * (attempt + 0.5) / KILL_POINTS)
        workers = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
        process.send_signal(signal.SIGKILL)
        process.wait()
        time.sleep(0.3)
        alive = [pid for pid in workers if Path(f"/proc/{pid}").exists()
                 and "(zombie)" not in Path(f"/proc/{pid}/status").read_text()]
        assert not alive, f"pool workers outlived the killed build at attempt {attempt}"
        for path in (project / "dist").rglob("*") if (project / "dist").exists() else []:
            if not path.is_file() or path.name.startswith("."):
                continue  # a temporary file is hidden and never has the output's name
            if path.suffix == ".pdf":
                assert path.read_bytes().rstrip().endswith(b"%%EOF"), path
                assert len(PdfReader(path).pages) >= 1
            elif path.suffix == ".html":
                assert path.read_text(encoding="utf-8").rstrip().endswith("</html>"), path


def limited(args: list[str], cwd: Path, max_file_bytes: int) -> subprocess.CompletedProcess:
    """Run pubkit unable to grow any file past ``max_file_bytes``: the kernel kills it mid-write (SIGXFSZ)."""
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_file_bytes, max_file_bytes))

    return subprocess.run([sys.executable, "-m", "pubkit", *args], cwd=cwd, preexec_fn=limit,
                          capture_output=True, check=False)


def test_dying_in_the_middle_of_writing_a_catalog_keeps_the_old_one(tmp_path: Path) -> None:
    project = big_project(tmp_path / "project", paragraphs=1500)
    before = snapshot(project)
    size = max(len(data) for name, data in before.items() if name.endswith(".po"))
    result = limited(["update"], project, max_file_bytes=size // 2)
    assert result.returncode == 2, "the write really was cut short"
    message = result.stderr.decode().strip()
    assert message.endswith("error: cannot write (File too large); the previous file is unchanged"), message
    assert len(message.splitlines()) == 1
    after = snapshot(project)
    for name, data in before.items():
        if name.endswith(".po"):
            assert after[name] == data, f"{name} was truncated"


def test_dying_in_the_middle_of_writing_a_pdf_presents_no_pdf(sample: Path) -> None:
    # Above the page and its stylesheets (about 8 KB with the organization's contacts), below the PDF (18 KB).
    result = limited(["build", "--lang", "de"], sample, max_file_bytes=12_000)
    assert result.returncode == 2, result.stderr
    assert "weiqiao-aluminium-park-de.pdf:1: error: cannot write (File too large)" in result.stderr.decode()
    assert page_file(sample, "weiqiao-aluminium-park", "de").exists()
    assert not pdf_file(sample, "weiqiao-aluminium-park", "de").exists()
