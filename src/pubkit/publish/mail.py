"""The e-mail edition: one release in one language as an RFC 5322 message, the same bytes from the same inputs."""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
from dataclasses import dataclass
from email import policy
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from lxml import html as lxml_html

from ..config import Project
from ..errors import ConfigError
from ..organization import press_contacts
from .mailhtml import mail_html
from .mailtext import plain_text
from ..locales import bcp47



class _MailPolicy(policy.EmailPolicy):
    """``policy.default`` with CRLF line ends (as RFC 5322 has them and SMTP sends them), except that a
    non-ASCII Subject is folded by ``email.header.Header``: Python 3.11's folder drops the space at a fold
    between two encoded words, so an Arabic or long French title lost a space in mail clients."""

    def fold(self, name: str, value) -> str:
        if name.lower() == "subject" and not str(value).isascii():
            return f"{name}: {Header(str(value), 'utf-8', header_name=name).encode(linesep=self.linesep)}{self.linesep}"
        return super().fold(name, value)

    def fold_binary(self, name: str, value) -> bytes:
        if name.lower() == "subject" and not str(value).isascii():
            return self.fold(name, value).encode("ascii")
        return super().fold_binary(name, value)


#: How messages are written: see _MailPolicy.
WRITE_POLICY = _MailPolicy(linesep="\r\n")
#: The template string of the embargo line (release.html and site-nav.html say the same).
EMBARGO_CONTEXT, EMBARGO_MESSAGE = "embargo", "Embargoed until {moment}"
#: Where the press contact's address is set, named in the error when it is missing.
CONTACT_KEY = "'email' in an [[organization.contact]] table"


@dataclass(frozen=True)
class Edition:
    """What a release in one language needs to become a message (gathered by build.py's worker)."""

    slug: str
    language: str
    direction: str
    page_html: str  # the release rendered for the "email" medium
    images: tuple[tuple[str, Path], ...]  # path in the page → the project's file
    pdf: bytes
    pdf_name: str
    page_url: str | None  # its web page under base_url
    date: dt.date | None  # the release's date
    notice: str | None = None  # the localized embargo line, if it is under embargo


def press_sender(project: Project, language: str) -> Address:
    """The From of a release's message: the first press contact with an e-mail address who serves
    ``language`` (organization.press_contacts: those naming it, else those naming none), else the first
    with an e-mail address at all; named after the contact, else the organization."""
    organization = project.organization
    everyone = [c for c in organization.contacts if c.email] if organization else []
    if not everyone:
        raise ConfigError(f"no press contact e-mail address for the From of the e-mail edition: set {CONTACT_KEY} "
                          "in pubkit.toml (docs/email.md)", project.config_path, 1)
    # One who names the language before one who serves every language: the Arabic desk writes to Arabic readers.
    contact = next((c for c in press_contacts(project, language) if c.email), everyone[0])
    try:
        username, domain = contact.email.strip().rsplit("@", 1)
        return Address(display_name=contact.name or organization.name, username=username, domain=domain)
    except (ValueError, IndexError):
        raise ConfigError(f"press contact e-mail '{contact.email}' is not an e-mail address",
                          contact.path or project.config_path, contact.line) from None


def embargo_notice(ui, moment: str | None) -> str | None:
    """"Embargoed until 25 July 2023, 10:00 GMT+02:00" in the release's language (the templates catalog)."""
    if not moment:
        return None
    pattern = ui.get(EMBARGO_CONTEXT, EMBARGO_MESSAGE) or EMBARGO_MESSAGE
    try:
        return pattern.format(moment=moment)
    except (KeyError, IndexError, ValueError):  # a translation the checks let through with other braces
        return EMBARGO_MESSAGE.format(moment=moment)


def release_message(project: Project, edition: Edition) -> bytes:
    """The message's bytes: ``multipart/mixed`` of a ``multipart/alternative`` (plain text; HTML with its
    images as ``cid:`` parts) and the PDF. Reproducible: Date and Message-ID come from the release, the
    MIME boundaries from its content; nothing in it identifies or tracks a reader."""
    sender = press_sender(project, edition.language)
    document = lxml_html.document_fromstring(edition.page_html)
    title = " ".join((document.findtext(".//title") or edition.slug).split())
    lang = bcp47(edition.language)
    images = _images(edition, sender.domain)
    text = plain_text(edition.page_html, edition.direction, edition.notice, edition.language)
    html = mail_html(edition.page_html, lang, edition.direction, title, {p: cid for p, (cid, _d) in images.items()},
                     edition.page_url, edition.notice)
    if edition.page_url:  # the release on the web ends the message (the HTML part ends the same way)
        text += f"\n{edition.page_url}\n"
    message = EmailMessage(policy=policy.default)
    message["Subject"] = f"{edition.notice}: {title}" if edition.notice else title
    message["From"] = sender
    message["Date"] = format_datetime(_date(edition))
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    html_part = message.get_payload()[1]
    for path, (cid, data) in images.items():
        maintype, subtype = (mimetypes.guess_type(path)[0] or "application/octet-stream").split("/")
        html_part.add_related(data, maintype, subtype, cid=f"<{cid}>", filename=Path(path).name.split("-", 1)[-1],
                              disposition="inline")
    message.add_attachment(edition.pdf, maintype="application", subtype="pdf", filename=edition.pdf_name)
    message["Content-Language"] = lang  # after the parts: making a multipart moves Content-* headers into them
    _fix_boundaries(message, text, html, edition.pdf)
    digest = hashlib.sha256(message.as_bytes(policy=WRITE_POLICY)).hexdigest()
    message["Message-ID"] = f"<{digest[:32]}@{sender.domain}>"  # short enough for one line: no folding
    return message.as_bytes(policy=WRITE_POLICY)


def _images(edition: Edition, domain: str) -> dict[str, tuple[str, bytes]]:
    """Each image of the page → its Content-ID (from its bytes) and bytes."""
    found: dict[str, tuple[str, bytes]] = {}
    for relative, real in edition.images:
        data = real.read_bytes()
        found[relative] = (f"{hashlib.sha256(data).hexdigest()[:24]}@{domain}", data)
    return found


def _date(edition: Edition) -> dt.datetime:
    """Noon UTC of the release's date (the same calendar day nearly everywhere), else SOURCE_DATE_EPOCH or now."""
    if edition.date is not None:
        return dt.datetime.combine(edition.date, dt.time(12, 0), dt.timezone.utc)
    from .plan import current_time

    return current_time().replace(microsecond=0)


def _fix_boundaries(message: EmailMessage, *contents: str | bytes) -> None:
    """MIME boundaries from the content instead of random ones, so the same release gives the same bytes.

    ``=_`` cannot occur in quoted-printable or base64 text, so no part can contain the boundary.
    """
    digest = hashlib.sha256()
    for content in contents:
        digest.update(content.encode() if isinstance(content, str) else content)
    for number, part in enumerate(p for p in message.walk() if p.is_multipart()):
        part.set_boundary(f"=_pubkit_{number}_{digest.hexdigest()[:24]}")
