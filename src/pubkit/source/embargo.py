"""Embargoes: the moment a release may be published, as its source states it."""

from __future__ import annotations

import datetime as dt
import re

#: A date and a time, with seconds optional and a zone that is required (checked after parsing).
_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")


def parse_moment(text: str) -> dt.datetime:
    """An ISO 8601 date-time with a zone (``2023-07-25T10:00:00+02:00``); ValueError with the reason."""
    text = text.strip()
    if not _DATETIME_RE.match(text):
        raise ValueError(f"'{text}' is not a date and time; write it as 2023-07-25T10:00:00+02:00")
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"'{text}' is not a real date and time") from None
    if moment.tzinfo is None:
        # Without a zone the moment differs by up to a day around the world: never guess it.
        raise ValueError(f"'{text}' has no time zone; add one, such as +02:00 or Z")
    return moment


def is_embargoed(embargo: dt.datetime | None, now: dt.datetime) -> bool:
    return embargo is not None and now < embargo
