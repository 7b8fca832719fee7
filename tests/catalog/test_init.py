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
    assert run("extract", cwd=mini).code == 0
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
    assert run("extract", cwd=mini).code == 0
    assert run("init", "fr", cwd=mini).code == 0
    catalog = polib.pofile(str(mini / "locale" / "fr" / "LC_MESSAGES" / "launch.po"))
    entry = catalog.find("Share of exports: {share}")
    assert entry.comment == "a list of key facts; keep it short."
    assert entry.flags == ["python-brace-format"]
    assert entry.occurrences == [("sources/launch.md", "20")]


def test_init_creates_only_the_missing_catalogs(mini: Path, run) -> None:
    assert run("extract", cwd=mini).code == 0
    assert run("init", "de", cwd=mini).code == 0
    po = mini / "locale" / "de" / "LC_MESSAGES" / "launch.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgid "Berlin"\nmsgstr ""', 'msgid "Berlin"\nmsgstr "Berlin!"'), encoding="utf-8")
    kept = po.read_bytes()
    (mini / "locale" / "de" / "LC_MESSAGES" / "templates.po").unlink()
    result = run("init", "de", cwd=mini)
    assert result.code == 0, result.err
    assert "kept    locale/de/LC_MESSAGES/launch.po" in result.out
    assert "created locale/de/LC_MESSAGES/templates.po" in result.out
    assert po.read_bytes() == kept, "a translator's catalog is never overwritten"
    before = snapshot(mini)
    again = run("init", "de", cwd=mini)
    assert again.code == 2
    assert again.err.strip() == ("locale/de/LC_MESSAGES/launch.po:1: error: every catalog of 'de' already exists; "
                                 "`pubkit update` merges new messages into them")
    assert snapshot(mini) == before


def test_init_before_extract_says_what_to_do(mini: Path, run) -> None:
    result = run("init", "de", cwd=mini)
    assert result.code == 2
    assert result.err.strip() == "locale/launch.pot:1: error: no template yet: run `pubkit extract` first"
    assert not (mini / "locale").exists()


def test_init_adds_the_language_to_the_configuration_keeping_its_comments(mini: Path, run) -> None:
    config = mini / "pubkit.toml"
    config.write_text('# Our press office.\nsource_language = "en"  # we write in English\n\n'
                      'languages = [\n    "de",  # Berlin office\n    "zh-CN",\n]\n')
    assert run("extract", cwd=mini).code == 0
    result = run("init", "pt-BR", cwd=mini)
    assert result.code == 0, result.err
    assert "added 'pt_BR' to 'languages' in pubkit.toml" in result.out
    assert config.read_text() == ('# Our press office.\nsource_language = "en"  # we write in English\n\n'
                                  'languages = [\n    "de",  # Berlin office\n    "zh-CN",\n    "pt_BR",\n]\n')
    assert run("status", cwd=mini).code == 0


def test_init_adds_the_language_in_pyproject(mini: Path, run) -> None:
    (mini / "pubkit.toml").unlink()
    pyproject = mini / "pyproject.toml"
    pyproject.write_text('[project]\nname = "press"  # ours\n\n[tool.pubkit]\nsource_language = "en"\nlanguages = ["de"]\n')
    assert run("extract", cwd=mini).code == 0
    assert run("init", "fr", cwd=mini).code == 0
    assert pyproject.read_text() == ('[project]\nname = "press"  # ours\n\n[tool.pubkit]\nsource_language = "en"\n'
                                     'languages = ["de", "fr"]\n')


def test_init_refuses_an_alias_of_a_locale(mini: Path, run) -> None:
    assert run("extract", cwd=mini).code == 0
    result = run("init", "ger", cwd=mini)
    assert result.code == 2
    assert result.err.strip() == "pubkit: error: 'ger' is not a locale identifier; did you mean 'de'?"
    assert not (mini / "locale" / "ger").exists()
