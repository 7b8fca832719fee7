"""Golden values (issue 17, item 2): every value type, as the sample and pubkit's options use them, in every
sample language (and the languages whose CLDR data moved lately), against the committed tests/golden/values.tsv.

A new Babel brings new CLDR data, and so other dates and figures in published text. This test makes such a
change a reviewed diff of the table instead of a surprise in a bundle. After a deliberate upgrade
(`tools/dev lock --upgrade-package babel`), regenerate the table and commit it with the lock:

    .venv/bin/python tests/test_golden_values.py

Invisible characters are written as escapes (``\\u202f`` for a narrow no-break space) so the diff shows them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import sys
import unicodedata
from decimal import Decimal
from pathlib import Path

import babel
import babel.core

from pubkit.config import load_project
from pubkit.render.formatting import Formatter
from pubkit.source.sources import read_sources
from pubkit.source.values import Value

ROOT = Path(__file__).resolve().parent.parent
TABLE = Path(__file__).resolve().parent / "golden" / "values.tsv"
#: Besides the sample's languages: those whose CLDR forms changed between releases (CLDR 47 → 48), and
#: those of the long tail, with their own digits and calendars (issue 24, tests/projects/longtail).
MORE_LANGUAGES = ("hi", "ko", "pt_BR", "ru", "th", "tr", "vi", "zh_TW",
                  "fa", "fa_AF", "ps", "ur", "ar_EG", "ar_SA", "bn", "mr", "ne", "my", "am", "km", "si", "ta",
                  "ka", "hy", "uk")
DAY = dt.date(2025, 3, 10)
#: Every kind and option a release can give a value (docs/reference.md), beyond what the sample uses.
SPECS = [
    *(("date", DAY, {"skeleton": s}) for s in ("yMMMMd", "MMMMd", "yMMMd", "yMMMMEEEEd", "yMMMM", "yMMMEd",
                                               "MMMMEd", "yMd")),
    *(("date", DAY, {"style": s}) for s in ("short", "medium", "long", "full")),
    *(("money", Decimal(1250), {"currency": "USD", "display": d, "notation": "standard"})
      for d in ("symbol", "narrowSymbol", "code", "name")),
    ("money", Decimal("19.99"), {"currency": "JPY", "display": "name", "notation": "standard"}),
    *(("money", Decimal(375_000_000), {"currency": "EUR", "display": d, "notation": "compact"})
      for d in ("symbol", "name")),
    ("money", Decimal(3_000_000_000), {"currency": "CNY", "display": "symbol", "notation": "compact"}),
    ("number", Decimal(100_000), {"notation": "standard"}),
    ("number", Decimal("1234.5"), {"notation": "standard"}),
    ("number", Decimal(1_250_000), {"notation": "compact"}),
    ("percent", Decimal("0.125"), {}),
    *(("unit", Decimal(713), {"unit": "area-hectare", "display": d}) for d in ("long", "short", "narrow")),
    ("unit", Decimal("12.5"), {"unit": "length-kilometer", "display": "long"}),
]


def _shown(text: str) -> str:
    """Text with every character a reader cannot see in a diff (spaces other than U+0020, marks, tabs) escaped."""
    return "".join(f"\\u{ord(c):04x}" if c != " " and unicodedata.category(c) in ("Zs", "Cf", "Cc") else c
                   for c in text)


def _options(options: dict) -> str:
    return ",".join(f"{key}={options[key]}" for key in sorted(options))


def golden_rows() -> list[str]:
    """``value<TAB>kind and options<TAB>language<TAB>text``, one line per value and language."""
    project = load_project(ROOT)
    cases = []
    for source in read_sources(project):
        if source.fields.get("date"):
            cases.append((f"{source.slug}:dateline", Value("dateline", "date", source.fields["date"], 1, {})))
        cases += [(f"{source.slug}:{name}", value) for name, value in sorted(source.values.items())]
    cases += [(f"spec:{kind}", Value("spec", kind, amount, 1, options)) for kind, amount, options in SPECS]
    rows = []
    for language in (*project.output_languages, *MORE_LANGUAGES):
        formatter = Formatter(language, project.settings(language).calendar)
        for name, value in cases:
            described = f"{value.kind} {value.amount} {_options(value.options)}".rstrip()
            rows.append(f"{name}\t{described}\t{language}\t{_shown(formatter.format(value))}")
    return rows


def header() -> str:
    return (f"# Values as pubkit publishes them, from Babel {babel.__version__} (CLDR {babel.core.get_cldr_version()})."
            "\n# Regenerate after a deliberate upgrade: .venv/bin/python tests/test_golden_values.py\n")


def test_every_value_in_every_language_matches_the_golden_table() -> None:
    expected = TABLE.read_text(encoding="utf-8").splitlines()
    actual = (header() + "\n".join(golden_rows()) + "\n").splitlines()
    diff = list(difflib.unified_diff(expected, actual, "tests/golden/values.tsv (committed)", "this machine",
                                     lineterm="", n=0))
    assert not diff, ("published values changed; if a CLDR upgrade is meant, review and regenerate "
                      "(.venv/bin/python tests/test_golden_values.py):\n" + "\n".join(diff[:80]))


if __name__ == "__main__":
    TABLE.parent.mkdir(exist_ok=True)
    rows = golden_rows()
    TABLE.write_text(header() + "\n".join(rows) + "\n", encoding="utf-8")
    print(f"{TABLE}: {len(rows)} values", file=sys.stderr)
