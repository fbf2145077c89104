"""Counts and names as people write them: "1 quote", "3 quotes", "Decision reason"."""

import re


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """`number` and the noun in the number it takes ("1 interview", "0 interviews", "2 matches")."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def readable_name(name: str) -> str:
    """A tag's or key's name as a person writes it: "DecisionReason" → "Decision reason",
    "first_steps" → "First steps"; acronyms stay ("ROI" → "ROI", "SLAConcerns" → "SLA concerns").

    Guides name tags in one word so they can be typed in YAML and on the command line; the window and the
    pack show them with spaces. A name that is not one such word ("Price – too high", or markup) is the
    user's own writing and is shown as written.
    """
    if not re.fullmatch(r"[^\W_]+(_[^\W_]+)*", name):
        return name
    words = re.findall(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+|[^\W\d_]+", name)
    if not words:
        return name
    shown = [word if word.isupper() and len(word) > 1 else word.lower() for word in words]
    return " ".join([shown[0][:1].upper() + shown[0][1:], *shown[1:]])
