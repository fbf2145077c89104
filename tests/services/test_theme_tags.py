"""Turning a Themes group into a theme tag: one new edition of the guide (through the guide editor's own
service), the tag on every quote of the group, and an undo that takes all of it back — the edition too,
unless something has come to use it. The groups the user kept are stored and laid over a new grouping."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from app.domain.themes import KeptGroup
from app.guides.loader import load_guide
from app.guides.model import Question, Section
from app.library import Library, LibraryError
from app.library.theme_groups import basis
from app.services.analysis import ThemeGroup
from app.services.tagging import Tagger
from app.services.theme_groups import keep, under_edits
from app.services.theme_tags import tag_group, untag_group
from tests.services.test_tagging import GUIDE, make_interview


@pytest.fixture
def filed(library) -> tuple[Library, list[int]]:
    """Two interviews following the guide, each with its customer's two answers filed as quotes."""
    tagger, quotes = Tagger(library), []
    for title in ("Northwind – ops lead", "Harbor – plant manager"):
        interview_id = make_interview(library, title)
        tagger.use_guide(interview_id, GUIDE)
        quotes.append(tagger.add_quote(interview_id, 3000, 8000, "trigger", channel=1).quote.id)
        quotes.append(tagger.add_quote(interview_id, 12000, 16000, "first-steps", channel=1).quote.id)
    return library, quotes


def tags_of(library: Library, quote_ids: list[int]) -> list[tuple[str, ...]]:
    return [library.quotes.get(q).tags for q in quote_ids]


def test_a_group_becomes_a_new_theme_of_the_guide_on_all_its_quotes_and_undo_takes_it_all_back(filed):
    library, quotes = filed
    group = [quotes[0], quotes[2]]
    done = tag_group(library, GUIDE.slug, "spreadsheet failed us", group)

    latest = library.guides.latest(GUIDE.slug)
    assert done.added and latest.version == 2 and done.edition == latest
    assert [t.name for t in load_guide(latest.document, "v2").tags] == [
        "Pricing",
        "Peers",
        "SpreadsheetFailedUs",
    ]
    assert tags_of(library, group) == [("SpreadsheetFailedUs",)] * 2
    assert tags_of(library, [quotes[1], quotes[3]]) == [(), ()]  # the other quotes untouched
    assert {library.guides.of_interview(i).version for i in done.interviews} == {2}
    assert done.summary == "Tagged 2 quotes “Spreadsheet failed us”, a new theme in Mini roadmap v2."

    assert untag_group(library, done)  # nothing else uses v2: it goes
    assert tags_of(library, group) == [(), ()]
    assert library.guides.latest(GUIDE.slug).version == 1
    assert {library.guides.of_interview(i).version for i in done.interviews} == {1}

    again = tag_group(library, GUIDE.slug, "spreadsheet failed us", group)  # redo
    assert again.added and library.guides.latest(GUIDE.slug).version == 2


def test_undo_keeps_an_edition_someone_came_to_use_but_still_untags(filed):
    library, quotes = filed
    done = tag_group(library, GUIDE.slug, "Spreadsheet", quotes[:1])
    other = make_interview(library, "Later call")
    library.guides.use(other, done.edition.id)  # the new edition is now followed by another interview

    assert not untag_group(library, done)
    assert library.guides.latest(GUIDE.slug).version == 2 and tags_of(library, quotes[:1]) == [()]


def test_undo_leaves_an_interview_on_the_new_edition_where_the_theme_was_used_since(filed):
    library, quotes = filed
    done = tag_group(library, GUIDE.slug, "Spreadsheet", quotes[:1])
    Tagger(library).update_quote(quotes[1], tags=("Spreadsheet",))  # filed under the new theme by hand
    assert not untag_group(library, done)
    interview = library.quotes.get(quotes[1]).interview_id
    assert library.guides.of_interview(interview).version == 2 and tags_of(library, quotes[:2]) == [
        (),
        ("Spreadsheet",),
    ]


