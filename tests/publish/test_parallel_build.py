"""A parallel build forks its workers safely, whatever else the process is doing.

Pango lays out text with a thread of its own, and a program may run threads that load and free fonts;
both take fontconfig's locks. A worker forked while another thread holds such a lock inherits it locked
and waits for it forever: the build hangs (it hung CI once, in a test process that has a thread of its
own). pubkit forks only from a process with one thread, after its warm-up once Pango's short-lived thread
has ended, and otherwise starts its workers from a fresh server process (multiprocessing's forkserver).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap

import pytest

from conftest import TITLES, pdf_file, pubkit_program

pytestmark = pytest.mark.slow

#: A program with threads that load and free fontconfig's fonts all the time (as a server rendering
#: previews would) while it builds the project's PDFs with three workers, again and again.
BUSY_PROGRAM = textwrap.dedent("""
    import sys, threading, time
    from weasyprint.text.ffi import fontconfig
    from pubkit.cli import main

    def load_fonts():  # fontconfig reads its caches and frees them, taking its cache lock for each font
        while True:
            fontconfig.FcConfigDestroy(fontconfig.FcInitLoadConfigAndFonts())

    for _ in range(3):
        threading.Thread(target=load_fonts, daemon=True).start()
    deadline = time.monotonic() + float(sys.argv[1])
    while time.monotonic() < deadline:
        code = main(["build", "-j", "3", "--force", "--format", "pdf"])
        print("exit", code, flush=True)
        if code:
            sys.exit(code)
""")


def test_a_parallel_build_finishes_while_another_thread_of_the_process_uses_the_fonts(make_project):
    project = make_project("mini", languages=["de", "zh_CN"],
                           translated={language: TITLES[language] for language in ("de", "zh_CN")})
    try:
        # Builds for 20 s: forked workers hung in each of two such runs of 30 s, after 3 and 28 builds (each fork is a draw).
        result = subprocess.run([sys.executable, "-c", BUSY_PROGRAM, "20"], cwd=project, capture_output=True,
                                text=True, timeout=80)
    except subprocess.TimeoutExpired as expired:
        raise AssertionError(f"the build hung after {expired.stdout.count(b'exit 0')} builds") from None
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("exit 0") >= 3, result.stdout
    for language in ("en", "de", "zh_CN"):
        assert pdf_file(project, "launch", language).read_bytes().startswith(b"%PDF-")


#: Runs in a process of its own: the test runner's worker has a thread of its own.
THREADS_PROGRAM = textwrap.dedent("""
    import threading, time
    from pubkit.publish.workers import _single_threaded

    assert _single_threaded()
    short = threading.Thread(target=time.sleep, args=(0.2,))
    short.start()
    assert not _single_threaded()
    assert _single_threaded(wait=5)
    lasting = threading.Event()
    threading.Thread(target=lasting.wait, daemon=True).start()
    started = time.monotonic()
    assert not _single_threaded(wait=0.3)
    assert time.monotonic() - started < 3
    print("ok")
""")


def test_a_build_forks_only_once_the_other_threads_of_its_process_have_ended():
    # Pango starts a short-lived thread ("[pango] FcInit") for each font map, the parent's warm-up PDF
    # included: the build waits for such a thread to end before it forks, and gives up on one that stays.
    result = subprocess.run([sys.executable, "-c", THREADS_PROGRAM], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


#: A program with a thread of its own builds with two workers, which start from the fork server.
FONT_FACE_PROGRAM = textwrap.dedent("""
    import os, threading, time
    threading.Thread(target=time.sleep, args=(60,), daemon=True).start()
    from pubkit.cli import main
    code = main(["build", "-j", "2", "--force", "--format", "pdf"])
    print(code, sorted(name for name in os.listdir(os.environ["TMPDIR"]) if name.startswith("weasyprint-")))
""")


def test_workers_of_a_project_with_its_own_font_leave_no_folder_behind(make_project):
    # PrintStyles.close, run as each started worker leaves: WeasyPrint copies an @font-face font into a
    # temporary folder that only its FontConfiguration's __del__ removes, and a pool worker exits by os._exit.
    project = make_project("mini", languages=["de", "zh_CN"],
                           translated={language: TITLES[language] for language in ("de", "zh_CN")})
    (project / "templates" / "house.ttf").write_bytes(
        open("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", "rb").read())
    (project / "templates" / "print.css").write_text(
        '@font-face { font-family: "House Letter"; src: url(house.ttf); }\nh1 { font-family: "House Letter"; }\n')
    # A short folder: the fork server's socket lives there, and a socket's path has at most 107 bytes.
    with tempfile.TemporaryDirectory(prefix="pubkit-") as temporary:
        result = subprocess.run([sys.executable, "-c", FONT_FACE_PROGRAM], cwd=project, capture_output=True,
                                text=True, timeout=120, env={**os.environ, "TMPDIR": temporary})
    assert result.stdout.splitlines()[-1:] == ["0 []"], result.stdout + result.stderr


def test_a_command_line_build_shares_its_jobs_with_its_workers_and_writes_what_one_process_writes(make_project):
    # workers._share: the build's own process (one thread: its workers fork from it) renders jobs from the
    # end of the queue while its forked worker takes them from the start. Every PDF once, as -j1 makes it.
    project = make_project("mini", languages=["de", "zh_CN", "ar"], translated=TITLES)
    parallel = pubkit_program("build", "-j", "2", "--format", "pdf", cwd=project)
    assert parallel.returncode == 0, parallel.stderr
    wrote = [line.split(" wrote ")[1] for line in parallel.stdout.splitlines() if " wrote " in line]
    assert sorted(wrote) == sorted(set(wrote)) and len(wrote) == 4, parallel.stdout
    shared = {name: (project / name).read_bytes() for name in wrote}
    alone = pubkit_program("build", "-j", "1", "--format", "pdf", "--force", cwd=project)
    assert alone.returncode == 0, alone.stderr
    assert {name: (project / name).read_bytes() for name in wrote} == shared
