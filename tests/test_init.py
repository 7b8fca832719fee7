"""`pubkit init LANG`: new catalogs with the right header, refusing to overwrite a translator's file."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from conftest import msgfmt_check, snapshot


@pytest.mark.parametrize(
    "language, directory, nplurals",
    [("de", "de", 2), ("ar", "ar", 6), ("ja", "ja", 1), ("pt-BR", "pt_BR", 2), ("pt_BR", "pt_BR", 2), ("ru", "ru", 3)],
)
def test_init_creates_catalogs_with_language_and_plural_forms(mini: Path, run, language, directory, nplurals) -> None:
    run("extract", cwd=mini)
    result = run("init", language, cwd=mini)
    assert result.code == 0, result.err
    for domain in ("launch", "templates"):
        path = mini / "locale" / directory / "LC_MESSAGES" / f"{domain}.po"
        catalog = polib.pofile(str(path))
        assert catalog.metadata["Language"] == directory
        assert catalog.metadata["Plural-Forms"].startswith(f"nplurals={nplurals}; plural=")
        assert catalog.metadata["Content-Type"] == "text/plain; charset=UTF-8"
        assert len(catalog) > 0 and all(not e.translated() for e in catalog)
        assert not catalog.metadata_is_fuzzy
        checked = msgfmt_check(path)
        assert checked.returncode == 0, checked.stderr


def test_init_keeps_references_comments_and_flags(mini: Path, run) -> None:
    run("extract", cwd=mini)
    run("init", "fr", cwd=mini)
    catalog = polib.pofile(str(mini / "locale" / "fr" / "LC_MESSAGES" / "launch.po"))
    entry = catalog.find("Share of exports: {share}")
    assert entry.comment == "a list of key facts; keep it short."
    assert entry.flags == ["python-brace-format"]
    assert entry.occurrences == [("sources/launch.md", "20")]


def test_init_refuses_to_overwrite_a_catalog(mini: Path, run) -> None:
    run("extract", cwd=mini)
    run("init", "de", cwd=mini)
    po = mini / "locale" / "de" / "LC_MESSAGES" / "launch.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgid "Berlin"\nmsgstr ""', 'msgid "Berlin"\nmsgstr "Berlin!"'), encoding="utf-8")
    (mini / "locale" / "de" / "LC_MESSAGES" / "templates.po").unlink()
    before = snapshot(mini)
    result = run("init", "de", cwd=mini)
    assert result.code == 2
    assert result.err.strip() == (
        "locale/de/LC_MESSAGES/launch.po:1: error: catalog already exists; `pubkit update` merges new messages into it"
    )
    assert snapshot(mini) == before, "neither the existing catalog nor the missing one was written"


def test_init_before_extract_says_what_to_do(mini: Path, run) -> None:
    result = run("init", "de", cwd=mini)
    assert result.code == 2
    assert result.err.strip() == "locale/launch.pot:1: error: no template yet: run `pubkit extract` first"
    assert not (mini / "locale").exists()


def test_init_notes_a_language_missing_from_the_configuration(mini: Path, run) -> None:
    run("extract", cwd=mini)
    result = run("init", "fr", cwd=mini)
    assert result.code == 0
    assert "'fr' is not in 'languages'" in result.err
