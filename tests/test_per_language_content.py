"""Per-language content: a translation may point a link at another address on the source link's host (or
a host the project allows), an image has an optional version per language, and value options may differ
per language; everything else a translation changes beyond its text is still refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest

from conftest import page_file

LINKED = ("The second line of the same paragraph keeps [our link](https://example.com/plant) and `{code}` stays "
          "code, while \\{escaped\\} braces are text.")


def german(mini: Path, run, table: dict[str, str], config: str = "") -> Path:
    path = mini / "pubkit.toml"
    path.write_text(path.read_text(encoding="utf-8") + config, encoding="utf-8")
    run("extract", cwd=mini)
    run("update", cwd=mini)
    po_path = mini / "locale" / "de" / "LC_MESSAGES" / "launch.po"
    po = polib.pofile(str(po_path))
    table = {"A new plant opens": "Ein neues Werk öffnet", **table}  # a German page is published at all
    for entry in po:
        if entry.msgid in table:
            entry.msgstr = table[entry.msgid]
    po.save()
    return po_path


def paragraph(msgid_fragment: str, po: Path) -> str:
    return next(e.msgid for e in polib.pofile(str(po)) if msgid_fragment in e.msgid)


@pytest.mark.parametrize("target, config, allowed", [
    ("https://example.com/de/werk", "", True),  # the same host: the company's German page
    ("http://example.com/de/werk", "", True),
    ("https://www.example.de/werk", "", False),  # another host: not without link_hosts
    ("https://www.example.de/werk", 'link_hosts = ["www.example.de"]\n', True),
    ("https://example.com@evil.example/", "", False),  # credentials hiding another host
    ("javascript:alert(1)", "", False),
    ("../../etc/passwd", "", False),
])
def test_a_translation_may_point_a_link_at_the_same_host_or_an_allowed_one(mini, run, target, config, allowed):
    po = german(mini, run, {}, config)
    msgid = paragraph("[our link]", po)
    translation = msgid.replace("[our link](https://example.com/plant)", f"[unser Link]({target})")
    catalog = polib.pofile(str(po))
    catalog.find(msgid).msgstr = translation
    catalog.save()
    result = run("check", "--lang", "de", cwd=mini)
    assert ("[link-target]" in result.out) != allowed, result.out
    assert run("build", "--lang", "de", "--format", "html", cwd=mini).code == 0
    page = page_file(mini, "launch", "de").read_text(encoding="utf-8")
    if allowed:
        assert f'<a href="{target}">unser Link</a>' in page
    else:
        assert "unser Link" not in page and '<a href="https://example.com/plant">our link</a>' in page


def test_a_link_host_that_is_not_a_host_is_one_line(mini, run):
    path = mini / "pubkit.toml"
    path.write_text(path.read_text(encoding="utf-8") + 'link_hosts = ["https://www.example.de/"]\n', encoding="utf-8")
    result = run("check", cwd=mini)
    assert result.code == 2
    assert result.err == ("pubkit.toml:3: error: link_hosts: 'https://www.example.de/' is not a host name such as "
                          "www.example.com.br\n")


def test_an_image_has_a_version_per_language(mini, run):
    shutil.copy(mini / "sources" / "plant.png", mini / "sources" / "plant.de.png")
    with (mini / "sources" / "plant.de.png").open("ab") as image:
        image.write(b"German")  # other bytes: another file in the page
    german(mini, run, {"Aerial view of the plant": "Luftbild des Werks", "A new plant opens": "Ein neues Werk"})
    assert run("build", "--format", "html", cwd=mini).code == 0
    de = page_file(mini, "launch", "de").read_text(encoding="utf-8")
    zh = page_file(mini, "launch", "zh_CN")
    assert '-plant.de.png" alt="Luftbild des Werks"' in de  # the German image, with its translated alt text
    en = page_file(mini, "launch", "en").read_text(encoding="utf-8")
    assert '-plant.png" alt="Aerial view of the plant"' in en
    assert not zh.exists() or "-plant.de.png" not in zh.read_text(encoding="utf-8")
    # The same checks as any image: a link out of the project is refused.
    (mini / "sources" / "plant.de.png").unlink()
    (mini / "sources" / "plant.de.png").symlink_to("/etc/hostname")
    result = run("build", "--lang", "de", "--format", "html", cwd=mini)
    assert result.code == 2 and "plant.de.png" in result.err


def test_value_options_per_language(mini, run):
    config = '\n[language.de.values]\ncost = {display = "name"}\nunit = {display = "short"}\n'
    po = german(mini, run, {}, config)
    msgid = paragraph("{cost}", po)
    catalog = polib.pofile(str(po))
    catalog.find(msgid).msgstr = msgid.replace("The plant covers", "Das Werk umfasst")
    catalog.save()
    assert run("build", "--format", "html", cwd=mini).code == 0
    de = page_file(mini, "launch", "de").read_text(encoding="utf-8").replace("\u00a0", " ")
    en = page_file(mini, "launch", "en").read_text(encoding="utf-8")
    assert 'cost <bdi class="value" dir="ltr">1,25 Mrd. Euro</bdi>' in de  # display = "name" here, in German
    assert '<bdi class="value" dir="ltr">12,5 ha</bdi>' in de  # every unit value: display = "short"
    assert "cost €1.25B" in en and "12.5 hectares" in en


def test_a_value_option_the_kind_has_not_is_one_line(mini, run):
    path = mini / "pubkit.toml"
    path.write_text(path.read_text(encoding="utf-8") + '\n[language.de.values]\narea = {display = "name"}\n',
                    encoding="utf-8")
    german(mini, run, {"A new plant opens": "Ein neues Werk"})
    result = run("build", "--lang", "de", "--format", "html", cwd=mini)
    assert result.code == 2
    assert "pubkit.toml:4: error: [language.de.values]: 'display = \"name\"' does not apply to the unit value " \
           "'area'" in result.err
