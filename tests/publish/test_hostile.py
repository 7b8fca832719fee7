"""Hostile catalogs, templates and stylesheets, one data folder each: nothing read outside the project,
nothing executed, nothing attached, no runaway work; refusals are one located error and change nothing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import html5lib
import polib
import pytest
from pypdf import PdfReader

from conftest import DATA, configure, page_file, pdf_file, snapshot

CASES = sorted(p for p in (DATA / "hostile").iterdir() if p.is_dir())
pytestmark = pytest.mark.slow


def prepare(case: Path, make_project, run) -> Path:
    project = make_project("mini", catalogs=True)
    overlay = case / "overlay"
    if overlay.is_dir():
        shutil.copytree(overlay, project, dirs_exist_ok=True)
        if (overlay / "sources").is_dir():  # a new release needs its catalogs
            assert run("extract", cwd=project).code == 0
            assert run("update", cwd=project).code == 0
    if (case / "config.toml").exists():
        configure(project, **tomllib.loads((case / "config.toml").read_text(encoding="utf-8")))
    # Each release has a translated message, so that German is published at all (a 0 % language is not).
    for po in (project / "locale" / "de" / "LC_MESSAGES").glob("*.po"):
        if po.name != "templates.po":
            catalog = polib.pofile(str(po))
            catalog[-1].msgstr = catalog[-1].msgid
            catalog.save()
    po = project / "locale" / "de" / "LC_MESSAGES" / "launch.po"
    catalog = polib.pofile(str(po))
    hostile = case / "translations.json"
    for key, text in (json.loads(hostile.read_text(encoding="utf-8")) if hostile.exists() else {}).items():
        context, msgid = key.split("|", 1)
        entry = next(e for e in catalog if e.msgid == msgid and (e.msgctxt or "") == context)
        entry.msgstr = text
    catalog.save()
    return project


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_hostile_input(case: Path, make_project, run) -> None:
    mini = prepare(case, make_project, run)
    expectations = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    before = snapshot(mini)

    result = run("build", "--lang", "de", "-j", "1", cwd=mini)

    verdict = expectations[0]
    if verdict.startswith("error: "):
        assert result.code == 2, result.out + result.err
        lines = result.err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(verdict[len("error: "):]), result.err
        after = snapshot(mini)
        assert {k: v for k, v in after.items() if not k.startswith("dist/")} == before, "no input changed"
        assert not [k for k in after if k.endswith(".pdf")], "no PDF presented as complete"
        return
    assert verdict == "ok" and result.code == 0, result.err
    html_path = page_file(mini, "launch", "de")
    pdf_path = pdf_file(mini, "launch", "de")
    html = html_path.read_text(encoding="utf-8")
    document = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)
    text = "".join(document.itertext())
    pdf_text = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True).stdout
    outputs = b"".join(p.read_bytes() for p in (mini / "dist").rglob("*") if p.is_file())
    for expectation in expectations[1:]:
        kind, _, value = expectation.partition(": ")
        if kind == "no-element":
            assert not document.findall(f".//body//{value}"), f"<{value}> reached the page"
        elif kind == "text":
            assert value in text, "the markup shows as text on the web page"
            assert " ".join(value.split()) in " ".join(pdf_text.split()), "and in the PDF"
        elif kind == "absent":
            assert value.encode() not in outputs
        elif kind == "absent-in-html":
            assert value not in html
        elif kind == "no-attachments":
            assert not PdfReader(pdf_path).attachments
        else:
            raise AssertionError(f"unknown expectation {expectation!r} in {case.name}")


# Files that a corpus in git cannot hold: a FIFO, a device behind a symlink, a huge sparse file.


@pytest.mark.parametrize("kind", ["fifo", "device-symlink", "huge"])
def test_special_files_inside_the_project_are_refused(mini: Path, run, kind: str) -> None:
    assert run("extract", cwd=mini).code == 0
    image = mini / "sources" / "plant.png"
    image.unlink()
    if kind == "fifo":
        os.mkfifo(image)
        message = "refused resource 'plant.png': not a regular file"
    elif kind == "device-symlink":
        image.symlink_to("/dev/zero")
        message = "refused resource 'plant.png': it is outside the project"
    else:
        with image.open("wb") as handle:
            handle.truncate(40 * 1024 * 1024)
        message = "refused resource 'plant.png': 41943040 bytes is over the limit"
    result = run("build", "--lang", "en", cwd=mini)
    assert result.code == 2
    assert result.err.strip().startswith(f"sources/launch.md:37: error: {message}"), result.err
    assert not (mini / "dist").exists()
