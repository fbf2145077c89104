"""The user's edits of the Themes view's groups — rename, move a quote, merge, split — as new lists of groups,
and the undo command that swaps one list for another.

Groups are values (`ThemeGroup`), so an edit makes a new list and undo puts the old one back; "n of N"
follows, since a group counts its interviews from its quotes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtGui import QUndoCommand

from app.services.analysis import ThemeGroup

Groups = tuple[ThemeGroup, ...]


def renamed(groups: Groups, index: int, label: str) -> Groups:
    return tuple(replace(group, label=label) if i == index else group for i, group in enumerate(groups))


def moved(groups: Groups, quote_id: int, source: int, target: int) -> Groups:
    """The quote taken from group `source` into group `target`; a group left empty goes."""
    quote = next(one for one in groups[source].quotes if one[0] == quote_id)
    changed = []
    for i, group in enumerate(groups):
        if i == source:
            group = replace(group, quotes=tuple(one for one in group.quotes if one[0] != quote_id))
        elif i == target and quote_id not in (one[0] for one in group.quotes):
            group = replace(group, quotes=(*group.quotes, quote))
        changed.append(group)
    return tuple(group for group in changed if group.quotes)


def merged(groups: Groups, indexes: list[int]) -> Groups:
    """The groups at `indexes` as one, in the first one's place and under its label (a quote in two of them,
    from two of its sentences, once)."""
    first, *others = sorted(indexes)
    quotes = dict((one[0], one) for i in (first, *others) for one in groups[i].quotes)
    result = []
    for i, group in enumerate(groups):
        if i == first:
            result.append(replace(group, quotes=tuple(quotes.values())))
        elif i not in others:
            result.append(group)
    return tuple(result)


def split(groups: Groups, index: int, quote_ids: set[int]) -> Groups:
    """The quotes `quote_ids` of group `index` taken out into a new group just below it, labelled after it
    until the user renames it (the whole group chosen: nothing to split)."""
    group = groups[index]
    taken = tuple(one for one in group.quotes if one[0] in quote_ids)
    kept = tuple(one for one in group.quotes if one[0] not in quote_ids)
    if not taken or not kept:
        return groups
    parts = (replace(group, quotes=kept), ThemeGroup(f"{group.label} (split)", taken))
    return (*groups[:index], *parts, *groups[index + 1 :])


class GroupsEdit(QUndoCommand):
    """An edit of the groups shown: `show(groups)` with the list after it, or before it on undo."""

    def __init__(
        self, description: str, before: Groups, after: Groups, show: Callable[[Groups], None]
    ) -> None:
        super().__init__(description)
        self._before, self._after, self._show = before, after, show

    def redo(self) -> None:
        self._show(self._after)

    def undo(self) -> None:
        self._show(self._before)
