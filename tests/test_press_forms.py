"""Money and large figures as each language's press writes them (compact notation, the default display).

Every expected string is quoted from a published news text (the address is beside it), so a change in
Babel, CLDR or pubkit's press tables that writes a figure some other way fails here.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel import Locale

from pubkit.render.formatting import Formatter
from pubkit.source.values import Value

#: (locale, amount, currency, what pubkit writes, the sentence it is quoted from, where)
PRESS = [
    ("es", "1200000000", "EUR", "1.200 millones de euros",
     "La nueva fábrica supone una inversión de aproximadamente 1.200 millones de euros",
     "https://www.auto-revista.com/?p=358262"),
    ("es", "10000000000", "EUR", "10.000 millones de euros",
     "El consorcio automovilístico alemán prevé invertir 10.000 millones de euros",
     "https://www.eleconomista.es/industria/noticias/12021927/11/22/"),
    ("es", "225000000", "EUR", "225 millones de euros",
     "La nueva planta de Campofrío en Burgos, cuya primera piedra fue colocada ayer, costará 225 millones de euros",
     "http://www.farodevigo.es/economia/2015/09/17/nueva-planta-campofrio-costara-225/1315016.html"),
    ("pt_BR", "2500000000", "BRL", "2,5 bilhões de reais",
     "investimento de 2,5 bilhões de reais da General Motors", "https://exame.com/negocios/"),
    ("pt_BR", "1300000000", "USD", "1,3 bilhão de dólares",
     "investirá 1,3 bilhão de dólares na produção de nióbio e fosfato", "https://exame.com/negocios/"),
    ("pt_BR", "325000000", "USD", "325 milhões de dólares",
     "Na primeira serão investidos 325 milhões de dólares na produção de nióbio", "https://exame.com/negocios/"),
    ("it", "218000000000", "EUR", "218 miliardi di euro",
     "ha fin qui sbloccato 218 miliardi di euro di investimenti aggiuntivi",
     "https://www.agensir.it/quotidiano/2024/10/1/"),
    ("it", "26200000000", "EUR", "26,2 miliardi di euro",
     "attraverso una garanzia del bilancio dell'Ue di 26,2 miliardi di euro", "https://www.agenzianova.com/"),
    ("nl", "10000000000", "EUR", "10 miljard euro",
     "die gezamenlijk zo’n 10 miljard euro willen besteden", "https://www.rd.nl/artikel/1020124"),
    ("nl", "100000000", "EUR", "100 miljoen euro",
     "investeert dit jaar zo’n 100 miljoen euro in zijn fabriek in Berlijn", "https://www.rd.nl/artikel/1042409"),
    ("pl", "416000000", "PLN", "416 mln zł",
     "Do lipca 2027 inwestycja ma kosztować co najmniej 416 mln zł", "https://gazetalubuska.pl/"),
    ("pl", "4600000000", "USD", "4,6 mld dolarów",
     "zainwestuje 4,6 mld dolarów, czyli ok. 4,2 mld euro, w nową fabrykę półprzewodników",
     "https://www.wnp.pl/tech/"),
    ("pl", "4200000000", "EUR", "4,2 mld euro",
     "zainwestuje 4,6 mld dolarów, czyli ok. 4,2 mld euro, w nową fabrykę półprzewodników",
     "https://www.wnp.pl/tech/"),
    ("tr", "9300000000", "USD", "9,3 milyar dolar",
     "9,3 milyar dolar yatırımla, 20 binden fazla istihdam sağlanacak", "https://cgtnturk.com/"),
    ("tr", "390000000", "USD", "390 milyon dolar",
     "Alfa Solar Enerji: 390 milyon dolar - Kırklareli", "https://cgtnturk.com/"),
    ("ru", "3500000000", "RUB", "3,5 млрд рублей",
     "в создание которой было вложено 3,5 млрд рублей", "https://monocle.mirtesen.ru/blog/43703549711"),
    ("ru", "900000000", "RUB", "900 млн рублей",
     "Общий объем инвестиций составил примерно 900 млн рублей", "https://www.kommersant.ru/doc/2819370"),
    ("ru", "25000000", "EUR", "25 млн евро",
     "Объем инвестиций в проект — 25 млн евро", "https://www.kommersant.ru/doc/2819370"),
    ("ru", "12500000000", "USD", "12,5 млрд долларов",
     "62 частных инвестиционных проекта на 12,5 млрд долларов", "http://geum.ru/next/art-342896.leaf-4.php"),
    ("uk", "80000000", "EUR", "80 млн євро",
     "Загальний обсяг запланованих інвестицій становить близько 80 млн євро",
     "https://minfin.com.ua/ua/2025/09/23/159123602/"),
    ("uk", "1000000000", "UAH", "1 млрд грн",
     "Орієнтовні загальні інвестиції в проєкт оцінюються на рівні 1 млрд грн", "https://bin.ua/news/economics/"),
    ("hi", "60000000000", "INR", "6,000 करोड़ रुपये",
     "खाद कारखाना करीब 6,000 करोड़ रुपये की लागत से तीन साल में बनकर", "http://business.kolar18.com/2016/09/6.html"),
    ("id", "930000000000000", "IDR", "Rp 930 triliun",
     "dengan nilai investasi yang diperkirakan mencapai Rp 930 triliun", "https://www.thecuy.com/2025/08/29/"),
    ("id", "10600000000000", "IDR", "Rp 10,6 triliun",
     "Industri semen ini rencana investasinya Rp 10,6 triliun", "https://finance.detik.com/"),
    ("vi", "44355000000000", "VND", "44.355 tỷ đồng",
     "Phương án làm cao tốc Quảng Ngãi - Kon Tum 44.355 tỷ đồng", "https://baodautu.vn/"),
    ("vi", "1400000000000", "VND", "1.400 tỷ đồng",
     "Khởi công nhà máy phụ tùng ô tô 1.400 tỷ đồng", "https://baodautu.vn/"),
    ("vi", "3000000000", "USD", "3 tỷ USD",
     "Tổng vốn đầu tư các dự án đã đi vào hoạt động tại PM3 đạt 3 tỷ USD", "https://cuocsongkinhdoanh.vn/"),
    ("th", "520680000000", "THB", "520,680 ล้านบาท",
     "คิดเป็นมูลค่าเงินลงทุนรวม 520,680 ล้านบาท", "http://thestatestimes.com/tag/boi"),
    ("th", "432000000000", "THB", "432,000 ล้านบาท",
     "มีมูลค่าสูงกว่าปี 2563 ทั้งปี (432,000 ล้านบาท)", "http://thestatestimes.com/tag/boi"),
]


def plain(text: str) -> str:
    """Spaces as a quote shows them: CLDR's no-break spaces keep a figure and its word on one line."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def compact(language: str, amount: str, currency: str) -> str:
    value = Value("x", "money", Decimal(amount), 1, {"currency": currency, "notation": "compact", "display": "symbol"})
    return plain(Formatter(Locale.parse(language)).format(value))


