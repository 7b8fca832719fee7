"""Reproducible next year (issue 17): the same sources give the same bundle bytes on another machine, the
manifest names what made them, and `pubkit verify` rebuilds and compares.

Both builds run as programs, at once, each in its own folder, time zone, locale, umask, hash seed, home and
(in a UTS namespace where the machine allows one) host name.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import zipfile
import zlib
from importlib.metadata import version
from pathlib import Path

import pytest

from conftest import PROJECTS, ROOT, snapshot

EPOCH = "1700000000"
MACHINES = [
    {"folder": "a", "TZ": "UTC", "LANG": "C.UTF-8", "umask": 0o022, "PYTHONHASHSEED": "1", "hostname": "desk-one"},
    {"folder": "b/deeper/still", "TZ": "Pacific/Kiritimati", "LANG": "POSIX", "umask": 0o077,
     "PYTHONHASHSEED": "4242", "hostname": "ci-runner-2"},
]
_DROPPED = ("TZ", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_TIME", "LC_NUMERIC", "HOME", "PYTHONHASHSEED")


def _hostname_prefix(name: str) -> list[str]:
    """A command prefix that runs the rest under its own host name: ``unshare -u`` as root, or in a user
    namespace otherwise; none where the kernel allows neither (the other differences still apply)."""
    for flags in (["-u"], ["-U", "-r", "-u"]):
        probe = ["unshare", *flags, "sh", "-c", "hostname probe && hostname"]
        try:
            if subprocess.run(probe, capture_output=True, text=True, timeout=10).stdout.strip() == "probe":
                return ["unshare", *flags, "sh", "-c", f'hostname {name} && exec "$@"', "sh"]
        except (OSError, subprocess.TimeoutExpired):
            continue
    return []


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> list[tuple[Path, bytes]]:
    """The mini project bundled on two "machines" at once: (project folder, bundle bytes) for each."""
    base = tmp_path_factory.mktemp("machines")
    running = []
    for machine in MACHINES:
        project = base / machine["folder"] / "mini"
        shutil.copytree(PROJECTS / "mini", project)
        home = base / f"home-{len(running)}"
        home.mkdir()
        env = {k: v for k, v in os.environ.items() if k not in _DROPPED}
        env.update(TZ=machine["TZ"], LANG=machine["LANG"], PYTHONHASHSEED=machine["PYTHONHASHSEED"], HOME=str(home),
                   SOURCE_DATE_EPOCH=EPOCH)
        command = [*_hostname_prefix(machine["hostname"]), sys.executable, "-m", "pubkit", "bundle", "-j", "1"]
        running.append((project, subprocess.Popen(command, cwd=project, env=env, umask=machine["umask"],
                                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)))
    results = []
    for project, process in running:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        results.append((project, (project / "dist" / "bundle.zip").read_bytes()))
    return results


def test_two_machines_give_the_same_bundle_bytes(built) -> None:
    (_first, one), (_second, two) = built
    with zipfile.ZipFile(_first / "dist" / "bundle.zip") as archive:
        assert any(name.endswith(".pdf") for name in archive.namelist())
        assert any(name.endswith(".png") for name in archive.namelist())  # an image: its PDF name once held the path
    assert hashlib.sha256(one).hexdigest() == hashlib.sha256(two).hexdigest()


def _manifest(bundle: Path) -> dict:
    with zipfile.ZipFile(bundle) as archive:
        return json.loads(archive.read("manifest.json"))


def _debian_version(package: str) -> str:
    return subprocess.run(["dpkg-query", "-W", "-f", "${Version}", package], capture_output=True, text=True).stdout


def test_the_manifest_names_every_version_that_made_it(built) -> None:
    import babel
    import babel.core

    recorded = _manifest(built[0][0] / "dist" / "bundle.zip")["provenance"]
    assert recorded["pubkit"] == version("pubkit")
    assert recorded["python"] == platform.python_version() and recorded["zlib"] == zlib.ZLIB_RUNTIME_VERSION
    assert (recorded["babel"], recorded["cldr"]) == (babel.__version__, str(babel.core.get_cldr_version()))
    assert (recorded["weasyprint"], recorded["pydyf"]) == (version("weasyprint"), version("pydyf"))
    # Pango and HarfBuzz as loaded, checked against the Debian packages that installed them.
    assert _debian_version("libpango-1.0-0").startswith(recorded["pango"] + "+")
    assert _debian_version("libharfbuzz0b").startswith(recorded["harfbuzz"] + "+")
    revision = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True).stdout
    assert recorded["pubkit_revision"].split("+")[0] == revision.strip()
    lock = hashlib.sha256((ROOT / "requirements" / "lock.txt").read_bytes()).hexdigest()
    assert recorded["lock_sha256"] == lock, "the venv was not installed by tools/dev from requirements/lock.txt"


def test_the_manifest_names_every_font_file_the_pdfs_embed(built) -> None:
    bundle = built[0][0] / "dist" / "bundle.zip"
    fonts = _manifest(bundle)["provenance"]["fonts"]
    installed = subprocess.run(["fc-list", "--format", "%{file}\\n"], capture_output=True, text=True).stdout.split()
    for font in fonts:
        path = next(Path(p) for p in installed if Path(p).name == font["file"])
        assert hashlib.sha256(path.read_bytes()).hexdigest() == font["sha256"], font
    pdf = built[0][0] / "dist" / "en" / "launch" / "launch-en.pdf"
    embedded = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout.splitlines()[2:]
    families = {re.sub(r"^[A-Z]{6}\+", "", line.split()[0]) for line in embedded}
    assert families and all(any(f.startswith(font["family"].replace(" ", "-")) for font in fonts) for f in families)
    assert {font["family"] for font in fonts} >= {"Noto Sans"}


def test_verify_says_identical_and_writes_nothing_in_the_project(built, run) -> None:
    (first, bundle), (second, _) = built
    given = second.parent / "from-the-other-machine.zip"
    given.write_bytes(bundle)
    before = snapshot(second)
    result = run("verify", str(given), "-j", "1", cwd=second)
    assert result.code == 0, result.err
    count = len(zipfile.ZipFile(given).namelist())
    assert result.out == f"{given}: identical to a rebuild from the sources ({count} files)\n"
    assert snapshot(second) == before


def test_verify_names_each_file_and_version_that_differs(built, run, tmp_path: Path, monkeypatch) -> None:
    project = built[0][0]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1")  # verify rebuilds with the bundle's own, not the caller's
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(project / "dist" / "bundle.zip") as original, zipfile.ZipFile(tampered, "w") as out:
        manifest = json.loads(original.read("manifest.json"))
        manifest["provenance"]["babel"] = "2.19.0"
        manifest["provenance"]["fonts"][0]["sha256"] = "0" * 64
        for info in original.infolist():
            data = original.read(info)
            if info.filename == "en/index.html":
                data = data.replace(b"</body>", b"<!-- changed --></body>")
            out.writestr(info, json.dumps(manifest) if info.filename == "manifest.json" else data)
    font = manifest["provenance"]["fonts"][0]
    result = run("verify", str(tampered), "-j", "1", cwd=project)
    assert result.code == 1, result.err
    import babel

    assert result.out.splitlines() == [
        f"{tampered}: file en/index.html: differs ({len(zipfile.ZipFile(tampered).read('en/index.html'))} bytes "
        f"in the bundle, {len(zipfile.ZipFile(tampered).read('en/index.html')) - 16} rebuilt)",
        f"{tampered}: version babel: 2.19.0 in the bundle, {babel.__version__} here",
        f"{tampered}: font {font['file']} ({font['family']}): 000000000000… in the bundle, "
        f"{_manifest(project / 'dist' / 'bundle.zip')['provenance']['fonts'][0]['sha256'][:12]}… here",
        f"{tampered}: differs from a rebuild from the sources (3 differences)",
    ]


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(zipfile.ZipInfo(name), data)
    return path


def _encrypted(path: Path) -> None:
    """A zip whose entry says it is encrypted (the flag bit of both headers set)."""
    data = bytearray(_zip(path, {"manifest.json": b"{}"}).read_bytes())
    data[data.find(b"PK\x03\x04") + 6] |= 1
    data[data.find(b"PK\x01\x02") + 8] |= 1
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("make, message", [
    (_encrypted, "cannot read it: File <ZipInfo filename='manifest.json'"),
    (lambda p: p.write_bytes(b"PK not really"), "not a zip file"),
    (lambda p: _zip(p, {"en/index.html": b"<p>"}), "no manifest.json: not a bundle made by `pubkit bundle`"),
    (lambda p: _zip(p, {"manifest.json": b"{\"name\": \"left-pad\"}"}),
     "manifest.json is not pubkit's manifest (at the top level: 'pubkit' is a required property)"),
    (lambda p: _zip(p, {"manifest.json": b"\xff"}), "manifest.json is not JSON"),
    (lambda p: _zip(p, {"manifest.json": b"{}", "../../etc/cron.d/x": b"boom"}),
     "zip entry '../../etc/cron.d/x' has a '..' component: it points outside the bundle"),
    (lambda p: _zip(p, {"manifest.json": json.dumps({"pubkit": "0.1.0", "languages": {}, "source_date_epoch": 1,
                                                     "files": [{"path": "en/index.html", "sha256": "0", "bytes": 1}]})
                        .encode()}),
     "'en/index.html' is listed in manifest.json but not in the zip"),
    (lambda p: _zip(p, {"manifest.json": json.dumps({"pubkit": "0.1.0", "languages": {}, "source_date_epoch": 1,
                                                     "files": [{"path": "\x1b[2Jx", "sha256": "0", "bytes": 1}]})
                        .encode()}),
     "manifest.json lists a file whose name has a control character"),
    (lambda p: None, "no such file"),
])
def test_verify_refuses_what_is_not_a_bundle_with_one_line(mini: Path, run, make, message) -> None:
    path = mini.parent / "given.zip"
    make(path)
    before = snapshot(mini)
    result = run("verify", str(path), cwd=mini)
    assert result.code == 2 and result.out == ""
    assert len(result.err.splitlines()) == 1 and result.err.startswith(f"{path}: error: ")
    assert message in result.err
    assert snapshot(mini) == before
