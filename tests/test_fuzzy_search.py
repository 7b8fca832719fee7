"""The merge's fuzzy search finds exactly what one RapidFuzz ``cdist`` over every pair finds.

The search skips pairs whose lengths cannot reach the threshold and sends short messages to RapidFuzz's
SIMD kernel (merge._FuzzyMatcher); these tests hold it to the plain search it replaced, on a real
catalog's history (Poedit's German catalog, tests/data/po-history) and on generated messages.
"""

from __future__ import annotations

import json
from collections import defaultdict

import numpy
import polib
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from conftest import DATA
from pubkit.catalog.merge import FUZZY_THRESHOLD, closest_translations

HISTORY = DATA / "po-history" / "poedit-de.json"


def plain_search(candidates: list[polib.POEntry], queries: list[polib.POEntry]) -> list[polib.POEntry | None]:
    """Every pair scored, the best taken: the first of equal maxima, a same-context candidate on a tie."""
    entries = [e for e in candidates if e.msgstr]
    if not entries:
        return [None] * len(queries)
    same: dict[str | None, list[int]] = defaultdict(list)
    for column, entry in enumerate(entries):
        same[entry.msgctxt].append(column)
    scores = process.cdist([q.msgid.encode() for q in queries], [e.msgid.encode() for e in entries],
                           scorer=fuzz.ratio, processor=None, score_cutoff=FUZZY_THRESHOLD, dtype=numpy.float32)
    found = []
    for row, query in zip(scores, queries):
        column = int(row.argmax())
        if row[column] < FUZZY_THRESHOLD:
            found.append(None)
            continue
        if entries[column].msgctxt != query.msgctxt and same.get(query.msgctxt):
            position = int(row[same[query.msgctxt]].argmax())
            if row[same[query.msgctxt]][position] >= row[column]:
                column = same[query.msgctxt][position]
        found.append(entries[column])
    return found


def assert_same_matches(candidates: list[polib.POEntry], queries: list[polib.POEntry]) -> int:
    ours = closest_translations(candidates, queries)
    expected = plain_search(candidates, queries)
    assert [id(e) if e else None for e in ours] == [id(e) if e else None for e in expected]
    return sum(e is not None for e in expected)


def test_a_real_catalog_history_gets_the_same_suggestions() -> None:
    history = json.loads(HISTORY.read_text(encoding="utf-8"))
    strings = history["strings"]
    found = 0
    for pair in history["pairs"]:
        candidates = [polib.POEntry(msgctxt=context, msgid=strings[i], msgstr="x") for context, i in pair["candidates"]]
        queries = [polib.POEntry(msgctxt=context, msgid=strings[i]) for context, i in pair["queries"]]
        found += assert_same_matches(candidates, queries)
        # Every version's messages against the one after it, and each message against its old self too.
        found += assert_same_matches(candidates, candidates[::-1])
    assert found > 500  # the history has plenty of edited messages to find


words = st.sampled_from(["a", "é", "plant", "the", "Weihai", "aluminium", "{area}", "x" * 40, "中文", " "])
texts = st.lists(words, min_size=1, max_size=30).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([None, "title"]), texts), min_size=1, max_size=40),
       st.lists(st.tuples(st.sampled_from([None, "title"]), texts), min_size=1, max_size=300))
def test_generated_messages_of_every_length_get_the_same_suggestions(old, new) -> None:
    # Lengths on both sides of 64 bytes (the SIMD kernel's limit) and of the length bounds; over 256
    # queries, so that blocks of different lengths meet.
    candidates = [polib.POEntry(msgctxt=c, msgid=m, msgstr="x") for c, m in old]
    queries = [polib.POEntry(msgctxt=c, msgid=m) for c, m in new]
    assert_same_matches(candidates, queries)
