"""`pubkit update`: merge the templates into every catalog and never lose a translation."""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib
import pytest

from conftest import msgfmt_check, snapshot
from pubkit.catalog.merge import merge

LAUNCH_DE = Path("locale/de/LC_MESSAGES/launch.po")


def translate(path: Path, translate_entry) -> None:
    catalog = polib.pofile(str(path))
    for entry in catalog:
        if not entry.obsolete:
            translate_entry(entry)
    catalog.save()


def german(entry: polib.POEntry) -> None:
    entry.msgstr = {"Open": "Offen" if entry.msgctxt is None else "Öffnen"}.get(entry.msgid, "DE " + entry.msgid)


def edit_source(project: Path, old: str, new: str) -> None:
    source = project / "sources" / "launch.md"
    text = source.read_text(encoding="utf-8")
    assert old in text
    source.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def translated(make_project) -> Path:
    """The mini project with a complete German catalog, a translator comment and a translator's header."""
    mini = make_project("mini", catalogs=True)
    translate(mini / LAUNCH_DE, german)
    catalog = polib.pofile(str(mini / LAUNCH_DE))
    catalog.find("A new plant opens", msgctxt="title").tcomment = "Checked with the press office"
    catalog.metadata["Last-Translator"] = "Erika Mustermann <erika@example.com>"
    catalog.metadata["X-Review"] = "done"
    catalog.save()
    return mini


def entry(catalog: polib.POFile, msgid: str, context: str | None = None, obsolete: bool = False) -> polib.POEntry:
    found = [e for e in catalog if e.msgid == msgid and e.msgctxt == context and e.obsolete == obsolete]
    assert len(found) == 1, f"{msgid!r}: {len(found)} entries"
    return found[0]


def test_update_creates_missing_catalogs_for_every_language(mini: Path, run) -> None:
    assert run("extract", cwd=mini).code == 0
    result = run("update", cwd=mini)
    assert result.code == 0, result.err
    for language in ("de", "zh_CN"):
        for domain in ("launch", "templates"):
            path = mini / "locale" / language / "LC_MESSAGES" / f"{domain}.po"
            assert path.exists()
            assert msgfmt_check(path).returncode == 0


def test_the_translation_cycle_keeps_every_translation(translated: Path, run) -> None:
    before = polib.pofile(str(translated / LAUNCH_DE))
    edit_source(translated, "with *new* jobs for", "with *new* jobs for about")  # changed
    edit_source(translated, "> A quote from the *chief engineer*.\n", "")  # removed
    edit_source(translated, "Line with a hard break", "A brand-new closing paragraph.\n\nLine with a hard break")  # new
    assert run("extract", cwd=translated).code == 0

    result = run("update", cwd=translated)

    assert result.code == 0, result.err
    assert "locale/de/LC_MESSAGES/launch.po: 13 kept, 1 fuzzy, 0 revived, 1 new, 1 obsolete" in result.out
    after = polib.pofile(str(translated / LAUNCH_DE))
    # Unchanged messages: translation, flags and translator comment kept.
    title = entry(after, "A new plant opens", "title")
    assert title.msgstr == "DE A new plant opens" and "fuzzy" not in title.flags
    assert title.tcomment == "Checked with the press office"
    # Changed message: the old translation as a fuzzy suggestion, with the previous msgid.
    changed = next(e for e in after if "jobs for about" in e.msgid)
    old = next(e for e in before if "jobs for {people}" in e.msgid and e.msgid.startswith("The plant"))
    assert changed.msgstr == old.msgstr
    assert "fuzzy" in changed.flags and "python-brace-format" in changed.flags
    assert changed.previous_msgid == old.msgid
    # Removed message: obsolete, translation intact.
    quote = entry(after, "A quote from the *chief engineer*.", obsolete=True)
    assert quote.msgstr == "DE A quote from the *chief engineer*."
    # New message: untranslated.
    assert entry(after, "A brand-new closing paragraph.").msgstr == ""
    # Header fields a translator set are kept.
    assert after.metadata["Last-Translator"] == "Erika Mustermann <erika@example.com>"
    assert after.metadata["X-Review"] == "done"
    checked = msgfmt_check(translated / LAUNCH_DE)
    assert checked.returncode == 0, checked.stderr


def test_a_message_that_comes_back_revives_its_translation(translated: Path, run) -> None:
    original = (translated / "sources" / "launch.md").read_text(encoding="utf-8")
    edit_source(translated, "> A quote from the *chief engineer*.\n", "")
    assert run("extract", cwd=translated).code == 0
    assert run("update", cwd=translated).code == 0
    (translated / "sources" / "launch.md").write_text(original, encoding="utf-8")
    assert run("extract", cwd=translated).code == 0

    result = run("update", cwd=translated)

    assert "1 revived" in result.out
    after = polib.pofile(str(translated / LAUNCH_DE))
    revived = entry(after, "A quote from the *chief engineer*.")
    assert revived.msgstr == "DE A quote from the *chief engineer*." and "fuzzy" not in revived.flags
    assert not [e for e in after if e.obsolete and e.msgid == revived.msgid], "no active and obsolete twin"
    checked = msgfmt_check(translated / LAUNCH_DE)
    assert checked.returncode == 0, checked.stderr


