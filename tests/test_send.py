"""`pubkit send` through a real SMTP server (aiosmtpd) on 127.0.0.1: dry runs, failures, interruptions."""

from __future__ import annotations

import email
import os
import signal
import socket
import subprocess
import sys
import time
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from conftest import snapshot
from pubkit.cli import main
from test_email import SLUG, eml

RECIPIENTS = """email,language,name
anna@example.com,de,Anna Schmidt
bilal@example.org,ar-EG,Bilal
chie@example.jp,ja,
dora@example.com,en,Dora
emil@example.net,ko,Emil
fatima@example.org,ar,
"""
#: Who gets which language: ar-EG gets ar, Korean (not published here) gets the source language.
EXPECTED = {"anna@example.com": "de", "bilal@example.org": "ar", "chie@example.jp": "ja",
            "dora@example.com": "en", "emil@example.net": "en", "fatima@example.org": "ar"}


class Mailbox:
    """An aiosmtpd handler keeping every message; it can refuse the N-th recipient, or call a hook."""

    def __init__(self, refuse: int | None = None, on_data=None, refuse_data: int | None = None):
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self.recipients = 0
        self.refuse = refuse
        self.on_data = on_data
        self.refuse_data = refuse_data
        self.data = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.recipients += 1
        if self.recipients == self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.data += 1
        if self.data == self.refuse_data:
            return "451 4.3.0 temporary failure, try again later"
        self.messages.append((list(envelope.rcpt_tos),
                              email.message_from_bytes(envelope.original_content, policy=policy.default)))
        if self.on_data:
            self.on_data(len(self.messages))
        return "250 2.0.0 accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp():
    """Start a real SMTP server on 127.0.0.1 with the given handler; stopped after the test."""
    started: list[Controller] = []

    def start(handler: Mailbox) -> str:
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port, ready_timeout=10)
        controller.start()
        started.append(controller)
        return f"127.0.0.1:{port}"

    yield start
    for controller in started:
        controller.stop()


@pytest.fixture
def project(email_edition: Path, tmp_path: Path) -> Path:
    import shutil

    root = tmp_path / "project"
    shutil.copytree(email_edition, root, symlinks=True)
    (root / "recipients.csv").write_text(RECIPIENTS, encoding="utf-8")
    return root


def delivered(mailbox: Mailbox) -> dict[str, list[str]]:
    """recipient → the languages of the messages they got."""
    got: dict[str, list[str]] = {}
    for recipients, message in mailbox.messages:
        assert [a.addr_spec for a in message["To"].addresses] == recipients
        for recipient in recipients:
            got.setdefault(recipient, []).append(message["Content-Language"])
    return got


def send(root: Path, server: str, *extra: str, capsys) -> tuple[int, str, str]:
    os.chdir(root)
    code = main(["send", SLUG, "--to", "recipients.csv", "--smtp", server, *extra])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_dry_run_sends_nothing_and_says_who_gets_what(project: Path, smtp, capsys, monkeypatch) -> None:
    monkeypatch.chdir(project)
    mailbox = Mailbox()
    code, out, _err = send(project, smtp(mailbox), capsys=capsys)
    assert code == 0 and mailbox.messages == [] and mailbox.recipients == 0
    assert "would send de      to anna@example.com" in out
    assert "would send ar      to bilal@example.org" in out
    assert "would send en      to emil@example.net  (no ko edition: gets en, the source language)" in out
    assert "nothing sent" in out


def test_each_recipient_gets_one_message_in_their_language(project: Path, smtp, capsys, monkeypatch) -> None:
    monkeypatch.chdir(project)
    mailbox = Mailbox()
    server = smtp(mailbox)
    code, out, err = send(project, server, "--yes", capsys=capsys)
    assert code == 0, err
    assert delivered(mailbox) == {address: [language] for address, language in EXPECTED.items()}
    anna = next(m for r, m in mailbox.messages if r == ["anna@example.com"])
    assert str(anna["To"]) == "Anna Schmidt <anna@example.com>"
    built_de = email.message_from_bytes(eml(project, "de").read_bytes(), policy=policy.default)
    for kind in ("plain", "html"):  # what was reviewed is what is sent
        assert anna.get_body((kind,)).get_content() == built_de.get_body((kind,)).get_content()
    assert anna["Message-ID"] == built_de["Message-ID"] and anna["Subject"] == built_de["Subject"]
    assert next(anna.iter_attachments()).get_content() == next(built_de.iter_attachments()).get_content()
    # a second run sends no one a second copy, even after a crash cut the log's last line short
    log = project / "dist" / ".pubkit" / f"sent-{SLUG}.jsonl"
    with log.open("a", encoding="utf-8") as handle:
        handle.write('{"event": "sending", "to": "anna@exa')
    code, out, err = send(project, server, "--yes", capsys=capsys)
    assert code == 0 and len(mailbox.messages) == len(EXPECTED)
    assert "sent 0 messages; 6 already sent" in out
    assert f"dist/.pubkit/sent-{SLUG}.jsonl:{len(log.read_text().splitlines())}: warning: unreadable line" in err


def test_skip_leaves_out_whoever_has_no_language_of_the_release(project: Path, smtp, capsys, monkeypatch) -> None:
    monkeypatch.chdir(project)
    mailbox = Mailbox()
    code, _out, _err = send(project, smtp(mailbox), "--yes", "--missing-language", "skip", capsys=capsys)
    assert code == 0 and "emil@example.net" not in delivered(mailbox) and len(mailbox.messages) == 5


