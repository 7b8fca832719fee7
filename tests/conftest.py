"""Fixtures: named projects in any state, and pubkit run in-process or as a program.

The projects are the folders of tests/projects/ (as Sphinx keeps its test projects in tests/roots/) and
the repository's own sample. ``make_project(name, languages=..., translated=..., built=...)`` copies one
into the test's folder, brought to the state the test starts from by pubkit's own commands, run
in-process. A state several tests share is prepared once per run (and shared by the xdist workers) and
then copied, so a test pays for a file copy, not for extract, update and build again.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence

import polib
import pytest
import tomlkit

from pubkit.cli import main

TESTS = Path(__file__).parent
ROOT = TESTS.parent
PROJECTS = TESTS / "projects"
DATA = TESTS / "data"

#: The sample's later releases, left out of ``make_project("sample")`` (``make_project("newsroom")`` has them).
LATER_RELEASES = ("weiqiao-joint-laboratory",)

#: What every language of the mini project needs to be published at all (the publish gate leaves out a
#: language with no usable translation): its title, as in ``translated={"de": TITLES["de"]}``.
TITLES = {
    "de": {("title", "A new plant opens"): "Ein neues Werk öffnet"},
    "zh_CN": {("title", "A new plant opens"): "新工厂落成"},
    "ar": {("title", "A new plant opens"): "افتتاح مصنع جديد"},
}

#: A translation of an entry of a catalog (its domain: a release's slug or "templates"): its msgstr, or
#: None to leave the entry as it is.
EntryTranslator = Callable[[polib.POEntry, str], "str | None"]
#: Per language: ``{msgid or (msgctxt, msgid): msgstr}`` (a bare msgid matches it in every context), or
#: an EntryTranslator called with each entry of each of the language's catalogs.
Translations = Mapping[str, "Mapping[str | tuple[str | None, str], str] | EntryTranslator"]


@dataclass
class Result:
    code: int
    out: str
    err: str


# --- pubkit in-process and as a program ------------------------------------------------------------


@pytest.fixture
def run(capsys, monkeypatch):
    """Run ``pubkit ARGS`` in-process in a folder, like a user in a terminal would."""

    def _run(*args: str, cwd: Path) -> Result:
        monkeypatch.chdir(cwd)
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return _run


def pubkit(*args: str, cwd: Path) -> Result:
    """``pubkit ARGS`` in-process in ``cwd``, outside any test (for fixtures of a wider scope than a test)."""
    out, err = io.StringIO(), io.StringIO()
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        os.chdir(previous)
    return Result(code, out.getvalue(), err.getvalue())


#: Modules that a command which has nothing to do must not import (pubkit's start-up stays fast).
HEAVY = ("jinja2", "yaml", "markdown_it", "polib", "rapidfuzz", "weasyprint", "babel.messages", "pubkit.catalog.catalogs",
         "pubkit.source.sources", "pubkit.render.render", "concurrent.futures.process")
_PROBE = """
import json, sys
from pubkit.cli import main
code = main(sys.argv[1:])
heavy = sorted(m for m in sys.modules if m.startswith(tuple(json.loads({heavy!r}))))
print(json.dumps({{"code": code, "heavy": heavy}}))
"""


def probe(project: Path, *args: str) -> dict:
    """Run pubkit in a fresh interpreter (what it imports is the point) and report which of the HEAVY
    modules the command imported."""
    result = subprocess.run([sys.executable, "-c", _PROBE.format(heavy=json.dumps(HEAVY)), *args], cwd=project,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def succeed(*args: str, cwd: Path) -> Result:
    """``pubkit ARGS`` in-process, which must succeed: a step of preparing a project is never ignored."""
    result = pubkit(*args, cwd=cwd)
    assert result.code == 0, f"pubkit {' '.join(args)} in {cwd} ended with {result.code}:\n{result.err}"
    return result


def pubkit_program(*args: str, cwd: Path, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run pubkit as a separate program (``python -m pubkit``): only where the process itself is tested."""
    return subprocess.run([sys.executable, "-m", "pubkit", *args], cwd=cwd, capture_output=True, text=True,
                          check=False, env=None if env is None else {**os.environ, **env}, timeout=600)


