"""`bundle --merge` with hostile shards: real shards of the mini project, then tampered as an attacker would.

Each case says which protection it needs; with that protection disabled the case fails (the merge
succeeds and the bundle holds the attacker's bytes or names), as checked when the protection was written.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import TITLES, snapshot

pytestmark = pytest.mark.slow
STATE = Path(".pubkit") / "state.json"


@pytest.fixture(scope="module")
def built(projects, tmp_path_factory) -> Path:
    """The mini project with catalogs (English and German), built once as two shards."""
    base = tmp_path_factory.mktemp("shards")
    # the mini project has two translations; one keeps the shards small
    state = dict(languages=["de"], translated={"de": TITLES["de"]})
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", "1690243200")  # fontTools stamps the PDFs' fonts with it
        projects("mini", where=base, **state)
        for index in (1, 2):
            projects("mini", where=base, folder=f"shard{index}", built=["--shard", f"{index}/2"], **state)
    return base


@pytest.fixture
def shards(built: Path, tmp_path: Path, monkeypatch) -> tuple[Path, Path, Path]:
    """Fresh copies: (the merging project, shard 1's dist, shard 2's dist), merged at the shards' epoch."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1690243200")
    copies = []
    for name in ("mini", "shard1", "shard2"):
        shutil.copytree(built / name, tmp_path / name, symlinks=True)
        copies.append(tmp_path / name)
    project, one, two = copies
    return project, one / "dist", two / "dist"


def merge(run, project: Path, one: Path, two: Path):
    return run("bundle", "--merge", str(one), str(two), cwd=project)


def edit_state(dist: Path, change) -> None:
    path = dist / STATE
    state = json.loads(path.read_text())
    change(state)
    path.write_text(json.dumps(state))


def first_job(state: dict) -> dict:
    return state["jobs"][state["planned"][0]]


def record(data: bytes) -> list:
    return [len(data), 0, hashlib.sha256(data).hexdigest()]


def add_passwd(state: dict) -> None:
    # the attack of issue 9: an absolute path among a job's outputs
    first_job(state)["outputs"]["/etc/passwd"] = record(Path("/etc/passwd").read_bytes())


def add_dotdot(state: dict) -> None:
    first_job(state)["outputs"]["de/launch/../../../../../../etc/passwd"] = record(Path("/etc/passwd").read_bytes())


def add_backslash(state: dict) -> None:
    first_job(state)["outputs"]["launch\\..\\x.html"] = [1, 0, "0" * 64]


def add_evil_job(state: dict) -> None:
    state["jobs"]["evil/de/html"] = {"digest": "0" * 64, "outputs": {"evil/x.html": [1, 0, "0" * 64]}}
    state["planned"].append("evil/de/html")


def add_foreign_output(state: dict) -> None:
    # a file of the shard that no job makes, listed under a real job
    first_job(state)["outputs"]["de/launch/x.html"] = [1, 0, "0" * 64]


def wrong_type(state: dict) -> None:
    first_job(state)["outputs"] = ["de/launch/index.html"]


def stale_digest(state: dict) -> None:
    first_job(state)["digest"] = "1" * 64


