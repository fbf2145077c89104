"""Control characters in user text: an ESC sequence in a title must never drive the user's terminal."""

from __future__ import annotations

import re

CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 and C1 control characters and DEL, except tab and line feed (which text may hold on purpose)."""

_ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def escape_controls(text: str, keep: str = "\t") -> str:
    """`text` with every control character (line feed too, which would break a one-line listing) written
    out as `\\x1b`, except those in `keep`: tab (the column separator of listings), or e.g. the markers a
    caller replaces itself."""
    return _ANY_CONTROL.sub(
        lambda match: match.group() if match.group() in keep else f"\\x{ord(match.group()):02x}", text
    )
