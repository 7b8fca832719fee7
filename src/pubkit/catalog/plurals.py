"""Plural-Forms as GNU gettext's msginit writes them; CLDR's rule (Babel) only for languages gettext lacks.

Translators' tools and existing catalogs follow gettext's table, which for some languages differs from CLDR
(pt_BR: gettext ``nplurals=2; plural=(n > 1);``, CLDR 48 three forms), and CLDR's rule changes with each
Babel release. The table in ``data/plural_forms.json`` was made by ``tools/plural-forms-extract`` from the
real msginit; it names the gettext release it came from.
"""

from __future__ import annotations

import gettext
import json
import re
from functools import cache
from pathlib import Path

from babel.messages.plurals import get_plural

TABLE = Path(__file__).resolve().parent / "data" / "plural_forms.json"
_FORMS_RE = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$", re.DOTALL)
#: Counts on which two rules must agree to be the same rule (every form of every gettext rule shows below 1000).
_SAMPLE_COUNTS = (*range(0, 1002), 10_000, 100_000, 1_000_000, 10_000_001)


@cache
def _table() -> dict:
    return json.loads(TABLE.read_text(encoding="utf-8"))


def gettext_version() -> str:
    """The GNU gettext release whose msginit the table comes from."""
    return _table()["gettext"]


def gettext_plural_forms(language: str) -> str | None:
    """What msginit writes for ``language`` (``pt_BR``, ``sr@latin``), or None where gettext has no rule.

    Like msginit: the whole locale first, then its language.
    """
    forms = _table()["plural_forms"]
    locale = language.replace("-", "_")
    return forms.get(locale) or forms.get(re.split(r"[_@.]", locale)[0])


def plural_forms(language: str) -> tuple[int, str]:
    """``(nplurals, header value)`` that ``init`` writes: gettext's where it has one, else CLDR's via Babel."""
    header = gettext_plural_forms(language)
    if header is None:
        count, expression = get_plural(language)
        return count, f"nplurals={count}; plural={expression};"
    match = _FORMS_RE.match(header)
    assert match, f"{TABLE} holds a Plural-Forms msginit never writes: {header}"
    return int(match.group(1)), header


def same_rule(left: str, right: str) -> bool:
    """Whether two Plural-Forms values choose the same form for every count (spacing and parentheses aside)."""
    rules = [_FORMS_RE.match(value) for value in (left, right)]
    if not all(rules) or rules[0].group(1) != rules[1].group(1):
        return False
    try:
        choose = [gettext.c2py(rule.group(2)) for rule in rules]
        return all(choose[0](n) == choose[1](n) for n in _SAMPLE_COUNTS)
    except (ValueError, SyntaxError, RecursionError, ZeroDivisionError):
        return False
