"""Tag names read as a person writes them, and a name the user wrote with spaces or symbols stays theirs."""

from __future__ import annotations

import pytest

from app.domain.wording import readable_name


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("DecisionReason", "Decision reason"),
        ("first_steps", "First steps"),
        ("ROI", "ROI"),
        ("SLAConcerns", "SLA concerns"),
        ("Price", "Price"),
    ],
)
def test_one_word_names_read_with_spaces(name, shown):
    assert readable_name(name) == shown


@pytest.mark.parametrize(
    "name",
    ["Price – too high", "Switched from Globex", '<iframe src="javascript:top.__xss=6"></iframe>', "C++ SDK"],
)
def test_a_name_written_with_spaces_or_symbols_is_shown_as_written(name):
    assert readable_name(name) == name