# --- the project's configuration and catalogs, edited as a person would -----------------------------


def configure(root: Path, **settings: Any) -> None:
    """Set keys of ``root/pubkit.toml`` with tomlkit (as ``pubkit init`` edits it, configfile.py): every
    other line, comment and key keeps its place. A dict merges into its table (``language={"de":
    {"min_completeness": 10}}`` is ``[language.de]``); None removes a key."""
    path = root / "pubkit.toml"
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    _merge(document, settings)
    path.write_text(tomlkit.dumps(document), encoding="utf-8")


def _merge(table: Any, settings: Mapping[str, Any]) -> None:
    for key, value in settings.items():
        if value is None:
            table.pop(key, None)
        elif isinstance(value, Mapping):
            if key not in table:
                table[key] = tomlkit.table(is_super_table=True)
            _merge(table[key], value)
        else:
            table[key] = value


def translate(root: Path, translations: Translations) -> None:
    """Write translations into the project's catalogs with polib, as a PO editor would; only a catalog
    that changed is saved. A msgid that is in none of the language's catalogs fails the test."""
    for language, given in translations.items():
        catalogs = sorted((root / "locale" / language / "LC_MESSAGES").glob("*.po"))
        assert catalogs, f"{root.name} has no catalogs for {language}"
        unused = set() if callable(given) else set(given)
        for path in catalogs:
            catalog = polib.pofile(str(path))
            before = str(catalog)
            for entry in catalog:
                if callable(given):
                    text = given(entry, path.stem)
                    if text is not None:
                        entry.msgstr = text
                    continue
                for key in (entry.msgid, (entry.msgctxt, entry.msgid)):
                    if key in given and not entry.obsolete:
                        entry.msgstr = given[key]
                        unused.discard(key)
            if str(catalog) != before:
                catalog.save()
        assert not unused, f"not in the {language} catalogs of {root.name}: {sorted(map(str, unused))}"


# --- named projects --------------------------------------------------------------------------------


def copy_project(name: str, destination: Path) -> Path:
    """A plain copy of ``tests/projects/<name>`` (or of the repository's sample: ``sample``, its first
    release; ``newsroom``, all of it) as ``destination/<name>``; ``make_project`` brings it to a state."""
    return _copy(name, destination / name)


def copy_sample(target: Path, whole: bool = False) -> Path:
    """A copy of the repository's sample (its first release only, unless ``whole``) as ``target``."""
    return _copy("newsroom" if whole else "sample", target)


def _copy(name: str, target: Path) -> Path:
    if name not in ("sample", "newsroom"):
        return Path(shutil.copytree(PROJECTS / name, target))
    target.mkdir(parents=True)
    ignore = None if name == "newsroom" else shutil.ignore_patterns(*(f"{slug}.*" for slug in LATER_RELEASES))
    for part in ("pubkit.toml", "sources", "locale", "templates"):
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=ignore)
        elif source.exists():
            shutil.copy2(source, target / part)
    return target


