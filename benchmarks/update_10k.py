"""Time `pubkit update`'s merge on a 10,000-message catalog against GNU msgmerge, and compare what each keeps.

    .venv/bin/python benchmarks/update_10k.py [--messages 10000] [--edited 500] [--new 1000] [--no-msgmerge]

Target (issue 5): ≤ 2 s for 10,000 messages, finding at least the fuzzy matches msgmerge finds;
with the translation memory's lookups (issue 11) still ≤ 2 s.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import polib

from pubkit.catalog.catalogs import render
from pubkit.catalog.checks import translation_errors
from pubkit.catalog.memory import Memory, fill, remember_catalog
from pubkit.catalog.merge import merge

VOCABULARY = (
    "aluminium park plant opens investment area staff hectare billion euro yuan group science industry "
    "cooperation conference development processing value chain recycling bauxite mining products city "
    "province association institute academy engine growth cluster upstream downstream companies"
).split()


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(4, 24))).capitalize() + "."


def make_inputs(messages: int, edited: int, added: int, seed: int = 7):
    rng = random.Random(seed)
    ids = list(dict.fromkeys(sentence(rng) for _ in range(messages * 2)))[:messages]
    old = polib.POFile()
    old.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "de", "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    for msgid in ids:
        old.append(polib.POEntry(msgid=msgid, msgstr="DE " + msgid))
    new_ids = list(ids)
    for index in rng.sample(range(messages), edited):
        words = new_ids[index].split()
        words.insert(rng.randrange(len(words)), rng.choice(VOCABULARY))
        new_ids[index] = " ".join(words)
    new_ids += [sentence(rng) + " (new)" for _ in range(added)]
    template = polib.POFile()
    template.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for msgid in dict.fromkeys(new_ids):
        template.append(polib.POEntry(msgid=msgid, msgstr=""))
    return old, template


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--edited", type=int, default=500)
    parser.add_argument("--new", type=int, default=1_000)
    parser.add_argument("--no-msgmerge", action="store_true")
    args = parser.parse_args()
    old, template = make_inputs(args.messages, args.edited, args.new)

    started = time.perf_counter()
    merged, report = merge(old, template, nplurals=2)
    ours = time.perf_counter() - started
    print(f"pubkit merge   {ours:7.2f} s   kept {report.kept}, fuzzy {report.fuzzy}, new {report.new}, obsolete {report.obsoleted}")

    # Translation memory: another release's catalog of the same language (10,000 other translated
    # messages, none shared: the worst case) fills the merged catalog's untranslated messages, exact or
    # close, as `pubkit update` does after merging.
    other, _ = make_inputs(args.messages, 0, 0, seed=8)
    started = time.perf_counter()
    memory = Memory(rejects=lambda entry, text: bool(translation_errors(entry, text, "de", "en")))  # as `update`
    remember_catalog(memory, other, "other.po", (1,))
    filled = fill(merged, memory, "this.po")
    recall = time.perf_counter() - started
    print(f"pubkit memory  {recall:7.2f} s   filled {filled}; merge + memory {ours + recall:.2f} s "
          f"(target ≤ 2 s: {'met' if ours + recall <= 2 else 'NOT met'})")

    if args.no_msgmerge or shutil.which("msgmerge") is None:
        return
    with tempfile.TemporaryDirectory() as folder:
        old_path, pot_path, out_path = (Path(folder) / n for n in ("old.po", "new.pot", "out.po"))
        old_path.write_text(render(old), encoding="utf-8")
        pot_path.write_text(render(template), encoding="utf-8")
        started = time.perf_counter()
        subprocess.run(["msgmerge", "-q", "--previous", "-o", str(out_path), str(old_path), str(pot_path)], check=True)
        theirs = time.perf_counter() - started
        gnu = polib.pofile(str(out_path))
    gnu_fuzzy = {e.msgid for e in gnu if "fuzzy" in e.flags and not e.obsolete}
    our_fuzzy = {e.msgid for e in merged if "fuzzy" in e.flags and not e.obsolete}
    print(f"GNU msgmerge   {theirs:7.2f} s   fuzzy {len(gnu_fuzzy)}")
    print(f"fuzzy matches msgmerge found that pubkit missed: {len(gnu_fuzzy - our_fuzzy)}; target ≤ 2 s: "
          f"{'met' if ours <= 2 else 'NOT met'}")


if __name__ == "__main__":
    main()
