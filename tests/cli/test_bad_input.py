"""Bad input, one data folder per case: one `path:line: error:` line, exit status 2, no file changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import DATA, snapshot

SOURCE_CASES = sorted(p for p in (DATA / "bad-sources").iterdir() if p.is_dir())
CONFIG_CASES = sorted(p for p in (DATA / "bad-config").iterdir() if p.is_dir())
PO_CASES = sorted(p for p in (DATA / "bad-po").iterdir() if p.is_dir())


def expected(case: Path) -> str:
    return (case / "expected.txt").read_text(encoding="utf-8").strip()


def assert_one_error_line(result, case: Path) -> None:
    assert result.code == 2, result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, f"expected one line, got:\n{result.err}"
    assert lines[0].startswith(expected(case)), lines[0]
    assert "Traceback" not in result.err


@pytest.mark.parametrize("case", SOURCE_CASES, ids=lambda p: p.name)
@pytest.mark.parametrize("command", [("extract",), ("init", "fr"), ("update",), ("status",), ("check",), ("build", "-j", "1")])
def test_bad_source(case: Path, command: tuple[str, ...], make_project, run) -> None:
    mini = make_project("mini", catalogs=True)
    for source in case.glob("*.md"):
        shutil.copy(source, mini / "sources" / source.name)
    before = snapshot(mini)

    result = run(*command, cwd=mini)

    assert_one_error_line(result, case)
    assert snapshot(mini) == before


@pytest.mark.parametrize("case", CONFIG_CASES, ids=lambda p: p.name)
@pytest.mark.parametrize("command", ["extract", "status"])
def test_bad_config(case: Path, command: str, mini: Path, run) -> None:
    (mini / "pubkit.toml").unlink()
    for config in case.glob("*.toml"):
        shutil.copy(config, mini / config.name)
    before = snapshot(mini)

    result = run(command, cwd=mini)

    assert_one_error_line(result, case)
    assert snapshot(mini) == before


@pytest.mark.parametrize("case", PO_CASES, ids=lambda p: p.name)
@pytest.mark.parametrize("command", ["update", "status"])
def test_bad_catalog(case: Path, command: str, make_project, run) -> None:
    mini = make_project("mini", catalogs=True)
    shutil.copy(case / "launch.po", mini / "locale" / "de" / "LC_MESSAGES" / "launch.po")
    before = snapshot(mini)

    result = run(command, cwd=mini)

    assert_one_error_line(result, case)
    # Not one catalog written, not even those of other languages read before the bad one.
    assert snapshot(mini) == before


def test_unknown_language_on_the_command_line(mini: Path, run) -> None:
    assert run("extract", cwd=mini).code == 0
    before = snapshot(mini)
    result = run("init", "klingon", cwd=mini)
    assert result.code == 2
    assert result.err.strip() == "pubkit: error: unknown locale 'klingon': CLDR has no data for it"
    assert snapshot(mini) == before


def test_usage_error_exits_2(mini: Path, run) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run("frobnicate", cwd=mini)
    assert exit_info.value.code == 2
