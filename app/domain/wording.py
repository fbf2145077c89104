"""Counts as people write them: "1 quote", "3 quotes"."""


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """`number` and the noun in the number it takes ("1 interview", "0 interviews", "2 matches")."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"
