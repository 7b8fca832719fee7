"""The e-mail edition (`build --format email`): real .eml files read by two parsers, their HTML in a browser."""

from __future__ import annotations

import email
import re
import shutil
from email import policy
from pathlib import Path

import mailparser
import pytest
from lxml import html as lxml_html

from conftest import PROJECTS, copy_project, pdf_file, snapshot, with_contact
from pubkit import load_project
from pubkit.cli import main
from pubkit.publish.build import build
from pubkit.publish.mailtext import WIDTH, columns, wrap
from pubkit.publish.paths import mail_path

SLUG = "harbour-battery"
LANGUAGES = ("en", "de", "ar", "ja")


@pytest.fixture(scope="module")
def typeset(email_edition: Path) -> Path:
    return email_edition


def eml(root: Path, language: str, slug: str = SLUG) -> Path:
    return mail_path(load_project(root), slug, language)


def parse(path: Path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


def page_title(root: Path, language: str) -> str:
    """The release's translated title as its catalog has it (the source's for English)."""
    if language == "en":
        return "Rostock approves a hybrid battery plant in its harbour"
    po = (root / "locale" / language / "LC_MESSAGES" / f"{SLUG}.po").read_text(encoding="utf-8")
    return re.search(r'msgctxt "title"\nmsgid ".*"\nmsgstr "(.*)"', po).group(1)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_message_is_mixed_alternative_with_the_pdf(typeset: Path, language: str) -> None:
    message = parse(eml(typeset, language))
    assert [part.get_content_type() for part in message.walk()] == [
        "multipart/mixed", "multipart/alternative", "text/plain", "text/html", "application/pdf"]
    assert message["Subject"] == page_title(typeset, language)
    assert message["Content-Language"] == language
    assert message["Date"].datetime.isoformat() == "2025-03-10T12:00:00+00:00"  # the release's date, at noon UTC
    expected_from = "press-ar@nordlicht.example" if language == "ar" else "presse@nordlicht.example"
    assert message["From"].addresses[0].addr_spec == expected_from
    assert re.fullmatch(r"<[0-9a-f]{32}@nordlicht\.example>", message["Message-ID"])
    attachment = next(message.iter_attachments())
    assert attachment.get_filename() == f"{SLUG}-{language}.pdf"
    assert attachment.get_content() == pdf_file(typeset, SLUG, language).read_bytes()
    raw = eml(typeset, language).read_bytes()
    assert all(len(line) <= 78 for line in raw.split(b"\r\n")), "a line of the file is longer than RFC 5322's 78"
    assert raw.isascii() and b"\n" not in raw.replace(b"\r\n", b"")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_second_parser_reads_the_same_message(typeset: Path, language: str) -> None:
    """mail-parser reads the headers, both bodies and the attachment alike."""
    ours = parse(eml(typeset, language))
    theirs = mailparser.parse_from_bytes(eml(typeset, language).read_bytes())
    assert theirs.subject == page_title(typeset, language)
    assert theirs.message_id == ours["Message-ID"]
    assert theirs.from_[0][1] == ours["From"].addresses[0].addr_spec
    assert theirs.text_plain[0].strip() == ours.get_body(("plain",)).get_content().strip()
    assert theirs.text_html[0].strip() == ours.get_body(("html",)).get_content().strip()
    (attachment,) = theirs.attachments
    assert attachment["filename"] == f"{SLUG}-{language}.pdf"
    assert attachment["mail_content_type"] == "application/pdf"
    assert not theirs.defects


def test_the_same_inputs_give_the_same_bytes(typeset: Path, tmp_path: Path) -> None:
    again = with_contact(copy_project("typeset", tmp_path))
    build(load_project(again), languages=["de", "ja"], formats=("email",), jobs=2)  # the other languages listed
    for language in ("de", "ja"):
        assert eml(again, language).read_bytes() == eml(typeset, language).read_bytes()


def test_plain_text_reads_well_in_a_terminal(typeset: Path) -> None:
    text = parse(eml(typeset, "en")).get_body(("plain",)).get_content()
    lines = text.splitlines()
    assert all(columns(line) <= WIDTH or "https://" in line for line in lines)
    title = lines.index("Rostock approves a hybrid battery plant in its harbour")
    assert set(lines[title + 1]) == {"="} and len(lines[title + 1]) == len(lines[title])
    assert "Investment and funding" in lines and set(lines[lines.index("Investment and funding") + 1]) == {"-"}
    assert any(line.startswith("- Output: 250") for line in lines)
    # the table as aligned columns, the amounts right-aligned as the Markdown says (or left: both line up)
    header = next(i for i, line in enumerate(lines) if line.startswith("Item"))
    assert set(lines[header + 1].replace(" ", "")) == {"-"}
    rows = lines[header + 2: header + 4]
    assert [row.split("  ")[0] for row in rows] == ["Licence fee", "Contract with the cell supplier"]
    assert len({second_column(row) for row in lines[header: header + 4]}) == 1
    url = "https://nordlicht.example/press/hybrid-battery-storage-rostock-harbour"
    assert any(url in line for line in lines), "a long address stays whole on its line"


def test_a_table_of_wide_characters_lines_up_in_columns(typeset: Path) -> None:
    """Japanese characters take two columns: the cells after them still start in the same column."""
    lines = parse(eml(typeset, "ja")).get_body(("plain",)).get_content().splitlines()
    rule = next(i for i, line in enumerate(lines) if re.fullmatch(r"-+  -+", line))
    assert lines[rule + 1].startswith("ライセンス料")
    assert len({second_column(row) for row in lines[rule - 1: rule + 3]}) == 1
    assert all(columns(line) <= WIDTH for line in lines if "://" not in line)
    address = "https://nordlicht.example/press/hybrid-battery-storage-rostock-harbour"
    assert any(line.startswith(address + "で") for line in lines), "the address is whole, and ends where it ends"


def second_column(row: str) -> int:
    """The terminal column where a table row's second cell starts."""
    match = re.match(r"(.*?\S)( {2,})\S", row)
    return columns(match.group(1) + match.group(2))


def test_wrapping_breaks_between_cjk_characters_and_never_inside_an_address() -> None:
    japanese = "国際的な研究開発拠点として、" * 12
    lines = wrap(japanese)
    assert len(lines) > 1 and all(columns(line) <= WIDTH for line in lines)
    assert "".join(lines) == japanese.strip()
    assert not any(line.startswith("、") for line in lines), "no line starts with a closing comma (UAX #14)"
    url = "https://example.com/" + "a-very-long-path/" * 6
    assert url in wrap(f"Read it at {url} today, and tell your readers about it in your own words.")


def test_html_part_is_made_for_mail_clients(typeset: Path) -> None:
    for language, direction in (("en", "ltr"), ("ar", "rtl"), ("ja", "ltr")):
        html = parse(eml(typeset, language)).get_body(("html",)).get_content()
        document = lxml_html.document_fromstring(html)
        assert document.get("lang") == language and document.get("dir") == direction
        assert not document.xpath("//script | //link | //style | //@class | //*[starts-with(name(@*), 'on')]")
        assert not [e for e in document.iter() if any(a.startswith("on") for a in getattr(e, "attrib", {}))]
        assert document.xpath("//h1")[0].get("style"), "styles are inline"
        assert not document.xpath("//img[not(starts-with(@src, 'cid:'))]")
        for href in document.xpath("//a/@href"):
            assert href.startswith(("https://", "http://", "mailto:", "tel:")), href
        # "the *largest* storage project": italic in English; Arabic and Japanese have no italics (base.css)
        (emphasis,) = document.xpath("//blockquote//em")
        assert ("font-style: normal; font-weight: bold" in (emphasis.get("style") or "")) == (language != "en")


def test_images_travel_inside_the_message_as_cid_parts(tmp_path: Path) -> None:
    root = with_contact(copy_project("mini", tmp_path))
    build(load_project(root), languages=["en"], formats=("email",))
    message = parse(eml(root, "en", "launch"))
    related = next(p for p in message.walk() if p.get_content_type() == "multipart/related")
    image = next(p for p in related.iter_parts() if p.get_content_maintype() == "image")
    html = message.get_body(("html",)).get_content()
    assert f'src="cid:{image["Content-ID"].strip("<>")}"' in html
    assert image.get_content() == (PROJECTS / "mini" / "sources" / "plant.png").read_bytes()
    text = message.get_body(("plain",)).get_content()
    assert "our link [1]" in text and "[1] https://example.com/plant" in text
    assert "> A quote from the chief engineer." in text


def test_without_a_press_contact_email_is_one_clear_line(tmp_path: Path, capsys, monkeypatch) -> None:
    root = copy_project("mini", tmp_path)
    monkeypatch.chdir(root)
    before = snapshot(root)
    assert main(["build", "--format", "email", "--lang", "en"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and err.startswith("pubkit.toml:1: error:")
    assert "'email' in an [[organization.contact]] table" in err
    assert snapshot(root) == before, "nothing is built when no message could be"


def test_an_embargoed_release_is_written_only_when_asked_and_says_so(tmp_path: Path, capsys, monkeypatch) -> None:
    root = with_contact(copy_project("typeset", tmp_path))
    source = root / "sources" / f"{SLUG}.md"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "---\n", "---\nembargo: 2025-03-10T10:00:00+01:00\n", 1), encoding="utf-8")
    monkeypatch.chdir(root)
    now = ["--now", "2025-03-09T09:00:00+01:00"]
    assert main(["build", "--format", "email", "--lang", "de", *now]) == 0
    assert not list(root.rglob("*.eml"))
    assert main(["build", "--format", "email", "--lang", "de", "--include-embargoed", *now]) == 0
    capsys.readouterr()
    message = parse(eml(root, "de"))
    notice = "Sperrfrist bis 10. März 2025, 10:00 GMT+01:00"
    de_po = (root / "locale" / "de" / "LC_MESSAGES" / "templates.po").read_text(encoding="utf-8")
    if 'msgid "Embargoed until {moment}"' not in de_po:
        notice = "Embargoed until"
    assert message["Subject"].startswith(notice)
    assert message.get_body(("plain",)).get_content().startswith(notice)
    html = lxml_html.document_fromstring(message.get_body(("html",)).get_content())
    assert html.xpath("//body/div/p")[0].text_content().startswith(notice)


def test_a_value_is_never_split_across_lines(typeset: Path) -> None:
    """"30億元（約3.75億ユーロ）": the euro figure stays on one line, as on the page and in the PDF."""
    text = parse(eml(typeset, "ja")).get_body(("plain",)).get_content()
    assert "3.75億ユーロ" in text.replace("\u2060", "")
    assert "\x0e" not in text and "\x0f" not in text


def test_korean_lines_break_between_words() -> None:
    korean = "로스토크 시의회는 항구에 하이브리드 배터리 저장 시설을 건설하는 계획을 승인했습니다. " * 4
    lines = wrap(korean, keep_words=True)
    words = set(korean.split())
    assert len(lines) > 1 and all(word in words for line in lines for word in line.split())
    assert all(columns(line) <= WIDTH for line in lines)


def test_a_rebuild_writes_only_the_messages_whose_inputs_changed(typeset: Path, tmp_path: Path) -> None:
    assert build(load_project(typeset), formats=("email",)).written == []
    root = tmp_path / "copy"
    shutil.copytree(typeset, root, symlinks=True)
    catalog = root / "locale" / "de" / "LC_MESSAGES" / f"{SLUG}.po"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("Investition und Förderung",
                                                                   "Investitionen und Förderung"), encoding="utf-8")
    written = build(load_project(root), formats=("email",)).written
    assert sorted(p.name for p in written) == [f"{SLUG}-de.eml", f"{SLUG}-de.pdf"]
    assert "Investitionen und Förderung" in parse(eml(root, "de")).get_body(("plain",)).get_content()


@pytest.mark.parametrize("subject", [
    "ويتشياو تفتتح مجمعًا متطورًا لمعالجة الألومنيوم في ويهاي",
    "Sperrfrist bis 10. März 2025, 10:00 GMT+01:00: Rostock genehmigt einen Hybridspeicher im Hafen",
    "魏橋創業集団、威海市にハイエンドアルミ加工産業パークを開設 — Weiqiao opens a park in Weihai",
])
def test_a_long_subject_keeps_every_space_when_folded(subject: str) -> None:
    """Python 3.11's folder lost the space at a fold between encoded words (mail.py, _MailPolicy)."""
    from email.message import EmailMessage

    from pubkit.publish.mail import WRITE_POLICY

    message = EmailMessage(policy=policy.default)
    message["Subject"] = subject
    message.set_content("x")
    raw = message.as_bytes(policy=WRITE_POLICY)
    assert all(len(line) <= 78 for line in raw.split(b"\r\n"))
    assert email.message_from_bytes(raw, policy=policy.default)["Subject"] == subject
    assert mailparser.parse_from_bytes(raw).subject == subject
