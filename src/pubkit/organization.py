"""The organization behind every release: ``[organization]`` in ``pubkit.toml`` (name, boilerplate, logo and
press contacts), validated, and the press contacts that serve a language."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from .errors import PubkitError

if TYPE_CHECKING:  # pragma: no cover  (config imports this module: the type only)
    from .config import Project

#: The catalog of the organization's own text (boilerplate, contact roles): ``locale/organization.pot``.
ORGANIZATION_DOMAIN = "organization"
#: The message context of a press contact's role.
ROLE_CONTEXT = "contact-role"
_KEYS = ("name", "boilerplate", "logo", "contact")
CONTACT_KEYS = ("name", "role", "phone", "email", "address", "languages")
#: A phone number as people write it: digits, an optional leading +, spaces, dots, dashes, slashes, brackets.
_PHONE_RE = re.compile(r"^\+?[0-9][0-9 ./()\-\u00a0]{3,30}[0-9]$")
#: An e-mail address: one @, no spaces or markup (RFC 5322 allows more; a press address needs no more).
_EMAIL_RE = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                       r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")


@dataclass(frozen=True)
class Contact:
    """A press contact: who, how to reach them, and the languages whose journalists they serve."""

    name: str
    role: str = ""
    phone: str = ""
    email: str = ""
    #: Postal address; its line breaks are kept.
    address: str = ""
    #: Locales served (``pt`` serves every ``pt_*``); empty: every language.
    languages: tuple[str, ...] = ()
    #: Where it is written (``pubkit.toml`` or a release), for messages and translators' references.
    path: Path | None = None
    line: int = 1

    def serves(self, language: str) -> bool:
        """True if this contact names ``language`` (exactly, or by its language without territory)."""
        base = language.split("_")[0]
        return language in self.languages or base in self.languages

    @property
    def phone_uri(self) -> str:
        """``tel:+41441234567``: the number without its spacing, for a link."""
        return "tel:" + re.sub(r"[^0-9+]", "", self.phone)


@dataclass(frozen=True)
class Organization:
    """``[organization]``: written once for the project, given to every release."""

    name: str
    boilerplate: Path | None = None
    logo: Path | None = None
    contacts: tuple[Contact, ...] = ()


def serving(contacts: tuple[Contact, ...] | list[Contact], language: str) -> list[Contact]:
    """The contacts of ``contacts`` for a page in ``language``: those naming it, else those naming none."""
    named = [contact for contact in contacts if contact.serves(language)]
    return named or [contact for contact in contacts if not contact.languages]


def has_organization_text(project: Project) -> bool:
    """True when ``[organization]`` has text to translate (a boilerplate or a contact's role): then the
    project has the catalog ``organization``."""
    organization = project.organization
    return organization is not None and (organization.boilerplate is not None
                                         or any(contact.role for contact in organization.contacts))


def press_contacts(project: Project, language: str) -> list[Contact]:
    """The organization's press contacts for ``language`` (a locale such as ``pt_BR``), in the order
    ``pubkit.toml`` lists them; empty without ``[organization]`` contacts. ``role`` is untranslated."""
    organization = project.organization
    return serving(organization.contacts, language) if organization else []


def contact_from(table: dict[str, Any], fail: Callable[..., PubkitError], normalize: Callable[[str], str],
                 path: Path | None = None, line: int = 1) -> Contact:
    """A contact from its keys (a ``[[organization.contact]]`` table or a release's ``contacts`` entry);
    ``fail(message, key)`` makes the error, at the line of ``key`` where it can; ``normalize`` spells a
    locale as the project does (config.normalize_language, passed in: this module sits below config)."""
    for key in table:
        if key not in CONTACT_KEYS:
            raise fail(f"unknown contact key '{key}' (known: {', '.join(CONTACT_KEYS)})", key)
    text = {}
    for key in ("name", "role", "phone", "email", "address"):
        value = table.get(key, "")
        if not isinstance(value, str):
            raise fail(f"contact '{key}' must be text", key)
        text[key] = value.strip() if key == "address" else " ".join(value.split())
    if not text["name"]:
        raise fail("a contact needs a 'name'")
    if not (text["phone"] or text["email"]):
        raise fail(f"contact '{text['name']}' needs a 'phone' or an 'email'")
    if text["phone"] and not _PHONE_RE.match(text["phone"]):
        raise fail(f"phone '{text['phone']}' is not a phone number such as +41 44 123 45 67", "phone")
    if text["email"] and not _EMAIL_RE.match(text["email"]):
        raise fail(f"email '{text['email']}' is not an e-mail address such as media@example.com", "email")
    address = "\n".join(" ".join(line.split()) for line in text["address"].splitlines() if line.strip())
    languages = table.get("languages", [])
    if not isinstance(languages, list) or not all(isinstance(tag, str) for tag in languages):
        raise fail("contact 'languages' must be a list of locales such as [\"de\", \"pt_BR\"]", "languages")
    served = []
    for tag in languages:
        try:
            served.append(normalize(tag))
        except ValueError as exc:
            raise fail(str(exc), "languages") from None
    return Contact(text["name"], text["role"], text["phone"], text["email"], address, tuple(served), path, line)


def parse_organization(table: dict[str, Any], root: Path, path: Path, line_of: Callable[..., int],
                       normalize: Callable[[str], str]) -> Organization:
    """``[organization]`` → :class:`Organization`; ``line_of(pattern, nth, after=0)`` is the line of the
    ``nth`` line matching ``pattern`` (after line ``after``), for errors."""
    from .errors import ConfigError

    def fail_at(pattern: str, nth: int = 0) -> Callable[[str], PubkitError]:
        return lambda message: ConfigError(message, path, line_of(pattern, nth))

    for key in table:
        if key not in _KEYS:
            raise fail_at(rf"^\s*{re.escape(key)}\s*=")(f"unknown key '{key}' in [organization] (known: {', '.join(_KEYS)})")
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        raise fail_at(r"^\s*\[(tool\.pubkit\.)?organization\]")("[organization] needs a 'name'")
    files = {key: _project_file(table.get(key), key, root, fail_at(rf"^\s*{key}\s*=")) for key in ("boilerplate", "logo")}
    entries = table.get("contact", [])
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise fail_at(r"^\s*contact\s*=")("'contact' must be [[organization.contact]] tables")
    header = r"^\s*\[\[\s*(tool\.pubkit\.)?organization\.contact\s*\]\]"
    contacts = []
    for nth, entry in enumerate(entries):
        start = line_of(header, nth)

        def fail(message: str, key: str | None = None, start: int = start) -> PubkitError:
            # The key's line: the first one setting it after this contact's header.
            line = line_of(rf"^\s*{re.escape(key)}\s*=", 0, start) if key else start
            return ConfigError(message, path, line)

        contacts.append(contact_from(entry, fail, normalize, path, start))
    return Organization(" ".join(name.split()), files["boilerplate"], files["logo"], tuple(contacts))


def _project_file(value: Any, key: str, root: Path, fail: Callable[[str], PubkitError]) -> Path | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise fail(f"'{key}' must be the path of a file in the project")
    resolved = (root / value).resolve()
    if not resolved.is_relative_to(root) or not resolved.is_file():
        raise fail(f"'{key}' must name a file inside the project; '{value}' is not one")
    return resolved
