"""Locale typography on a message's text (issue 12, item 6): quotes, spaces and punctuation per language."""

from __future__ import annotations

import pytest

from pubkit.render.typography import typesetter

NNBSP = "\u202f"


@pytest.mark.parametrize("language, expected", [
    ("en", "He said “yes” and ‘maybe’."),
    ("en_US", "He said “yes” and ‘maybe’."),
    ("de", "He said „yes“ and ‚maybe‘."),
    ("ru", "He said «yes» and „maybe“."),
    ("zh_CN", "He said “yes” and ‘maybe’."),
    ("ko", "He said “yes” and ‘maybe’."),
    ("hi", "He said “yes” and ‘maybe’."),
])
def test_straight_quotes_become_the_languages_quotes(language: str, expected: str) -> None:
    assert typesetter(language)("He said \"yes\" and 'maybe'.") == expected


@pytest.mark.parametrize("language", ["ja", "zh_TW"])
def test_japanese_and_traditional_chinese_use_corner_brackets(language: str) -> None:
    assert typesetter(language)('"東京"と"大阪"') == "「東京」と「大阪」"


def test_apostrophes_are_not_quotes() -> None:
    assert typesetter("en")("It's the company's 90's plan") == "It’s the company’s 90’s plan"
    assert typesetter("en")("Back in '95 it began") == "Back in ’95 it began"
    assert typesetter("fr")("l'entreprise d'État") == "l’entreprise d’État"


def test_french_spacing() -> None:
    fr = typesetter("fr")
    assert fr("Vraiment ? Oui ! Enfin ; voici : la liste") == (
        f"Vraiment{NNBSP}? Oui{NNBSP}! Enfin{NNBSP}; voici{NNBSP}: la liste")
    assert fr("Quoi?!") == f"Quoi{NNBSP}?!"
    assert fr('Il a dit "bonjour".') == f"Il a dit «{NNBSP}bonjour{NNBSP}»."
    assert fr("« déjà typé »") == f"«{NNBSP}déjà typé{NNBSP}»"
    assert fr("à 10:30 précises") == "à 10:30 précises"  # a colon inside a time takes no space


def test_french_spacing_is_french_only() -> None:
    assert typesetter("en")("Really? Yes!") == "Really? Yes!"
    assert typesetter("de")("Wirklich? Ja!") == "Wirklich? Ja!"


@pytest.mark.parametrize("language, text, expected", [
    ("zh_CN", "我们开业了.欢迎,大家!真的?", "我们开业了。欢迎，大家！真的？"),
    ("ja", "開業しました. 皆さん,ようこそ!", "開業しました。皆さん、ようこそ！"),
    ("ja", "工場(東京)です", "工場（東京）です"),
    ("zh_CN", "投资3.75亿欧元", "投资3.75亿欧元"),  # a decimal point is not a full stop
    ("ja", "予算は{budget}で,{visitors}人.", "予算は{budget}で、{visitors}人。"),
    ("ja", "Version 2.0, ready.", "Version 2.0, ready."),  # Latin text keeps Latin punctuation
    ("ko", "개장했다. 환영합니다!", "개장했다. 환영합니다!"),  # Korean uses Western punctuation
])
def test_cjk_full_width_punctuation(language: str, text: str, expected: str) -> None:
    assert typesetter(language)(text) == expected


def test_hebrew_geresh_gershayim_and_quotes() -> None:
    assert typesetter("he")('צה"ל אמר "שלום" למנכ"ל ח\'') == "צה״ל אמר ”שלום” למנכ״ל ח׳"
    assert typesetter("he")("הוא אמר 'כן' לח'") == "הוא אמר ’כן’ לח׳"  # CLDR's Hebrew alternate quotes


@pytest.mark.parametrize("language", ["en", "fr", "de", "ja", "zh_CN", "he"])
def test_code_urls_placeholders_and_escapes_are_left_alone(language: str) -> None:
    text = ('Run `say "hi"; echo: ok!` or see [the "site"](https://example.com/a?b=1 "Title") and '
            '<https://example.org/x?y> or https://example.net/p?q=1; mail press@example.com. '
            '{figure}: \\"kept\\" <b>"bold"</b> {{ "x" }} {% include \'y\' %}')
    result = typesetter(language)(text)
    for kept in ('`say "hi"; echo: ok!`', '(https://example.com/a?b=1 "Title")', "<https://example.org/x?y>",
                 "https://example.net/p?q=1", "press@example.com", "{figure}", '\\"kept\\"', '<b>"bold"</b>',
                 '{{ "x" }}', "{% include 'y' %}"):
        assert kept in result, (language, kept, result)


@pytest.mark.parametrize("language, text", [("fr", "Voir ![le plan](plan.png) ici"), ("ja", "工場![地図](map.png)")])
def test_an_image_stays_an_image(language: str, text: str) -> None:
    assert typesetter(language)(text) == text


def test_text_without_anything_to_do_is_returned_unchanged() -> None:
    text = "Plain text with no quotes"
    assert typesetter("fr")(text) is text
