"""The command line as a program: entry points, help, and fast start-up for catalog commands."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import page_file, pubkit_program


def test_python_dash_m_and_console_script(mini: Path) -> None:
    result = pubkit_program("extract", cwd=mini)
    assert result.returncode == 0, result.stderr
    assert (mini / "locale" / "launch.pot").exists()
    script = shutil.which("pubkit", path=str(Path(sys.executable).parent))
    assert script is not None
    version = subprocess.run([script, "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("pubkit ")


def test_help_lists_the_commands(tmp_path: Path) -> None:
    result = pubkit_program("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("new", "extract", "init", "update", "status", "check", "build", "bundle", "verify"):
        assert command in result.stdout


def test_no_command_is_a_usage_error(tmp_path: Path) -> None:
    assert pubkit_program(cwd=tmp_path).returncode == 2


def test_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    result = pubkit_program("status", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("pubkit.toml:1: error: no pubkit.toml")


def test_project_option_runs_elsewhere(mini: Path, tmp_path: Path) -> None:
    result = pubkit_program("-C", str(mini), "extract", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (mini / "locale" / "templates.pot").exists()


def test_library_import_is_light() -> None:
    # `import pubkit` must not pull in the catalog machinery, let alone a renderer.
    code = "import sys, pubkit; print(sorted(m for m in ('polib', 'babel', 'jinja2', 'weasyprint') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_new_scaffolds_a_working_project(tmp_path: Path) -> None:
    result = pubkit_program("new", "press", "--lang", "de", "--lang", "ja", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    project = tmp_path / "press"
    assert (project / "locale" / "ja" / "LC_MESSAGES" / "example.po").exists()
    assert (project / "locale" / "example.pot").exists()
    built = pubkit_program("build", "--format", "html", cwd=project)
    assert built.returncode == 0, built.stderr
    english = page_file(project, "example", "en").read_text(encoding="utf-8")
    # The organization is written once, in pubkit.toml and organization.md, and every release gets it.
    assert "<h2>About Example Company</h2>" in english and "press@example.com" in english
    assert (project / "locale" / "ja" / "LC_MESSAGES" / "organization.po").exists()
    # Nothing is translated yet: English text is never published as if it were Japanese.
    assert not page_file(project, "example", "ja").parent.exists()
    assert "'example' has no usable translation into ja: not published" in built.stderr
    assert pubkit_program("new", "press", cwd=tmp_path).returncode == 2, "an existing folder is never overwritten"
