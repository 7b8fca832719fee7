"""A synthetic publication project: N releases × M languages, pseudo-translated in every script.

    .venv/bin/python benchmarks/synthetic.py DIR [--releases 5] [--languages de,fr,ru,zh_CN,ja,ar,he,hi]

The pseudo-translations keep every placeholder and inline markup (so `pubkit check` passes) and
are written in each language's own script, so the fonts, shaping and subsetting work is real.
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

import polib

from pubkit import load_project
from pubkit.catalog.catalogs import extract, update

LANGUAGES = ["de", "fr", "ru", "zh_CN", "ja", "ar", "he", "hi"]
# Words of each script, for translations that look like the language to the shaper and the fonts.
SCRIPT_WORDS = {
    "de": "Werk Aluminium Verarbeitung Industriepark Zusammenarbeit Wissenschaft Entwicklung Standort".split(),
    "fr": "usine aluminium transformation parc coopération science développement filière".split(),
    "ru": "завод алюминий переработка парк сотрудничество наука развитие отрасль".split(),
    "zh_CN": "铝 加工 产业园 合作 科学 发展 集团 威海 山东 项目".split(),
    "ja": "アルミ 加工 産業 パーク 協力 科学 発展 グループ 威海 事業".split(),
    "ar": "مصنع الألومنيوم معالجة مجمع تعاون العلوم تطوير مجموعة".split(),
    "he": "מפעל אלומיניום עיבוד פארק שיתוף מדע פיתוח קבוצה".split(),
    "hi": "संयंत्र एल्युमिनियम प्रसंस्करण पार्क सहयोग विज्ञान विकास समूह".split(),
}
CJK = {"zh_CN", "ja"}
_KEEP = re.compile(r"(\{[A-Za-z_]\w*\}|\*\*|\*|`[^`]*`|\[|\]\([^)]*\))")

PARAGRAPHS = [
    "The park in Weihai opened on {opening} and covers {area}.",
    "The group plans to invest {investment} (about {investment_eur}) over the coming years.",
    "More than {staff} people work for the group in **production sites** around the world ({sites} in all).",
    "A strategic cooperation with the *Institute of Metals* will address the key technical challenges.",
    "Upstream and downstream companies will share logistics, research and recycling on one site.",
    "Local politicians, scientists and entrepreneurs pressed the start button together.",
    "The new cluster is meant to become an engine for environmentally friendly growth of the region.",
    "Further information is available from the press office of the European headquarters.",
]


def release(index: int, rng: random.Random) -> str:
    body = [f"# Release {index}: a new step for the aluminium park", ""]
    for section in range(3):
        body += [f"## Section {section + 1} of release {index}", ""]
        for _ in range(4):
            body += [rng.choice(PARAGRAPHS).replace("The ", f"In release {index}, the ", 1), ""]
        body += ["- Area: {area}", "- Planned investment: {investment}", ""]
    return (
        "---\n"
        f"title: Release {index} about the aluminium park\n"
        "subtitle: A synthetic press release for benchmarks\n"
        "place: Düsseldorf\n"
        "date: 2023-07-25\n"
        "organization: Example Group\n"
        "values:\n"
        "  opening: {date: 2023-07-17, skeleton: MMMMd}\n"
        "  area: {unit: area-hectare, value: 713}\n"
        "  investment: {money: 3000000000, currency: CNY, notation: compact}\n"
        "  investment_eur: {money: 375000000, currency: EUR, notation: compact}\n"
        "  staff: {number: 100000}\n"
        "  sites: {number: 12}\n"
        "---\n" + "\n".join(body)
    )


def pseudo_translate(text: str, language: str, rng: random.Random) -> str:
    """Replace the words between placeholders and markup by words of the language's script."""
    words = SCRIPT_WORDS.get(language, SCRIPT_WORDS["de"])
    out = []
    for piece in _KEEP.split(text):
        if not piece or _KEEP.fullmatch(piece):
            out.append(piece)
            continue
        count = max(1, len(piece.split()))
        joiner = "" if language in CJK else " "
        lead = " " if piece.startswith(" ") and language not in CJK else ""
        trail = " " if piece.endswith(" ") and language not in CJK else ""
        chosen: list[str] = []
        for _ in range(count):
            chosen.append(rng.choice([w for w in words if not chosen or w != chosen[-1]]))
        out.append(lead + joiner.join(chosen) + trail)
    translated = "".join(out)
    end = text.rstrip()[-1:] if text.rstrip() else ""
    marks = {"zh_CN": "。", "ja": "。", "hi": "।"}
    if end == ".":
        translated = translated.rstrip(".") + marks.get(language, ".")
    return translated


def generate(root: Path, releases: int, languages: list[str], seed: int = 1) -> Path:
    rng = random.Random(seed)
    (root / "sources").mkdir(parents=True, exist_ok=True)
    (root / "pubkit.toml").write_text(
        f'source_language = "en"\nlanguages = [{", ".join(repr(l).replace(chr(39), chr(34)) for l in languages)}]\n'
    )
    for index in range(releases):
        (root / "sources" / f"release-{index:03d}.md").write_text(release(index, rng), encoding="utf-8")
    project = load_project(root)
    extract(project)
    update(project)
    for po in sorted(root.glob("locale/*/LC_MESSAGES/*.po")):
        language = po.parts[-3]
        catalog = polib.pofile(str(po))
        for entry in catalog:
            if entry.msgctxt in ("dateline", "footer") or entry.msgid in ("{place}, {date}",):
                entry.msgstr = entry.msgid
            else:
                entry.msgstr = pseudo_translate(entry.msgid, language, rng)
        catalog.save()
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--releases", type=int, default=5)
    parser.add_argument("--languages", default=",".join(LANGUAGES))
    args = parser.parse_args()
    generate(args.folder, args.releases, args.languages.split(","))
    print(f"wrote a project with {args.releases} releases in {args.folder}")


if __name__ == "__main__":
    main()
