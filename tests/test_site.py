"""The newsroom around the releases: layout, chooser, indexes, feeds, sitemap, page head, embargo, base_url."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import feedparser
import html5lib
import pytest
from lxml import etree

from conftest import copy_sample, page_file, pdf_file, snapshot
from pubkit import load_project
from pubkit.publish.build import build
from pubkit.publish.paths import absolute_url, language_folder

PARK = "weiqiao-aluminium-park"
LAB = "weiqiao-joint-laboratory"
LANGUAGES = ["en", "de", "fr", "zh_CN", "ar", "ja"]
ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory) -> Path:
    """The whole sample: every page in HTML, and the PDFs of German and Arabic."""
    root = copy_sample(tmp_path_factory.mktemp("newsroom") / "sample", whole=True)
    project = load_project(root)
    first = build(project, formats=("html",))
    assert not first.diagnostics, [d.format() for d in first.diagnostics]
    build(project, languages=["de", "ar"], formats=("pdf",))
    return root


@pytest.fixture
def mini(mini: Path, run) -> Path:
    """The mini project with catalogs, its title translated: a language with no usable translation
    is not published at all (the publish gate), and the site needs German and Chinese pages."""
    import polib

    assert run("extract", cwd=mini).code == 0 and run("update", cwd=mini).code == 0
    for language, title in (("de", "Ein neues Werk öffnet"), ("zh_CN", "新工厂落成")):
        catalog = polib.pofile(str(mini / "locale" / language / "LC_MESSAGES" / "launch.po"))
        catalog.find("A new plant opens", msgctxt="title").msgstr = title
        catalog.save()
    return mini


def dist(root: Path) -> Path:
    return root / "dist"


def parse_strict(path: Path):
    """html5lib in strict mode raises on any parse error: the page is valid HTML5 syntax."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    with open(path, "rb") as f:
        return parser.parse(f)


def url_to_file(root: Path, url: str) -> Path:
    base = load_project(root).base_url
    assert url.startswith(base), url
    path = dist(root) / url[len(base):]
    return path / "index.html" if url.endswith("/") else path


@pytest.mark.slow
def test_the_site_layout(newsroom: Path) -> None:
    out = dist(newsroom)
    for name in ("index.html", "sitemap.xml", "robots.txt"):
        assert (out / name).is_file(), name
    for language in LANGUAGES:
        folder = language.replace("_", "-").lower()
        assert (out / folder / "index.html").is_file() and (out / folder / "feed.xml").is_file()
        for slug in (PARK, LAB):
            assert (out / folder / slug / "index.html").is_file()
    assert (out / "zh-cn" / PARK / "index.html").is_file(), "the lowercase BCP 47 tag names the folder"
    assert (out / "ar" / LAB / f"{LAB}-ar.pdf").is_file()
    assert "Sitemap: https://newsroom.example.com/sitemap.xml" in (out / "robots.txt").read_text()


def test_a_language_folder_named_in_the_configuration(mini: Path) -> None:
    config = mini / "pubkit.toml"
    config.write_text(config.read_text() + '\n[language.zh-CN]\nfolder = "cn"\n')
    project = load_project(mini)
    assert language_folder(project, "zh_CN") == "cn" and language_folder(project, "de") == "de"
    assert page_file(mini, "launch", "zh_CN") == mini / "dist" / "cn" / "launch" / "index.html"
    assert pdf_file(mini, "launch", "zh_CN") == mini / "dist" / "cn" / "launch" / "launch-cn.pdf"


@pytest.mark.slow
def test_every_page_of_the_site_is_valid_html5(newsroom: Path) -> None:
    pages = sorted(dist(newsroom).rglob("*.html"))
    assert len(pages) == 1 + 6 + 12
    for page in pages:
        parse_strict(page)


@pytest.mark.slow
def test_the_chooser_names_each_language_in_itself(newsroom: Path) -> None:
    document = parse_strict(dist(newsroom) / "index.html")
    links = {a.get("hreflang"): (a.text, a.get("href"), a.get("dir")) for a in document.iter("a") if a.get("hreflang")}
    assert links["de"] == ("Deutsch", "de/index.html", "ltr")
    assert links["zh-CN"] == ("中文（中国）", "zh-cn/index.html", "ltr")
    assert links["ar"] == ("العربية", "ar/index.html", "rtl")
    assert links["ja"][0] == "日本語"
    assert len(links) == 6


