"""Reads stay in the project, writes stay in the output folder, and the machine is checked before work.

Each test names the protection it needs; with it disabled the test fails (checked when it was written).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import struct
import zlib
from pathlib import Path

import pytest

from conftest import TITLES, configure, page_file, pdf_file, pubkit_program, snapshot


@pytest.fixture
def mini(make_project) -> Path:
    """The mini project in German only, with catalogs: German's title translated, so that it is published
    (a language with no usable translation is not)."""
    return make_project("mini", languages=["de"], translated={"de": TITLES["de"]})


def one_error(result, start: str) -> None:
    assert result.code == 2, result.out + result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(start), result.err


# --- reads -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["base.css", "release.html"])
def test_a_template_linking_out_of_the_project_is_refused(mini: Path, run, tmp_path: Path, name: str) -> None:
    # resources.confined_input in templates.template_files; without it the file outside is published
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0\n")
    (mini / "templates" / name).symlink_to(secret)
    before = snapshot(mini)
    result = run("build", "--lang", "en", "--format", "html", cwd=mini)
    one_error(result, f"templates/{name}:1: error: refused template: it is a link to {secret}, outside the project")
    assert snapshot(mini) == before and not (mini / "dist").exists()


def test_a_linked_template_folder_is_refused(mini: Path, run, tmp_path: Path) -> None:
    # resources.confined_input in template_files: Jinja would load templates through the linked folder
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.html").write_text("SECRET\n")
    (mini / "templates" / "linked").symlink_to(outside)
    (mini / "templates" / "release.html").write_text('{% include "linked/secret.html" %}\n')
    result = run("build", "--lang", "en", "--format", "html", cwd=mini)
    one_error(result, f"templates/linked:1: error: refused template: it is a link to {outside}, outside the project")
    assert not (mini / "dist").exists()


def test_jinja_loads_no_template_from_outside_the_project(mini: Path, tmp_path: Path) -> None:
    # templates.ConfinedLoader, the second line of defence behind template_files
    from pubkit import load_project
    from pubkit.errors import TemplateError
    from pubkit.render.templates import environment

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.html").write_text("SECRET\n")
    (mini / "templates" / "linked").symlink_to(outside)
    with pytest.raises(TemplateError, match="refused template: it is a link to"):
        environment(load_project(mini)).get_template("linked/secret.html")


def test_a_source_linking_out_of_the_project_is_refused(mini: Path, run, tmp_path: Path) -> None:
    # resources.confined_input in Project.source_files; without it the outside file is published
    outside = tmp_path / "leak.md"
    outside.write_text("---\ntitle: Leaked\n---\nA file from elsewhere on the machine.\n")
    (mini / "sources" / "leak.md").symlink_to(outside)
    for command in (("extract",), ("build", "--lang", "en")):
        result = run(*command, cwd=mini)
        one_error(result, f"sources/leak.md:1: error: refused source: it is a link to {outside}, outside the project")
    assert not (mini / "dist").exists()


@pytest.mark.slow
def test_a_font_outside_the_project_in_print_css_is_an_error(mini: Path, run) -> None:
    # the url() check in pdf.load_stylesheets; without it WeasyPrint drops the font without a word
    (mini / "templates" / "print.css").write_text(
        "body { color: black; }\n@font-face { font-family: X; src: url(file:///usr/share/fonts/x.ttf); }\n")
    result = run("build", "--lang", "en", "--format", "pdf", cwd=mini)
    one_error(result, "templates/print.css:2: error: refused resource 'file:///usr/share/fonts/x.ttf': "
                      "it is outside the project")


@pytest.mark.slow
def test_an_image_the_print_engine_drops_is_an_error(mini: Path, run) -> None:
    # pdf._DROPPED_RE; without it the PDF is written without the image and a warning is all
    (mini / "sources" / "plant.png").write_bytes(b"not a PNG at all")
    result = run("build", "--lang", "en", "--format", "pdf", cwd=mini)
    one_error(result, "sources/launch.md:1: error: the print engine left a resource out: Failed to load image at")
    assert not list((mini / "dist").rglob("*.pdf")) if (mini / "dist").exists() else True


def png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * (width + 1))) + chunk(b"IEND", b""))


def test_an_image_over_the_pixel_limit_is_refused_before_rendering(mini: Path, run) -> None:
    # resources.check_pixels; 64 million pixels is under Pillow's own error (179 million) but over pubkit's
    (mini / "sources" / "plant.png").write_bytes(png_header(8000, 8000))
    result = run("build", "--lang", "en", "--format", "html", cwd=mini)
    one_error(result, "sources/launch.md:37: error: refused image 'plant.png': 8000×8000 = 64,000,000 pixels, "
                      "over the limit of 50,000,000")


# --- writes ----------------------------------------------------------------------------------------


def test_a_linked_folder_in_the_output_is_not_followed(mini: Path, run, tmp_path: Path) -> None:
    # safefs.check_write in the build worker; without it the page is written into the outside folder
    outside = tmp_path / "outside"
    outside.mkdir()
    (mini / "dist").mkdir()
    (mini / "dist" / "en").symlink_to(outside)  # the English folder of the site (paths.py)
    result = run("build", "--lang", "en", "--format", "html", cwd=mini)
    one_error(result, "dist/en/launch/index.html:1: error: refusing to write through")
    assert list(outside.iterdir()) == []


def test_a_linked_bundle_is_not_followed(mini: Path, run, tmp_path: Path) -> None:
    # safefs.check_write in bundle._target; without it the zip replaces the file the link points at
    target = tmp_path / "precious.txt"
    target.write_text("keep me\n")
    (mini / "dist").mkdir()
    (mini / "dist" / "bundle.zip").symlink_to(target)
    result = run("bundle", cwd=mini)
    one_error(result, "dist/bundle.zip:1: error: refusing to write through")
    (mini / "dist" / "named.zip").symlink_to(target)
    result = run("bundle", "-o", "dist/named.zip", cwd=mini)
    one_error(result, "dist/named.zip:1: error: refusing to write through")
    assert target.read_text() == "keep me\n"


@pytest.mark.slow
def test_outputs_of_removed_languages_releases_and_images_are_removed(mini: Path, run) -> None:
    # build._remove_stale; without it every file below stays in dist/ and is served with the site
    dist = mini / "dist"
    (dist).mkdir()
    (dist / "notes.txt").write_text("not written by pubkit: kept\n")
    assert run("build", cwd=mini).code == 0
    (mini / "sources" / "extra.md").write_text("---\ntitle: Extra\n---\nMore.\n")
    assert run("build", "--format", "html", cwd=mini).code == 0, "a narrowed build removes nothing"
    assert run("build", cwd=mini).code == 0
    image = next((page_file(mini, "launch", "en").parent / "images").iterdir())
    assert pdf_file(mini, "launch", "de").exists() and page_file(mini, "extra", "en").parent.is_dir()

    configure(mini, languages=[])
    (mini / "sources" / "extra.md").unlink()
    source = mini / "sources" / "launch.md"
    source.write_text(source.read_text().replace("![Aerial view of the plant](plant.png)", "No picture."))
    result = run("build", cwd=mini)
    assert result.code == 0, result.err
    assert not page_file(mini, "launch", "de").parent.exists(), "a removed language"
    assert not (dist / "extra").exists(), "a removed release"
    assert not image.exists() and not image.parent.exists(), "an image no page uses"
    assert page_file(mini, "launch", "en").exists() and (dist / "notes.txt").exists()
    state = json.loads((dist / ".pubkit" / "state.json").read_text())
    assert sorted(state["jobs"]) == ["launch/en/html", "launch/en/pdf"]


def test_a_tampered_state_cannot_delete_outside_its_pages(mini: Path, run, tmp_path: Path) -> None:
    # build._remove_stale keeps to <language>/<slug>/ and safefs.remove_beneath to safe names without links
    assert run("build", "--lang", "en", "--format", "html", cwd=mini).code == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("keep\n")
    (mini / "dist" / "keep.txt").write_text("keep\n")
    (mini / "dist" / "en" / "gone").symlink_to(tmp_path)
    state_path = mini / "dist" / ".pubkit" / "state.json"
    state = json.loads(state_path.read_text())
    fake = [0, 0, "0" * 64]
    state["jobs"]["gone/en/html"] = {"digest": "0" * 64, "outputs": {
        str(victim): fake, "../victim.txt": fake, "en/gone/../../keep.txt": fake, "keep.txt": fake,
        "en/gone/victim.txt": fake}}
    state_path.write_text(json.dumps(state))
    assert run("build", cwd=mini).code == 0
    assert victim.read_text() == "keep\n" and (mini / "dist" / "keep.txt").exists()


# --- the machine -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value, message", [
    ("soon", "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not 'soon'"),
    ("-5", "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not '-5'"),
    ("4354819200", "SOURCE_DATE_EPOCH 4354819200 is after 2107-12-31"),
])
@pytest.mark.parametrize("command", ["build", "bundle", "init"])
def test_a_bad_source_date_epoch_is_one_line(mini: Path, run, monkeypatch, value: str, message: str,
                                            command: str) -> None:
    # machine.source_date_epoch; without it: struct.error from zipfile, OverflowError, or a silent fallback
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    command = ("init", "fr") if command == "init" else (command,)
    before = snapshot(mini)
    result = run(*command, cwd=mini)
    one_error(result, f"pubkit: error: {message}")
    assert snapshot(mini) == before


@pytest.mark.slow
def test_no_usable_font_is_reported_before_rendering(mini: Path, run, tmp_path: Path) -> None:
    # machine.require_fonts; without it Pango ends the process with SIGSEGV (exit -11), traceback-less
    empty = tmp_path / "fonts.conf"
    empty.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
                     f"<fontconfig><cachedir>{tmp_path}/cache</cachedir></fontconfig>\n")
    # A program of its own: fontconfig reads its configuration once per process.
    result = pubkit_program("build", "--lang", "en", "--format", "pdf", cwd=mini, env={"FONTCONFIG_FILE": str(empty)})
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stderr.strip() == (
        f"pubkit: error: no usable font: fontconfig finds none (FONTCONFIG_FILE={empty}); PDFs cannot be "
        "typeset: install fonts, on Debian or Ubuntu: apt-get install fonts-noto-core fonts-noto-cjk")
    assert not (mini / "dist").exists()


def test_a_slug_remembered_in_a_tampered_state_is_not_trusted(mini: Path, run, tmp_path: Path) -> None:
    # is_valid_slug in build.SourceIndex: without it jobs are named '../../escaped/en/html' and bundle fails
    assert run("build", "--lang", "en", "--format", "html", cwd=mini).code == 0
    state_path = mini / "dist" / ".pubkit" / "state.json"
    state = json.loads(state_path.read_text())
    state["sources"]["sources/launch.md"]["slug"] = "../../escaped"
    state["jobs"] = {}
    state_path.write_text(json.dumps(state))
    assert run("build", "--lang", "en", "--format", "html", cwd=mini).code == 0
    assert not (tmp_path / "escaped").exists() and page_file(mini, "launch", "en").exists()
    assert sorted(json.loads(state_path.read_text())["jobs"]) == ["launch/en/html"], "no job named after it"
    assert run("bundle", cwd=mini).code == 0


def test_finding_placeholders_in_a_flood_of_emphasis_marks_is_cheap() -> None:
    # sources._placeholder_parser: with emphasis on, markdown-it keeps a token (~500 bytes) per mark
    import resource

    from pubkit.source.sources import placeholders_in

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert placeholders_in("*" * 400_000 + " {area} `{code}` \\{escaped\\} " + "_" * 400_000) == ["area"]
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kb < 100_000, f"{grown_kb} KB for 800 KB of text"


@pytest.mark.slow
def test_a_project_font_in_print_css_is_embedded(mini: Path, run) -> None:
    # pdf.PrintStyles: the stylesheets are parsed with the build's font configuration; without one,
    # WeasyPrint ignores every @font-face rule and the page falls back to a system face in silence.
    shutil.copy("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", mini / "templates" / "house.ttf")
    (mini / "templates" / "print.css").write_text(
        '@font-face { font-family: "House Letter"; src: url(house.ttf); }\n'
        'html, body, h1, p { font-family: "House Letter"; }\n')
    result = run("build", "--lang", "en", "--format", "pdf", cwd=mini)
    assert result.code == 0, result.err
    fonts = subprocess.run(["pdffonts", str(pdf_file(mini, "launch", "en"))], capture_output=True, text=True,
                           check=True).stdout
    assert re.search(r"^[A-Z]{6}\+House-Letter ", fonts, re.MULTILINE), fonts  # the family the rule names


@pytest.mark.slow
def test_a_project_font_the_print_engine_cannot_load_is_an_error(mini: Path, run) -> None:
    # pdf.load_stylesheets collects WeasyPrint's warnings too: a font face it drops is not a warning
    (mini / "templates" / "house.ttf").write_bytes(b"not a font at all")
    (mini / "templates" / "print.css").write_text(
        '@font-face { font-family: "House Letter"; src: url(house.ttf); }\nbody { font-family: "House Letter"; }\n')
    result = run("build", "--lang", "en", "--format", "pdf", cwd=mini)
    one_error(result, "templates/print.css:1: error: the print engine left a resource out: Font-face")
    assert not (mini / "dist").exists() or not list((mini / "dist").rglob("*.pdf"))
