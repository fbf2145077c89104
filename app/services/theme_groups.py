"""The Themes view's groups as the user shaped them, kept in the library so renames, merges, splits and
moves outlive the window; used by the window, `earful themes` and the pack.

The rule when the quotes change (`app.domain.themes.overlay`): the user's groups stand, holding their
quotes that are still there; a new quote joins the kept group that holds most of the quotes the sentence
model grouped it with, and quotes the model groups with none of the kept ones form its groups, after the
user's. Nothing is stored until the user edits a grouping.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from app.domain.themes import KeptGroup, overlay
from app.library.theme_groups import basis
from app.services.analysis import Analyst, ThemeGroup

if TYPE_CHECKING:
    from app.library import Library


def themes(analyst: Analyst, guide_slug: str, question: str | None, **scope) -> tuple[list[ThemeGroup], int]:
    """`Analyst.themes` (with its `filters`, `among` and `tag`) under the user's kept edits: the groups and
    N, the interviews considered."""
    fresh, considered = analyst.themes(guide_slug, question, **scope)
    return under_edits(analyst.library, guide_slug, basis(question, scope.get("tag")), fresh), considered


def under_edits(library: Library, guide_slug: str, of: str, fresh: Sequence[ThemeGroup]) -> list[ThemeGroup]:
    """The sentence model's `fresh` groups with the kept ones of `of` laid over them."""
    kept = library.theme_groups.kept(guide_slug, of)
    if not kept:
        return list(fresh)
    members = {quote[0]: quote for group in fresh for quote in group.quotes}
    shaped = overlay(kept, [_ids(group) for group in fresh], present=members)
    return [ThemeGroup(group.label, tuple(members[q] for q in group.quote_ids)) for group in shaped]


def keep(
    library: Library, guide_slug: str, question: str | None, tag: str | None, shown: Sequence[ThemeGroup]
) -> None:
    """Store the groups as shown after an edit. Quotes the view did not show (their interviews were not
    listed) stay with the groups they were kept with, so editing a filtered view loses nothing."""
    of = basis(question, tag)
    stored = library.theme_groups.kept(guide_slug, of)
    library.theme_groups.store(guide_slug, of, overlay([_ids(group) for group in shown], stored))


def _ids(group: ThemeGroup) -> KeptGroup:
    return KeptGroup(group.label, tuple(quote[0] for quote in group.quotes))
