"""The build plan: a release is read once and handed on, so its page and its language index agree."""

from __future__ import annotations

import re
from pathlib import Path

import polib

from conftest import page_file
from pubkit import load_project
from pubkit.publish.plan import plan_build


def _summary_untranslated_in_german(mini: Path, run) -> None:
    """mini with a summary holding a figure, the title translated into German and the summary not."""
    source = mini / "sources" / "launch.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("---\n", "---\nsummary: Jobs for {people} people\n", 1), encoding="utf-8")
    assert run("extract", cwd=mini).code == 0
    assert run("init", "de", cwd=mini).code == 0
    catalog_path = mini / "locale" / "de" / "LC_MESSAGES" / "launch.po"
    catalog = polib.pofile(str(catalog_path))
    catalog.find("A new plant opens", msgctxt="title").msgstr = "Ein neues Werk öffnet"
    catalog.save()


def test_a_field_in_english_writes_its_figures_the_same_way_on_page_and_index(mini: Path, run) -> None:
    _summary_untranslated_in_german(mini, run)
    assert run("build", "--format", "html", "--lang", "de", cwd=mini).code == 0
    page = page_file(mini, "launch", "de").read_text(encoding="utf-8")
    index = (page_file(mini, "launch", "de").parent.parent / "index.html").read_text(encoding="utf-8")
    summary = re.compile(r'class="summary[^>]*>([^<]*)<')
    assert summary.findall(page) == ["Jobs for 2,500 people"], "English text: English digits (render.py)"
    assert summary.findall(index) == ["Jobs for 2,500 people"], "the index shows what the page shows"
    assert "Ein neues Werk öffnet" in index  # the translated title, on the same index


def test_planning_renders_and_writes_nothing(mini: Path, run) -> None:
    _summary_untranslated_in_german(mini, run)
    plan = plan_build(load_project(mini), formats=("html",))
    assert not (mini / "dist").exists()
    assert plan.skipped == [("launch", "zh_CN")]  # no catalog for Chinese: nothing usable, not published
    assert [job.language for job in plan.jobs] == ["de", "en"]
    assert plan.outdated() == plan.jobs  # nothing built yet: every job is to be rendered
