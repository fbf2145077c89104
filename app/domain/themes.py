"""Rules for the themes the user shapes: which groups stand when quotes come and go, and what a group is
called as a theme tag. No I/O: the library stores the groups, services apply these rules.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

TAG_NAME_LENGTH = 48
"""A theme tag made from a group is cut to this many characters: tags are typed on the command line and
shown as chips."""


@dataclass(frozen=True, slots=True)
class KeptGroup:
    """A group as the user left it: its label and its quotes, by id, in order."""

    label: str
    quote_ids: tuple[int, ...]


def overlay(
    kept: Sequence[KeptGroup], fresh: Sequence[KeptGroup], present: Collection[int] | None = None
) -> list[KeptGroup]:
    """The user's groups where they still apply, then what is new placed beside them.

    Kept groups stand as they are, in their order, holding those of their quotes still `present` (all when
    None); a kept group left with none goes. A quote no kept group holds follows its fresh group: into the
    kept group that holds most of that fresh group's other quotes (the first such, on a tie), or, when
    none of them is kept, into the fresh group itself, under its own label, after the kept ones.

    The window uses this both ways: to show a new grouping under the user's edits (kept = stored, fresh =
    the sentence model's groups) and to store an edit made while the list hid some interviews (kept = the
    groups shown, fresh = the stored groups, whose hidden quotes then stay with what they were grouped with).
    """
    standing = [
        KeptGroup(group.label, tuple(q for q in group.quote_ids if present is None or q in present))
        for group in kept
    ]
    standing = [group for group in standing if group.quote_ids]
    home = {quote: index for index, group in enumerate(standing) for quote in group.quote_ids}
    joined: list[list[int]] = [list(group.quote_ids) for group in standing]
    new: list[KeptGroup] = []
    for group in fresh:
        rest = [q for q in dict.fromkeys(group.quote_ids) if q not in home]
        if not rest:
            continue
        votes = Counter(home[q] for q in group.quote_ids if q in home)
        if votes:
            target = max(votes, key=lambda index: (votes[index], -index))
            joined[target] += [q for q in rest if q not in joined[target]]
        else:
            new.append(KeptGroup(group.label, tuple(rest)))
    return [KeptGroup(group.label, tuple(ids)) for group, ids in zip(standing, joined, strict=True)] + new


def theme_tag_name(label: str) -> str:
    """The tag a group becomes, in the one-word form guides name tags ("payroll must connect" →
    "PayrollMustConnect", which every view shows as "Payroll must connect"); "" when the label has no word."""
    words = re.findall(r"[^\W_]+", label)
    name = "".join(word[:1].upper() + word[1:] for word in words)
    return name[:TAG_NAME_LENGTH]
