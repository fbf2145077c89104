"""The HTML pack in a real headless Chromium: offline, every clip playable at the right length, the
board's counts, and hostile text shown as text rather than run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.export.pack.clips import PADDING_MS
from app.export.pack.model import PackContents
from app.export.pack.writer import export_pack
from app.guides import Guide, Question, Section, Tag
from app.resources import resource_path
from app.services.board import build_board
from app.services.packs import PackRequest, build_pack
from app.services.tagging import Tagger
from tests.export.browser import Browser, chromium
from tests.export.conftest import GUIDE_SLUG, Person, add_interview

pytestmark = pytest.mark.skipif(chromium() is None, reason="needs chromium (apt-get install -y chromium)")


@pytest.fixture
def browser(tmp_path: Path):
    opened = Browser(tmp_path / "profile")
    yield opened
    opened.close()


def write_html(library, ids, folder: Path, **request) -> tuple[Path, object]:
    pack = build_pack(library, PackRequest(tuple(ids), **request))
    [html] = export_pack(pack, folder, "pack", ["html"])
    return html, pack


PLAYING = """new Promise((done) => {
  const button = document.querySelector('#%s button[data-clip]');
  const audio = document.getElementById('clip-player');
  if (!audio) return done({error: 'no player'});
  const report = () => done({
    beside: audio.previousElementSibling === button, source: audio.src === button.dataset.clip,
    duration: audio.duration, readyState: audio.readyState, error: audio.error && audio.error.code,
    time: audio.currentTime, players: document.querySelectorAll('audio').length,
  });
  if (audio.error || (!audio.paused && audio.currentTime > 0)) return report();
  audio.addEventListener('timeupdate', function moved() {
    if (audio.currentTime > 0) { audio.removeEventListener('timeupdate', moved); report(); }
  });
  audio.addEventListener('error', report, {once: true});
  setTimeout(report, 15000);  // reported as not playing rather than hanging the test
})"""


def play(browser: Browser, anchor: str) -> dict:
    """Click the quote's play button as a person would; what the one player did (playing or an error)."""
    browser.click(f"#{anchor} button[data-clip]")
    played = browser.evaluate(PLAYING % anchor)
    browser.evaluate("document.getElementById('clip-player').pause()")
    return played


def test_the_pack_opens_offline_and_every_clip_plays_the_length_of_its_quote(
    pack_library, tmp_path, browser, screenshots
):
    library, ids = pack_library
    html, pack = write_html(library, ids, tmp_path / "out")
    browser.open(html)

    others = [url for url in browser.requested_urls() if url != html.as_uri() and not url.startswith("data:")]
    assert others == [], f"the pack asked the network for {others}"
    buttons = browser.evaluate(
        "[...document.querySelectorAll('button[data-clip]')].map(b => b.closest('figure').id)"
    )
    assert buttons == [
        quote.anchor
        for row in (*pack.questions, *pack.themes)
        for quote in row.quotes
        if quote.home == row.id
    ]
    assert sorted(buttons) == sorted(quote.anchor for quote in pack.quotes), "one play button per quote"
    assert browser.evaluate("document.querySelectorAll('audio').length") == 0, "players are made on demand"
    for quote in pack.quotes:
        played = play(browser, quote.anchor)
        assert played["error"] is None, f"{quote.anchor} did not play: media error {played['error']}"
        assert played["source"] and played["beside"] and played["time"] > 0 and played["players"] == 1
        # The clip is the quote plus at most PADDING_MS each side (less at the ends of the recording).
        assert quote.start_ms - PADDING_MS <= quote.clip.start_ms <= quote.start_ms
        assert quote.end_ms <= quote.clip.end_ms <= quote.end_ms + PADDING_MS
        assert played["duration"] == pytest.approx(quote.clip.duration_ms / 1000, abs=0.3)

    browser.send("Emulation.setEmulatedMedia", {"media": "print"}, session=True)
    printed = browser.evaluate(
        "[...document.querySelectorAll('.player, .clip-time')].map(e => getComputedStyle(e).display)"
    )
    assert set(printed[0::2]) == {"none"} and "none" not in printed[1::2], (
        "print shows clip times, not players"
    )
    browser.send("Emulation.setEmulatedMedia", {"media": ""}, session=True)
    assert browser.evaluate(
        "[...document.querySelectorAll('button[data-clip]')].every(b => b.tabIndex >= 0"
        " && b.getAttribute('aria-label').startsWith('Play the quote: '))"
    )

    browser.screenshot(screenshots / "pack_html_summary.png")
    top_of_conversations = browser.evaluate("document.querySelector('.conversations').offsetTop")
    browser.screenshot(screenshots / "pack_html_transcript.png", y=top_of_conversations)


