"""Guide drafts: a guide as the editor holds it while it is being changed (plain mutable records), turned
into a `Guide` through the same YAML loader as a file, so an edited guide can never be saved unless a file
could hold it, and its problems are described in the loader's words.

Qt-free, so the rules of editing (what a copy is called, which question a number means, how a draft's
lists read) are tested without a window.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.domain.wording import readable_name
from app.guides.dumping import dump_guide
from app.guides.loader import GuideError, load_guide
from app.guides.model import Guide, Question, Section, Tag
from app.guides.quality import hints_for

NEW_TAG_COLOUR = "#4e79a7"


@dataclass(slots=True)
class QuestionDraft:
    key: str = ""
    text: str = ""
    probes: list[str] = field(default_factory=list)

    def question(self) -> Question:
        return Question(
            self.key.strip(), self.text.strip(), tuple(p.strip() for p in self.probes if p.strip())
        )

    def label(self) -> str:
        """As the question list shows it: a warning sign when the wording would lead the customer."""
        warn = any(not hint.kind.is_gentle for hint in hints_for(self.question()))
        return f"{'⚠ ' if warn else ''}{self.text or '(no text yet)'}  [{self.key or 'no short label'}]"


@dataclass(slots=True)
class SectionDraft:
    title: str = ""
    questions: list[QuestionDraft] = field(default_factory=list)

    def label(self) -> str:
        return f"{self.title or '(untitled)'}  ({len(self.questions)})"


@dataclass(slots=True)
class TagDraft:
    name: str = ""
    colour: str = NEW_TAG_COLOUR
    definition: str = ""

    def label(self) -> str:
        """The name with spaces ("Decision reason"), as every view shows tags, and its definition."""
        name = readable_name(self.name) if self.name.strip() else "(unnamed)"
        return f"{name} — {self.definition}" if self.definition else name


@dataclass(slots=True)
class GuideDraft:
    slug: str = ""
    name: str = ""
    version: int = 1
    purpose: str = ""
    participants: str = ""
    consent: str = ""
    universal_probes: str = ""
    """One follow-up per line, as typed."""
    sections: list[SectionDraft] = field(default_factory=list)
    tags: list[TagDraft] = field(default_factory=list)

    @classmethod
    def of(cls, guide: Guide) -> GuideDraft:
        return cls(
            slug=guide.slug,
            name=guide.name,
            version=guide.version,
            purpose=guide.purpose,
            participants=guide.participants,
            consent=guide.consent,
            universal_probes="\n".join(guide.universal_probes),
            sections=[
                SectionDraft(s.title, [QuestionDraft(q.key, q.text, list(q.probes)) for q in s.questions])
                for s in guide.sections
            ],
            tags=[TagDraft(t.name, t.colour, t.definition) for t in guide.tags],
        )

    def guide(self) -> Guide:
        """The guide as edited, checked by the YAML loader; `GuideError` names the problem."""
        draft = Guide(
            slug=self.slug.strip(),
            name=self.name.strip(),
            version=self.version,
            purpose=self.purpose.strip(),
            consent=self.consent.strip(),
            participants=self.participants.strip(),
            universal_probes=lines(self.universal_probes),
            sections=tuple(
                Section(s.title.strip(), tuple(q.question() for q in s.questions)) for s in self.sections
            ),
            tags=tuple(
                Tag(t.name.strip(), t.colour.strip().lower(), t.definition.strip()) for t in self.tags
            ),
        )
        return load_guide(dump_guide(draft), "this guide")

    def problem(self) -> str | None:
        """What stops the guide being saved, in the loader's words, or None."""
        try:
            self.guide()
        except GuideError as error:
            return error.problem
        return None

    def make_copy(self, taken: set[str]) -> str:
        """Turn this draft into a new guide of its own: a short name no other guide has (`taken`), "(copy)"
        after its name, version 1. Returns the new short name."""
        base = (self.slug.strip() or "guide") + "-copy"
        slug, number = base, 2
        while slug in taken | {self.slug}:
            slug, number = f"{base}-{number}", number + 1
        self.slug, self.name, self.version = slug, f"{self.name.strip()} (copy)", 1
        return slug

    def question_position(self, number: int) -> tuple[int, int] | None:
        """(section row, question row) of the question at this 1-based position in the whole guide, as
        tagging numbers them; None past the end."""
        for row, section in enumerate(self.sections):
            if number <= len(section.questions):
                return row, number - 1
            number -= len(section.questions)
        return None


def lines(text: str) -> tuple[str, ...]:
    """The non-blank lines of `text`, stripped (probes are typed one per line)."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())