@pytest.mark.slow
def test_a_language_index_lists_releases_newest_first(newsroom: Path) -> None:
    page = dist(newsroom) / "de" / "index.html"
    document = parse_strict(page)
    items = document.findall(".//ol/li")
    assert [li.find("h2/a").get("href") for li in items] == [f"{LAB}/index.html", f"{PARK}/index.html"]
    times = [li.find("time") for li in items]
    assert [(t.get("datetime"), t.text) for t in times] == [("2023-08-01", "1. August 2023"),
                                                           ("2023-07-25", "25. Juli 2023")]
    assert items[1].find("h2/a").text.startswith("Weiqiao eröffnet Industriepark")
    pdf = items[0].find(".//a[@type='application/pdf']")
    assert (page.parent / pdf.get("href")).is_file()
    size = (page.parent / pdf.get("href")).stat().st_size
    assert items[0].find(".//span[@class='size']").text == f"({round(size / 1000)} kB)"
    # Without their PDFs (only HTML was built for French), the French index offers none.
    assert not parse_strict(dist(newsroom) / "fr" / "index.html").findall(".//a[@type='application/pdf']")


def test_an_index_is_paginated_past_its_page_size(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "sample", whole=True)
    (root / "pubkit.toml").write_text("index_page_size = 1\n" + (root / "pubkit.toml").read_text())  # before any table
    build(load_project(root), languages=["en"], formats=("html",))
    first, second = root / "dist" / "en" / "index.html", root / "dist" / "en" / "index-2.html"
    older = parse_strict(first).find(".//a[@rel='next']")
    assert older is not None and older.get("href") == "index-2.html"
    assert parse_strict(second).find(".//a[@rel='prev']").get("href") == "index.html"
    assert parse_strict(second).find(".//ol/li/h2/a").get("href") == f"{PARK}/index.html"


