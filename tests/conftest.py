"""Fixtures: mini projects copied into a temporary folder, and the CLI run in-process or as a program."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from pubkit.cli import main

TESTS = Path(__file__).parent
ROOT = TESTS.parent
PROJECTS = TESTS / "projects"
DATA = TESTS / "data"


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def run(capsys, monkeypatch):
    """Run ``pubkit ARGS`` in-process in a folder, like a user in a terminal would."""

    def _run(*args: str, cwd: Path) -> Result:
        monkeypatch.chdir(cwd)
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return _run


def copy_project(name: str, destination: Path) -> Path:
    target = destination / name
    shutil.copytree(PROJECTS / name, target)
    return target


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A small project exercising every kind of block, directive and value."""
    return copy_project("mini", tmp_path)


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy of the repository's own sample project (sources, locale, templates, pubkit.toml), with its
    first release only: tests of one release's pages and PDFs stay as fast as they were (the whole
    newsroom is copied by ``copy_sample(..., whole=True)``).
    """
    return copy_sample(tmp_path / "sample")


#: The sample's later releases, left out of the ``sample`` fixture (see test_site.py for the newsroom).
LATER_RELEASES = ("weiqiao-joint-laboratory",)


def copy_sample(target: Path, whole: bool = False) -> Path:
    target.mkdir(parents=True)
    ignore = None if whole else shutil.ignore_patterns(*(f"{slug}.*" for slug in LATER_RELEASES))
    for name in ("pubkit.toml", "sources", "locale", "templates"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        elif source.exists():
            shutil.copy2(source, target / name)
    return target


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes: to prove a failed command changed nothing."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def msgfmt_check(path: Path) -> subprocess.CompletedProcess:
    """GNU msgfmt's own verdict on a catalog (``-c``: format strings, header, plural forms)."""
    return subprocess.run(
        ["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True, check=False
    )


def pubkit_program(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run pubkit as a separate program (``python -m pubkit``), as CI would."""
    return subprocess.run(
        [sys.executable, "-m", "pubkit", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def page_file(root: Path, slug: str, language: str, output: str | None = None) -> Path:
    """The web page of a release in a language, where the site's layout (pubkit.publish.paths) puts it;
    ``output``: another output folder of the project (``dist-preview``)."""
    from dataclasses import replace

    from pubkit.config import load_project
    from pubkit.publish.paths import page_path

    project = load_project(root)
    return page_path(replace(project, output_dir=root / output) if output else project, slug, language)


def pdf_file(root: Path, slug: str, language: str, output: str | None = None) -> Path:
    """The PDF of a release in a language, where the site's layout (pubkit.publish.paths) puts it."""
    from dataclasses import replace

    from pubkit.config import load_project
    from pubkit.publish.paths import pdf_path

    project = load_project(root)
    return pdf_path(replace(project, output_dir=root / output) if output else project, slug, language)


def schema_folder() -> Path:
    """The OASIS XSDs at ``../shared/xliff-schemas`` from the repository's root (CI's fresh clone has
    ``shared/`` beside it); in a git worktree, the root is the main checkout's. Missing is a failure."""
    roots = [ROOT]
    try:
        common = subprocess.run(["git", "rev-parse", "--path-format=absolute", "--git-common-dir"], cwd=ROOT,
                                capture_output=True, text=True, check=False).stdout.strip()
    except FileNotFoundError:  # no git: a plain copy of the repository
        common = ""
    if common:
        roots.append(Path(common).parent)
    for root in roots:
        folder = root.parent / "shared" / "xliff-schemas"
        if (folder / "xliff-core-1.2-strict.xsd").is_file():
            return folder
    pytest.fail(f"the OASIS XLIFF schemas are missing: expected {ROOT.parent / 'shared' / 'xliff-schemas'}")


#: The press contacts of the e-mail edition's tests: the From of every message (docs/email.md).
EMAIL_CONTACT = """
[organization]
name = "Nordlicht Energie AG"

[[organization.contact]]
name = "Nordlicht press office"
email = "presse@nordlicht.example"

[[organization.contact]]
name = "مكتب الصحافة"
email = "press-ar@nordlicht.example"
languages = ["ar"]
"""


def with_contact(root: Path) -> Path:
    """A project whose pubkit.toml names press contacts, so that it can be built as e-mail."""
    config = root / "pubkit.toml"
    config.write_text(config.read_text(encoding="utf-8") + EMAIL_CONTACT, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def email_edition(tmp_path_factory) -> Path:
    """The typeset project (every value type, a list, a table, a link) in en, de, ar and ja, built with its
    e-mail edition once for the e-mail, browser and sending tests (which copy it before changing it)."""
    from pubkit import load_project
    from pubkit.publish.build import build

    root = with_contact(copy_project("typeset", tmp_path_factory.mktemp("email")))
    config = root / "pubkit.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'languages = ["en_US", "de", "fr", "ru", "zh_CN", "zh_TW", "ja", "ko", "ar", "he", "hi", "th"]',
        'languages = ["de", "ar", "ja"]'), encoding="utf-8")
    build(load_project(root), formats=("email",), jobs=2)
    return root
