"""A rebuild pays only for what it renders: a no-op build imports no renderer, and German hyphenation
patterns are parsed once per machine (issue 14, CLI speed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import probe
from pubkit.render import hyphenation
from pubkit.publish.build import UI_DOMAIN
from pubkit.catalog.catalogs import TEMPLATES_DOMAIN

pytestmark = pytest.mark.slow

def test_a_no_op_build_imports_no_renderer(mini: Path) -> None:
    assert probe(mini, "build", "--format", "html", "-j", "1")["heavy"]  # the first build renders
    again = probe(mini, "build", "--format", "html", "-j", "1")
    assert again == {"code": 0, "heavy": []}


def test_a_new_source_with_a_taken_slug_is_still_refused(mini: Path, run) -> None:
    assert run("build", "--format", "html", "-j", "1", cwd=mini).code == 0
    text = (mini / "sources" / "launch.md").read_text(encoding="utf-8")
    (mini / "sources" / "launch-copy.md").write_text(text.replace("---\n", "---\nslug: launch\n", 1), encoding="utf-8")
    result = run("build", "--format", "html", "-j", "1", cwd=mini)
    assert result.code == 2 and "slug 'launch' is already used by" in result.err


def test_the_ui_domain_is_the_templates_catalog() -> None:
    assert UI_DOMAIN == TEMPLATES_DOMAIN


WORDS = ("Aluminiumverarbeitung", "Wertschöpfungskette", "Forschungspartner", "Zusammenarbeit", "Industriepark")


def test_hyphenation_patterns_come_back_from_the_cache_unchanged(tmp_path: Path, monkeypatch) -> None:
    pyphen = pytest.importorskip("pyphen")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(pyphen, "hdcache", {})
    fresh = pyphen.Pyphen(lang="de", cache=False)
    expected = [fresh.inserted(word) for word in WORDS]
    monkeypatch.setattr(pyphen, "hdcache", {})  # Pyphen keeps even an uncached parse in its cache

    assert hyphenation.preload("de") is True
    stored = list((tmp_path / "pubkit" / "hyphenation").glob("*.marshal"))
    assert len(stored) == 1

    monkeypatch.setattr(pyphen, "hdcache", {})

    def no_parsing(self, path):  # the second time, the patterns must come from the cache file
        raise AssertionError("parsed again")

    monkeypatch.setattr(pyphen.HyphDict, "__init__", no_parsing)
    assert hyphenation.preload("de") is True
    assert [pyphen.Pyphen(lang="de").inserted(word) for word in WORDS] == expected
    assert hyphenation.preload("ja") is False  # no dictionary: nothing to do


def test_a_damaged_cache_file_is_ignored(tmp_path: Path, monkeypatch) -> None:
    pyphen = pytest.importorskip("pyphen")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(pyphen, "hdcache", {})
    hyphenation.preload("de")
    (stored,) = (tmp_path / "pubkit" / "hyphenation").glob("*.marshal")
    stored.write_bytes(b"\x00garbage")
    monkeypatch.setattr(pyphen, "hdcache", {})
    hyphenation.preload("de")
    assert pyphen.Pyphen(lang="de").inserted("Zusammenarbeit") == pyphen.Pyphen(
        lang="de", cache=False).inserted("Zusammenarbeit")


def test_loading_the_print_engine_runs_no_program() -> None:
    """pdf._libraries_by_soname: WeasyPrint's library search ran ldconfig, gcc and ld 54 times (a third of
    its import, paid by every rebuild that makes a PDF); the libraries it loads are the same without it."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "started = []\n"
        "sys.addaudithook(lambda event, args: started.append(args[0]) if event == 'subprocess.Popen' else None)\n"
        "import pubkit.render.pdf\n"
        "import ctypes.util, weasyprint.text.ffi as ffi\n"
        "print(len(started), ffi.harfbuzz_subset is not None, ctypes.util.find_library('c') is not None)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # no process started; HarfBuzz's subsetter still found (fonts are subset by it); find_library restored
    assert result.stdout.split() == ["0", "True", "True"], result.stdout + result.stderr


NAMES_PROGRAM = "from pubkit.locales import language_name; print(language_name('zh_CN'), language_name('ar'))"


def test_language_names_are_kept_in_the_users_cache(tmp_path: Path) -> None:
    """locales.language_name: the switcher's names, read once from nine locales' CLDR data, then from a
    file per pubkit and Babel version; a damaged file is read as none and written again."""
    import json
    import os
    import subprocess
    import sys

    def names() -> list[str]:
        result = subprocess.run([sys.executable, "-c", NAMES_PROGRAM], capture_output=True, text=True, check=True,
                                env={**os.environ, "XDG_CACHE_HOME": str(tmp_path)})
        return result.stdout.split()

    assert names() == ["中文（中国）", "العربية"]
    (kept,) = (tmp_path / "pubkit" / "cldr").glob("language-names-pubkit-*-babel-*.json")
    assert json.loads(kept.read_text(encoding="utf-8")) == {"zh_CN": "中文（中国）", "ar": "العربية"}
    kept.write_text('{"zh_CN": ', encoding="utf-8")
    assert names() == ["中文（中国）", "العربية"]
    assert json.loads(kept.read_text(encoding="utf-8")) == {"zh_CN": "中文（中国）", "ar": "العربية"}