@pytest.mark.slow
@pytest.mark.parametrize("language", ["de", "ar", "zh_CN"])
def test_each_language_has_a_valid_atom_feed(newsroom: Path, language: str) -> None:
    folder = language.replace("_", "-").lower()
    feed = feedparser.parse((dist(newsroom) / folder / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.link == f"https://newsroom.example.com/{folder}/"
    assert [entry.id for entry in feed.entries] == [f"https://newsroom.example.com/{folder}/{LAB}/",
                                                    f"https://newsroom.example.com/{folder}/{PARK}/"]
    for entry in feed.entries:
        assert entry.title and entry.summary and entry.updated_parsed
        assert url_to_file(newsroom, entry.link).is_file()
        enclosures = [link for link in entry.links if link.rel == "enclosure"]
        if language in ("de", "ar"):
            (enclosure,) = enclosures
            assert enclosure.type == "application/pdf"
            assert int(enclosure.length) == url_to_file(newsroom, enclosure.href).stat().st_size
        else:
            assert not enclosures
    # The entries' text is the translation, in the feed's language.
    root = etree.parse(str(dist(newsroom) / folder / "feed.xml")).getroot()
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == language.replace("_", "-")
    content = root.find(f"{ATOM}entry/{ATOM}content")
    assert content.get("src") == feed.entries[0].id and content.get("type") == "text/html"


@pytest.mark.slow
def test_the_sitemap_has_every_page_with_its_alternates(newsroom: Path) -> None:
    tree = etree.parse(str(dist(newsroom) / "sitemap.xml"))
    urlset = tree.getroot()
    assert urlset.tag == f"{SM}urlset"
    urls = urlset.findall(f"{SM}url")
    assert len(urls) == 6 * 3, "each language's index and both releases"
    for url in urls:
        children = [child.tag for child in url]
        assert children[0] == f"{SM}loc", "loc comes first, as the schema orders it"
        assert set(children) <= {f"{SM}loc", f"{SM}lastmod", f"{XHTML}link"}
        assert url_to_file(newsroom, url.findtext(f"{SM}loc")).is_file()
        alternates = {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}
        assert set(alternates) == {"en", "de", "fr", "zh-CN", "ar", "ja", "x-default"}
        assert url.findtext(f"{SM}loc") in alternates.values()
        for href in alternates.values():
            assert url_to_file(newsroom, href).is_file()
        lastmod = url.findtext(f"{SM}lastmod")
        if lastmod:
            dt.date.fromisoformat(lastmod)


@pytest.mark.slow
def test_a_page_knows_its_translations(newsroom: Path) -> None:
    page = page_file(newsroom, LAB, "de")
    document = parse_strict(page)
    head = document.find("head")
    alternates = {link.get("hreflang"): link.get("href") for link in head.findall("link[@rel='alternate']")
                  if link.get("hreflang")}
    assert set(alternates) == {"en", "de", "fr", "zh-CN", "ar", "ja", "x-default"}
    assert alternates["x-default"] == alternates["en"] == f"https://newsroom.example.com/en/{LAB}/"
    assert head.find("link[@rel='canonical']").get("href") == f"https://newsroom.example.com/de/{LAB}/"
    summary = head.find("meta[@name='description']").get("content")
    assert summary.startswith("Zusammen mit dem neuen Industriepark")
    assert head.find("meta[@property='og:title']").get("content").startswith("Gemeinsames Labor von Weiqiao")
    assert head.find("meta[@property='og:url']").get("content") == f"https://newsroom.example.com/de/{LAB}/"
    assert head.find("meta[@name='twitter:card']").get("content") == "summary"
    (script,) = head.findall("script[@type='application/ld+json']")
    article = json.loads(script.text)
    assert article["@type"] == "NewsArticle" and article["inLanguage"] == "de"
    assert article["headline"].startswith("Gemeinsames Labor") and article["datePublished"] == "2023-08-01"
    assert article["publisher"] == {"@type": "Organization", "name": "WEIQIAO Germany GmbH"}
    assert article["translationOfWork"] == {"@id": f"https://newsroom.example.com/en/{LAB}/"}
    source = json.loads(parse_strict(page_file(newsroom, LAB, "en")).find("head/script").text)
    assert len(source["workTranslation"]) == 5
    # The switcher: every language named in itself, the current one marked and not a link.
    switcher = document.find(".//ul[@class='switcher']")
    current = switcher.find(".//span[@aria-current='page']")
    assert current.text == "Deutsch"
    names = {a.text: a.get("href") for a in switcher.iter("a")}
    assert names["العربية"] == f"../../ar/{LAB}/index.html" and "Deutsch" not in names
    for href in names.values():
        assert (page.parent / href).resolve().is_file()
    pdf = document.find(".//a[@type='application/pdf']")
    assert (page.parent / pdf.get("href")).resolve() == pdf_file(newsroom, LAB, "de")
    time = document.find(".//p[@class='dateline']/time")
    assert (time.get("datetime"), "".join(time.itertext())) == ("2023-08-01", "1. August 2023")


def test_without_base_url_links_are_relative_and_feeds_say_why(mini: Path, run) -> None:
    assert "base_url" not in (mini / "pubkit.toml").read_text()
    result = run("build", "--format", "html", cwd=mini)
    assert result.code == 0, result.err
    assert "pubkit.toml:1: warning: no base_url in the configuration" in result.err
    assert "feeds and sitemap.xml, which need absolute addresses, are not written" in result.err
    out = mini / "dist"
    assert not (out / "sitemap.xml").exists() and not list(out.rglob("feed.xml"))
    assert "Sitemap" not in (out / "robots.txt").read_text()
    head = parse_strict(out / "de" / "launch" / "index.html").find("head")
    assert head.find("link[@rel='canonical']").get("href") == "index.html"
    assert head.find("link[@hreflang='x-default']").get("href") == "../../en/launch/index.html"
    assert head.find("meta[@property='og:url']") is None


def test_a_no_op_build_writes_nothing_and_one_change_touches_one_release(tmp_path: Path, run) -> None:
    root = copy_sample(tmp_path / "sample", whole=True)
    assert run("build", "--format", "html", "--lang", "de", "--lang", "en", cwd=root).code == 0
    before = {p: p.stat().st_mtime_ns for p in (root / "dist").rglob("*")}
    result = run("build", "--format", "html", "--lang", "de", "--lang", "en", cwd=root)
    assert "nothing to render: 4 files up to date" in result.out and "site" not in result.out
    assert {p: p.stat().st_mtime_ns for p in (root / "dist").rglob("*")} == before, "a no-op writes nothing"

    po = root / "locale" / "de" / "LC_MESSAGES" / f"{LAB}.po"
    po.write_text(po.read_text(encoding="utf-8").replace("Forschung für den Aluminium-Cluster",
                                                         "Forschung für das Aluminium-Cluster"), encoding="utf-8")
    result = run("build", "--format", "html", "--lang", "de", "--lang", "en", cwd=root)
    assert "built 1 file (3 up to date)" in result.out
    changed = sorted(p.relative_to(root / "dist").as_posix() for p in (root / "dist").rglob("*")
                     if p.is_file() and before.get(p) != p.stat().st_mtime_ns)
    assert f"de/{LAB}/index.html" in changed
    assert not [c for c in changed if PARK in c], "the other release is not rendered again"
    assert not [c for c in changed if c.startswith("en/")], "nor the other language"


# --- embargo ---------------------------------------------------------------------------------------


def embargoed_mini(mini: Path) -> Path:
    source = mini / "sources" / "launch.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("---\n", "---\nembargo: 2023-07-25T10:00:00+02:00\n", 1), encoding="utf-8")
    return mini


def test_an_embargoed_release_is_left_out(mini: Path, run, monkeypatch) -> None:
    embargoed_mini(mini)
    result = run("build", "--format", "html", "--now", "2023-07-25T09:59:00+02:00", cwd=mini)
    assert result.code == 0, result.err
    assert "sources/launch.md:1: note: embargoed until 2023-07-25T10:00:00+02:00: left out of the site" in result.err
    assert not page_file(mini, "launch", "de").exists()
    assert not (mini / "dist" / "de" / "index.html").exists(), "no release to list in any language"
    assert "launch" not in (mini / "dist" / "index.html").read_text(encoding="utf-8")

    # One minute later (here given by SOURCE_DATE_EPOCH, as a reproducible build would) it is published.
    env_now = int(dt.datetime(2023, 7, 25, 8, 1, tzinfo=dt.timezone.utc).timestamp())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(env_now))
    result = run("build", "--format", "html", cwd=mini)
    assert result.code == 0 and "embargoed" not in result.err
    document = parse_strict(page_file(mini, "launch", "de"))
    assert document.find(".//p[@class='embargo']") is None


@pytest.mark.slow
def test_include_embargoed_marks_the_page_and_every_pdf_page(mini: Path, run) -> None:
    embargoed_mini(mini)
    result = run("build", "--lang", "de", "--include-embargoed", "--now", "2023-07-01T00:00:00Z", cwd=mini)
    assert result.code == 0, result.err
    line = parse_strict(page_file(mini, "launch", "de")).find(".//p[@class='embargo']")
    assert line is not None and "25. Juli 2023, 10:00 GMT+02:00" in line.text
    pdf = pdf_file(mini, "launch", "de")
    pages = int(next(l.split()[-1] for l in subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                                                            check=True).stdout.splitlines() if l.startswith("Pages:")))
    for number in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        assert "25. Juli 2023, 10:00 GMT+02:00" in " ".join(text.split()), f"page {number}"
    # A later build without the flag takes the review copy out of the site again.
    assert run("build", "--lang", "de", "--now", "2023-07-01T00:00:00Z", cwd=mini).code == 0
    assert not page_file(mini, "launch", "de").exists() and not pdf.exists()


