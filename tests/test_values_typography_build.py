"""End to end: a release built in fr, ru, ja, th and de shows each text-level rule of issue 12 in its
HTML and in its PDF's text layer (pdftotext), and the catalogs stay exactly as the translators wrote them."""

from __future__ import annotations

import re
import subprocess
from html import unescape
from pathlib import Path

import polib
import pytest

from conftest import page_file, pdf_file, snapshot
from pubkit import load_project
from pubkit.publish.build import build
from pubkit.catalog.catalogs import extract, init_language

pytestmark = pytest.mark.slow
SLUG = "opening"
NNBSP = "\u202f"

SOURCE = """---
title: Lindenau opens its "green" plant
place: Berlin
date: 2025-03-10
values:
  opening:    {date: 2025-03-10, skeleton: yMMMMd}
  investment: {money: 375000000, currency: EUR, notation: compact, display: name}
  budget:     {money: 48500000, currency: USD, display: name}
  visitors:   {number: 1250000, notation: compact}
  fee:        {money: 1250000, currency: JPY, display: code}
---
The plant opened on {opening}. It cost {investment}.

The CEO said: "We are proud!" Is it ready? Yes.

Run `pubkit build --lang "fr"` or see https://example.com/a?b=1.

The budget is {budget}; {visitors} visitors paid {fee}.
"""

