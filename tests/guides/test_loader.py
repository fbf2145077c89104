"""The guide format: the built-in templates load, mistakes are refused at the right line, dumps round-trip."""

from __future__ import annotations

import pickle
import re
from pathlib import Path
from textwrap import dedent

import pytest

from app.guides import (
    Guide,
    GuideError,
    Question,
    Section,
    Tag,
    builtin_guides,
    dump_guide,
    load_guide,
    load_guide_file,
    question_hints,
)
from app.guides.loader import GUIDE_FIELDS, QUESTION_FIELDS, SECTION_FIELDS, TAG_FIELDS
from app.resources import resource_path

GUIDE_FILES = sorted(resource_path("guides").glob("*.yaml"))

# A small, complete guide; the error cases below each change one thing in a copy of it.
VALID = dedent(
    """\
    slug: first-call
    name: First call
    version: 2
    purpose: Learn how they bought.
    participants: Recent buyers.
    consent: May I record this call?
    universal_probes:
      - Why?
      - What else?
    sections:
      - title: Start
        questions:
          - key: trigger
            text: What made you start looking?
            probes:
              - Why then?
          - key: goal
            text: What did you want to get done?
    tags:
      - name: Trigger
        colour: "#E15759"
        definition: What started it.
    """
)


def test_a_valid_guide_loads_with_every_field():
    guide = load_guide(VALID)
    assert guide == Guide(
        slug="first-call",
        name="First call",
        version=2,
        purpose="Learn how they bought.",
        participants="Recent buyers.",
        consent="May I record this call?",
        universal_probes=("Why?", "What else?"),
        sections=(
            Section(
                "Start",
                (
                    Question("trigger", "What made you start looking?", ("Why then?",)),
                    Question("goal", "What did you want to get done?", ()),
                ),
            ),
        ),
        tags=(Tag("Trigger", "#e15759", "What started it."),),  # colours are stored in lowercase
    )


def test_only_a_name_and_a_question_are_needed():
    guide = load_guide(
        "name: My First Guide!\nsections:\n  - title: A\n    questions:\n      - key: a\n        text: Why?\n"
    )
    assert guide.slug == "my-first-guide"  # made from the name
    assert guide.version == 1
    assert (guide.purpose, guide.consent, guide.participants) == ("", "", "")
    assert guide.tags == () and guide.universal_probes == () and guide.questions[0].probes == ()


def _changed(old: str, new: str) -> str:
    """VALID with one change; fails loudly if `old` is not there, so no case silently tests VALID."""
    assert old in VALID, old
    return VALID.replace(old, new, 1)


# (what is wrong, the guide text, the line the error must name, words the problem must contain).
# Line numbers of VALID: 10 sections, 13 key: trigger, 14 its text, 15 probes, 16 - Why then?,
# 17 key: goal, 18 its text, 19 tags, 20 name: Trigger, 21 colour, 22 definition.
ERRORS = [
    (
        "YAML syntax: an unquoted ': ' inside a question",
        _changed("text: What made you start looking?", "text: Tell me: what made you start looking?"),
        14,
        "not valid YAML (mapping values are not allowed here): a value that contains ': ' must be in quotes",
    ),
    (
        "YAML syntax: a line indented out of step",
        _changed("          - Why then?\n", "          - Why then?\n         - Who else?\n"),
        17,
        "not indented in step",
    ),
    (
        "YAML syntax: a tab",
        _changed("  - title: Start", "\t- title: Start"),
        11,
        "indent with spaces, not tabs",
    ),
    (
        "YAML syntax: '?' inside [ ]",
        _changed("probes:\n          - Why then?", "probes: [Why then?]"),
        15,
        "put items containing",
    ),
    (
        "missing question text",
        _changed("        text: What did you want to get done?\n", ""),
        17,
        'question "goal" has no text',
    ),
    (
        "empty question text",
        _changed("text: What did you want to get done?", "text:"),
        18,
        'question "goal" has no text',
    ),
    (
        "missing question key",
        _changed("      - key: goal\n        text:", "      - text:"),
        17,
        'question 2 of section "Start" has no key',
    ),
    (
        "question key with spaces",
        _changed("key: goal", "key: Their Goal"),
        17,
        'question key "Their Goal" may contain only',
    ),
    (
        "duplicate question key",
        _changed("key: goal", "key: trigger"),
        17,
        'question key "trigger" is used twice (first at line 13)',
    ),
    ("bad colour", _changed('"#E15759"', "red"), 21, 'tag "Trigger" has colour "red"'),
    ("short colour", _changed('"#E15759"', '"#e15"'), 21, 'write colours as "#rrggbb"'),
    (
        "unquoted colour is a YAML comment",
        _changed('"#E15759"', "#e15759"),
        21,
        "has no colour; write it in quotes",
    ),
    (
        "unknown field in a tag",
        _changed("colour:", "color:"),
        21,
        'unknown field "color" (did you mean "colour"?); allowed fields: name, colour, definition',
    ),
    (
        "unknown field in a question",
        _changed("        probes:", "        probe:"),
        15,
        'question "trigger" has an unknown field "probe" (did you mean "probes"?)',
    ),
    (
        "unknown field in a section",
        _changed("  - title: Start", "  - titel: Start"),
        11,
        'unknown field "titel"',
    ),
    ("unknown field in the guide", _changed("purpose:", "purpos:"), 4, "allowed fields: slug, name, version"),
    (
        "probes not a list",
        _changed("probes:\n          - Why then?", "probes: Why then?"),
        15,
        'probes of question "trigger" must be a list of text, not text',
    ),
    (
        "a probe that is not text",
        _changed("- Why then?", "- 42"),
        16,
        'item 1 of probes in question "trigger" must be text, not the number 42',
    ),
    (
        "text that YAML reads as true/false",
        _changed("text: What did you want to get done?", "text: yes"),
        18,
        "true/false",
    ),
    (
        "universal probes not a list",
        _changed("  - Why?\n  - What else?\n", "  Why?\n"),
        8,
        "must be a list of text",
    ),
    (
        "duplicate tag name",
        VALID + '  - name: trigger\n    colour: "#4e79a7"\n',
        23,
        'tag "trigger" is defined twice (first at line 20)',
    ),
    ("missing name", _changed("name: First call\n", ""), 1, "the guide has no name"),
    ("missing sections", VALID.split("sections:")[0], 1, "the guide has no sections"),
    ("empty sections", VALID.split("sections:")[0] + "sections: []\n", 10, "the list is empty"),
    (
        "a section with no questions",
        "name: X\nsections:\n  - title: Empty\n",
        3,
        'section "Empty" has no questions',
    ),
    ("a section with no title", "name: X\nsections:\n  - questions: []\n", 3, "section 1 has no title"),
    (
        "version zero",
        _changed("version: 2", "version: 0"),
        3,
        "version must be a whole number from 1 to 1,000,000",
    ),
    ("version as text", _changed("version: 2", "version: two"), 3, "version must be a whole number"),
    ("bad slug", _changed("slug: first-call", "slug: First_Call"), 1, 'slug "First_Call" may contain only'),
    (
        "a field given twice",
        _changed("version: 2", "version: 2\nname: Again"),
        4,
        'the field "name" twice (first at line 2)',
    ),
    ("not a mapping", "- just\n- a list\n", 1, "must be a set of fields"),
    ("empty file", "", 1, "the guide is empty"),
    ("two guides in one file", VALID + "---\nname: Second\n", 23, "a guide file holds one guide"),
]