@pytest.mark.slow
def test_bundle_leaves_embargoed_releases_out_unless_asked(mini: Path, run) -> None:
    embargoed_mini(mini)
    now = ("--now", "2023-07-01T00:00:00Z")
    assert run("bundle", *now, cwd=mini).code == 0
    with zipfile.ZipFile(mini / "dist" / "bundle.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert not [n for n in archive.namelist() if "launch" in n]
    assert "embargoed" not in manifest
    assert run("bundle", *now, "--include-embargoed", cwd=mini).code == 0
    with zipfile.ZipFile(mini / "dist" / "bundle.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert "de/launch/launch-de.pdf" in archive.namelist()
        assert "index.html" in archive.namelist() and "de/index.html" in archive.namelist()
    assert manifest["embargoed"] == {"launch": "2023-07-25T10:00:00+02:00"}


@pytest.mark.slow
def test_merging_shards_with_embargoed_releases_must_be_asked_for(mini: Path, run, tmp_path: Path) -> None:
    embargoed_mini(mini)
    now = ("--now", "2023-07-01T00:00:00Z")
    assert run("build", "--shard", "1/1", "--include-embargoed", *now, cwd=mini).code == 0
    target = str(tmp_path / "merged.zip")
    result = run("bundle", "--merge", str(mini / "dist"), "-o", target, *now, cwd=mini)
    assert result.code == 2 and "under embargo until 2023-07-25T10:00:00+02:00" in result.err
    assert not Path(target).exists()
    result = run("bundle", "--merge", str(mini / "dist"), "-o", target, "--include-embargoed", *now, cwd=mini)
    assert result.code == 0, result.err
    with zipfile.ZipFile(target) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["embargoed"] == {"launch": "2023-07-25T10:00:00+02:00"}


def test_a_bad_now_is_a_usage_error(mini: Path, run) -> None:
    before = snapshot(mini)
    result = run("build", "--now", "2023-07-25 10:00", cwd=mini)
    assert result.code == 2 and result.err.strip() == (
        "pubkit: error: --now: '2023-07-25 10:00' has no time zone; add one, such as +02:00 or Z")
    assert snapshot(mini) == before


def test_absolute_urls_name_folders_not_index_files(mini: Path) -> None:
    config = mini / "pubkit.toml"
    config.write_text(config.read_text() + 'base_url = "https://press.example.org/news"\n')
    project = load_project(mini)
    assert project.base_url == "https://press.example.org/news/"
    assert absolute_url(project, "de/launch/index.html") == "https://press.example.org/news/de/launch/"
    assert absolute_url(project, "index.html") == "https://press.example.org/news/"



def test_a_title_cannot_break_out_of_the_json_ld(sample: Path, run) -> None:
    # The owner's source may say anything (trusted, but makes mistakes): it is data in the JSON-LD.
    hostile = 'Titel </script><script>alert("x")</script> & <!-- {{ 7*7 }}'
    source = sample / "sources" / f"{PARK}.md"
    text = source.read_text(encoding="utf-8")
    title_line = next(line for line in text.splitlines() if line.startswith("title:"))
    source.write_text(text.replace(title_line, "title: " + json.dumps(hostile)), encoding="utf-8")
    assert run("build", "--format", "html", "--lang", "en", cwd=sample).code == 0
    document = parse_strict(page_file(sample, PARK, "en"))
    scripts = list(document.iter("script"))
    assert [s.get("type") for s in scripts] == ["application/ld+json"]
    assert json.loads(scripts[0].text)["headline"] == hostile
    assert document.find("head/meta[@property='og:title']").get("content") == hostile


def test_status_notes_a_release_under_embargo(mini: Path, run, monkeypatch) -> None:
    embargoed_mini(mini)
    note = "sources/launch.md:1: note: embargoed until 2023-07-25T10:00:00+02:00: not published before then"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2023, 7, 1, tzinfo=dt.timezone.utc).timestamp())))
    result = run("status", cwd=mini)
    assert result.code == 0 and note in result.err
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2023, 8, 1, tzinfo=dt.timezone.utc).timestamp())))
    assert "embargoed" not in run("status", cwd=mini).err, "an embargo that has ended is not mentioned"


