"""`pubkit serve` over HTTP: what it serves, what it refuses, and how it stops (a real server process)."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import configure, page_file, pdf_file, snapshot
from review_desk import SLUG, UNTRANSLATED, Desk, review_project, running_desk, site_url

pytest.importorskip("starlette")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    project = review_project(tmp_path_factory.mktemp("serve"))
    with running_desk(project) as server:
        yield server


def request(desk: Desk, path: str, method: str = "GET", headers: dict | None = None):
    """One raw request: the path goes out exactly as written (no client-side clean-up of ``..``)."""
    connection = http.client.HTTPConnection("127.0.0.1", desk.port, timeout=30)
    connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    for name, value in {"Host": f"127.0.0.1:{desk.port}", **(headers or {})}.items():
        connection.putheader(name, value)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), body


def test_builds_previews_beside_the_output_and_serves_them(desk):
    page = site_url(desk.project, SLUG, "de")
    assert page == f"/site/de/{SLUG}/index.html"  # the site's layout (pubkit.publish.paths), under /site/
    status, headers, body = request(desk, page)
    assert status == 200 and headers["content-type"].startswith("text/html")
    text = body.decode()
    assert 'data-pubkit-state="untranslated"' in text and UNTRANSLATED in text
    assert '<script src="/_pubkit/live.js"></script>' in text  # the page reloads itself
    assert pdf_file(desk.project, SLUG, "fr", output="dist-preview").is_file()
    assert not (desk.project / "dist").exists()  # the publishable output is never touched


def test_dashboard_lists_every_language_with_its_state(desk):
    status, _, body = request(desk, "/")
    text = body.decode()
    assert status == 200
    for language, name in (("en", "English"), ("de", "Deutsch"), ("fr", "français")):
        assert f'<tr data-language="{language}"' in text and name in text
    release = text.split(f'id="release-{SLUG}"')[1].split("</section>")[0]  # the sample has more releases
    german = release.split('<tr data-language="de"')[1].split("</tr>")[0]
    assert '<td class="untranslated">1</td>' in german and '<td class="warnings">1</td>' in german
    assert f'href="{site_url(desk.project, SLUG, "de")}"' in german
    assert f'href="{site_url(desk.project, SLUG, "de", "pdf")}"' in german
    assert f'href="/review/{SLUG}?lang=en&amp;lang=de"' in german
    for link in (site_url(desk.project, SLUG, "de"), site_url(desk.project, SLUG, "de", "pdf")):
        assert request(desk, link)[0] == 200, link


def test_the_pseudo_locales_are_shown_too(desk):
    """Designers test layouts on en-XA (accented, longer) and ar-XB (right to left) before any translation."""
    _, _, body = request(desk, "/")
    release = body.decode().split(f'id="release-{SLUG}"')[1].split("</section>")[0]
    links = dict(re.findall(r'<a href="(/pseudo/[^"]+)" hreflang="([^"]+)">', release))
    assert sorted(links.values()) == ["ar-XB", "en-XA"]
    for link, tag in links.items():
        status, _, page = request(desk, link)
        text = page.decode()
        assert status == 200 and f'<html lang="{tag}"' in text, link
        assert '<script src="/_pubkit/live.js"></script>' in text
    assert not (desk.project / "dist").exists()


def test_review_view_shows_thumbnails_of_each_pdf(desk):
    _, _, body = request(desk, f"/review/{SLUG}?lang=en&lang=de&lang=fr")
    text = body.decode()
    for language in ("en", "de", "fr"):
        assert f'src="{site_url(desk.project, SLUG, language)}"' in text
        assert f'href="{site_url(desk.project, SLUG, language, "pdf")}#page=1"' in text
        assert f"/_pubkit/thumb/{SLUG}/{language}/1.png" in text
    status, headers, png = request(desk, f"/_pubkit/thumb/{SLUG}/de/1.png")
    assert status == 200 and headers["content-type"] == "image/png" and png.startswith(b"\x89PNG")
    assert request(desk, f"/_pubkit/thumb/{SLUG}/de/99.png")[0] == 404
    assert request(desk, f"/_pubkit/thumb/{SLUG}/xx/1.png")[0] == 404  # not a language of the project
    assert request(desk, "/_pubkit/thumb/no-such-release/de/1.png")[0] == 404


def test_the_preview_site_is_browsed_from_its_root(desk):
    # /site/ is the site's own index; its relative links lead to each language and on to the release's page.
    status, _, body = request(desk, "/site/")
    assert status == 200 and 'href="de/index.html"' in body.decode()
    status, _, body = request(desk, "/site/de/index.html")
    page = site_url(desk.project, SLUG, "de")
    assert status == 200 and f'href="{page.removeprefix("/site/de/")}"' in body.decode()
    folder = page.removesuffix("index.html")
    status, _, body = request(desk, folder)  # a folder is served by its index.html
    assert status == 200 and UNTRANSLATED in body.decode()


def test_serves_the_preview_folder_the_configuration_names(desk, tmp_path):
    project = review_project(tmp_path)
    configure(project, preview_dir="out/preview")
    shutil.copytree(desk.project / "dist-preview", project / "out/preview", symlinks=True)
    with running_desk(project) as server:
        status, _, body = request(server, site_url(project, SLUG, "de"))
        assert status == 200 and UNTRANSLATED in body.decode()
        assert request(server, f"/_pubkit/thumb/{SLUG}/de/1.png")[0] == 200
        assert f'href="{site_url(project, SLUG, "de", "pdf")}"' in request(server, "/")[2].decode()
        assert not (project / "dist-preview").exists() and not (project / "dist").exists()


def test_links_follow_a_language_folder_of_its_own(desk, tmp_path):
    # `folder` in [language.de]: the desk finds pages, PDFs and thumbnails where paths.py puts them.
    from pubkit.config import load_project
    from pubkit.publish.desk_live import preview_project
    from pubkit.publish.desk_overview import overview, release_pdf
    from pubkit.publish.thumbnails import Thumbnails

    project = review_project(tmp_path)
    configure(project, language={"de": {"folder": "deutsch"}})
    page, pdf = page_file(project, SLUG, "de", "dist-preview"), pdf_file(project, SLUG, "de", "dist-preview")
    assert pdf.relative_to(project / "dist-preview").as_posix() == f"deutsch/{SLUG}/{SLUG}-deutsch.pdf"
    page.parent.mkdir(parents=True)
    shutil.copy2(page_file(desk.project, SLUG, "de", "dist-preview"), page)
    shutil.copy2(pdf_file(desk.project, SLUG, "de", "dist-preview"), pdf)
    release = next(r for r in overview(load_project(project))["releases"] if r["slug"] == SLUG)
    german = next(row for row in release["rows"] if row["language"] == "de")
    assert german["page"] == site_url(project, SLUG, "de") == f"/site/deutsch/{SLUG}/index.html"
    assert german["pdf"] == site_url(project, SLUG, "de", "pdf")
    found = release_pdf(preview_project(load_project(project)), SLUG, "de")
    assert found == pdf.resolve() and Thumbnails().png(found, 1).startswith(b"\x89PNG")


@pytest.mark.parametrize("path", [
    "/site/../pubkit.toml",
    "/site/%2e%2e/pubkit.toml",
    "/site/%2E%2E%2Fpubkit.toml",
    f"/site/{SLUG}/../../pubkit.toml",
    f"/site/de/{SLUG}/../../../pubkit.toml",
    "/review/..%2f..",
    "/site//etc/passwd",
    "/site/%2fetc%2fpasswd",
    "/site/.pubkit/state.json",
    "/_pubkit/../pubkit.toml",
    "/_pubkit/serve.py",
    "/pseudo/../pubkit.toml",
    "/pseudo/%2e%2e/pubkit.toml",
    "/pseudo/.pubkit/state.json",
    f"/_pubkit/thumb/{SLUG}/..%2f..%2fpubkit.toml/1.png",
])
def test_nothing_outside_the_preview_is_served(desk, path):
    status, _, body = request(desk, path)
    assert status == 404, path
    assert b"source_language" not in body and b"root:" not in body


def test_a_symlink_out_of_the_output_is_not_followed(desk):
    preview = desk.project / "dist-preview"
    (preview / "escape.toml").symlink_to(desk.project / "pubkit.toml")
    (preview / "escape-dir").symlink_to(desk.project / "locale", target_is_directory=True)
    try:
        assert request(desk, "/site/escape.toml")[0] == 404
        assert request(desk, "/site/escape-dir/de/LC_MESSAGES/weiqiao-aluminium-park.po")[0] == 404
    finally:
        (preview / "escape.toml").unlink()
        (preview / "escape-dir").unlink()


def test_a_foreign_host_header_is_refused(desk):
    # DNS rebinding: a page from evil.example whose name now points at 127.0.0.1.
    assert request(desk, "/", headers={"Host": "evil.example"})[0] == 400
    assert request(desk, "/", headers={"Host": f"evil.example:{desk.port}"})[0] == 400
    assert request(desk, "/", headers={"Host": f"localhost:{desk.port}"})[0] == 200


def test_no_cors_headers_and_no_writes(desk):
    before = snapshot(desk.project / "locale")
    _, headers, _ = request(desk, "/", headers={"Origin": "http://evil.example"})
    assert not any(name.lower().startswith("access-control-") for name in headers)
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        for path in ("/", site_url(desk.project, SLUG, "de"), "/_pubkit/events"):
            assert request(desk, path, method=method)[0] == 405, (method, path)
    status, headers, _ = request(desk, "/", method="OPTIONS", headers={"Origin": "http://evil.example",
                                                                         "Access-Control-Request-Method": "POST"})
    assert status == 405 and not any(name.lower().startswith("access-control-") for name in headers)
    assert snapshot(desk.project / "locale") == before


def _children(pid: int) -> set[int]:
    result = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return {int(line) for line in result.stdout.split()}


def prebuilt(desk: Desk, folder: Path) -> Path:
    """Another copy of the project, with the module's previews: its server starts without rendering."""
    project = review_project(folder)
    shutil.copytree(desk.project / "dist-preview", project / "dist-preview", symlinks=True)
    return project


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stops_cleanly_with_a_live_page_open(desk, tmp_path, sig):
    project = prebuilt(desk, tmp_path)
    server = Desk(project)
    try:
        stream = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        stream.request("GET", "/_pubkit/events")
        events = stream.getresponse()
        first = json.loads(events.readline().decode().removeprefix("data: "))
        assert first["error"] is None and first["generation"] == 0  # prebuilt: nothing to render
        children = _children(server.process.pid)
        started = time.monotonic()
        assert server.stop(sig) == 0
        assert time.monotonic() - started < 5
        alive = [pid for pid in children if os.path.exists(f"/proc/{pid}")]
        assert alive == []
        stream.close()
    finally:
        server.kill()


