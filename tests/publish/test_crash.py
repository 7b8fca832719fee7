"""Nothing lost: a pubkit killed with SIGKILL mid-update or mid-build leaves every file whole."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import polib
import pytest
from pypdf import PdfReader

from conftest import page_file, pdf_file, snapshot, succeed

pytestmark = pytest.mark.slow
#: write_atomic's temporary file beside its target: ``.<name>.<random>.tmp``, renamed over it when complete.
TEMPORARY = re.compile(r"/\.(?P<name>[^/]+)\.[^/.]+\.tmp$")
CATCH_SECONDS = 120


def start(args: list[str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pubkit", *args], cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def open_temporaries(pid: int) -> set[Path]:
    """The temporary files of write_atomic that process ``pid`` has open right now."""
    found = set()
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            with contextlib.suppress(OSError):
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if TEMPORARY.search(target):
                    found.add(Path(target))
    except OSError:  # the process has just ended
        pass
    return found


def family(pid: int) -> list[int]:
    """``pid`` and its children (a build's pool workers)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    with contextlib.suppress(OSError):
        return [pid, *map(int, children.read_text().split())]
    return [pid]


def stopped(pid: int) -> None:
    """Wait (bounded) until ``pid`` has really stopped after SIGSTOP."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in "tT":
                return
        time.sleep(0.001)
    raise AssertionError(f"process {pid} did not stop")


@dataclass
class Kill:
    temporary: Path  # the file being written when the kill landed, left behind by it
    target: Path  # the output it was to become
    workers: list[int]  # the build's pool workers at the time


def kill_mid_write(args: list[str], cwd: Path, skip: int) -> Kill | None:
    """Run ``pubkit ARGS`` and SIGKILL it in the middle of a write, after ``skip`` other writes were seen.

    Whichever process of pubkit's holds a temporary file open is stopped (SIGSTOP); if the file is still
    open once it has stopped, the write is under way, and pubkit is killed right there. So the kill is
    known to land mid-write, not before the first write or after the last. None: pubkit ended before
    such a write was caught (on a busy machine the poll can miss a write).
    """
    process = start(args, cwd)
    seen: set[Path] = set()
    deadline = time.monotonic() + CATCH_SECONDS
    try:
        while process.poll() is None and time.monotonic() < deadline:
            for pid in family(process.pid):
                for temporary in open_temporaries(pid) - seen:
                    seen.add(temporary)
                    if len(seen) <= skip:
                        continue
                    os.kill(pid, signal.SIGSTOP)
                    stopped(pid)
                    if temporary in open_temporaries(pid):
                        workers = family(process.pid)[1:]
                        process.send_signal(signal.SIGKILL)
                        process.wait()
                        return Kill(temporary, temporary.with_name(TEMPORARY.search(str(temporary))["name"]), workers)
                    os.kill(pid, signal.SIGCONT)  # the write ended meanwhile: catch a later one
            time.sleep(0.0005)  # leave the machine to pubkit: a write (with its fsync) takes longer
        assert process.poll() is not None, f"pubkit {' '.join(args)} took over {CATCH_SECONDS} s"
        return None
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def killed_mid_write(args: list[str], fresh: Callable[[str], Path], skip: int, tries: int = 3) -> tuple[Path, Kill]:
    """A fresh project (``fresh(name)``) in which ``pubkit ARGS`` was killed mid-write after ``skip`` writes.
    A try in which no write could be caught does not count; ``tries`` of them fail the test."""
    for attempt in range(tries):
        project = fresh(f"run{skip}-{attempt}")
        kill = kill_mid_write(args, project, skip)
        if kill:
            return project, kill
    raise AssertionError(f"pubkit {' '.join(args)} ended {tries} times before a write after {skip} others was caught")


def big_project(root: Path, paragraphs: int = 3000) -> Path:
    (root / "sources").mkdir(parents=True)
    (root / "pubkit.toml").write_text('source_language = "en"\nlanguages = ["de", "fr", "ja"]\n')
    body = "".join(f"Paragraph {i} tells part {i % 7} of the story about plant number {i}.\n\n" for i in range(paragraphs))
    (root / "sources" / "big.md").write_text(f"---\ntitle: Big\n---\n{body}", encoding="utf-8")
    succeed("extract", cwd=root)
    succeed("update", cwd=root)
    for po in root.glob("locale/*/LC_MESSAGES/*.po"):
        catalog = polib.pofile(str(po))
        for entry in catalog:
            entry.msgstr = f"[{po.parts[-3]}] {entry.msgid}"
        catalog.save()
    # Change a third of the paragraphs, so that update has real merging to do.
    text = (root / "sources" / "big.md").read_text(encoding="utf-8")
    (root / "sources" / "big.md").write_text(text.replace("of the story", "of the long story", paragraphs // 3))
    succeed("extract", cwd=root)
    return root


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    """A big project whose catalogs `update` must rewrite, and the bytes of the project once updated."""
    original = big_project(tmp_path_factory.mktemp("big") / "original", paragraphs=1500)
    finished = original.parent / "finished"
    shutil.copytree(original, finished)
    succeed("update", cwd=finished)
    return original, snapshot(finished)


def test_killing_update_leaves_every_catalog_old_or_new(big, tmp_path: Path) -> None:
    original, new = big
    old = snapshot(original)
    catalogs = [name for name in old if name.endswith(".po")]
    assert len([name for name in catalogs if old[name] != new[name]]) >= 3, "a catalog to write per language"

    def fresh(name: str) -> Path:
        return Path(shutil.copytree(original, tmp_path / name))

    for skip in range(3):  # a kill in the middle of the first write seen, the second, the third
        project, kill = killed_mid_write(["update"], fresh, skip)
        assert kill.temporary.exists(), "the kill landed before the write was complete"
        name = kill.target.relative_to(project).as_posix()
        after = snapshot(project)
        assert after[name] == old[name], f"{name} changed although its write was cut short"
        for name in catalogs:
            assert after[name] in (old[name], new[name]), f"{name} is half-written after a kill at write {skip}"
        # Whatever the kill left, the next update completes the job, byte for byte.
        succeed("update", cwd=project)
        final = snapshot(project)
        assert all(final[name] == new[name] for name in catalogs)


def test_killing_build_leaves_no_half_written_output(make_project) -> None:
    def fresh(name: str) -> Path:
        return make_project("sample", folder=name)

    for skip in (0, 6):  # the first file, and one written while others are done
        project, kill = killed_mid_write(["build", "-j", "2"], fresh, skip)
        assert kill.temporary.exists(), "the kill landed before the write was complete"
        assert not kill.target.exists(), "nothing under the name of a file whose write was cut short"
        time.sleep(0.3)
        alive = [pid for pid in kill.workers if Path(f"/proc/{pid}").exists()
                 and "(zombie)" not in Path(f"/proc/{pid}/status").read_text()]
        assert not alive, f"pool workers outlived the killed build (kill after {skip} writes)"
        written = 0
        for path in (project / "dist").rglob("*"):
            if not path.is_file() or path.name.startswith("."):
                continue  # a temporary file is hidden and never has the output's name
            written += 1
            if path.suffix == ".pdf":
                assert path.read_bytes().rstrip().endswith(b"%%EOF"), path
                assert len(PdfReader(path).pages) >= 1
            elif path.suffix == ".html":
                assert path.read_text(encoding="utf-8").rstrip().endswith("</html>"), path
        assert written >= skip - 1, "the files written before the kill are there, whole"


def limited(args: list[str], cwd: Path, max_file_bytes: int) -> subprocess.CompletedProcess:
    """Run pubkit unable to grow any file past ``max_file_bytes``: the kernel kills it mid-write (SIGXFSZ)."""
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_file_bytes, max_file_bytes))

    return subprocess.run([sys.executable, "-m", "pubkit", *args], cwd=cwd, preexec_fn=limit,
                          capture_output=True, check=False)


def test_dying_in_the_middle_of_writing_a_catalog_keeps_the_old_one(big, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(big[0], project)
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
