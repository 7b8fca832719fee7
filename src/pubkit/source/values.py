"""The ``values`` of a release: typed figures (dates, money, numbers, percents, units) checked with CLDR."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from babel.numbers import list_currencies
from babel.units import _find_unit_pattern

from ..errors import SourceError

#: The largest magnitude accepted for a figure; beyond it a value is a typo, not a press-release figure.
MAX_MAGNITUDE = Decimal("1e18")

#: Each value type: the key holding its figure, its other options with their allowed values (None: any).
VALUE_TYPES: dict[str, dict[str, tuple[str, ...] | None]] = {
    "date": {"skeleton": None, "style": ("short", "medium", "long", "full")},
    "money": {
        "currency": None,
        "notation": ("standard", "compact"),
        "display": ("symbol", "narrowSymbol", "code", "name"),
    },
    "number": {"notation": ("standard", "compact")},
    "percent": {},
    "unit": {"value": None, "display": ("long", "short", "narrow")},
}
_DEFAULTS = {
    "date": {"style": "long"},
    "money": {"notation": "standard", "display": "symbol"},
    "number": {"notation": "standard"},
    "percent": {},
    "unit": {"display": "long"},
}
# Letters of CLDR date-time skeletons (UTS #35, "Date Field Symbol Table").
_SKELETON_RE = re.compile(r"^[GyYuUrQqMLlwWdDFgEecabBhHKkjJCmsSAzZOvVXx]+$")
_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Value:
    """One named figure of a release, to be formatted for each locale.

    ``amount`` is a :class:`~decimal.Decimal` (never a float: 0.125 stays 0.125) or a date.
    For ``unit`` values, ``unit`` holds the CLDR unit id (``area-hectare``).
    """

    name: str
    kind: str
    amount: Decimal | dt.date
    line: int
    options: dict[str, str] = field(default_factory=dict)

    @property
    def unit(self) -> str | None:
        return self.options.get("unit") if self.kind == "unit" else None


def parse_values(items: dict[str, tuple[yaml.Node, yaml.Node]], path: Path) -> dict[str, Value]:
    """Validate the ``values`` mapping of a front matter; each problem is reported at its line."""
    values: dict[str, Value] = {}
    for name, (key_node, node) in items.items():
        if not _NAME_RE.match(name):
            raise SourceError(f"value name '{name}' must be a plain identifier (letters, digits, _)", path, key_node.line)
        if not isinstance(node, yaml.MappingNode):
            raise SourceError(f"value '{name}' must be a mapping such as {{number: 42}}", path, node.line)
        spec = mapping_items(node, path, f"value '{name}'")
        kinds = [key for key in spec if key in VALUE_TYPES]
        if len(kinds) != 1:
            what = "no type" if not kinds else f"several types ({', '.join(kinds)})"
            types = ", ".join(VALUE_TYPES)
            raise SourceError(f"value '{name}' has {what}: give exactly one of {types}", path, node.line)
        kind = kinds[0]
        options: dict[str, str] = dict(_DEFAULTS[kind])
        amount: Decimal | dt.date | None = None
        for key, (option_key, option_node) in spec.items():
            if key == kind:
                if kind == "date":
                    amount = parse_date_node(option_node, path, f"value '{name}'")
                elif kind == "unit":
                    options["unit"] = _unit_id(option_node, path, name)
                else:
                    amount = _number(option_node, path, f"value '{name}'")
                continue
            allowed = VALUE_TYPES[kind]
            if key not in allowed:
                known = ", ".join([kind, *allowed]) or kind
                raise SourceError(f"value '{name}': unknown option '{key}' for a {kind} (known: {known})", path, option_key.line)
            if kind == "unit" and key == "value":
                amount = _number(option_node, path, f"value '{name}'")
                continue
            options[key] = _option(option_node, path, name, key, allowed[key])
        if kind == "unit" and amount is None:
            raise SourceError(f"value '{name}': a unit needs its figure as 'value: …'", path, node.line)
        if kind == "money":
            if "currency" not in options:
                raise SourceError(f"value '{name}': money needs a 'currency' (ISO 4217, e.g. EUR)", path, node.line)
            options["currency"] = _currency(options["currency"], path, name, spec["currency"][1].line)
        if kind == "date" and "skeleton" in options:
            if "style" in spec:
                raise SourceError(f"value '{name}': give either 'skeleton' or 'style', not both", path, node.line)
            del options["style"]
            if not _SKELETON_RE.match(options["skeleton"]):
                raise SourceError(
                    f"value '{name}': '{options['skeleton']}' is not a CLDR date skeleton (e.g. MMMMd, yMMMd)",
                    path,
                    spec["skeleton"][1].line,
                )
        assert amount is not None
        values[name] = Value(name=name, kind=kind, amount=amount, line=key_node.line, options=options)
    return values


def mapping_items(node: yaml.MappingNode, path: Path, what: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    """A YAML mapping as ``{key: (key_node, value_node)}``, refusing duplicate and non-text keys."""
    items: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
            raise SourceError(f"{what}: keys must be plain names", path, key_node.line)
        if key_node.value in items:
            raise SourceError(f"{what}: '{key_node.value}' is given twice", path, key_node.line)
        items[key_node.value] = (key_node, value_node)
    return items


def parse_date_node(node: yaml.Node, path: Path, what: str) -> dt.date:
    """An ISO 8601 date (``2023-07-25``), as YAML writes it, with or without quotes."""
    if isinstance(node, yaml.ScalarNode):
        try:
            return dt.date.fromisoformat(node.value.strip())
        except ValueError:
            pass
    shown = node.value if isinstance(node, yaml.ScalarNode) else "a " + node.id
    raise SourceError(f"{what}: '{shown}' is not a date; {_why_not_a_date(str(shown).strip())}", path, node.line)


def _why_not_a_date(text: str) -> str:
    """What is wrong with a date written in the right shape: the month or the day, in words a person reads."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if not match:
        return "write it as YYYY-MM-DD"
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        return f"there is no month {month} (months run from 01 to 12)"
    days = calendar.monthrange(year, month)[1]
    return f"{calendar.month_name[month]} {year} has {days} days, not {day}" if day else "days start at 01"


