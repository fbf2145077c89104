"""A pack of more quotes than Chromium will make media players for (about a thousand per page): the last
clip still plays, because the page makes one player when a clip is played and reuses it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.export.pack.writer import export_pack
from app.services.packs import PackRequest, build_pack
from app.services.tagging import Tagger
from tests.export.browser import Browser, chromium
from tests.export.conftest import PEOPLE, add_interview
from tests.export.test_html import play

pytestmark = pytest.mark.skipif(chromium() is None, reason="needs chromium (apt-get install -y chromium)")
QUOTES = 1_050


def many_quotes(library, count: int) -> int:
    """One interview of the demo call with `count` short quotes (three customer words each)."""
    interview_id = add_interview(library, replace(PEOPLE[0], quoted=()))
    words = [
        word
        for segment in library.transcripts.segments(interview_id)
        if segment.channel == 1
        for word in segment.words
    ]
    tagger = Tagger(library)
    for n in range(count):
        first = n % (len(words) - 2)
        tagger.add_quote(interview_id, words[first].start_ms, words[first + 2].end_ms, "goal", (), channel=1)
    return interview_id


def test_the_last_clip_of_a_pack_of_over_a_thousand_quotes_plays(library, tmp_path):
    interview_id = many_quotes(library, QUOTES)
    pack = build_pack(library, PackRequest((interview_id,)))
    [html] = export_pack(pack, tmp_path / "out", "pack", ["html"])
    browser = Browser(tmp_path / "profile")
    try:
        browser.open(html)
        anchors = browser.evaluate(
            "[...document.querySelectorAll('button[data-clip]')].map(b => b.closest('figure').id)"
        )
        assert len(anchors) == QUOTES
        for anchor in (
            anchors[-1],
            anchors[0],
            anchors[-2],
        ):  # the last, then the player moves and plays again
            played = play(browser, anchor)
            assert played["error"] is None and played["readyState"] >= 2, f"{anchor}: {played}"
            assert played["time"] > 0 and played["source"] and played["players"] == 1
    finally:
        browser.close()