def test_the_logo_and_favicon_come_from_the_templates(mini: Path, run) -> None:
    (mini / "templates").mkdir(exist_ok=True)
    (mini / "templates" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 4"><rect width="10" height="4"/></svg>')
    assert run("build", "--format", "html", "--lang", "de", cwd=mini).code == 0
    page = page_file(mini, "launch", "de")
    document = parse_strict(page)
    logo = document.find(".//a[@class='logo']/img")
    assert (page.parent / logo.get("src")).resolve() == mini / "dist" / "assets" / "logo.svg"
    icon = document.find("head/link[@rel='icon']")
    assert (page.parent / icon.get("href")).resolve().read_bytes().startswith(b"<svg"), "the default favicon"
    chooser = parse_strict(mini / "dist" / "index.html")
    assert chooser.find(".//img[@class='logo']").get("src") == "assets/logo.svg"


@pytest.mark.parametrize("name, data", [("logo.png", b"not a picture"), ("logo.svg", b"<html></html>"),
                                        ("favicon.ico", b"\x89PNG\r\n\x1a\n"),
                                        ("logo.svg", b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg/>')])
def test_a_logo_that_is_not_an_image_stops_the_build(mini: Path, run, name: str, data: bytes) -> None:
    (mini / "templates").mkdir(exist_ok=True)
    (mini / "templates" / name).write_bytes(data)
    before = snapshot(mini)
    result = run("build", "--format", "html", cwd=mini)
    kind = name.rsplit(".", 1)[1].upper()
    assert result.code == 2 and result.err.strip() == f"templates/{name}:1: error: {name} is not a {kind} image"
    assert snapshot(mini) == before


def test_images_carry_their_size(mini: Path, run) -> None:
    import struct

    assert run("build", "--format", "html", "--lang", "de", cwd=mini).code == 0
    png = (mini / "sources" / "plant.png").read_bytes()
    width, height = struct.unpack(">II", png[16:24])  # the PNG header's IHDR chunk
    img = next(parse_strict(page_file(mini, "launch", "de")).iter("img"))
    assert (img.get("width"), img.get("height")) == (str(width), str(height))


def test_a_no_op_build_does_not_remake_the_site(mini: Path, run) -> None:
    assert run("build", "--format", "html", cwd=mini).code == 0
    code = ("import sys; from pubkit import load_project; from pubkit.publish.build import build; "
            "r = build(load_project('.'), formats=('html',)); print(len(r.written), len(r.site), 'pubkit.publish.site' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], cwd=mini, capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["0", "0", "False"], "the site's inputs did not change: it is not generated"


def site_bytes(root: Path) -> dict[str, bytes]:
    """Every file of the site around the pages: indexes, feeds, sitemap, robots.txt, assets."""
    return {p.relative_to(root / "dist").as_posix(): p.read_bytes() for p in (root / "dist").rglob("*")
            if p.is_file() and ".pubkit" not in p.parts and (p.parent.parent == root / "dist" or p.parent == root / "dist")}


def test_a_changed_catalog_remakes_its_own_language_of_the_site_only(tmp_path: Path, monkeypatch) -> None:
    from pubkit.catalog.catalogs import Translations

    root = copy_sample(tmp_path / "sample", whole=True)
    build(load_project(root), formats=("html",))
    import polib

    catalog = polib.pofile(str(root / "locale" / "de" / "LC_MESSAGES" / f"{LAB}.po"))
    catalog.find("Weiqiao's joint science and technology laboratory opens its Weihai Base",
                 msgctxt="title").msgstr = "Neu: Weiqiaos Labor eröffnet seine Basis in Weihai"
    catalog.save()
    read: list[tuple[str, str]] = []
    load = Translations.load.__func__

    def recorded(cls, project, language, domain):  # the real reader, noting what it is asked for
        read.append((language, domain))
        return load(cls, project, language, domain)

    monkeypatch.setattr(Translations, "load", classmethod(recorded))
    result = build(load_project(root), formats=("html",))

    assert sorted(p.relative_to(root / "dist").as_posix() for p in result.site) == ["de/feed.xml", "de/index.html"]
    assert "Neu: Weiqiaos Labor" in (root / "dist" / "de" / "index.html").read_text(encoding="utf-8")
    # No other language's catalog is read, nor that of the German release that did not change.
    assert set(read) <= {("de", LAB), ("de", "templates")}, read
    incremental = site_bytes(root)
    # The site made part by part is the site a build from nothing makes.
    monkeypatch.undo()
    fresh = copy_sample(tmp_path / "fresh", whole=True)
    for name in (f"locale/de/LC_MESSAGES/{LAB}.po",):
        (fresh / name).write_bytes((root / name).read_bytes())
    build(load_project(fresh), formats=("html",))
    assert site_bytes(fresh) == incremental


def test_a_changed_date_or_a_damaged_site_file_remakes_what_shows_it(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "sample", whole=True)
    build(load_project(root), formats=("html",))
    source = root / "sources" / f"{LAB}.md"
    text = source.read_text(encoding="utf-8")
    date = next(line for line in text.splitlines() if line.startswith("date:"))
    source.write_text(text.replace(date, "date: 2031-01-02"), encoding="utf-8")
    (root / "dist" / "fr" / "index.html").write_text("damaged", encoding="utf-8")
    result = build(load_project(root), formats=("html",))
    changed = {p.relative_to(root / "dist").as_posix() for p in result.site}
    assert {"sitemap.xml", "fr/index.html", "de/index.html", "ja/feed.xml"} <= changed
    fresh = copy_sample(tmp_path / "fresh", whole=True)
    for name in (f"sources/{LAB}.md",):
        (fresh / name).write_bytes((root / name).read_bytes())
    build(load_project(fresh), formats=("html",))
    assert site_bytes(fresh) == site_bytes(root)