@pytest.mark.parametrize(
    ("text", "line", "problem"), [case[1:] for case in ERRORS], ids=[case[0] for case in ERRORS]
)
def test_mistakes_are_refused_at_their_line(text: str, line: int, problem: str):
    with pytest.raises(GuideError) as caught:
        load_guide(text, "my-guide.yaml")
    assert caught.value.line == line, str(caught.value)
    assert problem in caught.value.problem
    assert str(caught.value) == f"my-guide.yaml, line {line}: {caught.value.problem}"


def test_the_valid_base_of_the_error_cases_loads():
    """Guards the table above: every case is refused for its own change, not a fault in the base."""
    load_guide(VALID)


def test_an_unclosed_quote_points_back_to_where_it_opened():
    """PyYAML only notices at the end of the file; the message names the line where the quote opened."""
    with pytest.raises(GuideError) as caught:
        load_guide(_changed("definition: What started it.", 'definition: "What started it.'))
    assert caught.value.line == 23
    assert "while scanning a quoted scalar at line 22" in caught.value.problem


def test_missing_question_text_message_matches_the_documented_form():
    with pytest.raises(GuideError) as caught:
        load_guide(_changed("        text: What did you want to get done?\n", ""), "recent-buyer.yaml")
    assert str(caught.value) == 'recent-buyer.yaml, line 17: question "goal" has no text'


def test_errors_survive_pickling_for_worker_processes():
    error = GuideError("g.yaml", 3, "problem")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.source, copy.line, copy.problem, str(copy)) == (
        "g.yaml",
        3,
        "problem",
        "g.yaml, line 3: problem",
    )


def test_a_file_that_is_not_utf8_is_refused_with_its_name_and_line(tmp_path: Path):
    path = tmp_path / "latin.yaml"
    path.write_bytes(
        "name: Caf\u00e9\nsections:\n".encode("utf-8") + "purpose: na\u00efve\n".encode("latin-1")
    )
    with pytest.raises(GuideError, match=r"^latin\.yaml, line 3: .*UTF-8"):
        load_guide_file(path)


# --- round trip ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("guide", builtin_guides(), ids=lambda guide: guide.slug)
def test_builtin_guides_round_trip(guide: Guide):
    assert load_guide(dump_guide(guide)) == guide


def test_a_minimal_guide_round_trips_without_empty_fields():
    guide = Guide(
        "tiny", "Tiny", 1, "", "", (Section("Only", (Question("only", "What happened?", ()),)),), ()
    )
    text = dump_guide(guide)
    assert load_guide(text) == guide
    for absent in ("purpose", "consent", "participants", "universal_probes", "probes", "tags"):
        assert absent not in text