SHARD1 = "shard1/dist/.pubkit/state.json:1: error: "
CASES = {
    # case: (change to shard 1's state, its one error line)          the protection it needs
    "absolute-path": (add_passwd, SHARD1 + "launch/de/html: output name '/etc/passwd' is refused: an absolute path"),
    "zip-slip": (add_dotdot, SHARD1 + "launch/de/html: output name 'de/launch/../../../../../../etc/passwd' is "
                 "refused: a '..' component"),  # safefs.check_name, as the two above
    "backslash": (add_backslash, SHARD1 + "launch/de/html: output name 'launch\\..\\x.html' is refused: a backslash"),
    "extra-job": (add_evil_job, SHARD1 + "shard 1/2 planned evil/de/html, which the current project does not plan"),
    "output-no-job-makes": (add_foreign_output,  # shards._job_outputs
                            SHARD1 + "launch/de/html lists 'de/launch/x.html', which this job does not make"),
    "wrong-shape": (wrong_type, SHARD1 + "state file does not match its schema at jobs/launch/de/html/outputs: "),
    "stale-digest": (stale_digest, SHARD1 + "shard1/dist was built from other sources, catalogs or settings"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_tampered_state_file_is_refused(shards, run, case: str) -> None:
    project, one, two = shards
    change, expected = CASES[case]
    edit_state(one, change)
    before = snapshot(project)
    result = merge(run, project, one, two)
    assert result.code == 2, result.out + result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].replace(str(project.parent) + "/", "").startswith(expected), result.err
    assert snapshot(project) == before, "no file changed, no bundle written"


def test_the_untampered_shards_merge_into_the_unsharded_bundle(shards, run, tmp_path: Path) -> None:
    project, one, two = shards
    result = run("bundle", "--merge", str(one), str(two), "-o", str(tmp_path / "merged.zip"), cwd=project)
    assert result.code == 0, result.err
    with zipfile.ZipFile(tmp_path / "merged.zip") as archive:
        names = set(archive.namelist())
    # en and de, each a page, its two stylesheets, its image and its PDF; the site around them (the
    # language chooser, an index per language, its stylesheets and robots.txt); and the manifest
    assert {n for n in names if n.endswith((".html", ".pdf"))} == {
        "en/launch/index.html", "de/launch/index.html", "en/launch/launch-en.pdf", "de/launch/launch-de.pdf",
        "index.html", "en/index.html", "de/index.html"}
    assert len([n for n in names if "/images/" in n]) == 2 and "robots.txt" in names
    # the shards were built in other folders than this project: image names must not depend on that
    assert run("bundle", cwd=project).code == 0
    with zipfile.ZipFile(tmp_path / "merged.zip") as merged, zipfile.ZipFile(project / "dist" / "bundle.zip") as whole:
        assert merged.namelist() == whole.namelist()
        for name in merged.namelist():
            if name.endswith(".html") or "/images/" in name:
                assert merged.read(name) == whole.read(name), name


def test_a_symlink_inside_a_shard_is_refused(shards, run) -> None:
    # without safefs.read_beneath's O_NOFOLLOW, the bundle would hold /etc/passwd as a page
    project, one, two = shards
    edit_state(one, lambda state: None)
    page = next(one.rglob("index.html"))
    passwd = Path("/etc/passwd").read_bytes()
    page.unlink()
    page.symlink_to("/etc/passwd")
    relative = page.relative_to(one).as_posix()

    def point_at_passwd(state: dict) -> None:
        for entry in state["jobs"].values():
            if relative in entry["outputs"]:
                entry["outputs"][relative] = record(passwd)

    edit_state(one, point_at_passwd)
    result = merge(run, project, one, two)
    assert result.code == 2 and "refused: a symbolic link" in result.err, result.err
    assert not (project / "dist" / "bundle.zip").exists()


def test_a_symlinked_folder_inside_a_shard_is_refused(shards, run) -> None:
    project, one, two = shards
    folder = next(one.rglob("images"))
    outside = one.parent / "elsewhere"
    shutil.move(folder, outside)
    folder.symlink_to(outside)
    result = merge(run, project, one, two)
    assert result.code == 2 and "a symbolic link or not a folder is on its path" in result.err, result.err


def test_a_page_changed_after_its_build_is_refused(shards, run) -> None:
    # the sha256 recorded per output: a byte changed in a shard after it was built
    project, one, two = shards
    page = next(one.rglob("index.html"))
    page.write_text(page.read_text().replace("</body>", "<script>alert(1)</script></body>"))
    result = merge(run, project, one, two)
    assert result.code == 2 and "differs from the size or sha256 its state records" in result.err, result.err


def test_a_stylesheet_that_is_not_the_projects_is_refused(shards, run) -> None:
    project, one, two = shards
    css = next(one.rglob("screen.css"))
    css.write_text("body { background: url(https://tracker.example/x.png) }\n")
    relative = css.relative_to(one).as_posix()
    edit_state(one, lambda state: [e["outputs"].update({relative: record(css.read_bytes())})
                                   for e in state["jobs"].values() if relative in e["outputs"]])
    result = merge(run, project, one, two)
    assert result.code == 2 and "is not a copy of pubkit's screen.css" in result.err, result.err


def test_a_shard_built_at_another_epoch_is_stale(shards, run, monkeypatch) -> None:
    project, one, two = shards
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    result = merge(run, project, one, two)
    assert result.code == 2 and "is stale: SOURCE_DATE_EPOCH changed since it was built" in result.err, result.err


def test_a_stale_shard_names_the_source_that_changed(shards, run) -> None:
    project, one, two = shards
    source = project / "sources" / "launch.md"
    source.write_text(source.read_text().replace("Berlin", "Potsdam"))
    result = merge(run, project, one, two)
    assert result.code == 2
    assert "is stale: sources/launch.md changed since it was built" in result.err, result.err


@pytest.mark.parametrize("content", ["{not json", "[" * 100_000, '"a string"', ""])
def test_a_malformed_state_file_is_one_line(shards, run, content: str) -> None:
    project, one, two = shards
    (one / STATE).write_text(content)
    result = merge(run, project, one, two)
    assert result.code == 2, result.err
    assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err
    assert "shard1/dist/.pubkit/state.json:" in result.err


def test_zip_entry_names_are_checked_when_written(tmp_path: Path) -> None:
    # the last line of defence: even a name that passed every other check cannot leave the unpack folder
    from pubkit.publish.build import Job
    from pubkit.publish.bundle import _write_zip
    from pubkit.errors import UsageError

    job = Job("launch", "en", "html")
    for name in ("/etc/passwd", "../x", "a/../../x", "C:/x", "a\\b", "a//b", "./a"):
        with pytest.raises(UsageError, match="refusing zip entry name"):
            _write_zip(tmp_path / "b.zip", {name: (job, b"x")}, {})
    assert not (tmp_path / "b.zip").exists()


def test_a_symlinked_state_file_is_refused(shards, run) -> None:
    project, one, two = shards
    real = one.parent / "state-elsewhere.json"
    shutil.move(one / STATE, real)
    os.symlink(real, one / STATE)
    result = merge(run, project, one, two)
    assert result.code == 2 and "state file refused: a symbolic link" in result.err, result.err