TRANSLATIONS = {
    "fr": {
        "Lindenau opens its \"green\" plant": 'Lindenau ouvre son usine "verte"',
        "Berlin": "Berlin",
        "The plant opened on {opening}. It cost {investment}.":
            "L'usine a ouvert le {opening}. Elle a coûté {investment}.",
        'The CEO said: "We are proud!" Is it ready? Yes.': 'Le PDG a déclaré : "Nous sommes fiers !" Est-elle prête? Oui.',
        'Run `pubkit build --lang "fr"` or see https://example.com/a?b=1.':
            'Lancez `pubkit build --lang "fr"` ou voyez https://example.com/a?b=1.',
        "The budget is {budget}; {visitors} visitors paid {fee}.":
            "Le budget est de {budget}; {visitors} visiteurs ont payé {fee}.",
    },
    "ru": {
        "Lindenau opens its \"green\" plant": 'Линденау открывает "зелёный" завод',
        "Berlin": "Берлин",
        "The plant opened on {opening}. It cost {investment}.": "Завод открылся {opening}. Он стоил {investment}.",
        'The CEO said: "We are proud!" Is it ready? Yes.': 'Генеральный директор сказал: "Мы гордимся!" Готов ли он? Да.',
        'Run `pubkit build --lang "fr"` or see https://example.com/a?b=1.':
            'Запустите `pubkit build --lang "fr"` или см. https://example.com/a?b=1.',
        "The budget is {budget}; {visitors} visitors paid {fee}.":
            "Бюджет составляет {budget}; {visitors} посетителей заплатили {fee}.",
    },
    "ja": {
        "Lindenau opens its \"green\" plant": 'リンデナウが"グリーン"工場を開設',
        "Berlin": "ベルリン",
        "The plant opened on {opening}. It cost {investment}.": "工場は{opening}に開業しました.投資額は{investment}です.",
        'The CEO said: "We are proud!" Is it ready? Yes.': 'CEOは"誇りに思います"と述べた.準備はできているか?はい.',
        'Run `pubkit build --lang "fr"` or see https://example.com/a?b=1.':
            '`pubkit build --lang "fr"`を実行するか,https://example.com/a?b=1 を参照してください.',
        "The budget is {budget}; {visitors} visitors paid {fee}.":
            "予算は{budget}で,{visitors}人の来場者が{fee}を支払った.",
    },
    "th": {
        "Lindenau opens its \"green\" plant": 'ลินเดอเนาเปิดโรงงาน "สีเขียว"',
        "Berlin": "เบอร์ลิน",
        "The plant opened on {opening}. It cost {investment}.": "โรงงานเปิดเมื่อวันที่ {opening} ใช้เงินลงทุน {investment}",
        'The CEO said: "We are proud!" Is it ready? Yes.': 'ซีอีโอกล่าวว่า "เราภูมิใจ!" พร้อมหรือยัง? พร้อมแล้ว',
        'Run `pubkit build --lang "fr"` or see https://example.com/a?b=1.':
            'เรียกใช้ `pubkit build --lang "fr"` หรือดู https://example.com/a?b=1',
        "The budget is {budget}; {visitors} visitors paid {fee}.":
            "งบประมาณ {budget} ผู้เข้าชม {visitors} คนจ่าย {fee}",
    },
    "de": {  # typography switched off for German in pubkit.toml: text exactly as the translator typed it
        "Lindenau opens its \"green\" plant": 'Lindenau eröffnet sein "grünes" Werk',
        "Berlin": "Berlin",
        "The plant opened on {opening}. It cost {investment}.":
            "Das Werk wurde am {opening} eröffnet. Es kostete {investment}.",
        'The CEO said: "We are proud!" Is it ready? Yes.': "",  # falls back to English, set in English
        'Run `pubkit build --lang "fr"` or see https://example.com/a?b=1.':
            'Starten Sie `pubkit build --lang "fr"` oder siehe https://example.com/a?b=1.',
        "The budget is {budget}; {visitors} visitors paid {fee}.":
            "Das Budget beträgt {budget}; {visitors} Besucher zahlten {fee}.",
    },
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    root = tmp_path_factory.mktemp("typeset")
    (root / "sources").mkdir()
    (root / "sources" / f"{SLUG}.md").write_text(SOURCE, encoding="utf-8")
    (root / "pubkit.toml").write_text(
        'source_language = "en"\nlanguages = ["fr", "ru", "ja", "th", "de"]\n\n[language.de]\ntypography = false\n',
        encoding="utf-8")
    project = load_project(root)
    extract(project)
    for language, table in TRANSLATIONS.items():
        init_language(project, language)
        path = project.po_path(language, SLUG)
        catalog = polib.pofile(str(path))
        for entry in catalog:
            entry.msgstr = table[entry.msgid]
        catalog.save()
    catalogs = snapshot(root / "locale")
    result = build(project)
    # The one untranslated German message is published in English, with a warning naming it.
    # (The template strings are left untranslated here: they are reported, and set in English, too.)
    # Each language gets one warning counting its fallbacks: the same template strings everywhere, and in
    # German exactly one more, the release's own message. Nothing else is reported.
    templates = {entry.msgid for entry in polib.pofile(str(root / "locale" / "templates.pot"))}
    counts, shown = {}, {}
    for diagnostic in result.diagnostics:
        found = re.match(r"(\d+) messages? not translated into (\w+) \(missing, fuzzy or not usable\), "
                         r"published in en: (.*?)(?: and \d+ more)?$", diagnostic.message)
        assert found, diagnostic.message
        counts[found[2]] = int(found[1])
        shown[found[2]] = re.findall(r"'(.*?)'(?:; |$)", found[3])
    assert shown["de"][0].startswith('The CEO said: "We are proud!"'), shown["de"]
    assert all(msgid in templates for language, msgids in shown.items()
               for msgid in (msgids[1:] if language == "de" else msgids)), shown
    assert len(templates) >= counts["fr"] > 0
    assert counts == {**{language: counts["fr"] for language in TRANSLATIONS}, "de": counts["fr"] + 1}
    return root, catalogs


def html(dist: Path, language: str) -> str:
    """The web page's text as a reader sees it: tags (the <bdi> around values, say) removed."""
    return re.sub(r"<[^>]*>", "", page_file(dist, SLUG, language).read_text(encoding="utf-8"))


def pdf_text(dist: Path, language: str) -> str:
    path = pdf_file(dist, SLUG, language)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return " ".join(text.split())  # pdftotext gives U+202F and U+00A0 as plain spaces


def plain(text: str) -> str:
    """``text`` as pdftotext shows it: no-break spaces as spaces."""
    return text.replace(NNBSP, " ").replace("\xa0", " ")


def test_french_typography_in_html_and_pdf(built) -> None:
    dist, _ = built
    page, text = html(dist, "fr"), pdf_text(dist, "fr")
    for expected in (f"Le PDG a déclaré{NNBSP}: «{NNBSP}Nous sommes fiers{NNBSP}!{NNBSP}»",
                     f"Est-elle prête{NNBSP}?", "L’usine a ouvert le 10 mars 2025", "375 millions d’euros",
                     f"usine «{NNBSP}verte{NNBSP}»", f"48{NNBSP}500{NNBSP}000 dollars des États-Unis{NNBSP};"):
        assert expected in page, expected
        assert plain(expected) in text, expected
    # The code span and the URL are exactly as typed.
    raw = page_file(dist, SLUG, "fr").read_text(encoding="utf-8")
    assert '<code>pubkit build --lang &quot;fr&quot;</code>' in raw
    assert "https://example.com/a?b=1." in text


def test_russian_date_full_month_one_full_stop_and_guillemets(built) -> None:
    dist, _ = built
    for content, as_shown in ((html(dist, "ru"), str), (pdf_text(dist, "ru"), plain)):
        # Kommersant writes "25 млн евро": the abbreviated magnitude before a currency name.
        assert as_shown("Завод открылся 10 марта 2025\u202fг. Он стоил 375\u00a0млн евро.") in content
        assert "г.." not in content
        assert "сказал: «Мы гордимся!»" in content


def test_japanese_full_width_punctuation_corner_quotes_and_press_money(built) -> None:
    dist, _ = built
    for content, as_shown in ((html(dist, "ja"), str), (pdf_text(dist, "ja"), plain)):
        assert "工場は2025年3月10日に開業しました。投資額は3.75億ユーロです。" in content
        assert "CEOは「誇りに思います」と述べた。準備はできているか？はい。" in content
        assert "リンデナウが「グリーン」工場を開設" in content
        assert as_shown("予算は48,500,000米ドルで、125万人の来場者がJPY\xa01,250,000を支払った。") in content


def test_thai_dates_in_the_buddhist_era(built) -> None:
    dist, _ = built
    for content in (html(dist, "th"), pdf_text(dist, "th")):
        assert "10 มีนาคม 2568" in content  # the value and the release's own date
        assert "2025" not in content.replace("2025-03-10", "")  # no Gregorian year left (bar machine dates)
        assert "375 ล้านยูโร" in content


def test_typography_can_be_switched_off_per_language(built) -> None:
    dist, _ = built
    german = html(dist, "de")
    assert 'Lindenau eröffnet sein "grünes" Werk' in unescape(german)
    assert "„" not in german
    english = html(dist, "en")  # the source language keeps its own typography
    assert "The CEO said: “We are proud!”" in english and "“green”" in english
    # A message that falls back to English is set in English, under the source language's settings.
    assert "The CEO said: “We are proud!”" in german


def test_catalogs_are_never_rewritten(built) -> None:
    root, catalogs = built
    assert snapshot(root / "locale") == catalogs
    french = polib.pofile(str(root / "locale" / "fr" / "LC_MESSAGES" / f"{SLUG}.po"))
    assert any('"Nous sommes fiers !"' in entry.msgstr for entry in french)
    assert not re.search("[\u202f«»]", (root / "locale" / "fr" / "LC_MESSAGES" / f"{SLUG}.po").read_text("utf-8"))
