"""The rule that keeps the user's theme groups when the quotes change, and the name a group takes as a tag."""

from app.domain.themes import KeptGroup, overlay, theme_tag_name


def test_kept_groups_stand_and_a_new_quote_joins_the_kept_group_of_most_of_its_neighbours():
    kept = [KeptGroup("Payroll must connect", (1, 2)), KeptGroup("Price", (3,))]
    fresh = [KeptGroup("payroll adp", (2, 3, 1, 7)), KeptGroup("phones", (8, 9))]
    assert overlay(kept, fresh) == [
        KeptGroup("Payroll must connect", (1, 2, 7)),  # 7's neighbours: two in "Payroll", one in "Price"
        KeptGroup("Price", (3,)),
        KeptGroup("phones", (8, 9)),  # no kept neighbour: the model's group, after the user's
    ]


def test_quotes_gone_leave_their_kept_group_and_an_emptied_group_goes():
    kept = [KeptGroup("A", (1, 2)), KeptGroup("B", (3,))]
    assert overlay(kept, [KeptGroup("x", (2,))], present={2}) == [KeptGroup("A", (2,))]


def test_a_tie_goes_to_the_first_kept_group():
    kept = [KeptGroup("A", (1,)), KeptGroup("B", (2,))]
    assert overlay(kept, [KeptGroup("x", (2, 1, 5))])[0] == KeptGroup("A", (1, 5))


def test_a_groups_label_becomes_a_one_word_tag_name():
    assert theme_tag_name("payroll must connect") == "PayrollMustConnect"
    assert theme_tag_name("Price – too high!") == "PriceTooHigh"
    assert theme_tag_name(" — ") == ""
    assert len(theme_tag_name("word " * 40)) == 48
