"""What an interview guide is: sections of open questions with probes, and the tags quotes are filed under.

Values only, frozen so a guide can be shared between the interview screen, tagging and export without
anyone changing it under the others. The loader (`app.guides.loader`) is what enforces the rules; these
classes trust that they were built by it or by code that knows the rules.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Question:
    """One question the interviewer asks, with the follow-ups that dig into its answer.

    `key` is a short id such as `trigger`, unique within its guide. Quotes are anchored to the key rather
    than to the wording or the position, so rewording or reordering a question never detaches a quote.
    """

    key: str
    text: str
    probes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    """A stage of the conversation (e.g. "Alternatives and tradeoffs"), shown as a heading."""

    title: str
    questions: tuple[Question, ...]


@dataclass(frozen=True, slots=True)
class Tag:
    """A code for quotes, such as "Trigger". The definition keeps tagging consistent between people."""

    name: str
    colour: str  # '#rrggbb', lowercase
    definition: str = ""


@dataclass(frozen=True, slots=True)
class Guide:
    """A complete interview guide.

    `slug` names the guide in files and settings; `version` goes up when the author changes it, so an
    interview can record which edition it followed. `consent` is read out at the start of the call: most
    places require, or strongly expect, the other party's agreement before recording.
    """

    slug: str
    name: str
    version: int
    purpose: str
    consent: str
    sections: tuple[Section, ...]
    tags: tuple[Tag, ...]
    participants: str = ""
    universal_probes: tuple[str, ...] = ()

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every question in the order the interviewer asks them (section by section)."""
        return tuple(question for section in self.sections for question in section.questions)

    def question(self, key: str) -> Question:
        """The question with this key; KeyError if the guide has none (e.g. a quote from an older edition)."""
        for question in self.questions:
            if question.key == key:
                return question
        raise KeyError(f"guide {self.slug!r} has no question {key!r}")

    def number_of(self, key: str) -> int:
        """The question's 1-based position in the whole guide: number keys 1–9 tag the first nine."""
        for number, question in enumerate(self.questions, start=1):
            if question.key == key:
                return number
        raise KeyError(f"guide {self.slug!r} has no question {key!r}")
