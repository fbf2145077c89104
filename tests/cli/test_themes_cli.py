"""`earful themes`: the groups numbered as the window shows them (with the user's kept edits), and
`--tag-group N --as NAME` making group N a theme of the guide, as the Themes view's Shift+T does."""

from __future__ import annotations

import re

import pytest

from app.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, main
from app.guides import load_guide
from app.library import Library
from app.services.analysis import Analyst, ThemeGroup
from app.services.theme_groups import keep
from tests.analysis.corpus import corpus_document, store_interview

GUIDE = "recent-buyer-roadmap"


@pytest.fixture(scope="module")
def answered(tmp_path_factory) -> str:
    """Two labelled interviews with their suggested answers filed (the real sentence model)."""
    from app.analysis.embedder import SentenceEmbedder

    root = tmp_path_factory.mktemp("themes") / "library"
    with Library.open(root) as library:
        analyst = Analyst(library, SentenceEmbedder())
        for name in ("roadmap-01", "roadmap-02"):
            interview_id, _ = store_interview(library, corpus_document(name))
            analyst.suggest(interview_id)
            analyst.accept(interview_id)
    return str(root)


def themes(capsys, library: str, *extra: str) -> tuple[int, str, str]:
    code = main(["--library", library, "themes", "--guide", GUIDE, "--question", "criteria", *extra])
    out, err = capsys.readouterr()
    return code, out, err


def group_lines(out: str) -> list[re.Match]:
    return [
        m for line in out.splitlines() if (m := re.match(r"(\d+)\. (.+) — (\d+) of (\d+) interviews$", line))
    ]


def test_group_n_becomes_a_theme_of_the_guide_on_its_quotes_and_bad_numbers_change_nothing(capsys, answered):
    code, out, _ = themes(capsys, answered)
    groups = group_lines(out)
    assert code == EXIT_OK and [int(m[1]) for m in groups] == list(range(1, len(groups) + 1))
    assert {m[4] for m in groups} == {"2"}

    with Library.open(answered) as library:
        version = library.guides.latest(GUIDE).version
    code, _, err = themes(capsys, answered, "--tag-group", str(len(groups) + 1))
    assert code == EXIT_FAILED and f"numbered 1 to {len(groups)}" in err
    code, _, err = themes(capsys, answered, "--as", "Price")
    assert code == EXIT_USAGE and "--tag-group" in err
    with Library.open(answered) as library:
        assert library.guides.latest(GUIDE).version == version

    code, out, err = themes(capsys, answered, "--tag-group", "1", "--as", "Must connect to payroll")
    assert code == EXIT_OK and "a new theme in" in err
    with Library.open(answered) as library:
        latest = library.guides.latest(GUIDE)
        assert latest.version == version + 1
        assert "MustConnectToPayroll" in [t.name for t in load_guide(latest.document, "latest").tags]
        tagged = [
            q for i in (1, 2) for q in library.quotes.for_interview(i) if "MustConnectToPayroll" in q.tags
        ]
    first = out.split("\n2. ")[0]  # group 1's lines
    assert len(tagged) == first.count("    “") and re.search(
        r"Tagged \d+ quotes “Must connect to payroll”", err
    )


def test_the_groups_the_user_kept_are_the_groups_listed(capsys, answered):
    with Library.open(answered) as library:
        criteria = [
            (q.id, q.interview_id, q.start_ms, q.text)
            for i in (1, 2)
            for q in library.quotes.for_interview(i)
            if q.question_key == "criteria"
        ]
        keep(library, GUIDE, "criteria", None, [ThemeGroup("Everything <they> said", tuple(criteria))])
    code, out, _ = themes(capsys, answered)
    assert code == EXIT_OK and [m[2] for m in group_lines(out)] == ["Everything <they> said"]
