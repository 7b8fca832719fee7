"""Merge a new ``.pot`` into an existing ``.po`` without ever losing a translation (like ``msgmerge``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import polib

#: Smallest similarity (0–100) for a changed message to inherit an old translation as a fuzzy suggestion.
#: GNU msgmerge uses 0.6 with an insert/delete edit distance, which is exactly RapidFuzz's ``fuzz.ratio``;
#: like msgmerge, it is computed on the UTF-8 bytes of the messages.
FUZZY_THRESHOLD = 60.0

Key = tuple[str | None, str]


@dataclass
class MergeReport:
    """What a merge did to one catalog, for the command's summary."""

    kept: int = 0
    fuzzy: int = 0
    revived: int = 0
    new: int = 0
    obsoleted: int = 0


def key_of(entry: polib.POEntry) -> Key:
    return (entry.msgctxt, entry.msgid)


def merge(catalog: polib.POFile, template: polib.POFile, nplurals: int) -> tuple[polib.POFile, MergeReport]:
    """The catalog for ``template``'s messages, carrying over everything translators wrote.

    - same context and msgid: translation, fuzzy flag and translator comments are kept;
    - the same message among obsolete entries: revived (no active and obsolete twin);
    - otherwise the most similar old translated message (preferring the same context) becomes a
      fuzzy suggestion with ``#| msgid`` previous: a translation from another context is never
      taken as final, so entries that differ only in context never swap;
    - old messages no longer used become obsolete (``#~``), old obsolete ones stay.
    """
    report = MergeReport()
    active: dict[Key, polib.POEntry] = {}
    obsolete: dict[Key, polib.POEntry] = {}
    obsolete_twins: list[polib.POEntry] = []  # kept as they are: nothing is dropped
    for entry in catalog:
        if not entry.obsolete:
            # read_catalog refuses duplicate active entries, so this never shadows a translation.
            active.setdefault(key_of(entry), entry)
        elif key_of(entry) in obsolete:
            obsolete_twins.append(entry)
        else:
            obsolete[key_of(entry)] = entry

    merged = polib.POFile(wrapwidth=catalog.wrapwidth)
    merged.header = catalog.header
    merged.metadata = dict(catalog.metadata)
    merged.header_fields = getattr(catalog, "header_fields", [])  # the header's own layout, for the writer
    merged.metadata_is_fuzzy = catalog.metadata_is_fuzzy
    if "POT-Creation-Date" in template.metadata:
        merged.metadata["POT-Creation-Date"] = template.metadata["POT-Creation-Date"]

    used: set[Key] = set()
    revived: set[Key] = set()
    pending: list[tuple[int, polib.POEntry]] = []
    entries: list[polib.POEntry | None] = []
    for new in template:
        key = key_of(new)
        old = active.get(key)
        if old is None and key in obsolete:
            old = obsolete[key]
            revived.add(key)
        if old is not None:
            used.add(key)
            entries.append(_carry_over(new, old, nplurals, fuzzy_source=False))
            if key in revived:
                report.revived += 1
            else:
                report.kept += 1
        else:
            pending.append((len(entries), new))
            entries.append(None)

    if pending:
        # As in msgmerge, every old translation may serve, even one that also matched exactly elsewhere.
        matcher = _FuzzyMatcher(list(active.values()) + list(obsolete.values()))
        for (index, new), source in zip(pending, matcher.best_matches([new for _, new in pending])):
            if source is None:
                entries[index] = untranslated_entry(new, nplurals)
                report.new += 1
            else:
                used.add(key_of(source))
                entries[index] = _carry_over(new, source, nplurals, fuzzy_source=True)
                report.fuzzy += 1

    for entry in entries:
        merged.append(entry)
    obsoleted: set[Key] = set()
    for key, old in active.items():
        if key in used or not (old.msgstr or any(old.msgstr_plural.values()) or old.tcomment):
            continue
        merged.append(_obsolete(old))
        obsoleted.add(key)
        report.obsoleted += 1
    for key, old in obsolete.items():
        # An entry obsoleted just now is newer than an obsolete twin of the same key; one copy is enough.
        if key not in revived and key not in obsoleted:
            merged.append(old)
    for old in obsolete_twins:
        merged.append(old)
    return merged, report