def test_awkward_text_round_trips():
    """Strings YAML would misread unquoted: booleans, numbers, '# ', ': ', quotes and non-ASCII."""
    awkward = (
        "yes",
        "42",
        "Why? # not a comment",
        "Tell me: why?",
        "'quoted'",
        "“curly” – naïve",
        "- dash",
        "null",
    )
    guide = Guide(
        "awkward",
        "no",
        3,
        "on",
        "1.5",
        (Section("~", tuple(Question(f"q{i}", text, (text,)) for i, text in enumerate(awkward))),),
        (Tag("true", "#00ff00", "false"),),
        participants="[not a list]",
        universal_probes=awkward,
    )
    assert load_guide(dump_guide(guide)) == guide


def test_dump_indents_lists_as_written_by_hand():
    assert "sections:\n  - title: Start\n    questions:\n      - key: trigger" in dump_guide(
        load_guide(VALID)
    )


# --- the model -------------------------------------------------------------------------------------------


def test_questions_are_numbered_in_order_across_sections_for_hotkeys():
    later = "  - title: Later\n    questions:\n      - key: decision\n        text: What made you decide?\n"
    guide = load_guide(VALID.replace("tags:", later + "tags:"))
    assert [q.key for q in guide.questions] == ["trigger", "goal", "decision"]
    assert [guide.number_of(q.key) for q in guide.questions] == [1, 2, 3]
    assert guide.question("decision").text == "What made you decide?"
    with pytest.raises(KeyError):
        guide.number_of("missing")
    with pytest.raises(KeyError):
        guide.question("missing")


def test_guides_are_frozen():
    guide = load_guide(VALID)
    with pytest.raises(AttributeError):
        guide.name = "Changed"  # type: ignore[misc]


# --- the built-in guides ---------------------------------------------------------------------------------

ROADMAP_TAGS = [
    "Trigger",
    "Goal",
    "Search",
    "Criteria",
    "Alternative",
    "Concern",
    "Impression",
    "DecisionReason",
    "PostPurchase",
    "WordOfMouth",
]


def test_six_builtin_guides_with_the_roadmap_first():
    slugs = [guide.slug for guide in builtin_guides()]
    assert slugs[0] == "recent-buyer-roadmap"
    assert sorted(slugs) == [
        "buyer-persona-5-rings",
        "churn",
        "jtbd-switch",
        "onboarding",
        "recent-buyer-roadmap",
        "win-loss",
    ]


@pytest.mark.parametrize("path", GUIDE_FILES, ids=lambda path: path.name)
def test_each_builtin_file_is_complete(path: Path):
    guide = load_guide_file(path)
    assert guide.slug == path.stem  # the file name is how people find a guide on disk
    assert guide.purpose and guide.consent and guide.participants and guide.universal_probes
    assert guide.consent.rstrip().endswith("?"), "the consent line asks for a yes, recorded at the start"
    assert all(question.probes and len(question.probes) <= 3 for question in guide.questions[:-1])
    assert 5 <= len(guide.tags) <= 10
    assert all(re.fullmatch(r"#[0-9a-f]{6}", tag.colour) for tag in guide.tags)
    assert len({tag.colour for tag in guide.tags}) == len(guide.tags), (
        "tags need colours told apart at a glance"
    )
    assert all(tag.definition for tag in guide.tags)


def test_the_roadmap_guide_follows_the_buying_story():
    guide = builtin_guides()[0]
    assert [q.key for q in guide.questions] == [
        "background",
        "trigger",
        "goal",
        "first_steps",
        "criteria",
        "alternatives",
        "impression",
        "why_us",
        "since_buying",
        "word_of_mouth",
        "anything_else",
    ]
    assert all(1 <= len(q.probes) <= 3 for q in guide.questions)
    assert [tag.name for tag in guide.tags] == ROADMAP_TAGS


def test_the_switch_guide_tags_the_four_forces():
    guide = next(guide for guide in builtin_guides() if guide.slug == "jtbd-switch")
    assert {"Push", "Pull", "Anxiety", "Habit"} <= {tag.name for tag in guide.tags}


# --- the documentation -----------------------------------------------------------------------------------

GUIDES_MD = Path(__file__).resolve().parents[2] / "docs" / "GUIDES.md"


def test_the_documented_example_is_a_valid_guide_without_hints():
    example = re.search(r"```yaml\n(.*?)```", GUIDES_MD.read_text(encoding="utf-8"), re.DOTALL)
    assert example, "docs/GUIDES.md lost its example"
    guide = load_guide(example.group(1), "GUIDES.md")
    assert guide.slug == "first-buyer-calls" and len(guide.questions) == 2 and len(guide.tags) == 2
    assert question_hints(guide) == []


def test_the_documentation_lists_every_field():
    text = GUIDES_MD.read_text(encoding="utf-8")
    for name in GUIDE_FIELDS + SECTION_FIELDS + QUESTION_FIELDS + TAG_FIELDS:
        assert f"| `{name}` |" in text, name