class Projects:
    """Makes named projects in a state. A state made only of data and module-level functions is made once
    per run and copied; a function made inside another (a closure) makes its project afresh each time."""

    def __init__(self, cache: Path):
        self.cache = cache
        self._builds: dict[Path, Result | None] = {}

    def __call__(self, name: str = "mini", *, where: Path, languages: Sequence[str] | None = None,
                 config: Mapping[str, Any] | None = None, edit: Callable[[Path], None] | None = None,
                 catalogs: bool | None = None, translated: Translations | None = None,
                 built: bool | Sequence[str] = False, folder: str | None = None) -> Path:
        """``where/<name>`` (or ``where/<folder>``): the project ``name`` with ``languages`` and other
        ``config`` set in pubkit.toml, then ``edit(root)``, then (``catalogs``, the default when
        ``translated``) ``pubkit extract`` and ``pubkit update``, then the ``translated`` messages written,
        then (``built``) ``pubkit build`` with the arguments given. Every command must succeed."""
        settings = dict(config or {})
        if languages is not None:
            settings["languages"] = list(languages)
        steps = dict(settings=settings, edit=edit, catalogs=bool(translated) if catalogs is None else catalogs,
                     translated=translated, built=[] if built is True else list(built) if built else None)
        key = _key(name, steps)
        target = where / (folder or name)
        if key is None:
            self._builds[target] = self._make(name, target, **steps)
            return target
        made, log = self.cache / key / name, self.cache / key / "build.json"
        with _locked(self.cache / f"{key}.lock"):
            if not (self.cache / key / "done").exists():
                shutil.rmtree(self.cache / key, ignore_errors=True)
                built_result = self._make(name, made, **steps)
                log.write_text(json.dumps(built_result and built_result.__dict__))
                (self.cache / key / "done").touch()
        shutil.copytree(made, target, symlinks=True)
        logged = json.loads(log.read_text())
        self._builds[target] = Result(**logged) if logged else None
        return target

    def build_result(self, root: Path) -> Result:
        """What ``pubkit build`` said when the project copied to ``root`` was built."""
        result = self._builds.get(root)
        assert result is not None, f"{root} was not made with built=..."
        return result

    @staticmethod
    def _make(name: str, target: Path, settings: dict, edit, catalogs: bool, translated, built) -> Result | None:
        _copy(name, target)
        if settings:
            configure(target, **settings)
        if edit:
            edit(target)
        if catalogs:
            succeed("extract", cwd=target)
            succeed("update", cwd=target)
        if translated:
            translate(target, translated)
        return succeed("build", *built, cwd=target) if built is not None else None


def _key(name: str, steps: dict) -> str | None:
    """A name for a project's state, or None if it cannot be named (a function made inside another)."""
    edit = steps["edit"]
    if edit is not None:
        if "<" in edit.__qualname__:
            return None
        edit = f"{edit.__module__}.{edit.__qualname__}"
    parts = []
    for language, given in sorted((steps["translated"] or {}).items()):
        if callable(given):
            if "<" in given.__qualname__:  # a lambda or a function made inside another
                return None
            given = f"{given.__module__}.{given.__qualname__}"
        else:
            given = sorted(given.items(), key=repr)
        parts.append((language, given))
    state = repr((name, sorted(steps["settings"].items()), edit, steps["catalogs"], parts, steps["built"],
                  os.environ.get("SOURCE_DATE_EPOCH")))
    return hashlib.sha256(state.encode()).hexdigest()[:16]


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One process at a time (xdist workers share the cache): an exclusive lock on ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def projects(tmp_path_factory) -> Projects:
    """The project maker for fixtures of any scope (give ``where``); the cache is shared by the workers."""
    base = tmp_path_factory.getbasetemp()
    return Projects((base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "pubkit-projects")


@pytest.fixture
def make_project(projects: Projects, tmp_path: Path):
    """``make_project(name, languages=..., translated=..., built=...)``: a named project in the test's folder."""

    def make(name: str = "mini", **state: Any) -> Path:
        return projects(name, where=tmp_path, **state)

    return make


@pytest.fixture
def mini(make_project) -> Path:
    """A small project exercising every kind of block, directive and value."""
    return make_project("mini")


@pytest.fixture
def sample(make_project) -> Path:
    """A copy of the repository's own sample project (sources, locale, templates, pubkit.toml), with its
    first release only: tests of one release's pages and PDFs stay as fast as they were (the whole
    newsroom is ``make_project("newsroom")``).
    """
    return make_project("sample")


# --- reading what pubkit wrote ---------------------------------------------------------------------


def problems(err: str) -> list[str]:
    """The lines of a build's stderr that report a problem: all but the note that a project without
    base_url gets no feeds or sitemap (the test projects have none)."""
    return [line for line in err.splitlines() if "warning: no base_url in the configuration" not in line]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes: to prove a failed command changed nothing."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def msgfmt_check(path: Path) -> subprocess.CompletedProcess:
    """GNU msgfmt's own verdict on a catalog (``-c``: format strings, header, plural forms)."""
    return subprocess.run(
        ["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True, check=False
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
