"""Bundles, parallel and incremental builds, shards: the same bytes for the same inputs, work only where needed."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import polib
import pytest

from conftest import ROOT, copy_sample, pdf_file, snapshot

pytestmark = pytest.mark.slow
SLUG = "weiqiao-aluminium-park"


def fresh_sample(folder: Path) -> Path:
    return copy_sample(folder)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def outputs(project: Path) -> dict[str, bytes]:
    return {k: v for k, v in snapshot(project / "dist").items() if not k.startswith(".pubkit")}


@pytest.mark.parametrize("epoch", [None, "1690243200"])
def test_two_clean_builds_give_the_same_bundle_bytes(tmp_path: Path, run, monkeypatch, epoch) -> None:
    if epoch:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    else:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first, second = fresh_sample(tmp_path / "one"), fresh_sample(tmp_path / "two")
    assert run("bundle", "-j", "2", cwd=first).code == 0
    assert run("bundle", "-j", "1", cwd=second).code == 0
    assert sha(first / "dist" / "bundle.zip") == sha(second / "dist" / "bundle.zip")


def test_the_bundle_and_its_manifest(sample: Path, run, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1690243200")
    result = run("bundle", cwd=sample)
    assert result.code == 0, result.err
    assert result.out.strip().endswith("wrote dist/bundle.zip (42 files)"), "12 pages, 12 PDFs, 12 stylesheets, the site's 18 files"
    with zipfile.ZipFile(sample / "dist" / "bundle.zip") as archive:
        infos = archive.infolist()
        names = [i.filename for i in infos]
        assert names[0] == "manifest.json" and names[1:] == sorted(names[1:])
        assert {i.date_time for i in infos} == {(2023, 7, 25, 0, 0, 0)}
        assert {i.external_attr >> 16 for i in infos} == {0o100644}
        manifest = json.loads(archive.read("manifest.json"))
        for entry in manifest["files"]:
            data = archive.read(entry["path"])
            assert len(data) == entry["bytes"] and hashlib.sha256(data).hexdigest() == entry["sha256"]
    pdfs = [f for f in manifest["files"] if f["format"] == "pdf"]
    assert {(f["source"], f["language"]) for f in pdfs} == {(SLUG, l) for l in ("en", "de", "fr", "zh_CN", "ar", "ja")}
    assert manifest["pubkit"] == "0.1.0" and manifest["revision"] is None
    assert manifest["languages"]["de"] == {"completeness": 100.0, "fuzzy": 0, "untranslated": 0, "rejected": 0,
                                           "checks": {"errors": 0, "warnings": 0}, "not_used": []}


def test_the_manifest_names_the_git_revision(sample: Path, run) -> None:
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], cwd=sample, check=True)
    subprocess.run([*git, "add", "-A"], cwd=sample, check=True)
    subprocess.run([*git, "commit", "-qm", "sample"], cwd=sample, check=True)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=sample, capture_output=True, text=True).stdout.strip()
    run("bundle", cwd=sample)
    with zipfile.ZipFile(sample / "dist" / "bundle.zip") as archive:
        assert json.loads(archive.read("manifest.json"))["revision"] == head


def test_parallel_and_serial_builds_make_the_same_files(tmp_path: Path, run) -> None:
    serial, parallel = fresh_sample(tmp_path / "serial"), fresh_sample(tmp_path / "parallel")
    assert run("build", "-j", "1", cwd=serial).code == 0
    result = run("build", "-j", "2", cwd=parallel)
    assert result.code == 0
    assert outputs(serial) == outputs(parallel)
    assert "\r" not in result.out, "no carriage-return progress in a log"
    assert result.out.count("] wrote ") == 12


def test_a_rebuild_renders_only_what_changed(sample: Path, run) -> None:
    assert run("build", cwd=sample).code == 0
    result = run("build", cwd=sample)
    assert "nothing to render: 12 files up to date" in result.out

    po = sample / "locale" / "de" / "LC_MESSAGES" / f"{SLUG}.po"
    catalog = polib.pofile(str(po))
    catalog.find("Düsseldorf", msgctxt="place").msgstr = "Düsseldorf am Rhein"
    catalog.save()
    result = run("build", cwd=sample)
    assert "built 2 files (10 up to date)" in result.out
    assert "dist/" + pdf_file(sample, SLUG, "de").relative_to(sample / "dist").as_posix() in result.out

    pdf_file(sample, SLUG, "fr").unlink()
    assert "built 1 file (11 up to date)" in run("build", cwd=sample).out

    css = sample / "templates" / "print.css"
    css.write_text("h1 { color: black; }\n")
    assert "built 6 files (6 up to date)" in run("build", cwd=sample).out, "a print stylesheet touches the PDFs only"

    assert "built 12 files" in run("build", "--force", cwd=sample).out


def test_a_no_op_rebuild_does_not_import_weasyprint(sample: Path, run) -> None:
    assert run("build", cwd=sample).code == 0
    code = (
        "import sys; from pubkit import load_project; from pubkit.publish.build import build; "
        "r = build(load_project('.')); print(len(r.written), r.up_to_date, 'weasyprint' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=sample, capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["0", "12", "False"]


def test_shards_merge_into_the_same_bundle(tmp_path: Path, run, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1690243200")
    whole = fresh_sample(tmp_path / "whole")
    run("bundle", cwd=whole)
    shards = []
    for index in (1, 2, 3):
        project = fresh_sample(tmp_path / f"shard{index}")
        result = run("build", "--shard", f"{index}/3", cwd=project)
        assert result.code == 0, result.err
        shards.append(project / "dist")
    assert sum(len(outputs(s.parent)) for s in shards) >= 24
    merger = fresh_sample(tmp_path / "merger")
    result = run("bundle", "--merge", *map(str, shards), "-o", str(tmp_path / "merged.zip"), cwd=merger)
    assert result.code == 0, result.err
    assert sha(tmp_path / "merged.zip") == sha(whole / "dist" / "bundle.zip")


@pytest.mark.parametrize("spec", ["3/2", "0/0", "0/3", "1", "a/b", "1/2/3"])
def test_bad_shard_specs(sample: Path, run, spec: str) -> None:
    result = run("build", "--shard", spec, cwd=sample)
    assert result.code == 2 and result.err.startswith("pubkit: error: --shard")
    assert not (sample / "dist").exists()


def test_merging_shards_of_different_builds_is_refused(tmp_path: Path, run) -> None:
    one, two = fresh_sample(tmp_path / "one"), fresh_sample(tmp_path / "two")
    run("build", "--shard", "1/2", cwd=one)
    source = two / "sources" / f"{SLUG}.md"
    source.write_text(source.read_text(encoding="utf-8").replace("Düsseldorf", "Duesseldorf"), encoding="utf-8")
    run("build", "--shard", "2/2", cwd=two)
    result = run("bundle", "--merge", str(one / "dist"), str(two / "dist"), cwd=one)
    assert result.code == 2
    assert f"is stale: sources/{SLUG}.md changed since it was built" in result.err
    assert not (one / "dist" / "bundle.zip").exists()


def test_merging_an_incomplete_or_foreign_set_is_refused(tmp_path: Path, run) -> None:
    one = fresh_sample(tmp_path / "one")
    run("build", "--shard", "1/2", cwd=one)
    result = run("bundle", "--merge", str(one / "dist"), cwd=one)
    assert result.code == 2 and "are not all the shards of one build" in result.err
    state = one / "dist" / ".pubkit" / "state.json"
    state.write_text(state.read_text().replace('"pubkit": "0.1.0"', '"pubkit": "0.0.9"'))
    result = run("bundle", "--merge", str(one / "dist"), cwd=one)
    assert result.code == 2 and "was built by pubkit 0.0.9, not 0.1.0" in result.err


def test_a_bundle_inside_the_sources_is_refused(sample: Path, run) -> None:
    before = snapshot(sample)
    result = run("bundle", "-o", "sources/release.zip", cwd=sample)
    assert result.code == 2
    assert result.err.strip() == "pubkit: error: refusing to write the bundle inside sources/, which holds the project's inputs"
    assert snapshot(sample) == before


def test_a_worker_error_keeps_its_file_and_line(sample: Path, run) -> None:
    (sample / "templates" / "print.css").write_text("html { font-size: 1e308px; }\n")
    result = run("build", "-j", "2", "--format", "pdf", cwd=sample)
    assert result.code == 2
    assert result.err.strip().startswith(f"sources/{SLUG}.md:1: error: WeasyPrint cannot render this page")
