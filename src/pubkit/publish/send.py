"""Delivering a release's e-mail edition: one message per recipient, in their language, never twice."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
import smtplib
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.parser import BytesParser
from email.utils import format_datetime
from pathlib import Path

from .. import safefs
from ..config import Project
from ..errors import Diagnostic, UsageError
from .mail import WRITE_POLICY
from .recipients import Recipient

#: Credentials come from the environment only: never from the command line (visible to every user of
#: the machine in the process list) or from a file of the project (committed by mistake).
USER_VARIABLE, PASSWORD_VARIABLE = "PUBKIT_SMTP_USER", "PUBKIT_SMTP_PASSWORD"
DEFAULT_SMTP = "localhost:25"
#: What a recipient whose language the release lacks gets: the source language, or nothing.
MISSING_CHOICES = ("source", "skip")
TIMEOUT = 60


@dataclass(frozen=True)
class Delivery:
    recipient: Recipient
    language: str | None  # the language of the message they get; None: skipped
    message: Path | None
    note: str = ""  # why their own language is not the one they get


@dataclass
class SendReport:
    sent: list[Delivery] = field(default_factory=list)
    already: list[Delivery] = field(default_factory=list)  # delivered by an earlier run
    uncertain: list[Delivery] = field(default_factory=list)  # an earlier run stopped while transferring it
    skipped: list[Delivery] = field(default_factory=list)
    failed: list[tuple[Delivery, str]] = field(default_factory=list)
    not_tried: list[Delivery] = field(default_factory=list)  # after the connection was lost
    log_problems: list[Diagnostic] = field(default_factory=list)  # lines of the send log that were cut short


def log_path(project: Project, slug: str) -> Path:
    """The send log of a release, in the project's state beside the build's (``dist/.pubkit/``)."""
    return project.output_dir / ".pubkit" / f"sent-{slug}.jsonl"


def choose_languages(recipients: list[Recipient], messages: dict[str, Path], source_language: str,
                     missing: str) -> list[Delivery]:
    """Each recipient's message: their language; else the only one of the release in the same language
    (de_AT → de, zh → zh_CN); else the source language, or none with ``missing="skip"``."""
    deliveries = []
    for recipient in recipients:
        wanted = recipient.language
        base = wanted.split("_")[0]
        same_base = [language for language in messages if language.split("_")[0] == base]
        if wanted in messages:
            deliveries.append(Delivery(recipient, wanted, messages[wanted]))
        elif len(same_base) == 1:
            deliveries.append(Delivery(recipient, same_base[0], messages[same_base[0]]))
        elif missing == "source" and source_language in messages:
            deliveries.append(Delivery(recipient, source_language, messages[source_language],
                                       f"no {wanted} edition: gets {source_language}, the source language"))
        else:
            deliveries.append(Delivery(recipient, None, None, f"no {wanted} edition: skipped"))
    return deliveries


def read_log(path: Path) -> tuple[dict[str, str], list[Diagnostic]]:
    """address (lowercase) → its last state in the log: "sent", "failed" or "sending" (interrupted)."""
    states: dict[str, str] = {}
    problems: list[Diagnostic] = []
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except FileNotFoundError:
        return states, problems
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the send log: {exc}", path, 1) from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            address, event = entry["to"], entry["event"]
        except (ValueError, TypeError, KeyError):
            # A line cut short by a crash: the recipient after it is judged by its other lines.
            problems.append(Diagnostic("unreadable line of the send log, ignored", path, number))
            continue
        if isinstance(address, str) and event in ("sending", "sent", "failed"):
            if not (event == "failed" and states.get(address.lower()) == "sent"):
                states[address.lower()] = event
    return states, problems


class _Log:
    """The send log: one JSON line per event, each on disk before the next step (an interruption
    anywhere leaves a log that says what happened up to it)."""

    def __init__(self, path: Path, root: Path):
        safefs.check_write(root, path)
        path.parent.mkdir(parents=True, exist_ok=True)
        cut_short = path.is_file() and path.stat().st_size and not path.read_bytes().endswith(b"\n")
        self.handle = open(path, "a", encoding="utf-8")  # noqa: SIM115  closed by close()
        if cut_short:  # a crash cut the last line short: the next entry must not be glued to it
            self.handle.write("\n")

    def write(self, event: str, delivery: Delivery, **details: str) -> None:
        entry = {"event": event, "to": delivery.recipient.address, "language": delivery.language,
                 "time": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), **details}
        self.handle.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
        self.handle.flush()
        os.fsync(self.handle.fileno())

    def close(self) -> None:
        self.handle.close()


def parse_server(text: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:25`` for IPv6; PORT defaults to 25)."""
    host, _, port = text.rpartition(":") if text.count(":") == 1 or text.startswith("[") else (text, "", "25")
    host = host.strip("[]") if host else text
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise UsageError(f"--smtp takes HOST:PORT, such as smtp.example.com:587, not '{text}'")
    return host, int(port)


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(socket.gethostbyname(host)).is_loopback
    except (OSError, ValueError):
        return False


