"""The window and its dialogs on a 1366×768 laptop (still the most common size) and a 1920×1080 screen: each
dialog fits the screen with its buttons reachable, and nothing on screen speaks a developer's language
("Slug", "Question key", "Beam size") or shows a guide's one-word tag names ("DecisionReason")."""

from __future__ import annotations

import re

import pytest

from app.guides import builtin_guides
from tests.ui.dialog_survey import DIALOGS, survey_on_screen

DEVELOPER_WORDS = ("slug", "question key", "beam size", "beam", "vad", "compute type", "int8", "temperature")
ONE_WORD_TAGS = sorted({t.name for g in builtin_guides() for t in g.tags if re.search(r"[a-z][A-Z]", t.name)})


# A 1366×768 laptop's free area once its desktop panel is taken (the offscreen screen has no panel).
LAPTOP = (1366, 730)


@pytest.fixture(scope="module", params=[LAPTOP, (1920, 1080)], ids=["1366x768", "1920x1080"])
def surveyed(request, tmp_path_factory) -> dict[str, dict]:
    width, height = request.param
    reports = survey_on_screen(width, height, tmp_path_factory.mktemp(f"survey-{width}"))
    return {report["name"]: report for report in reports}


def test_every_dialog_fits_the_screen_with_its_buttons_reachable(surveyed):
    assert set(surveyed) == {"window", *(entry for _menu, entry in DIALOGS)}
    for name, report in surveyed.items():
        (width, height), (room_width, room_height) = report["size"], report["room"]
        assert width <= room_width and height <= room_height, f"{name}: {width}×{height} on {report['room']}"
        assert report["buttons_off_screen"] == [], name


def test_no_developer_words_or_one_word_tag_names_on_screen(surveyed):
    assert "DecisionReason" in ONE_WORD_TAGS  # the survey's quote carries two of them
    for name, report in surveyed.items():
        shown = " | ".join(report["words"])
        for word in DEVELOPER_WORDS:
            assert not re.search(rf"\b{word}\b", shown, re.IGNORECASE), f"{name} says {word!r}: {shown}"
        for tag in ONE_WORD_TAGS:
            assert tag not in shown, f"{name} shows {tag!r}: {shown}"
