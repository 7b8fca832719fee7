"""Helpers for the review-desk tests: a small copy of the sample and a real `pubkit serve` process."""

from __future__ import annotations

import contextlib
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).parent.parent.parent
SLUG = "weiqiao-aluminium-park"
#: A German message the tests leave untranslated, and where its msgstr is.
UNTRANSLATED = "One park for the whole aluminium value chain"
GERMAN = "Ein Park für die gesamte Wertschöpfungskette von Aluminium"


def review_project(folder: Path) -> Path:
    """The sample in three languages (en, de, fr), one German message untranslated."""
    project = folder / "desk"
    project.mkdir()
    shutil.copytree(ROOT / "sources", project / "sources")
    for language in ("de", "fr"):
        shutil.copytree(ROOT / "locale" / language, project / "locale" / language)
    for pot in (ROOT / "locale").glob("*.pot"):
        shutil.copy2(pot, project / "locale" / pot.name)
    (project / "pubkit.toml").write_text('source_language = "en"\nlanguages = ["de", "fr"]\n', encoding="utf-8")
    po = project / "locale/de/LC_MESSAGES" / f"{SLUG}.po"
    text = po.read_text(encoding="utf-8")
    assert f'msgstr "{GERMAN}"' in text
    po.write_text(text.replace(f'msgstr "{GERMAN}"', 'msgstr ""'), encoding="utf-8")
    return project


def site_url(project: Path, slug: str, language: str, kind: str = "page") -> str:
    """Where the desk serves a release's preview ``page`` or ``pdf``: ``/site/`` + its place in the site
    (pubkit.publish.paths, as conftest.page_file and pdf_file find it)."""
    from conftest import page_file, pdf_file

    path = (pdf_file if kind == "pdf" else page_file)(project, slug, language, output="dist-preview")
    return "/site/" + path.relative_to(project / "dist-preview").as_posix()


def _die_with_the_tests() -> None:
    """A server must not outlive an interrupted test run (Linux: SIGTERM when its parent ends)."""
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Desk:
    """``pubkit serve --port 0`` in a project, as a user would start it; stopped with SIGTERM."""

    def __init__(self, project: Path, *args: str, timeout: float = 120):
        self.project = project
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen([sys.executable, "-m", "pubkit", "serve", "--port", "0", *args],
                                        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        env=env, preexec_fn=_die_with_the_tests)
        self.url = self._wait_for_url(timeout)

    def _wait_for_url(self, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        assert self.process.stdout is not None
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.process.stdout], [], [], 0.5)
            if ready:
                line = self.process.stdout.readline()
                match = re.search(r"http://\S+/", line)
                if match:
                    return match.group(0)
            if self.process.poll() is not None:
                raise AssertionError(f"pubkit serve ended: {self.process.stderr.read()}")
        self.process.kill()
        raise AssertionError("pubkit serve printed no URL in time")

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1].strip("/"))

    def kill(self) -> None:
        """Make sure the server is gone, whatever happened in the test."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise AssertionError("pubkit serve did not stop on its signal") from None
        return self.process.returncode


def wait_until(condition, timeout: float = 20, interval: float = 0.1, what: str = "the condition"):
    """Poll ``condition`` until it returns something true; bounded."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = condition()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what} (last: {last!r})")


@contextlib.contextmanager
def running_desk(project: Path, *args: str) -> Iterator[Desk]:
    """``pubkit serve`` for the length of a block, which must stop cleanly on SIGTERM (exit 0) at its end;
    killed whatever happens."""
    server = Desk(project, *args)
    try:
        yield server
        assert server.stop() == 0
    finally:
        server.kill()
