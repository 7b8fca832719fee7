"""The organization, once: `[organization]` in pubkit.toml gives every release its name, translated
boilerplate and the press contacts serving each language; a release adds or replaces contacts."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import polib
import pytest

from conftest import page_file, pdf_file
from pubkit.config import load_project
from pubkit.organization import press_contacts

CONFIG = '''source_language = "en"
languages = ["de", "pt_BR", "he"]

[organization]
name = "Tödi Rail AG"
boilerplate = "organization.md"

[[organization.contact]]
name = "Anna Keller"
role = "Head of Media Relations"
phone = "+41 44 123 45 67"
email = "media@toedi-rail.example"
address = """
Tödi Rail AG
Bahnhofstrasse 1
8001 Zürich"""

[[organization.contact]]
name = "Mariana Souza"
role = "Press officer for Latin America"
phone = "+55 11 3000 1234"
email = "imprensa.sao-paulo@toedi-rail.example"
languages = ["pt"]
'''
BOILERPLATE = """## About Tödi Rail

Tödi Rail AG builds regional trains and trams in Altenrhein and Bussnang.
"""
RELEASE = """---
title: Tödi Rail opens its plant in Altenrhein
place: Altenrhein
date: 2026-03-02
contact: |
  Lea Brunner\\
  Project office
contacts:
  - {name: Lea Brunner, role: Project lead, phone: "+41 71 555 01 02", email: lea.brunner@toedi-rail.example, languages: [de]}
values:
  trains: {number: 120}
