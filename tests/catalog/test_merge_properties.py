"""Properties of the merge over generated catalogs: no translation is ever lost, and msgmerge agrees."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import polib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pubkit.catalog.catalogs import render
from pubkit.catalog.merge import merge

WORDS = ["plant", "opens", "park", "hall", "area", "staff", "{area}", "new", "the", "of", "Weihai", "aluminium", "é"]
CONTEXTS = [None, None, None, "title", "button"]

sentences = st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join)
keys = st.tuples(st.sampled_from(CONTEXTS), sentences)


@st.composite
def old_and_new(draw):
    """An old translated catalog and a new template that keeps some messages, edits some, adds some."""
    old_keys = draw(st.lists(keys, min_size=1, max_size=12, unique=True))
    old = []
    for context, msgid in old_keys:
        state = draw(st.sampled_from(["translated", "translated", "fuzzy", "untranslated", "obsolete"]))
        msgstr = "" if state == "untranslated" else f"T[{msgid}]"
        old.append((context, msgid, msgstr, state))
    kept = draw(st.lists(st.sampled_from(old_keys), unique=True))
    edited = [(c, m + " " + draw(st.sampled_from(WORDS))) for c, m in draw(st.lists(st.sampled_from(old_keys), unique=True))]
    added = draw(st.lists(keys, max_size=4))
    new_keys = list(dict.fromkeys(kept + edited + added))
    return old, new_keys


def build_old(old) -> polib.POFile:
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "de",
                        "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    for context, msgid, msgstr, state in old:
        catalog.append(polib.POEntry(msgctxt=context, msgid=msgid, msgstr=msgstr,
                                     flags=["fuzzy"] if state == "fuzzy" else [], obsolete=state == "obsolete"))
    return catalog


def build_template(new_keys) -> polib.POFile:
    template = polib.POFile()
    template.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for context, msgid in new_keys:
        template.append(polib.POEntry(msgctxt=context, msgid=msgid, msgstr=""))
    return template


@settings(max_examples=300, deadline=None)
@given(old_and_new())
def test_every_translation_still_in_the_template_is_kept(case) -> None:
    old, new_keys = case
    merged, _ = merge(build_old(old), build_template(new_keys), nplurals=2)
    result = {(e.msgctxt, e.msgid): e for e in merged if not e.obsolete}
    for context, msgid, msgstr, state in old:
        if (context, msgid) in result and msgstr:
            entry = result[(context, msgid)]
            assert entry.msgstr == msgstr
            assert ("fuzzy" in entry.flags) == (state == "fuzzy")
    # Never lost: every old translation is somewhere in the result, active or obsolete.
    assert {s for _, _, s, _ in old if s} <= {e.msgstr for e in merged if e.msgstr}
    # Every template message is there once, in template order, and no key is both active and obsolete.
    assert [(e.msgctxt, e.msgid) for e in merged if not e.obsolete] == new_keys
    assert not {(e.msgctxt, e.msgid) for e in merged if e.obsolete} & set(new_keys)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(old_and_new())
def test_msgmerge_keeps_no_translation_that_pubkit_drops(case) -> None:
    old, new_keys = case
    old_catalog, template = build_old(old), build_template(new_keys)
    merged, _ = merge(old_catalog, template, nplurals=2)
    with tempfile.TemporaryDirectory() as folder:
        old_path, pot_path, out_path, ours_path = (Path(folder) / n for n in ("old.po", "new.pot", "gnu.po", "ours.po"))
        old_path.write_text(render(old_catalog), encoding="utf-8")
        pot_path.write_text(render(template), encoding="utf-8")
        ours_path.write_text(render(merged), encoding="utf-8")
        subprocess.run(["msgmerge", "-q", "--previous", "-o", str(out_path), str(old_path), str(pot_path)], check=True)
        gnu = polib.pofile(str(out_path))
        checked = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(ours_path)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
    ours = {(e.msgctxt, e.msgid): e for e in merged if not e.obsolete}
    for entry in gnu:
        if entry.obsolete or not entry.msgstr:
            continue
        mine = ours[(entry.msgctxt, entry.msgid)]
        assert mine.msgstr, f"msgmerge kept a translation for {entry.msgid!r}, pubkit did not"
        if "fuzzy" not in entry.flags:
            assert mine.msgstr == entry.msgstr and "fuzzy" not in mine.flags
