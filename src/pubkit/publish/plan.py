"""The build plan: what a build reads, decides and makes, computed before anything is rendered."""

from __future__ import annotations

import datetime as dt

from ..errors import UsageError
from ..machine import source_date_epoch
from ..source.embargo import parse_moment


def current_time(now: str | None = None) -> dt.datetime:
    """``--now`` if given, else ``SOURCE_DATE_EPOCH`` (reproducible builds), else the clock; always aware."""
    if now is not None:
        try:
            return parse_moment(now)
        except ValueError as exc:
            raise UsageError(f"--now: {exc}") from None
    # one reading of SOURCE_DATE_EPOCH (machine.py), refusing a bad value
    epoch = source_date_epoch()
    if epoch is not None:
        return dt.datetime.fromtimestamp(epoch, dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc)
