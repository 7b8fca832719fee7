"""The source reader: which Markdown becomes a message, with which text, line, context and comment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from pubkit import SourceError, load_project, read_source, read_sources
from pubkit.source.sources import message_text, placeholders_in


@pytest.fixture
def launch(mini: Path):
    return read_source(mini / "sources" / "launch.md")


def by_id(source, msgid, context=None):
    found = [m for m in source.messages if m.msgid == msgid and m.context == context]
    assert found, f"no message {msgid!r} (context {context!r}) in {[m.msgid for m in source.messages]}"
    return found[0]


def test_front_matter_fields_are_messages_with_their_field_as_context(launch) -> None:
    assert by_id(launch, "A new plant opens", "title").line == 2
    assert by_id(launch, "Production starts in spring", "subtitle").line == 3
    assert by_id(launch, "Berlin", "place").line == 4
    assert launch.fields["date"] == dt.date(2024, 3, 1)


def test_every_block_kind_is_one_message_at_its_first_line(launch) -> None:
    assert by_id(launch, "Opening on {day}").line == 13  # heading
    paragraph = by_id(
        launch,
        "The plant covers {area} and cost {cost}, with *new* jobs for {people} people. "
        "The second line of the same paragraph keeps [our link](https://example.com/plant) "
        "and `{code}` stays code, while \\{escaped\\} braces are text.",
    )
    assert paragraph.line == 15
    assert by_id(launch, "Built in **record** time").line == 21  # list item, markup verbatim
    assert by_id(launch, "A quote from the *chief engineer*.").line == 31  # block quote
    assert by_id(launch, "Site").line == 33  # table header cell
    assert by_id(launch, "North hall").line == 35  # table body cell
    assert by_id(launch, "Aerial view of the plant").line == 37  # image alt text


def test_what_is_not_a_message(launch) -> None:
    ids = [m.msgid for m in launch.messages]
    assert not any("published as written" in i for i in ids), "i18n: skip must keep the block out"
    assert not any("code blocks" in i for i in ids), "code blocks are not translated"
    assert "{area}" not in ids, "a cell holding only a placeholder needs no translator"
    assert "plant.png" not in " ".join(ids)


def test_directives(launch) -> None:
    facts = by_id(launch, "Share of exports: {share}")
    assert facts.comments == ("a list of key facts; keep it short.",)
    assert by_id(launch, "Built in **record** time").comments == facts.comments
    assert by_id(launch, "Open", "button").line == 27
    assert by_id(launch, "Open", None).line == 29, "a context applies to the next block only"


def test_placeholders_and_flags(launch) -> None:
    paragraph = next(m for m in launch.messages if m.msgid.startswith("The plant covers"))
    # {code} is inside a code span and \{escaped\} is escaped: neither is a placeholder.
    assert paragraph.placeholders == ("area", "cost", "people")
    assert paragraph.flags == ("python-brace-format",)
    assert by_id(launch, "Site").flags == ()


def test_hard_line_breaks_survive_and_soft_ones_become_spaces() -> None:
    assert message_text("one\ntwo") == "one two"
    assert message_text("one  \ntwo") == "one\\\ntwo"
    assert message_text("one\\\ntwo") == "one\\\ntwo"


def test_placeholders_in_ignores_code_and_escapes() -> None:
    assert placeholders_in("a {x} `{y}` \\{z\\} **{w}** [{v}](http://x)") == ["x", "w", "v"]


def test_values_are_typed_and_exact(launch) -> None:
    values = launch.values
    assert values["day"].kind == "date" and values["day"].amount == dt.date(2024, 3, 4)
    assert values["day"].options == {"skeleton": "MMMMd"}
    assert values["cost"].amount == Decimal("1250000000")
    assert values["cost"].options == {"currency": "EUR", "notation": "compact", "display": "symbol"}
    assert values["area"].amount == Decimal("12.5") and values["area"].unit == "area-hectare"
    # 0.125 stays exactly 0.125: no float on the way to the formatter.
    assert values["share"].amount == Decimal("0.125")
    assert values["people"].amount == Decimal(2500)


def test_bom_and_crlf_are_read(tmp_path: Path, mini: Path) -> None:
    text = (mini / "sources" / "launch.md").read_text(encoding="utf-8")
    path = tmp_path / "crlf.md"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    plain = read_source(mini / "sources" / "launch.md")
    assert [(m.msgid, m.line) for m in read_source(path).messages] == [(m.msgid, m.line) for m in plain.messages]


def test_slug_from_front_matter_and_sorted_sources(mini: Path) -> None:
    (mini / "sources" / "b-second.md").write_text("---\ntitle: Second\nslug: zeta\n---\nBody.\n", encoding="utf-8")
    (mini / "sources" / "a-first.md").write_text("---\ntitle: First\n---\nBody.\n", encoding="utf-8")
    assert [s.slug for s in read_sources(load_project(mini))] == ["a-first", "zeta", "launch"]


def test_error_carries_path_and_line(mini: Path) -> None:
    bad = mini / "sources" / "launch.md"
    bad.write_text("---\ntitle: T\n---\nA {missing} value.\n", encoding="utf-8")
    with pytest.raises(SourceError) as info:
        read_source(bad)
    assert info.value.path == bad and info.value.line == 4
