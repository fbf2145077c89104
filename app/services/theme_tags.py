"""Turning a group of the Themes view into a theme tag in one step, and taking that step back.

The tag is added to the guide the way the guide editor adds one: a new edition of the guide, stored through
`Tagger.save_guide` (a stored version is never changed). A quote's tags are checked against the guide its
interview follows, so each interview of the group moves to the new edition first, when that edition still
holds every question and tag its quotes and markers use (nothing filed there loses its place; an interview
on an older edition with other questions keeps it, and its quotes are left untagged and counted). Undo
puts the quotes' tags and the interviews' editions back (an interview where the theme has been used since
stays on the new edition), and removes the edition when no one has come to use it since
(`GuideRepository.remove_unused`); otherwise the edition stays, as any saved guide does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from app.domain.quote import Quote
from app.domain.themes import theme_tag_name
from app.domain.wording import readable_name
from app.guides.model import Guide, Tag
from app.library.errors import LibraryError
from app.library.transactions import writing
from app.services.tagging import Tagger, parsed_guide

if TYPE_CHECKING:
    from app.library import Library
    from app.library.guides import StoredGuide

THEME_COLOURS = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7")
"""A new theme takes the first of these the guide's tags do not use yet (then the first again)."""


@dataclass(frozen=True, slots=True)
class GroupTagged:
    """What tagging a group did, so an undo can take exactly that back."""

    tag: str
    edition: StoredGuide
    added: bool
    """Whether a new edition of the guide was stored (False: the guide already had a theme of that name)."""
    followed: dict[int, int]
    """Interview id → the guide version (row id) it followed before it moved to `edition`."""
    before: tuple[Quote, ...]
    """The quotes given the tag, as they were."""
    left: int
    """Quotes not tagged: their interview follows an edition whose questions the new one no longer has."""

    @property
    def interviews(self) -> set[int]:
        return {quote.interview_id for quote in self.before} | set(self.followed)

    @property
    def summary(self) -> str:
        """What happened, in a sentence for the status bar or the terminal."""
        theme = readable_name(self.tag)
        said = f"Tagged {len(self.before)} quotes “{theme}”"
        said += f", a new theme in {self.edition.name} v{self.edition.version}" if self.added else ""
        if self.left:
            said += f"; {self.left} left untagged (their interviews follow an older edition of the guide)"
        return said + "."


def tag_group(library: Library, guide_slug: str, label: str, quote_ids: Sequence[int]) -> GroupTagged:
    """Give every quote of a group the theme named after `label`, adding it to the guide when it is new;
    all or nothing (LibraryError says why nothing was done)."""
    name = theme_tag_name(label)
    if not name:
        raise LibraryError("Give the group a name with at least one word first (F2 renames it).")
    latest = library.guides.latest(guide_slug)
    if latest is None:
        raise LibraryError(f"There is no guide {guide_slug!r} in this library.")
    guide = parsed_guide(latest)
    same = next((tag.name for tag in guide.tags if _same_name(tag.name, name)), None)
    tagger = Tagger(library)
    with writing(library.db):
        if same is None:
            edition, added = tagger.save_guide(_with_theme(guide, name))
        else:
            edition, added, name = latest, False, same
        return _apply(library, tagger, edition, added, name, quote_ids)


def untag_group(library: Library, done: GroupTagged) -> bool:
    """Take `done` back; returns whether the edition it added went too (see the module's docstring)."""
    tagger = Tagger(library)
    with writing(library.db):
        for quote in done.before:
            tagger.update_quote(quote.id, tags=quote.tags)
        for interview_id, guide_id in done.followed.items():
            before = library.guides.get(guide_id)
            if _fits(library, interview_id, parsed_guide(before)):
                library.guides.use(interview_id, guide_id)  # else the user filed under the theme since
        return done.added and library.guides.remove_unused(done.edition.id)


def _apply(
    library: Library, tagger: Tagger, edition: StoredGuide, added: bool, name: str, quote_ids: Sequence[int]
) -> GroupTagged:
    model = parsed_guide(edition)
    followed: dict[int, int] = {}
    kept_back: set[int] = set()
    before, left = [], 0
    for quote_id in dict.fromkeys(quote_ids):
        quote = library.quotes.get(quote_id)
        interview_id = quote.interview_id
        if interview_id not in followed and interview_id not in kept_back:
            current = library.guides.of_interview(interview_id)
            if current is None or current.slug != edition.slug:
                raise LibraryError(f"Interview {interview_id} does not follow the guide {edition.name!r}.")
            if current.id != edition.id:
                if _fits(library, interview_id, model):
                    library.guides.use(interview_id, edition.id)
                    followed[interview_id] = current.id
                else:
                    kept_back.add(interview_id)
        if interview_id in kept_back:
            left += 1
        elif name not in quote.tags:
            tagger.update_quote(quote.id, tags=(*quote.tags, name))
            before.append(quote)
    return GroupTagged(name, edition, added, followed, tuple(before), left)


def _fits(library: Library, interview_id: int, guide: Guide) -> bool:
    """Whether the interview can follow `guide` with nothing it filed losing its question or tag."""
    keys = {question.key for question in guide.questions}
    tags = {tag.name for tag in guide.tags}
    quotes = library.quotes.for_interview(interview_id)
    markers = [m for m in library.markers.of_interview(interview_id) if m.kind == "question"]
    return all(
        (q.question_key is None or q.question_key in keys) and set(q.tags) <= tags for q in quotes
    ) and all(marker.question in keys for marker in markers)


def _same_name(existing: str, name: str) -> bool:
    return (
        existing.casefold() == name.casefold()
        or readable_name(existing).casefold() == readable_name(name).casefold()
    )


def _with_theme(guide: Guide, name: str) -> Guide:
    used = {tag.colour for tag in guide.tags}
    colour = next((c for c in THEME_COLOURS if c not in used), THEME_COLOURS[0])
    return replace(guide, tags=(*guide.tags, Tag(name, colour, "")))