def test_counts_on_the_page_are_the_boards(pack_library, tmp_path, browser):
    library, ids = pack_library
    html, _pack = write_html(library, ids, tmp_path / "out")
    browser.open(html)
    shown = browser.evaluate(
        "Object.fromEntries([...document.querySelectorAll('[data-count]')].map(e => [e.dataset.count, e.textContent.trim()]))"
    )
    board = build_board(library, GUIDE_SLUG)
    expected = {
        **{
            f"question-{n}": f"{row.answered} of {len(board.interviews)}"
            for n, row in enumerate(board.questions, 1)
        },
        **{
            f"theme-{n}": f"{row.answered} of {len(board.interviews)}"
            for n, row in enumerate(board.themes, 1)
        },
    }
    assert shown == expected
    assert any(count != f"0 of {len(ids)}" for count in shown.values()), "a fixture with answers"


def test_quotes_link_to_their_place_in_the_conversation_and_back(pack_library, tmp_path, browser):
    library, ids = pack_library
    html, pack = write_html(library, ids, tmp_path / "out")
    browser.open(html)
    for quote in pack.quotes:
        marked = browser.evaluate(f"document.getElementById('{quote.transcript_anchor}').textContent")
        assert marked == quote.text
        back = browser.evaluate(
            f"document.getElementById('{quote.transcript_anchor}').querySelector('a').hash"
        )
        assert back == f"#{quote.anchor}"
        link = browser.evaluate(f"document.getElementById('{quote.anchor}').querySelector('a.context').hash")
        assert link == f"#{quote.transcript_anchor}"


# Each payload sets window.__xss (or loads something) if it is ever treated as markup.
PAYLOADS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=2">',
    '<svg onload="window.__xss=3">',
    '"><script>window.__xss=4</script>',
    "'><img src=x onerror=window.__xss=5>",
    '<iframe src="javascript:top.__xss=6"></iframe>',
    '<a href="javascript:window.__xss=7">click me</a>',
    "<body onload=window.__xss=8>",
    "<details open ontoggle=window.__xss=9>",
    "<style>@import 'http://evil.example/x.css';</style>",
    "</textarea><script>window.__xss=11</script>",
    "</title><script>window.__xss=12</script>",
    "<math><mtext><img src=x onerror=window.__xss=13>",
    "{{ 7*7 }}{% raw %}",  # shown as typed, not evaluated (the text check below would see 49)
    "<object data=javascript:window.__xss=15>",
    "<input autofocus onfocus=window.__xss=16>",
    "<video><source onerror=window.__xss=17></video>",
    '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=18">',
    "</style><script>window.__xss=19</script>",
    '<base href="http://evil.example/">',
    "<!--",
    "]]><script>window.__xss=22</script>",
]
MARKDOWN_PAYLOADS = [
    "[click](javascript:window.__xss=23)",
    "![pixel](http://evil.example/pixel.png)",
    "<b onmouseover=window.__xss=25>bold</b>",
]


def hostile_library(library) -> tuple[list[int], list[str]]:
    """Payloads in names, company, role, segment, title, notes, quote notes, guide wording, tags and words."""
    p = PAYLOADS
    guide = Guide(
        slug="hostile",
        name=p[0],
        version=1,
        purpose=p[1],
        consent="ok",
        sections=(Section("Start", (Question("trigger", p[3]), Question("goal", p[4]))),),
        tags=(Tag(p[5], "#aa0000", p[6]), Tag(p[7], "#00aa00", p[2])),
    )
    person = Person(
        title=p[8],
        customer_name=p[9],
        company=p[10],
        role=p[11],
        segment=p[12],
        quoted=(),
        replace=(("night shift", p[13]), ("spreadsheet.", p[14]), ("swap shifts", p[15]), ("peers.", p[16])),
        notes=f"{p[17]}\n\n{MARKDOWN_PAYLOADS[0]}\n\n{MARKDOWN_PAYLOADS[1]}\n\n{MARKDOWN_PAYLOADS[2]}",
    )
    interview_id = add_interview(library, person)
    tagger = Tagger(library)
    tagger.use_guide(interview_id, guide)
    segments = library.transcripts.segments(interview_id)
    tagger.add_quote(
        interview_id, segments[1].start_ms, segments[1].end_ms, "trigger", (p[5],), p[18], channel=1
    )
    tagger.add_quote(
        interview_id, segments[3].start_ms, segments[3].end_ms, "goal", (p[7],), p[19], channel=1
    )
    tagger.add_quote(
        interview_id, segments[5].start_ms, segments[5].end_ms, None, (p[5], p[7]), p[20], channel=1
    )
    library.db.execute(
        "UPDATE speakers SET display_name = ? WHERE interview_id = ? AND role = 'customer'",
        [p[21], interview_id],
    )
    shown_as_text = [*PAYLOADS]
    return [interview_id], shown_as_text


