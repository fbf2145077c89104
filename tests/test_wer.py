"""The WER every test uses ignores what no CPU guarantees: case and punctuation (#12 item 3)."""

from tests.wer import lost_or_added, wer


def test_case_and_punctuation_do_not_count():
    assert (
        wer(
            "The night shift fell apart. Two people called in sick",
            "the night shift fell apart, two people called in sick!",
        )
        == 0
    )
    assert wer("And so, my fellow Americans", "And so my fellow Americans") == 0


def test_lost_or_added_counts_dropped_and_repeated_words_but_not_other_words():
    reference = "the schedule lived in one big spreadsheet"
    assert lost_or_added(reference, "the schedule lived in one big branch sheet") == 1 / 7  # one word added
    assert lost_or_added(reference, "the schedule lived in one huge spreadsheet") == 0
    assert lost_or_added(reference, "the schedule lived") == 4 / 7
