"""The Themes view's group edits as the user meets their edge cases: a quote said in two sentences sits in
two groups and a merge keeps it once; moving a group's last quote away leaves no empty group; "n of N"
follows the quotes."""

from __future__ import annotations

from app.services.analysis import ThemeGroup
from app.ui.theme_edits import merged, moved, renamed, split

PAYROLL = ThemeGroup("payroll", ((1, 10, 0, "ADP sync"), (2, 11, 0, "talk to payroll")))
PRICE = ThemeGroup("price", ((3, 12, 0, "too steep"), (2, 11, 0, "talk to payroll")))
ALONE = ThemeGroup("phones", ((4, 10, 0, "cheap androids"),))


def test_merging_keeps_a_quote_in_both_groups_once_and_counts_its_interviews_again():
    [one, alone] = merged((PAYROLL, PRICE, ALONE), [1, 0])
    assert one.label == "payroll" and [q[0] for q in one.quotes] == [1, 2, 3]
    assert one.interviews == 3 and alone == ALONE


def test_moving_a_groups_last_quote_away_leaves_no_empty_group():
    groups = moved((PAYROLL, PRICE, ALONE), 4, 2, 0)
    assert [g.label for g in groups] == ["payroll", "price"]
    assert [q[0] for q in groups[0].quotes] == [1, 2, 4] and groups[0].interviews == 2


def test_moving_a_quote_into_a_group_that_holds_it_already_adds_no_second_copy():
    groups = moved((PAYROLL, PRICE), 2, 0, 1)
    assert [q[0] for q in groups[0].quotes] == [1] and [q[0] for q in groups[1].quotes] == [3, 2]


def test_splitting_takes_the_chosen_quotes_into_a_new_group_below_and_never_empties_one():
    groups = split((PAYROLL, ALONE), 0, {2})
    assert [g.label for g in groups] == ["payroll", "payroll (split)", "phones"]
    assert [q[0] for q in groups[1].quotes] == [2] and groups[0].interviews == 1
    assert split((PAYROLL, ALONE), 0, {1, 2}) == (PAYROLL, ALONE)  # the whole group: nothing to split


def test_renaming_changes_only_that_groups_label():
    assert renamed((PAYROLL, PRICE), 1, "Cost") == (PAYROLL, ThemeGroup("Cost", PRICE.quotes))
