"""Extraction: the sources' and templates' messages → ``locale/<domain>.pot``, byte-stable when unchanged."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polib

from .. import __version__
from ..config import Project
from ..errors import CatalogError
from ..fileio import write_atomic
from ..machine import source_date_epoch
from .pofile import WRAP_WIDTH, parse_text, render
from ..organization import ORGANIZATION_DOMAIN, has_organization_text
from ..source.sources import Message, organization_messages, read_sources
from ..source.templates import template_messages

TEMPLATES_DOMAIN = "templates"
_CREATION_DATE_RE = re.compile(r'^"POT-Creation-Date: ([^"\\]*)\\n"$', re.MULTILINE)


@dataclass(frozen=True)
class WrittenFile:
    """A catalog pubkit wrote (or found already up to date), for the command's report."""

    path: Path
    changed: bool
    messages: int


def timestamp() -> str:
    """Now, or ``SOURCE_DATE_EPOCH`` when set, in the PO header format (``2023-07-25 10:00+0000``)."""
    epoch = source_date_epoch()  # a value that is not a time is a one-line error, not a traceback
    if epoch is not None:
        moment = dt.datetime.fromtimestamp(epoch, tz=dt.timezone.utc)
    else:
        moment = dt.datetime.now(tz=dt.timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M%z")


def domains(project: Project) -> list[str]:
    """The catalog domains of a project: one per source slug, then ``templates``, then ``organization``
    when ``[organization]`` has text to translate (a boilerplate or a contact's role)."""
    return [source.slug for source in read_sources(project)] + [TEMPLATES_DOMAIN] + \
        ([ORGANIZATION_DOMAIN] if has_organization_text(project) else [])


def build_template(domain: str, located: Iterable[tuple[str, Message]], creation_date: str) -> polib.POFile:
    """Messages (with their file) → one ``.pot``: first occurrence order, duplicates folded into one entry."""
    pot = polib.POFile(wrapwidth=WRAP_WIDTH)
    pot.header = f"Messages of '{domain}', extracted by pubkit. Do not edit: run `pubkit extract`."
    pot.metadata = {
        "Project-Id-Version": domain,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": creation_date,
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": "LANGUAGE <LL@li.org>",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Generated-By": f"pubkit {__version__}",
    }
    by_key: dict[tuple[str | None, str], polib.POEntry] = {}
    for path, message in located:
        key = (message.context, message.msgid)
        entry = by_key.get(key)
        if entry is None:
            entry = polib.POEntry(
                msgid=message.msgid,
                msgctxt=message.context,
                msgid_plural=message.plural or "",
                msgstr="",
                msgstr_plural={0: "", 1: ""} if message.plural else {},
                flags=list(message.flags),
                occurrences=[],
            )
            by_key[key] = entry
            pot.append(entry)
        entry.occurrences.append((path, str(message.line)))
        for comment in message.comments:
            if comment not in entry.comment.split("\n"):
                entry.comment = f"{entry.comment}\n{comment}" if entry.comment else comment
        for flag in message.flags:
            if flag not in entry.flags:
                entry.flags.append(flag)
    return pot


def project_templates(project: Project) -> dict[str, list[tuple[str, Message]]]:
    """Domain → its messages with their file: what ``extract`` writes, computed without writing."""
    located: dict[str, list[tuple[str, Message]]] = {}
    for source in read_sources(project):
        reference = source.path.relative_to(project.root).as_posix()
        located[source.slug] = [(reference, message) for message in source.messages]
    located[TEMPLATES_DOMAIN] = template_messages(project)
    if has_organization_text(project):
        located[ORGANIZATION_DOMAIN] = [(path.relative_to(project.root).as_posix(), message)
                                        for path, message in organization_messages(project)]
    return located


def extract(project: Project) -> list[WrittenFile]:
    """Write ``locale/<slug>.pot`` for every source and ``locale/templates.pot``.

    A template whose messages did not change is left byte for byte as it was: only a real change
    gets a new ``POT-Creation-Date``, so version control sees no churn.
    """
    written: list[WrittenFile] = []
    for domain, located in project_templates(project).items():
        path = project.pot_path(domain)
        changed = write_atomic(path, template_text(domain, located, _read_if_exists(path)))
        # A message used in several places is one entry of the .pot: count entries, not uses.
        written.append(WrittenFile(path, changed, len({(m.context, m.msgid) for _, m in located})))
    return written


def template_text(domain: str, located: Iterable[tuple[str, Message]], previous: str | None) -> str:
    """The ``.pot`` text ``extract`` writes: ``previous`` itself when only its date would change."""
    located = list(located)
    old_date = _CREATION_DATE_RE.search(previous) if previous else None
    if old_date:
        text = render(build_template(domain, located, old_date.group(1)))
        if text == previous or same_content(text, previous):
            return text  # the date stays even when only the layout changes (e.g. a msgcat rewrite)
    return render(build_template(domain, located, timestamp()))


def same_content(text: str, other: str) -> bool:
    """Two catalog texts with the same header and entries, whatever their layout.

    Extracted comments are compared word by word: pubkit before 0.2 rewrapped long ones, and
    restoring their single line is a change of layout, not of content.
    """
    try:
        left, right = parse_text(text), parse_text(other)
    except CatalogError:
        return False

    def content(catalog: polib.POFile) -> list:
        return [catalog.header, catalog.metadata] + [
            (e.obsolete, e.msgctxt, e.msgid, e.msgid_plural, e.msgstr, e.msgstr_plural, e.tcomment, e.comment.split(),
             e.occurrences, sorted(e.flags), e.previous_msgctxt, e.previous_msgid, e.previous_msgid_plural)
            for e in catalog]

    return content(left) == content(right)


def _read_if_exists(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return None