def test_a_network_host_is_served_with_a_warning(desk, tmp_path):
    project = prebuilt(desk, tmp_path)
    server = Desk(project, "--host", "0.0.0.0")
    try:
        assert server.url.startswith("http://0.0.0.0:")
        server.stop()
    finally:
        server.kill()
    assert "unpublished text is visible" in server.process.stderr.read()


def test_a_taken_port_is_one_line_and_status_2(desk):
    result = subprocess.run([sys.executable, "-m", "pubkit", "serve", "--port", str(desk.port)], cwd=desk.project,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip() == f"pubkit: error: cannot listen on 127.0.0.1:{desk.port}: Address already in use"


def test_preview_pages_say_why_text_is_in_the_source_language(tmp_path):
    from dataclasses import replace

    from pubkit.publish.build import build
    from pubkit.config import load_project

    project_dir = review_project(tmp_path)
    po = project_dir / "locale/de/LC_MESSAGES" / f"{SLUG}.po"
    text = po.read_text(encoding="utf-8")
    for reference in ("md:2\n", "md:23\n"):  # the title (a field) and a paragraph (a block) become fuzzy
        text = text.replace(f"#: sources/{SLUG}.{reference}", f"#: sources/{SLUG}.{reference}#, fuzzy\n")
    po.write_text(text, encoding="utf-8")
    project = load_project(project_dir)
    build(replace(project, output_dir=project_dir / "dist-preview"), languages=["de"], formats=("html",),
          preview=True, jobs=1)
    page = page_file(project_dir, SLUG, "de", output="dist-preview").read_text(encoding="utf-8")
    lines = po.read_text(encoding="utf-8").split("\n")
    untranslated_line = lines.index('msgstr ""', lines.index(f'msgid "{UNTRANSLATED}"')) + 1
    assert (f'data-pubkit-state="untranslated" data-pubkit-where="locale/de/LC_MESSAGES/{SLUG}.po:'
            f'{untranslated_line}"') in page
    fuzzy = 'data-pubkit-state="fuzzy" data-pubkit-where="locale/de/LC_MESSAGES/{}.po:{}" ' \
            'data-pubkit-finding="fuzzy: the translation needs review"'
    for reference in ("md:2", "md:23"):
        start = lines.index(f"#: sources/{SLUG}.{reference}")
        line = next(n for n in range(start, len(lines)) if lines[n].startswith("msgstr")) + 1
        assert fuzzy.format(SLUG, line) in page, reference
    published = build(project, languages=["de"], formats=("html",), jobs=1)
    assert "data-pubkit-" not in page_file(project_dir, SLUG, "de").read_text(encoding="utf-8")
    assert published.written