def connect(server: str, starttls: bool) -> smtplib.SMTP:
    """A session with the SMTP server, encrypted with ``starttls``, logged in when the environment
    has credentials. A password is never sent unencrypted, except to this machine."""
    host, port = parse_server(server)
    user, password = os.environ.get(USER_VARIABLE), os.environ.get(PASSWORD_VARIABLE)
    if user and not starttls and not _loopback(host):
        raise UsageError(f"refusing to send the password in {PASSWORD_VARIABLE} unencrypted to {host}: "
                         "add --starttls")
    try:
        session = smtplib.SMTP(host, port, timeout=TIMEOUT)
        session.ehlo()
        if starttls:
            session.starttls(context=ssl.create_default_context())
            session.ehlo()
        if user:
            session.login(user, password or "")
    except (OSError, smtplib.SMTPException) as exc:
        raise UsageError(f"cannot use the SMTP server {host}:{port}: {_reason(exc)}") from None
    return session


def _reason(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{code} {text.decode(errors='replace')}" for code, text in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{exc.smtp_code} {text}"
    return str(exc) or type(exc).__name__


def prepare(project: Project, slug: str, recipients: list[Recipient], missing: str = "source", *,
            include_embargoed: bool = False, now: dt.datetime | None = None, jobs: int = 1,
            ) -> tuple[list[Delivery], list[Diagnostic]]:
    """Build the release's e-mail edition where it is out of date, and pick each recipient's message."""
    from .build import EMAIL, build
    from .paths import mail_path

    result = build(project, slugs=[slug], formats=(EMAIL,), jobs=jobs, now=now, include_embargoed=include_embargoed)
    messages = {job.language: mail_path(project, slug, job.language) for job in result.jobs if job.format == EMAIL}
    if not messages:
        held = [d.message for d in result.diagnostics if d.message.startswith("embargoed until")]
        why = f": {held[0].split(': left out')[0]}; --include-embargoed sends it, marked as embargoed" if held else ""
        raise UsageError(f"'{slug}' has no language to send{why}")
    return choose_languages(recipients, messages, project.source_language, missing), result.diagnostics


def deliver(project: Project, slug: str, deliveries: list[Delivery], session: smtplib.SMTP,
            progress: Callable[[Delivery, str], None] | None = None) -> SendReport:
    """Send each delivery's message to its recipient, skipping whoever the send log says got it.

    Before the message is handed over (SMTP DATA) the log says "sending", after it "sent" or "failed":
    a run stopped in between is not repeated for that recipient (reported as uncertain instead).
    """
    path = log_path(project, slug)
    states, problems = read_log(path)
    report = SendReport(log_problems=problems)
    log = _Log(path, project.output_dir)
    try:
        for index, delivery in enumerate(deliveries):
            state = states.get(delivery.recipient.address.lower())
            if delivery.message is None:
                outcome = "skipped"
                report.skipped.append(delivery)
            elif state == "sent":
                outcome = "already sent"
                report.already.append(delivery)
            elif state == "sending":
                outcome = "uncertain"
                report.uncertain.append(delivery)
            else:
                connected = _send_one(delivery, session, log, report)
                outcome = "sent" if report.sent and report.sent[-1] is delivery else "failed"
                if not connected:
                    report.not_tried.extend(d for d in deliveries[index + 1:] if d.message is not None)
                    if progress:
                        progress(delivery, outcome)
                    break
            if progress:
                progress(delivery, outcome)
    finally:
        log.close()
    return report


def _send_one(delivery: Delivery, session: smtplib.SMTP, log: _Log, report: SendReport) -> bool:
    """One message to one recipient; False when the connection is lost (nothing more can be sent)."""
    assert delivery.message is not None
    message = BytesParser(policy=WRITE_POLICY).parsebytes(delivery.message.read_bytes())
    recipient = delivery.recipient
    message["To"] = Address(display_name=recipient.name, addr_spec=recipient.address)
    del message["Date"]
    message["Date"] = format_datetime(dt.datetime.now(dt.timezone.utc).replace(microsecond=0))  # when it is sent
    sender = message["From"].addresses[0].addr_spec
    handed_over = False
    try:
        for reply in (session.mail(sender), session.rcpt(recipient.address)):
            if reply[0] >= 400:
                raise smtplib.SMTPResponseException(*reply)
        log.write("sending", delivery, message_id=str(message["Message-ID"]))
        handed_over = True
        code, text = session.data(message.as_bytes(policy=WRITE_POLICY))
        if code != 250:  # smtplib returns the reply to the message itself instead of raising
            raise smtplib.SMTPResponseException(code, text)
    except smtplib.SMTPResponseException as exc:  # the server said no: the message was not taken
        log.write("failed", delivery, reason=_reason(exc))
        report.failed.append((delivery, _reason(exc)))
        if exc.smtp_code == 421:  # the server is closing the connection
            return False
        try:
            session.rset()
        except (OSError, smtplib.SMTPException):
            return False
        return True
    except (OSError, smtplib.SMTPException) as exc:  # the connection is gone
        if handed_over:  # it may have arrived: the log keeps "sending", so no run sends it again
            report.uncertain.append(delivery)
            report.failed.append((delivery, f"{_reason(exc)} while the message was transferred: it may have "
                                  "arrived, and is not sent again"))
        else:
            log.write("failed", delivery, reason=_reason(exc))
            report.failed.append((delivery, _reason(exc)))
        return False
    log.write("sent", delivery, reply=f"{code} {text.decode(errors='replace')}")
    report.sent.append(delivery)
    return True