@pytest.mark.parametrize("failing, reply", [
    (Mailbox(refuse=3), "550 5.1.1 mailbox unavailable"),  # the recipient refused
    (Mailbox(refuse_data=3), "451 4.3.0 temporary failure, try again later"),  # the message refused
], ids=["recipient", "message"])
def test_a_refused_recipient_is_reported_and_the_rerun_sends_only_to_them(project: Path, smtp, capsys,
                                                                          monkeypatch, failing, reply) -> None:
    monkeypatch.chdir(project)
    code, _out, err = send(project, smtp(failing), "--yes", capsys=capsys)
    assert code == 1
    assert f"recipients.csv:4: error: chie@example.jp: {reply}" in err
    assert sorted(delivered(failing)) == sorted(set(EXPECTED) - {"chie@example.jp"})
    working = Mailbox()
    code, out, err = send(project, smtp(working), "--yes", capsys=capsys)
    assert code == 0, err
    assert delivered(working) == {"chie@example.jp": ["ja"]}
    assert "sent 1 message; 5 already sent" in out


def test_an_interrupted_run_resumes_without_duplicates(project: Path, smtp) -> None:
    """Ctrl-C while the third message is being handed over, then the same command again."""
    process: list[subprocess.Popen] = []

    def interrupt(count: int) -> None:
        if count == 3:
            process[0].send_signal(signal.SIGINT)
            time.sleep(0.5)  # the reply comes after the interruption

    mailbox = Mailbox(on_data=interrupt)
    server = smtp(mailbox)
    command = [sys.executable, "-m", "pubkit", "send", SLUG, "--to", "recipients.csv", "--smtp", server, "--yes"]
    process.append(subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    _out, err = process[0].communicate(timeout=120)
    assert process[0].returncode == 130, err
    assert len(mailbox.messages) == 3
    again = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=120, check=False)
    assert again.returncode == 0, again.stderr
    assert "chie@example.jp: an earlier run stopped while handing the message over" in again.stderr
    assert delivered(mailbox) == {address: [language] for address, language in EXPECTED.items()}


def test_a_bad_list_is_refused_line_by_line_before_anything_is_sent(project: Path, smtp, capsys,
                                                                   monkeypatch) -> None:
    monkeypatch.chdir(project)
    (project / "recipients.csv").write_text(
        "email,language,name\n"
        "anna@example.com,de\n"
        "not an address,de\n"
        "bilal@example.org,klingon\n"
        "ANNA@example.com,fr\n"
        '"=HYPERLINK(""http://evil.example"")",de\n'
        "chie@example.jp,@SUM(A1)\n"
        'dora@example.com,en,"Dora\nBcc: everyone@example.com"\n'
        "emil@example.net,de\n", encoding="utf-8")
    before = snapshot(project)
    mailbox = Mailbox()
    code, _out, err = send(project, smtp(mailbox), "--yes", capsys=capsys)
    assert code == 2 and mailbox.recipients == 0
    lines = err.strip().split("\n")
    assert [line.split(": error: ")[0] for line in lines] == [f"recipients.csv:{n}" for n in (3, 4, 5, 6, 7, 8)]
    assert "malformed e-mail address 'not an address'" in lines[0]
    assert "klingon" in lines[1]
    assert "duplicate recipient ANNA@example.com (first on line 2)" in lines[2]
    assert "formula" in lines[3] and "formula" in lines[4]
    assert "line break" in lines[5]
    assert snapshot(project) == before


@pytest.mark.parametrize("content, message", [
    (None, "recipients.csv:1: error: no such recipient list"),
    ("", "recipients.csv:1: error: the recipient list is empty"),
    ("name,phone\nAnna,123\n", "recipients.csv:1: error: the first line must name the columns email and language"),
    ("email,language\n", "recipients.csv:1: error: the recipient list names no recipient"),
    ("email,language\nanna@example.com,de\x00\n", "recipients.csv:2: error: contains a NUL byte"),
])
def test_a_missing_empty_or_malformed_list_is_one_line(project: Path, content, message, capsys, monkeypatch) -> None:
    monkeypatch.chdir(project)
    target = project / "recipients.csv"
    if content is None:
        target.unlink()
    else:
        target.write_text(content, encoding="utf-8")
    code, _out, err = send(project, "127.0.0.1:9", capsys=capsys)
    assert code == 2 and err.strip().startswith(message) and err.count("\n") == 1


def test_credentials_are_never_sent_unencrypted_to_another_machine(project: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(project)
    monkeypatch.setenv("PUBKIT_SMTP_USER", "press")
    monkeypatch.setenv("PUBKIT_SMTP_PASSWORD", "secret")
    code, _out, err = send(project, "smtp.example.invalid:587", "--yes", capsys=capsys)
    assert code == 2 and "refusing to send the password in PUBKIT_SMTP_PASSWORD unencrypted" in err
    assert "secret" not in err


def test_an_embargoed_release_goes_out_only_when_asked(project: Path, smtp, capsys, monkeypatch) -> None:
    monkeypatch.chdir(project)
    source = project / "sources" / f"{SLUG}.md"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "---\n", "---\nembargo: 2099-01-01T10:00:00+01:00\n", 1), encoding="utf-8")
    mailbox = Mailbox()
    server = smtp(mailbox)
    code, _out, err = send(project, server, "--yes", capsys=capsys)
    assert code == 2 and mailbox.recipients == 0
    assert f"'{SLUG}' has no language to send: embargoed until 2099-01-01T10:00:00+01:00; --include-embargoed" in err
    code, _out, err = send(project, server, "--yes", "--include-embargoed", capsys=capsys)
    assert code == 0, err
    subjects = {m["Content-Language"]: m["Subject"] for _r, m in mailbox.messages}
    assert subjects["de"].startswith("Sperrfrist bis 1. Januar 2099, 10:00")
    assert len(mailbox.messages) == len(EXPECTED)