def closest_translations(candidates: list[polib.POEntry], new_entries: list[polib.POEntry]) -> list[polib.POEntry | None]:
    """For each new entry, the most similar translated candidate by the merge's rule, or None."""
    return _FuzzyMatcher(candidates).best_matches(new_entries)


class _FuzzyMatcher:
    """Finds, for new messages, the most similar translated old message.

    Like msgmerge, a translation made for one context is a fair *suggestion* for another (it is
    always marked fuzzy), but a candidate of the same context wins any tie, and among equals the
    first in the old catalog wins. Scores come from RapidFuzz's ``cdist`` on all cores, a block of
    queries at a time to bound memory.

    The answer is exactly that of one ``cdist`` over every pair with the threshold as cutoff; less
    work finds it (benchmarks/update_10k.py):

    - length: the similarity is 2·LCS / (a + b), so reaching 60 needs 3·a/7 ≤ b ≤ 7·a/3; queries go in
      blocks of similar length, and a block meets only the candidates in its range;
    - every pair with a message of at most 64 bytes goes to RapidFuzz's SIMD kernel, which packs
      several short strings into one vector, the short side as its queries (the score is symmetric).

    No filter on shared words or character n-grams is exact at this threshold (two messages can be
    60 % alike without one word in common), and on messages drawn from one vocabulary none rules out
    many pairs, so none is used.
    """

    _BLOCK = 256
    _SIMD_BYTES = 64  # RapidFuzz's multi-string kernels take strings up to 64 bytes

    def __init__(self, candidates: list[polib.POEntry]):
        import numpy

        self._entries = [e for e in candidates if e.msgstr or any(e.msgstr_plural.values())]
        self._ids = [e.msgid.encode("utf-8") for e in self._entries]
        self._lengths = numpy.array([len(i) for i in self._ids], dtype=numpy.int64)
        columns: dict[str | None, list[int]] = defaultdict(list)
        for column, entry in enumerate(self._entries):
            columns[entry.msgctxt].append(column)
        self._columns = dict(columns)

    def best_matches(self, new_entries: list[polib.POEntry]) -> list[polib.POEntry | None]:
        if not self._entries:
            return [None] * len(new_entries)
        queries = [e.msgid.encode("utf-8") for e in new_entries]
        order = sorted(range(len(queries)), key=lambda i: len(queries[i]))
        found: list[polib.POEntry | None] = [None] * len(new_entries)
        for start in range(0, len(order), self._BLOCK):
            block = order[start : start + self._BLOCK]
            scores = self._scores([queries[i] for i in block], FUZZY_THRESHOLD)
            for row, index in zip(scores, block):
                found[index] = self._best(row, new_entries[index])
        return found

    def _best(self, row, new: polib.POEntry) -> polib.POEntry | None:
        column = int(row.argmax())  # the first of equal maxima: old catalog order
        best = float(row[column])
        if best < FUZZY_THRESHOLD:
            return None
        same = self._columns.get(new.msgctxt)
        if self._entries[column].msgctxt != new.msgctxt and same:
            same_scores = row[same]
            position = int(same_scores.argmax())
            if float(same_scores[position]) >= best:
                column = same[position]
        return self._entries[column]

    def _scores(self, queries: list[bytes], cutoff: float):
        """``cdist(queries, candidates)`` with ``score_cutoff=cutoff``: 0 for every pair below it."""
        import numpy

        scores = numpy.zeros((len(queries), len(self._ids)), dtype=numpy.float32)
        lengths = [len(q) for q in queries]
        # One spare byte each way, so that rounding never drops a pair: RapidFuzz applies the cutoff itself.
        low = min(lengths) * cutoff / (200 - cutoff) - 1
        high = max(lengths) * (200 - cutoff) / cutoff + 1
        possible = (self._lengths >= low) & (self._lengths <= high)
        short_columns = numpy.nonzero(possible & (self._lengths <= self._SIMD_BYTES))[0]
        long_columns = numpy.nonzero(possible & (self._lengths > self._SIMD_BYTES))[0]
        short_rows = [i for i, n in enumerate(lengths) if n <= self._SIMD_BYTES]
        long_rows = [i for i, n in enumerate(lengths) if n > self._SIMD_BYTES]
        all_columns = numpy.concatenate([short_columns, long_columns])

        def ids(columns) -> list[bytes]:
            return [self._ids[c] for c in columns]

        if short_rows and len(all_columns):
            scores[numpy.ix_(short_rows, all_columns)] = _cdist([queries[i] for i in short_rows], ids(all_columns), cutoff)
        if long_rows and len(short_columns):
            scores[numpy.ix_(long_rows, short_columns)] = _cdist(ids(short_columns), [queries[i] for i in long_rows], cutoff).T
        if long_rows and len(long_columns):
            scores[numpy.ix_(long_rows, long_columns)] = _cdist([queries[i] for i in long_rows], ids(long_columns), cutoff)
        return scores


