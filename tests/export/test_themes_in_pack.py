"""The themes a user shaped in the Themes view reach the pack: a group made a theme tag, and the groups
they kept, each with "n of N" and its quotes, in every format, escaped, and naming nobody when anonymised."""

from __future__ import annotations

import re

import docx
import pytest

from app.export.pack.formats import FORMATS
from app.export.pack.writer import export_pack
from app.services.analysis import ThemeGroup
from app.services.packs import PackRequest, build_pack
from app.services.theme_groups import keep
from app.services.theme_tags import tag_group
from tests.export.browser import Browser, chromium
from tests.export.conftest import GUIDE_SLUG
from tests.export.pack_files import text_of
from tests.export.test_anonymise import secrets

HOSTILE = "Payroll & <b>ADP</b> <script>document.title='owned'</script>"
NAMING = "What Northwind said about Contoso Cold Chain"


@pytest.fixture
def themed(pack_library):
    """The criteria answers (interviews 1 and 2) kept as one group with a hostile label; the trigger
    answers of interviews 1 and 3 made a theme tag from a group labelled "payroll has to connect"."""
    library, ids = pack_library
    quotes = library.quotes.for_interviews(ids)
    criteria = [q for q in quotes if q.question_key == "criteria"]
    trigger = [q for q in quotes if q.question_key == "trigger" and q.interview_id != ids[1]]
    members = tuple((q.id, q.interview_id, q.start_ms, "") for q in criteria)
    keep(library, GUIDE_SLUG, "criteria", None, [ThemeGroup(HOSTILE, members)])
    tag_group(library, GUIDE_SLUG, "payroll has to connect", [q.id for q in trigger])
    return library, ids, criteria, trigger


def rows_by_label(pack) -> dict:
    return {row.label: row for row in pack.themes}


def test_the_pack_lists_the_new_theme_and_the_kept_group_with_n_of_n_and_their_quotes(themed):
    library, ids, criteria, trigger = themed
    pack = build_pack(library, PackRequest(tuple(ids)))
    rows = rows_by_label(pack)
    made, kept = rows["Payroll has to connect"], rows[HOSTILE]
    assert (made.kind, made.headline, {q.id for q in made.quotes}) == (
        "theme",
        "2 of 3",
        {q.id for q in trigger},
    )
    assert (kept.kind, kept.headline, {q.id for q in kept.quotes}) == (
        "group",
        "2 of 3",
        {q.id for q in criteria},
    )
    asked = next(
        row.label for row in pack.questions if row.quotes and row.quotes[0].question_key == "criteria"
    )
    assert kept.definition == f"Grouped from the answers to “{asked}”"
    only_first = build_pack(library, PackRequest((ids[0],)))  # counted over the pack's interviews
    assert rows_by_label(only_first)[HOSTILE].headline == "1 of 1"


@pytest.mark.skipif(chromium() is None, reason="needs chromium (apt-get install -y chromium)")
def test_in_chromium_the_themes_show_their_counts_and_quotes_and_the_label_is_text(
    themed, tmp_path, screenshots
):
    library, ids, criteria, _trigger = themed
    pack = build_pack(library, PackRequest(tuple(ids)))
    [html] = export_pack(pack, tmp_path / "out", "pack", ["html"])
    kept = rows_by_label(pack)[HOSTILE]
    browser = Browser(tmp_path / "profile")
    try:
        browser.open(html)
        shown = browser.evaluate(
            f"""(() => {{ const row = document.getElementById('{kept.id}');
            return {{ title: document.title, scripts: document.querySelectorAll('script').length,
              label: row.querySelector('h3').textContent.trim(),
              headline: row.querySelector('.headline').textContent.trim(),
              text: row.textContent.replace(/\\s+/g, ' '),
              count: document.querySelector('[data-count="{kept.id}"]').textContent.trim(),
              themes: [...document.querySelectorAll('h2.part')].map(h => h.textContent.trim()) }}; }})()"""
        )
        browser.screenshot(
            screenshots / "pack_html_themes.png",
            y=browser.evaluate(
                f"document.getElementById('{kept.id}').getBoundingClientRect().top + window.scrollY - 900"
            ),
        )
    finally:
        browser.close()
    assert shown["title"] != "owned" and shown["scripts"] == 1  # the pack's player script only
    assert shown["label"] == HOSTILE and shown["count"] == "2 of 3"
    assert shown["headline"].startswith("2 of 3") and "Themes" in shown["themes"]
    for quote in criteria:
        assert " ".join(library.quotes.get(quote.id).text.split()) in shown["text"]


def test_markdown_word_and_pdf_show_each_theme_with_its_count_and_quotes(themed, tmp_path):
    library, ids, criteria, trigger = themed
    pack = build_pack(library, PackRequest(tuple(ids)))
    files = {p.suffix: p for p in export_pack(pack, tmp_path / "out", "pack", ["md", "docx", "pdf"])}
    texts = {q.id: q.text for q in pack.quotes}

    markdown = files[".md"].read_text(encoding="utf-8")
    themes = markdown[markdown.index("## Themes") :]
    assert "### Payroll has to connect\n" in themes
    assert r"### Payroll \& \<b\>ADP\</b\> \<script\>" in themes  # shown as written, never as markup
    section = themes[themes.index("### Payroll has to connect") :]
    assert section.split("\n")[2].startswith("**2 of 3**")

    document = docx.Document(str(files[".docx"]))
    paragraphs = [p.text for p in document.paragraphs]
    start = paragraphs.index("Themes")
    heading = paragraphs.index(HOSTILE, start)
    assert paragraphs[heading + 1].startswith("2 of 3 conversations")

    pdf = re.sub(r"\s+", " ", text_of(files[".pdf"]))
    assert "Payroll has to connect" in pdf and "Payroll & <b>ADP</b>" in pdf and "2 of 3" in pdf
    for quote in [*criteria, *trigger]:
        words = texts[quote.id].split()[:4]
        assert " ".join(words) in markdown and " ".join(words) in pdf


def test_an_anonymised_pack_names_no_one_in_a_theme_or_a_group(pack_library, tmp_path):
    library, ids = pack_library
    quotes = library.quotes.for_interviews(ids)
    criteria = tuple((q.id, q.interview_id, q.start_ms, "") for q in quotes if q.question_key == "criteria")
    keep(library, GUIDE_SLUG, "criteria", None, [ThemeGroup(NAMING, criteria)])
    tag_group(library, GUIDE_SLUG, "Northwind payroll", [q[0] for q in criteria])
    pack = build_pack(library, PackRequest(tuple(ids), anonymise=True))
    assert {row.kind for row in pack.themes} >= {"theme", "group"}
    for path in export_pack(pack, tmp_path / "out", "pack", list(FORMATS)):
        text = text_of(path)
        leaked = [s for s in secrets() if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text, re.IGNORECASE)]
        assert leaked == [], f"{path.name} still says {leaked}"
        assert "NorthwindPayroll" not in text, path.name