def _number(node: yaml.Node, path: Path, what: str) -> Decimal:
    if isinstance(node, yaml.ScalarNode) and node.tag in (
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:str",
    ):
        raw = node.value.strip().replace("_", "")
        if raw.lower().lstrip("+-") in (".nan", ".inf", "nan", "inf", "infinity"):
            raise SourceError(f"{what}: '{node.value}' is not a finite number", path, node.line)
        try:
            number = Decimal(raw)
        except InvalidOperation:
            number = None
        if number is not None and number.is_finite() and abs(number) < MAX_MAGNITUDE:
            return number
        if number is not None and not number.is_finite():
            raise SourceError(f"{what}: '{node.value}' is not a finite number", path, node.line)
        if number is not None:
            raise SourceError(f"{what}: {node.value} is too large to be a figure (limit 10^18)", path, node.line)
    shown = node.value if isinstance(node, yaml.ScalarNode) else "a " + node.id
    raise SourceError(f"{what}: '{shown}' is not a number", path, node.line)


def _option(node: yaml.Node, path: Path, name: str, key: str, allowed: tuple[str, ...] | None) -> str:
    if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:str" or not node.value.strip():
        raise SourceError(f"value '{name}': '{key}' must be a word", path, node.line)
    if allowed is not None and node.value not in allowed:
        raise SourceError(f"value '{name}': {key} '{node.value}' is not one of {', '.join(allowed)}", path, node.line)
    return node.value


def _currency(code: str, path: Path, name: str, line: int) -> str:
    if code not in list_currencies():
        raise SourceError(f"value '{name}': unknown currency '{code}' (expected an ISO 4217 code such as EUR)", path, line)
    return code


def _unit_id(node: yaml.Node, path: Path, name: str) -> str:
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str":
        unit = _find_unit_pattern(node.value.strip(), locale="en")
        if unit is not None:
            return unit
    shown = node.value if isinstance(node, yaml.ScalarNode) else "a " + node.id
    raise SourceError(
        f"value '{name}': unknown unit '{shown}' (expected a CLDR unit id such as area-hectare)", path, node.line
    )
