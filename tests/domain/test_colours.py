"""Colour maths against published reference values, and the transcript's colour rules in light and dark."""

from __future__ import annotations

import pytest

from app.domain.colour_scheme import ColourScheme
from app.domain.colours import AA_TEXT, Rgb, contrast, delta_e, delta_e_lab, lab, mix, readable
from app.domain.transcript import SpeakerRole

WHITE, BLACK = Rgb(1, 1, 1), Rgb(0, 0, 0)
# Base and text of the light palette Qt's Fusion style uses, and of the dark palette the tests use.
THEMES = {
    "light": ColourScheme(Rgb.from_hex("#ffffff"), Rgb.from_hex("#000000")),
    "dark": ColourScheme(Rgb.from_hex("#1e1e1e"), Rgb.from_hex("#e6e6e6")),
}
# CIEDE2000 at which a quote tint and the playback highlight read as different colours at a glance: about
# 2 is the smallest difference seen side by side; the tint and highlight the issue reported (RGB 192,215,230
# against 176,211,233) are 3.6 apart and were mistaken for one another.
DISTINCT_DELTA_E = 20


def test_wcag_contrast_and_ciede2000_match_published_values():
    assert contrast(WHITE, BLACK) == pytest.approx(21)
    assert contrast(Rgb.from_hex("#777777"), WHITE) == pytest.approx(4.48, abs=0.01)
    # From Sharma, Wu and Dalal's CIEDE2000 test data (pairs 1, 7, 17 and 25).
    for first, second, expected in [
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ]:
        assert delta_e_lab(first, second) == pytest.approx(expected, abs=1e-4)
    assert lab(WHITE) == pytest.approx((100, 0, 0), abs=0.02)
    assert delta_e(WHITE, BLACK) == pytest.approx(100, abs=0.01)
    assert delta_e(Rgb.from_hex("#c0d7e6"), Rgb.from_hex("#b0d3e9")) == pytest.approx(3.6, abs=0.1)
    assert mix(WHITE, BLACK, 0.25) == Rgb(0.75, 0.75, 0.75)
    assert Rgb.from_hex("#1f58ad").hex == "#1f58ad"


@pytest.mark.parametrize("background", ["#ffffff", "#1e1e1e", "#808080"])
def test_readable_reaches_aa_keeping_the_hue(background):
    base = Rgb.from_hex(background)
    for colour in ("#ffff00", "#3060ff", "#202020"):
        made = readable(Rgb.from_hex(colour), base)
        assert contrast(made, base) >= AA_TEXT


@pytest.mark.parametrize("theme", THEMES)
def test_quote_tints_are_readable_and_never_look_like_the_playback_highlight(theme):
    colours = THEMES[theme]
    playback = colours.playback
    assert contrast(colours.playback_text, playback) >= AA_TEXT
    for count in (1, 5, 12, 20):
        for question in colours.questions(count):
            tint = colours.tint(question)
            assert contrast(colours.text, tint) >= AA_TEXT, (question.hex, tint.hex)
            assert contrast(question, colours.base) >= AA_TEXT, "question numbers and swatches are readable"
            assert delta_e(tint, playback) >= DISTINCT_DELTA_E, (tint.hex, playback.hex)
            assert delta_e(tint, colours.base) >= 8, "a tint you can see"


@pytest.mark.parametrize("theme", THEMES)
def test_speaker_roles_have_their_own_readable_colours(theme):
    colours = THEMES[theme]
    by_role = [colours.speaker(role) for role in SpeakerRole] + [colours.speaker(SpeakerRole.OTHER, 1)]
    assert len({colour.hex for colour in by_role}) == len(by_role)
    assert all(contrast(colour, colours.base) >= AA_TEXT for colour in by_role)
    assert contrast(colours.timestamp, colours.base) >= AA_TEXT
    assert contrast(colours.timestamp, colours.base) < contrast(colours.text, colours.base), (
        "quieter than text"
    )
