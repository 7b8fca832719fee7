"""The markup layout.py puts around message text: escaping first, then isolation and unbreakable units."""

from __future__ import annotations

from pubkit.render.layout import WORD_JOINER, TextLayout

VALUES = {"amount": "3\xa0مليار\xa0CN¥", "day": "2027년 9월 30일", "he": "\u200eCN¥\u200e3B\u200f", "share": "12.5%"}


def test_text_is_escaped_and_unknown_placeholders_stay() -> None:
    html = TextLayout("de", "ltr", "print").markup("<script>alert(1)</script> & {missing} {share}", VALUES)
    assert html == '&lt;script&gt;alert(1)&lt;/script&gt; &amp; {missing} 12.5%'  # nothing to keep together


def test_values_take_the_direction_of_their_first_strong_character() -> None:
    layout = TextLayout("ar", "rtl", "print")
    assert layout.value(VALUES["amount"]) == '<bdi class="value" dir="rtl">3\xa0مليار\xa0<bdi dir="ltr">CN¥</bdi></bdi>'
    assert layout.value(VALUES["he"]).startswith('<bdi class="value" dir="ltr">')
    assert layout.value("12.5%") == '<bdi class="value">12.5%</bdi>'


def test_latin_runs_phone_numbers_and_addresses_are_left_to_right_in_rtl_text_only() -> None:
    text = "شراكة مع WQ & UCAS، هاتف +49 381 555 0100، presse@nordlicht.example"
    html = TextLayout("ar", "rtl", "screen").markup(text, {})
    assert '<bdi dir="ltr">WQ &amp; UCAS</bdi>' in html
    assert '<bdi dir="ltr">+49 381 555 0100</bdi>' in html
    assert '<span class="url" dir="ltr">presse@nordlicht.example</span>' in html
    assert "<bdi" not in TextLayout("de", "ltr", "screen").markup("WQ & UCAS", {})


def test_urls_break_only_after_slashes() -> None:
    html = TextLayout("en", "ltr", "screen").markup("See https://example.com/press/new-plant-2025.", {})
    assert html == ('See <span class="url">https://example.com/press/<span class="nobr">new-plant-2025</span></span>.')


def test_korean_words_are_joined_in_print_only() -> None:
    printed = TextLayout("ko", "ltr", "print").markup("하이브리드 발전소 {day}부터", VALUES)
    assert f"하{WORD_JOINER}이{WORD_JOINER}브{WORD_JOINER}리{WORD_JOINER}드 " in printed
    assert f"30{WORD_JOINER}일{WORD_JOINER}부{WORD_JOINER}터" in printed  # the particle stays with its value
    assert WORD_JOINER not in TextLayout("ko", "ltr", "screen").markup("하이브리드 {day}부터", VALUES)


def test_only_values_that_could_break_get_an_element_in_left_to_right_pages() -> None:
    layout = TextLayout("de", "ltr", "screen")
    assert layout.value("48.500.000,00 US-Dollar") == '<bdi class="value" dir="ltr">48.500.000,00 US-Dollar</bdi>'
    assert layout.value("3\xa0Mrd.\xa0CN¥") == "3\xa0Mrd.\xa0CN¥"
    assert layout.value("2030年").startswith("<bdi")
    assert TextLayout("ar", "rtl", "print").value("125,000") == '<bdi class="value">125,000</bdi>'


def test_printed_left_to_right_values_are_kept_whole_by_invisible_characters() -> None:
    layout, j = TextLayout("de", "ltr", "print"), WORD_JOINER
    # no-break spaces, and a word joiner wherever a line could break or a word be hyphenated
    assert layout.value("48.500.000,00 US-Dollar") == f"48.500.000,00\xa0U{j}S{j}-{j}D{j}o{j}l{j}l{j}a{j}r"
    assert layout.value("2030年") == f"2030{j}年"
    assert layout.value("3\xa0Mrd.\xa0CN¥") == "3\xa0Mrd.\xa0CN¥"  # nothing could break: left alone
    # where words are hyphenated, a script whose clusters a joiner would split keeps the element
    assert layout.value("713 हेक्टेयर").startswith('<bdi class="value" dir="ltr">')
    # Hindi is not hyphenated: a no-break space is all its value needs; Thai breaks inside words
    assert TextLayout("hi", "ltr", "print").value("713 हेक्टेयर") == "713\xa0हेक्टेयर"
    assert TextLayout("th", "ltr", "print").value("713 เฮกตาร์").startswith('<bdi class="value" dir="ltr">')


def test_a_space_before_a_korean_value_stays_a_break_opportunity() -> None:
    printed = TextLayout("ko", "ltr", "print").markup("{day}부터 {n}가구에", {**VALUES, "n": "125,000"})
    assert f"부{WORD_JOINER}터 125,000{WORD_JOINER}가" in printed
