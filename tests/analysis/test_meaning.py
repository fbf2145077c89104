"""Themes and search by meaning on a real library, and what the library stores."""

from __future__ import annotations

from app.analysis.embedder import SentenceEmbedder
from app.analysis.themes import group_quotes
from app.cli import main
from app.services.analysis import Analyst
from tests.analysis.corpus import corpus_document, store_interview


def test_search_by_meaning_finds_other_words_for_cost_and_a_corrected_segment_is_embedded_again(library):
    interview_id, _ = store_interview(library, corpus_document("roadmap-03"))
    analyst = Analyst(library, SentenceEmbedder())
    assert analyst.embed_interview(interview_id) > 0
    assert analyst.embed_interview(interview_id) == 0  # lazily: only what is missing

    hits = analyst.search_meaning("how expensive it was", limit=5)
    assert any(
        word in hit.text.lower() for hit in hits for word in ("price", "charge", "money", "bucks", "$")
    )

    segment_id = hits[0].segment_id
    library.db.execute("UPDATE segments SET text = 'corrected words' WHERE id = ?", [segment_id])
    assert analyst.embed_interview(interview_id) == 1


def test_themes_group_a_questions_quotes_with_n_of_n(library):
    analyst = Analyst(library, SentenceEmbedder())
    ids = []
    for name in ("roadmap-01", "roadmap-02", "roadmap-04"):
        interview_id, _ = store_interview(library, corpus_document(name))
        analyst.suggest(interview_id)
        analyst.accept(interview_id)
        ids.append(interview_id)

    groups, considered = analyst.themes("recent-buyer-roadmap", "criteria")

    assert considered == 3
    answering = {q.id for q in library.quotes.for_interviews(ids) if q.question_key == "criteria"}
    grouped = [{q[0] for q in group.quotes} for group in groups]
    assert (
        set().union(*grouped) == answering
    )  # every quote lands in a theme; a quote saying two things, in two
    assert all(len(members) == len(group.quotes) for members, group in zip(grouped, groups, strict=True))
    assert all(1 <= group.interviews <= 3 and group.label for group in groups)
    assert any(group.interviews >= 2 for group in groups)  # something several customers said


def test_one_need_in_three_customers_words_is_one_theme_and_a_customer_counts_once_in_it():
    quotes = [
        ("Payroll sync was a must for us.", "Ridgeline"),
        ("It has to talk to ADP, that was the first thing I said.", "Northgate"),
        ("I was worried it would not connect to our payroll system.", "Summit"),
        ("The price was right there on the website, I liked that.", "Ridgeline"),
        ("We could see the pricing online without calling a salesperson.", "Northgate"),
        ("The staff app on their phones is what sold it.", "Summit"),
        ("Our nurses could swap shifts from their phones.", "Ridgeline"),
        ("Honestly it was the price, it was published and cheap.", "Summit"),
        ("And it had to push the hours straight into payroll.", "Summit"),
    ]
    themes = group_quotes([text for text, _ in quotes], [who for _, who in quotes], SentenceEmbedder().embed)

    groups = [set(theme.members) for theme in themes]
    assert {0, 1, 2} in groups  # payroll, in three customers' words
    assert {3, 4, 7} in groups  # published prices
    # "n of N" counts each interview once: Summit's two payroll answers are never one theme's two quotes.
    assert all(len({quotes[member][1] for member in group}) == len(group) for group in groups)
    assert set().union(*groups) == set(range(len(quotes))) and all(theme.label for theme in themes)


def test_cli_search_by_meaning_ranks_exact_hits_with_paraphrases_and_other_languages_fall_back(
    library, capsys
):
    english, _ = store_interview(library, corpus_document("roadmap-05"))
    german, _ = store_interview(library, corpus_document("roadmap-06"))
    library.db.execute(
        "INSERT INTO transcription_jobs (interview_id, recording_id, state, model, options, created_at) "
        "SELECT ?, id, 'done', 'tiny', '{\"language\": \"de\"}', 'now' FROM recordings WHERE interview_id = ?",
        [german, german],
    )
    library.db.conn.commit()

    assert (
        main(["--library", str(library.root), "search", "--meaning", "the price was steep", "--limit", "5"])
        == 0
    )
    out, err = capsys.readouterr()
    assert "1 interviews are not in English" in err
    lines = out.strip().splitlines()
    assert len(lines) == 5
    assert any(word in out.lower() for word in ("price", "pricing", "cost", "cheaper", "$"))
    assert {int(line.split("\t")[0]) for line in lines if "\t~" in line} <= {english}