def _cdist(queries: list[bytes], choices: list[bytes], cutoff: float):
    import numpy
    from rapidfuzz import fuzz, process  # here: a build reads catalogs through this package, never merges

    return process.cdist(queries, choices, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff,
                         dtype=numpy.float32, workers=-1)


def _carry_over(new: polib.POEntry, old: polib.POEntry, nplurals: int, fuzzy_source: bool) -> polib.POEntry:
    entry = untranslated_entry(new, nplurals)
    entry.tcomment = old.tcomment
    # A lone "# " line (an empty translator comment) is the translator's too, as msgmerge keeps it.
    entry.blank_comments |= {"#"} & getattr(old, "blank_comments", set())
    fuzzy = fuzzy_source or "fuzzy" in old.flags
    if bool(new.msgid_plural) == bool(old.msgid_plural):
        entry.msgstr = old.msgstr
        if new.msgid_plural:
            entry.msgstr_plural = {i: old.msgstr_plural.get(i, "") for i in range(nplurals)}
    elif new.msgid_plural:
        # Singular became plural: offer the old text for every form, for the translator to adapt.
        entry.msgstr_plural = {i: old.msgstr for i in range(nplurals)}
        fuzzy = True
    else:
        entry.msgstr = old.msgstr_plural.get(0, "")
        fuzzy = True
    if fuzzy:
        entry.flags.append("fuzzy")
        if fuzzy_source:
            entry.previous_msgid = old.msgid
            entry.previous_msgid_plural = old.msgid_plural or None
            entry.previous_msgctxt = old.msgctxt
        else:
            entry.previous_msgid = old.previous_msgid
            entry.previous_msgid_plural = old.previous_msgid_plural
            entry.previous_msgctxt = old.previous_msgctxt
    return entry


def untranslated_entry(new: polib.POEntry, nplurals: int) -> polib.POEntry:
    """A template's entry as an empty catalog entry: its text, context, references and flags, no translation."""
    entry = polib.POEntry(
        msgid=new.msgid,
        msgctxt=new.msgctxt,
        msgid_plural=new.msgid_plural,
        msgstr="",
        msgstr_plural={i: "" for i in range(nplurals)} if new.msgid_plural else {},
        occurrences=list(new.occurrences),
        comment=new.comment,
        flags=[f for f in new.flags if f != "fuzzy"],
    )
    entry.blank_comments = {"#."} & getattr(new, "blank_comments", set())
    return entry


def _obsolete(old: polib.POEntry) -> polib.POEntry:
    entry = polib.POEntry(
        msgid=old.msgid,
        msgctxt=old.msgctxt,
        msgid_plural=old.msgid_plural,
        msgstr=old.msgstr,
        msgstr_plural=dict(old.msgstr_plural),
        tcomment=old.tcomment,
        flags=list(old.flags),
        obsolete=True,
    )
    entry.blank_comments = {"#"} & getattr(old, "blank_comments", set())
    return entry