def test_same_msgid_in_other_contexts_never_swap_translations(translated: Path, run) -> None:
    # Swap the order of the two "Open" blocks and rename the context of the first one.
    edit_source(translated, "<!-- i18n: context button -->\nOpen\n\nOpen\n", "Open\n\n<!-- i18n: context action -->\nOpen\n")
    assert run("extract", cwd=translated).code == 0
    assert run("update", cwd=translated).code == 0
    after = polib.pofile(str(translated / LAUNCH_DE))
    plain = entry(after, "Open")
    assert plain.msgstr == "Offen" and "fuzzy" not in plain.flags
    # As with msgmerge, the old context's translation is offered, but only as a fuzzy suggestion.
    action = entry(after, "Open", "action")
    assert action.msgstr == "Öffnen" and "fuzzy" in action.flags
    assert action.previous_msgctxt == "button"


def test_update_twice_changes_nothing(translated: Path, run) -> None:
    edit_source(translated, "with *new* jobs for", "with *new* jobs for about")
    assert run("extract", cwd=translated).code == 0
    assert run("update", cwd=translated).code == 0
    before = snapshot(translated)
    result = run("update", cwd=translated)
    assert snapshot(translated) == before
    assert result.out.count("(unchanged)") == 4


def test_update_writes_atomically_and_leaves_no_temporary_files(translated: Path, run) -> None:
    edit_source(translated, "Production starts", "Production begins")
    assert run("extract", cwd=translated).code == 0
    assert run("update", cwd=translated).code == 0
    leftovers = [p.name for p in (translated / "locale").rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"]
    assert leftovers == []


def test_fuzzy_flag_and_previous_msgid_of_an_untouched_entry_are_kept(translated: Path, run) -> None:
    edit_source(translated, "Production starts in spring", "Production starts in early spring")
    assert run("extract", cwd=translated).code == 0
    assert run("update", cwd=translated).code == 0
    assert run("update", cwd=translated).code == 0  # a second merge must not clear the suggestion's state
    after = polib.pofile(str(translated / LAUNCH_DE))
    subtitle = entry(after, "Production starts in early spring", "subtitle")
    assert "fuzzy" in subtitle.flags
    assert subtitle.previous_msgid == "Production starts in spring"
    assert subtitle.previous_msgctxt == "subtitle"


# --- Side by side with GNU msgmerge ---------------------------------------------------------------


def msgmerge(old: Path, template: Path, out: Path) -> polib.POFile:
    subprocess.run(["msgmerge", "--quiet", "--previous", "-o", str(out), str(old), str(template)], check=True)
    return polib.pofile(str(out))


def kept_translations(catalog: polib.POFile) -> set[tuple[str | None, str, str]]:
    return {(e.msgctxt, e.msgid, e.msgstr) for e in catalog if not e.obsolete and e.msgstr}


def all_translations(catalog: polib.POFile) -> set[str]:
    return {e.msgstr for e in catalog if e.msgstr}


def test_pubkit_keeps_what_msgmerge_keeps_on_the_same_inputs(translated: Path, run, tmp_path: Path) -> None:
    old = tmp_path / "old.po"
    old.write_bytes((translated / LAUNCH_DE).read_bytes())
    edit_source(translated, "with *new* jobs for", "with *new* jobs for about")
    edit_source(translated, "Built in **record** time", "Built in **record** time by a local team")
    edit_source(translated, "> A quote from the *chief engineer*.\n", "> A quote from our *chief engineer*.\n")
    edit_source(translated, "North hall", "South hall")
    assert run("extract", cwd=translated).code == 0
    assert run("update", cwd=translated).code == 0

    ours = polib.pofile(str(translated / LAUNCH_DE))
    gnu = msgmerge(old, translated / "locale" / "launch.pot", tmp_path / "gnu.po")

    assert kept_translations(gnu) <= kept_translations(ours)
    assert {e.msgid for e in gnu if "fuzzy" in e.flags} <= {e.msgid for e in ours if "fuzzy" in e.flags}
    assert all_translations(gnu) <= all_translations(ours)


def test_merge_on_a_catalog_with_plural_entries_matches_msgmerge(tmp_path: Path) -> None:
    header = (
        'msgid ""\nmsgstr ""\n"Language: ru\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && '
        '(n%100<10 || n%100>=20) ? 1 : 2);\\n"\n\n'
    )
    old = tmp_path / "old.po"
    old.write_text(
        header + 'msgid "{n} page"\nmsgid_plural "{n} pages"\nmsgstr[0] "{n} страница"\n'
        'msgstr[1] "{n} страницы"\nmsgstr[2] "{n} страниц"\n',
        encoding="utf-8",
    )
    template = tmp_path / "new.pot"
    template.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "{n} printed page"\nmsgid_plural "{n} printed pages"\nmsgstr[0] ""\nmsgstr[1] ""\n',
        encoding="utf-8",
    )
    merged, report = merge(polib.pofile(str(old)), polib.pofile(str(template)), nplurals=3)
    gnu = msgmerge(old, template, tmp_path / "gnu.po")
    ours = merged[0]
    theirs = next(e for e in gnu if not e.obsolete)
    assert report.fuzzy == 1
    assert ours.msgstr_plural == theirs.msgstr_plural
    assert "fuzzy" in ours.flags and ours.previous_msgid == theirs.previous_msgid
