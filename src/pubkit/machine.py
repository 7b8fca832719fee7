"""What pubkit needs from the machine it runs on, checked before any work: fonts and SOURCE_DATE_EPOCH."""

from __future__ import annotations

import os
from functools import cache

from .errors import PubkitError, UsageError

#: The latest time a zip entry (year field: 1980 + 127) and a PDF date can hold: 2107-12-31 23:59:59 UTC.
MAX_EPOCH = 4354819199
#: Debian packages that give fontconfig fonts for every script pubkit typesets.
FONT_PACKAGES = ("fonts-noto-core", "fonts-noto-cjk")


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` (seconds since 1970, UTC) when set; a value that is not one is a usage error."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None or value == "":
        return None
    text = value.strip()
    if not text.isascii() or not text.isdigit():
        raise UsageError(f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not '{value[:40]}'")
    if int(text) > MAX_EPOCH:
        raise UsageError(f"SOURCE_DATE_EPOCH {text} is after 2107-12-31, the last date a zip or PDF can hold")
    return int(text)


@cache
def require_fonts() -> None:
    """Refuse to render PDFs on a machine where fontconfig finds no font at all.

    Pango crashes the process (SIGSEGV) instead of reporting this, so it is asked first, with
    ``fc-list`` from the same fontconfig library and configuration (``FONTCONFIG_FILE`` included).
    """
    import shutil
    import subprocess  # here, not at the top: a no-op build asks fontconfig nothing (issue 21)

    install = f"install fonts, on Debian or Ubuntu: apt-get install {' '.join(FONT_PACKAGES)}"
    program = shutil.which("fc-list")
    if program is None:
        raise PubkitError(f"fontconfig's fc-list is not installed, so no font can be found: {install} fontconfig")
    try:
        found = subprocess.run([program, "--format", "%{file}\\n"], capture_output=True, text=True, timeout=60,
                               check=False).stdout
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PubkitError(f"cannot ask fontconfig for fonts ({exc}): {install}") from None
    if not any(line.strip() for line in found.splitlines()):
        where = os.environ.get("FONTCONFIG_FILE")
        config = f" (FONTCONFIG_FILE={where})" if where else ""
        raise PubkitError(f"no usable font: fontconfig finds none{config}; PDFs cannot be typeset: {install}")
