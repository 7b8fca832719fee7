"""Plural-Forms as GNU gettext's msginit writes them (issue 17, item 3), CLDR's rule only where gettext has none."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

import polib
import pytest

from pubkit.catalog.plurals import TABLE, gettext_plural_forms, gettext_version, plural_forms, same_rule

#: Every language of gettext's table, a few locales, and languages gettext lacks (msginit writes no rule).
LANGUAGES = ["be", "bg", "cs", "da", "de", "el", "en", "eo", "es", "et", "fi", "fo", "fr", "ga", "he", "hr", "hu",
             "id", "it", "ja", "ko", "lt", "lv", "nb", "nl", "nn", "pl", "pt", "ro", "ru", "sk", "sl", "sr", "sv",
             "tr", "uk", "vi", "zh", "pt_BR", "pt_PT", "de_AT", "fr_CA", "en_US", "sr_RS", "zh_CN", "zh_TW",
             "ar", "hi", "th", "ka", "cy", "ms"]


def msginit_answers(languages: list[str]) -> dict[str, str | None]:
    """What the real msginit writes as Plural-Forms for each language (all started at once: it is quick)."""
    with tempfile.TemporaryDirectory() as folder:
        template = Path(folder) / "empty.pot"
        template.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n', encoding="utf-8")
        running = {language: subprocess.Popen(["msginit", "--no-translator", "-l", language, "-i", str(template),
                                               "-o", "-"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                              env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"}, text=True)
                   for language in languages}
        return {language: polib.pofile(process.communicate(timeout=60)[0]).metadata.get("Plural-Forms")
                for language, process in running.items()}


def test_the_table_is_what_this_machines_msginit_writes() -> None:
    answers = msginit_answers(LANGUAGES)
    assert sum(answer is not None for answer in answers.values()) >= 40
    for language, answer in answers.items():
        assert gettext_plural_forms(language) == answer, language
        if answer is not None:
            assert plural_forms(language)[1] == answer, language


def test_the_table_names_the_gettext_release_it_came_from() -> None:
    installed = subprocess.run(["msginit", "--version"], capture_output=True, text=True, check=True).stdout
    assert re.search(r"\) (\S+)", installed).group(1) == gettext_version()
    assert TABLE.is_file()


@pytest.mark.parametrize("language, expected", [
    ("pt_BR", "nplurals=2; plural=(n > 1);"),
    ("pt-BR", "nplurals=2; plural=(n > 1);"),
    ("pt", "nplurals=2; plural=(n != 1);"),
    ("fr", "nplurals=2; plural=(n > 1);"),
    ("cs", "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;"),
])
def test_init_writes_gettexts_rule(mini: Path, run, language: str, expected: str) -> None:
    run("extract", cwd=mini)
    assert run("init", language, cwd=mini).code == 0
    catalog = polib.pofile(str(mini / "locale" / language.replace("-", "_") / "LC_MESSAGES" / "launch.po"))
    assert catalog.metadata["Plural-Forms"] == expected


def test_languages_gettext_lacks_get_cldrs_rule(mini: Path, run) -> None:
    from babel.messages.plurals import get_plural

    assert gettext_plural_forms("ar") is None
    run("extract", cwd=mini)
    assert run("init", "ar", cwd=mini).code == 0
    catalog = polib.pofile(str(mini / "locale" / "ar" / "LC_MESSAGES" / "launch.po"))
    count, expression = get_plural("ar")
    assert catalog.metadata["Plural-Forms"] == f"nplurals={count}; plural={expression};"


def test_check_warns_at_the_header_when_plural_forms_differ_from_gettext(mini: Path, run) -> None:
    run("extract", cwd=mini)
    run("init", "pt_BR", cwd=mini)
    path = mini / "locale" / "pt_BR" / "LC_MESSAGES" / "launch.po"
    cldr48 = "nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;"
    text = path.read_text(encoding="utf-8").replace("nplurals=2; plural=(n > 1);", cldr48)
    path.write_text(text, encoding="utf-8")
    line = text.split("\n").index(next(t for t in text.split("\n") if t.startswith('"Plural-Forms:'))) + 1
    result = run("check", "--lang", "pt_BR", cwd=mini)
    warnings = [w for w in result.out.splitlines() if w.endswith("[plural-forms-table]")]
    assert warnings == [f"locale/pt_BR/LC_MESSAGES/launch.po:{line}: warning: Plural-Forms '{cldr48}' differs from "
                        f"GNU gettext {gettext_version()}'s for pt_BR: 'nplurals=2; plural=(n > 1);' "
                        "[plural-forms-table]"]


def test_the_same_rule_written_differently_is_not_a_difference() -> None:
    assert same_rule("nplurals=2; plural=n>1;", "nplurals=2; plural=(n > 1);")
    assert not same_rule("nplurals=2; plural=(n != 1);", "nplurals=2; plural=(n > 1);")
    assert not same_rule("nplurals=3; plural=(n > 1);", "nplurals=2; plural=(n > 1);")
