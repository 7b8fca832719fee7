"""What a release page shows of its organization: the translated boilerplate and the press contacts that
serve the page's language, with phone numbers and e-mail addresses kept whole and untranslated."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from markupsafe import Markup, escape

from ..catalog.translations import Translations
from ..organization import ORGANIZATION_DOMAIN, ROLE_CONTEXT, Contact, has_organization_text, serving
from ..source.sources import Source, read_boilerplate

if TYPE_CHECKING:  # pragma: no cover
    from .page import PageRender
    from .render import Renderer


@dataclass(frozen=True)
class ShownContact:
    """A press contact as the template shows it: the role in the page's language (or marked as source text)."""

    name: str
    role: Markup
    role_attrs: Markup
    phone: str
    phone_uri: str
    email: str
    #: Each line of the address with the direction of its own script ("ltr", "rtl"): a Swiss address on a
    #: Hebrew page still reads "9423 Altenrhein" (WeasyPrint does not resolve dir="auto").
    address_lines: tuple[tuple[str, str], ...]
    name_dir: str = "ltr"


def direction(text: str) -> str:
    """The direction of the first letter of ``text`` that has one (Unicode bidi class L, R or AL)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def release_contacts(source: Source, contacts: tuple[Contact, ...], language: str) -> list[Contact]:
    """The contacts of a release in ``language``: its own (``contacts:``) first, then the organization's,
    unless ``contacts_replace: true``; each list chosen by the languages its contacts serve."""
    own = serving(source.fields.get("contacts") or (), language)  # type: ignore[arg-type]
    if source.fields.get("contacts_replace"):
        return own
    return own + [contact for contact in serving(contacts, language) if contact not in own]


class OrganizationParts:
    """The organization's text for a renderer: its boilerplate parsed once, its catalog per language."""

    def __init__(self, renderer: Renderer):
        self.renderer = renderer
        self.project = renderer.project
        self.boilerplate: Source | None = read_boilerplate(self.project)
        self._catalogs: dict[str, Translations] = {}

    def catalog(self, language: str) -> Translations:
        if language not in self._catalogs:
            # A project without text of its organization has no such catalog: nothing to read.
            self._catalogs[language] = Translations.load(self.project, language, ORGANIZATION_DOMAIN) \
                if has_organization_text(self.project) else Translations.identity()
        return self._catalogs[language]

    def context(self, source: Source, language: str, text_of: Callable, values_for: Callable, marks: Callable,
                attributes: Callable[[dict, str], Markup], translations: Translations, page: PageRender) -> dict:
        """``organization``, ``boilerplate`` (Markup or None) and ``contacts`` for the release template;
        ``text_of``, ``values_for``, ``marks`` and ``attributes`` are the page's own (Renderer.render)."""
        organization = self.project.organization
        catalog = self.catalog(language)

        def own_text(context: str | None, msgid: str) -> str:
            translated = catalog.get(context, msgid)
            if translated is None:
                page.out.fallbacks.append((context, msgid))
                return self.renderer.typeset(self.project.source_language, msgid)
            return self.renderer.typeset(language, translated)

        boilerplate = None
        if self.boilerplate is not None and source.fields.get("boilerplate", True):
            boilerplate = page.body_of(self.boilerplate, own_text, catalog)
        shown = []
        for contact in release_contacts(source, organization.contacts if organization else (), language):
            ours = contact.path is None or contact.path != source.path  # from pubkit.toml: the organization catalog
            lookup, where = (own_text, catalog) if ours else (text_of, translations)
            before = len(page.out.fallbacks)
            role = lookup(ROLE_CONTEXT, contact.role) if contact.role else ""
            attrs = marks(where.fallback(ROLE_CONTEXT, contact.role)) if len(page.out.fallbacks) > before else {}
            shown.append(ShownContact(contact.name, escape(role), attributes(attrs, "role"), contact.phone,
                                      contact.phone_uri if contact.phone else "", contact.email,
                                      tuple((line, direction(line)) for line in contact.address.splitlines()),
                                      direction(contact.name)))
        name = source.fields.get("organization") or (organization.name if organization else "")
        return {"organization": str(name), "boilerplate": boilerplate, "contacts": shown}