MARKUP_THAT_MUST_NOT_EXIST = """(() => {
  const bad = [...document.querySelectorAll('script:not(#pack-player), iframe, object, embed, img, svg, math, input, video, source, base, meta[http-equiv=refresh], style:not(head > style), body *[style]:not([style^="--tag"]):not([style^="width"])')];
  const handlers = [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on')));
  const scripted = [...document.querySelectorAll('[href], [src], [data]')].filter(e => /^\\s*javascript:/i.test(e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('data') || ''));
  return {bad: bad.map(e => e.outerHTML.slice(0, 80)), handlers: handlers.map(e => e.outerHTML.slice(0, 80)), scripted: scripted.map(e => e.outerHTML.slice(0, 80))};
})()"""


def test_hostile_text_is_shown_as_text_and_never_runs(library, tmp_path, browser):
    ids, payloads = hostile_library(library)
    html, _pack = write_html(
        library, ids, tmp_path / "out", title=PAYLOADS[0], contents=PackContents(notes=True)
    )
    # Escaping alone must hold: load a copy without the Content-Security-Policy that would also stop scripts.
    source = html.read_text(encoding="utf-8")
    without_csp = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", source)
    assert without_csp != source
    bare = tmp_path / "no-csp.html"
    bare.write_text(without_csp, encoding="utf-8")
    for page in (html, bare):
        browser.open(page)
        browser.evaluate(
            "document.querySelectorAll('details, input').forEach(e => { e.focus && e.focus(); })"
        )
        assert browser.evaluate("window.__xss === undefined && top.__xss === undefined"), "a payload ran"
        assert browser.evaluate(MARKUP_THAT_MUST_NOT_EXIST) == {"bad": [], "handlers": [], "scripted": []}
        player = resource_path("pack/player.js").read_text(encoding="utf-8")
        assert browser.evaluate("[...document.scripts].map(s => s.textContent)") == [player], "ours alone"
        text = " ".join(browser.evaluate("document.documentElement.innerText + ' ' + document.title").split())
        missing = [payload for payload in payloads if " ".join(payload.split()) not in text]
        assert missing == [], "shown as text"
        assert browser.evaluate("document.querySelectorAll('.conversation').length") == 1
        others = [
            url for url in browser.requested_urls() if url != page.as_uri() and not url.startswith("data:")
        ]
        assert others == []


READS_LEFT_TO_RIGHT = """(() => {
  const attribution = document.querySelector('#%s .attribution');
  const walker = document.createTreeWalker(attribution, NodeFilter.SHOW_TEXT);
  let place = null;
  while (walker.nextNode()) if (walker.currentNode.textContent.includes('interview')) place = walker.currentNode;
  const from = place.textContent.indexOf('interview');
  const lefts = [...place.textContent.slice(from)].map((_, i) => {
    const range = document.createRange();
    range.setStart(place, from + i);
    range.setEnd(place, from + i + 1);
    return range.getBoundingClientRect().left;
  });
  const name = document.createRange();
  name.setStart(attribution, 0);
  name.setEnd(place, from);
  return {place: place.textContent.slice(from), lefts, nameRight: name.getBoundingClientRect().right};
})()"""


def test_odd_text_neither_reverses_the_packs_words_nor_widens_the_page(library, tmp_path, browser):
    long_word = "W" * 100_000
    person = Person(
        "Call with odd text",
        "Eve\u202e",  # a right-to-left override nobody closed
        "Initech",
        "Ops lead",
        long_word,  # segment: in the cover's details
        quoted=(1,),
        replace=(("night shift", long_word),),  # in the transcript and the quote
    )
    interview_id = add_interview(library, person)
    html, pack = write_html(library, [interview_id], tmp_path / "out")
    browser.send(
        "Emulation.setDeviceMetricsOverride",
        {"width": 1000, "height": 800, "deviceScaleFactor": 1, "mobile": False},
        session=True,
    )
    browser.open(html)
    assert browser.evaluate("document.documentElement.scrollWidth") <= 1000, "wrapped within the viewport"
    assert browser.evaluate(
        "[...document.querySelectorAll('body *')].every(e => e.getBoundingClientRect().right <= 1000)"
    )

    [quote] = pack.quotes
    laid_out = browser.evaluate(READS_LEFT_TO_RIGHT % quote.anchor)
    assert laid_out["place"] == quote.place
    lefts = laid_out["lefts"]
    assert lefts == sorted(lefts) and lefts[0] < lefts[-1], "“interview 1, 0:05” reads left to right"
    assert laid_out["nameRight"] <= lefts[0] + 1, "the name (and its comma) comes before the place"