@pytest.mark.parametrize("language, amount, currency, expected, quote, where", PRESS,
                         ids=[f"{case[0]}-{case[3]}" for case in PRESS])
def test_compact_money_as_the_press_writes_it(language, amount, currency, expected, quote, where) -> None:
    assert expected in quote, where  # the expectation is the press's own words
    assert compact(language, amount, currency) == expected


def test_every_language_the_issue_names_is_quoted() -> None:
    quoted = {case[0].split("_")[0] for case in PRESS}
    assert {"es", "pt", "it", "nl", "pl", "tr", "ru", "uk", "hi", "id", "vi", "th"} <= quoted


@pytest.mark.parametrize("language, amount, expected", [
    ("tr", "1200000000", "1,2 milyar İsviçre frangı"),  # not "1,2 Mr CHF"
    ("ru", "1200000000", "1,2 млрд швейцарских франков"),  # the genitive plural a magnitude word governs
    ("ru", "21000000", "21 млн швейцарских франков"),  # also where 21 alone would take the singular
    ("hi", "1200000000", "120 करोड़ स्विस फ़्रैंक"),  # Hindi news counts in crores, not "1.2 अरब"
    ("es", "1200000000", "1.200 millones de francos suizos"),  # not "1200 MCHF"
    ("pt_BR", "1200000000", "1,2 bilhão de francos suíços"),  # lower case: currency names are common nouns
])
def test_a_swiss_franc_amount_in_each_press(language, amount, expected) -> None:
    assert compact(language, amount, "CHF") == expected


@pytest.mark.parametrize("language, expected, quote, where", [
    ("hi", "13,00,000 टन", "इस कारखाने में हर साल 13 लाख टन यूरिया उत्पादन की योजना है",
     "http://business.kolar18.com/2016/09/6.html"),
    ("ko", "35,000톤", "최대 생산량은 연산 3만5,000톤 가량이 될 것으로", "http://www.snmnews.com/news/articleView.html"),
])
def test_a_tonne_is_named_as_the_press_names_it(language, expected, quote, where) -> None:
    """The press writes "टन" and "톤"; CLDR's long forms are "मीट्रिक टन" and "메트릭 톤"."""
    amount = "1300000" if language == "hi" else "35000"
    unit = Value("x", "unit", Decimal(amount), 1, {"unit": "mass-tonne", "display": "long"})
    text = plain(Formatter(Locale.parse(language)).format(unit))
    assert text == expected
    assert text.split()[-1].lstrip("0123456789,") in quote, where


def test_hebrew_tonnes_and_the_short_display_stay_cldrs() -> None:
    hebrew = Formatter(Locale.parse("he"))
    assert hebrew.format(Value("x", "unit", Decimal(120), 1, {"unit": "mass-tonne", "display": "long"})) == "120 טון"
    assert hebrew.format(Value("x", "unit", Decimal(120), 1, {"unit": "mass-tonne", "display": "short"})) == \
        "120 טון מ׳"
