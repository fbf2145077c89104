"""Guide drafts, as the editor changes them: what a person edits becomes a guide only if a file could hold it."""

from __future__ import annotations

from app.guides import builtin_guides
from app.guides.drafts import GuideDraft, QuestionDraft, TagDraft

ROADMAP = builtin_guides()[0]


def test_an_unchanged_draft_is_the_guide_it_was_made_from():
    assert GuideDraft.of(ROADMAP).guide() == ROADMAP


def test_edits_reach_the_guide():
    draft = GuideDraft.of(ROADMAP)
    draft.sections[0].questions.append(
        QuestionDraft("budget", " How did you set the budget? ", ["Who signed?", " "])
    )
    draft.universal_probes = "Why was that?\n\n  Tell me more  \n"
    guide = draft.guide()
    assert guide.sections[0].questions[-1].key == "budget"
    assert guide.sections[0].questions[-1].text == "How did you set the budget?"
    assert guide.sections[0].questions[-1].probes == ("Who signed?",)  # blank probe lines are dropped
    assert guide.universal_probes == ("Why was that?", "Tell me more")


def test_a_draft_a_file_could_not_hold_says_why_in_the_loaders_words():
    draft = GuideDraft.of(ROADMAP)
    draft.sections[0].questions.append(QuestionDraft("", "Anything else?"))
    assert draft.problem() is not None and "key" in draft.problem()
    draft.sections[0].questions[-1].key = "else"
    assert draft.problem() is None


def test_a_copy_gets_a_short_name_no_other_guide_has():
    draft = GuideDraft.of(ROADMAP)
    taken = {ROADMAP.slug, f"{ROADMAP.slug}-copy"}
    assert draft.make_copy(taken) == f"{ROADMAP.slug}-copy-2"
    assert (draft.name, draft.version) == (f"{ROADMAP.name} (copy)", 1)
    assert draft.guide().slug == f"{ROADMAP.slug}-copy-2"


def test_a_question_number_counts_across_sections_as_tagging_does():
    draft = GuideDraft.of(ROADMAP)
    first_section = len(draft.sections[0].questions)
    assert draft.question_position(1) == (0, 0)
    assert draft.question_position(first_section + 1) == (1, 0)
    total = sum(len(section.questions) for section in draft.sections)
    assert draft.question_position(total + 1) is None


def test_lists_show_tags_with_spaces_and_warn_about_leading_questions():
    assert (
        TagDraft("DecisionReason", definition="Why they chose").label() == "Decision reason — Why they chose"
    )
    assert QuestionDraft("price", "Wouldn't you agree the price was high?").label().startswith("⚠ ")
    assert not QuestionDraft("price", "How did you think about the price?").label().startswith("⚠ ")