---
The plant builds {trains} trains a year.
"""
GERMAN = {"About Tödi Rail": "Über Tödi Rail",
          "Tödi Rail AG builds regional trains and trams in Altenrhein and Bussnang.":
              "Die Tödi Rail AG baut Regionalzüge und Trams in Altenrhein und Bussnang.",
          "Head of Media Relations": "Leiterin Medienstelle", "Project lead": "Projektleiterin",
          "Tödi Rail opens its plant in Altenrhein": "Tödi Rail eröffnet sein Werk in Altenrhein",
          "The plant builds {trains} trains a year.": "Das Werk baut {trains} Züge im Jahr."}
PORTUGUESE = {"Press officer for Latin America": "Assessora de imprensa para a América Latina",
              "Tödi Rail opens its plant in Altenrhein": "Tödi Rail inaugura sua fábrica em Altenrhein"}
HEBREW = {"Tödi Rail opens its plant in Altenrhein": "טֶדי רייל פותחת את המפעל שלה באלטנריין"}


def translate(project: Path, language: str, domain: str, table: dict[str, str]) -> None:
    po = polib.pofile(str(project / "locale" / language / "LC_MESSAGES" / f"{domain}.po"))
    for entry in po:
        entry.msgstr = table.get(entry.msgid, entry.msgstr)
    po.save()


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> Path:
    """A press office with its organization profile, one release, extracted, translated and built."""
    from pubkit.cli import main

    project = tmp_path_factory.mktemp("office") / "office"
    (project / "sources").mkdir(parents=True)
    (project / "pubkit.toml").write_text(CONFIG, encoding="utf-8")
    (project / "organization.md").write_text(BOILERPLATE, encoding="utf-8")
    (project / "sources" / "plant.md").write_text(RELEASE, encoding="utf-8")
    assert main(["-C", str(project), "extract"]) == 0 and main(["-C", str(project), "update"]) == 0
    for language, table in (("de", GERMAN), ("pt_BR", PORTUGUESE), ("he", HEBREW)):
        for domain in ("plant", "organization"):
            translate(project, language, domain, table)
    assert main(["-C", str(project), "build", "--format", "html"]) == 0
    assert main(["-C", str(project), "build", "--lang", "de", "--format", "pdf"]) == 0
    return project


def page(project: Path, language: str) -> str:
    return page_file(project, "plant", language).read_text(encoding="utf-8")


def contacts_on(html: str) -> list[str]:
    return re.findall(r'<address class="press-contact">\s*<span class="name" dir="ltr">([^<]+)</span>', html)


def test_the_press_contacts_of_a_language_for_code(office: Path) -> None:
    project = load_project(office)
    assert project.organization.name == "Tödi Rail AG"
    assert [c.name for c in press_contacts(project, "pt_BR")] == ["Mariana Souza"]  # "pt" serves pt_BR
    assert [c.name for c in press_contacts(project, "de")] == ["Anna Keller"]  # no one names de: the default
    anna = press_contacts(project, "en")[0]
    assert (anna.email, anna.phone, anna.role) == ("media@toedi-rail.example", "+41 44 123 45 67",
                                                   "Head of Media Relations")
    assert anna.address == "Tödi Rail AG\nBahnhofstrasse 1\n8001 Zürich"


def test_the_boilerplate_and_roles_are_translated_once_in_their_own_catalog(office: Path) -> None:
    pot = polib.pofile(str(office / "locale" / "organization.pot"))
    assert [(e.msgctxt, e.msgid) for e in pot] == [
        (None, "About Tödi Rail"),
        (None, "Tödi Rail AG builds regional trains and trams in Altenrhein and Bussnang."),
        ("contact-role", "Head of Media Relations"), ("contact-role", "Press officer for Latin America")]
    assert pot[0].occurrences == [("organization.md", "1")] and pot[2].occurrences == [("pubkit.toml", "8")]
    release = polib.pofile(str(office / "locale" / "plant.pot"))
    assert ("contact-role", "Project lead") in [(e.msgctxt, e.msgid) for e in release]
    assert "About Tödi Rail" not in [e.msgid for e in release]  # not repeated in every release
    # Numbers and addresses are never text to translate.
    for path in (office / "locale").glob("*.pot"):
        text = path.read_text(encoding="utf-8")
        assert "+41" not in text and "@toedi-rail" not in text and "Bahnhofstrasse" not in text


def test_every_release_gets_the_boilerplate_and_the_contacts_of_its_language(office: Path) -> None:
    german = page(office, "de")
    assert "<h2>Über Tödi Rail</h2>" in german and "Die Tödi Rail AG baut Regionalzüge" in german
    assert contacts_on(german) == ["Lea Brunner", "Anna Keller"]  # the release's own first
    assert '<span class="role">Leiterin Medienstelle</span>' in german
    assert '<span class="role">Projektleiterin</span>' in german
    assert contacts_on(page(office, "pt_BR")) == ["Mariana Souza"]
    assert "Assessora de imprensa para a América Latina" in page(office, "pt_BR")
    english = page(office, "en")
    assert contacts_on(english) == ["Anna Keller"]
    assert '<span class="address-line" dir="ltr">Bahnhofstrasse 1</span>' in english
    assert '<meta name="author" content="Tödi Rail AG">' in english


def test_an_untranslated_boilerplate_is_marked_as_source_text(office: Path) -> None:
    hebrew = page(office, "he")
    assert '<p lang="en" class="untranslated" dir="ltr">Tödi Rail AG builds' in hebrew or \
        re.search(r'<p (?=[^>]*lang="en")(?=[^>]*class="untranslated")[^>]*>Tödi Rail AG builds', hebrew)


def test_phone_and_email_are_isolated_links_never_broken(office: Path) -> None:
    hebrew = page(office, "he")
    assert '<a class="phone" href="tel:+41441234567" dir="ltr" translate="no">+41 44 123 45 67</a>' in hebrew
    assert '<a class="email" href="mailto:media@toedi-rail.example" dir="ltr" translate="no">' \
           'media@toedi-rail.example</a>' in hebrew
    css = (page_file(office, "plant", "he").parent / "base.css").read_text(encoding="utf-8")
    rule = re.search(r"\.press-contact \.phone, \.press-contact \.email \{([^}]*)\}", css).group(1)
    assert "white-space: nowrap" in rule and "hyphens: none" in rule
    # In print, each number and address is one run of text on one line.
    text = subprocess.run(["pdftotext", "-layout", str(pdf_file(office, "plant", "de")), "-"],
                          capture_output=True, text=True, check=True).stdout
    lines = [line.strip() for line in text.splitlines()]
    for whole in ("+41 71 555 01 02", "lea.brunner@toedi-rail.example", "+41 44 123 45 67",
                  "media@toedi-rail.example"):
        assert whole in lines, whole


def test_a_multi_line_contact_keeps_its_lines(office: Path) -> None:
    german = page(office, "de")
    assert re.search(r'<p[^>]*>Lea Brunner<br>\nProject office</p>', german)
    assert "\\" not in re.search(r'<footer class="contact">.*</footer>', german, re.S).group(0)
    pot = polib.pofile(str(office / "locale" / "plant.pot"))
    assert next(e for e in pot if e.msgctxt == "contact").msgid == "Lea Brunner\nProject office"


def test_a_release_replaces_the_contacts_and_leaves_out_the_boilerplate(office: Path, run, tmp_path) -> None:
    import shutil

    project = tmp_path / "office"
    shutil.copytree(office, project)
    source = project / "sources" / "plant.md"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "values:", "contacts_replace: true\nboilerplate: false\nvalues:"), encoding="utf-8")
    assert run("build", "--format", "html", "--lang", "de", "--lang", "pt_BR", cwd=project).code == 0
    german, portuguese = page(project, "de"), page(project, "pt_BR")
    assert contacts_on(german) == ["Lea Brunner"] and contacts_on(portuguese) == []
    assert "boilerplate" not in german and "Über Tödi Rail" not in german


@pytest.mark.parametrize("change, where, message", [
    ('email = "media@toedi-rail.example"', 'email = "media(at)toedi-rail"',
     "email 'media(at)toedi-rail' is not an e-mail address"),
    ('phone = "+41 44 123 45 67"', 'phone = "call us"', "phone 'call us' is not a phone number"),
    ('name = "Mariana Souza"', 'nome = "Mariana Souza"', "unknown contact key 'nome'"),
    ('languages = ["pt"]', 'languages = ["portugese"]', "'portugese' is not a locale identifier"),
    ('boilerplate = "organization.md"', 'boilerplate = "../outside.md"', "'boilerplate' must name a file inside"),
])
def test_a_mistake_in_the_organization_is_one_line_and_status_2(office, run, tmp_path, change, where, message):
    import shutil

    project = tmp_path / "office"
    shutil.copytree(office, project)
    config = project / "pubkit.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(change, where), encoding="utf-8")
    before = {p: p.read_bytes() for p in (project / "locale").rglob("*") if p.is_file()}
    result = run("update", cwd=project)
    assert result.code == 2 and result.err.count("\n") == 1
    assert result.err.startswith(f"pubkit.toml:{CONFIG.replace(change, where).splitlines().index(where) + 1}:")
    assert message in result.err
    assert {p: p.read_bytes() for p in (project / "locale").rglob("*") if p.is_file()} == before


def test_the_organizations_logo_heads_the_site(office: Path, run, tmp_path) -> None:
    import shutil

    project = tmp_path / "office"
    shutil.copytree(office, project)
    (project / "brand").mkdir()
    logo = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40"/></svg>'
    (project / "brand" / "toedi.svg").write_text(logo, encoding="utf-8")
    config = project / "pubkit.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'boilerplate = "organization.md"', 'boilerplate = "organization.md"\nlogo = "brand/toedi.svg"'), encoding="utf-8")
    assert run("build", "--format", "html", "--lang", "de", cwd=project).code == 0
    assert (project / "dist" / "assets" / "logo.svg").read_text(encoding="utf-8") == logo
    assert '<img src="../../assets/logo.svg" alt="Tödi Rail AG"' in page(project, "de")
    # A logo that is not the image its name says stops the build before anything is written.
    (project / "brand" / "toedi.svg").write_text("<!DOCTYPE svg><svg/>", encoding="utf-8")
    result = run("build", "--format", "html", "--lang", "de", "--force", cwd=project)
    assert result.code == 2 and "brand/toedi.svg:1: error: toedi.svg is not a SVG image" in result.err