def test_a_name_the_guide_has_already_is_that_theme_and_adds_no_edition(filed):
    library, quotes = filed
    done = tag_group(library, GUIDE.slug, "pricing", quotes[1:2])
    assert not done.added and done.tag == "Pricing" and tags_of(library, quotes[1:2]) == [("Pricing",)]
    assert library.guides.latest(GUIDE.slug).version == 1
    assert not untag_group(library, done) and tags_of(library, quotes[1:2]) == [()]


def test_an_interview_on_an_edition_with_other_questions_keeps_it_and_its_quotes_are_counted_left(filed):
    library, quotes = filed
    reworked = replace(GUIDE, sections=(Section("All", (Question("trigger", "Why look?"),)),))
    Tagger(library).save_guide(reworked)  # v2 drops "first-steps", which the interviews' quotes answer
    done = tag_group(library, GUIDE.slug, "Night shift", [quotes[0], quotes[2]])
    assert done.left == 2 and done.before == () and tags_of(library, quotes) == [(), (), (), ()]
    assert "2 left untagged" in done.summary


def test_making_a_theme_while_another_connection_writes_never_finds_the_database_locked(filed):
    """The window's pool stores vectors while the user presses Shift+T and Ctrl+Z: a step that reads and then
    writes must not fail when another connection committed in between (it did, at its first write)."""
    library, quotes = filed
    stop = threading.Event()

    def pool_writes() -> None:
        with Library.open(library.root) as other:
            while not stop.is_set():
                other.settings.set("poke", 1)

    writer = threading.Thread(target=pool_writes)
    writer.start()
    try:
        for _ in range(50):
            untag_group(library, tag_group(library, GUIDE.slug, "Spreadsheet", quotes[:2]))
    finally:
        stop.set()
        writer.join()
    assert library.guides.latest(GUIDE.slug).version == 1 and tags_of(library, quotes) == [()] * 4


def test_a_label_without_a_word_is_refused_and_changes_nothing(filed):
    library, quotes = filed
    with pytest.raises(LibraryError, match="at least one word"):
        tag_group(library, GUIDE.slug, " — ", quotes)
    assert library.guides.latest(GUIDE.slug).version == 1 and tags_of(library, quotes) == [()] * 4


def test_kept_groups_stand_under_a_new_grouping_and_a_filtered_edit_keeps_the_hidden_quotes(filed):
    library, quotes = filed
    a, b, c, d = quotes
    q = {i: (i, 0, 0, f"quote {i}") for i in quotes}
    fresh = [ThemeGroup("night shift", (q[a], q[b])), ThemeGroup("peers", (q[c], q[d]))]
    assert under_edits(library, GUIDE.slug, basis("trigger", None), fresh) == fresh  # nothing kept yet

    keep(
        library,
        GUIDE.slug,
        "trigger",
        None,
        [ThemeGroup("Night", (q[a], q[b])), ThemeGroup("Peers", (q[c], q[d]))],
    )
    # Then, shown without d's interview, the user moved b to "Peers": d stays with c, where it was kept.
    keep(
        library,
        GUIDE.slug,
        "trigger",
        None,
        [ThemeGroup("Night", (q[a],)), ThemeGroup("Peers", (q[c], q[b]))],
    )
    kept = library.theme_groups.kept(GUIDE.slug, basis("trigger", None))
    assert kept == [KeptGroup("Night", (a,)), KeptGroup("Peers", (c, b, d))]

    library.quotes.delete(a)  # a deleted quote drops out; its group with it
    regrouped = under_edits(
        library, GUIDE.slug, basis("trigger", None), [ThemeGroup("x", (q[b], q[c], q[d]))]
    )
    assert regrouped == [ThemeGroup("Peers", (q[c], q[b], q[d]))]
    assert library.theme_groups.of_guide(GUIDE.slug) == {"question:trigger": [KeptGroup("Peers", (c, b, d))]}
