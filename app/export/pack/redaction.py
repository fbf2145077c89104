"""Redaction: names, companies, the library's terms and contact details replaced in every text of a pack.

One `Redactor` serves a whole pack, so the report counts each occurrence once even when the same words are
shown twice (a quote under its question and again in the full conversation): an occurrence in a transcript
is identified by the time of the word it starts on, one in another text by where that text comes from.
Transcript words are redacted as words, so the stretch of audio they cover can be muted in clips.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from app.domain.transcript import Word

EMAIL = "email address"
PHONE = "phone number"
_PATTERNS = {
    EMAIL: r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
    # Seven or more digits, possibly grouped by spaces, dots, dashes or brackets, optionally with a +;
    # not an ISO date such as 2026-10-11.
    PHONE: r"(?<![\w+])(?!\d{4}-\d\d-\d\d(?!\d))\+?\(?\d(?:[\s().-]{0,2}\d){6,}(?!\w)",
}


@dataclass(frozen=True, slots=True)
class Term:
    """Something to replace: `text` matched case-insensitively as whole words, shown in reports as `label`."""

    text: str
    replacement: str = "[redacted]"
    label: str | None = None


class Redactor:
    def __init__(self, terms: Iterable[Term] = (), patterns: bool = True) -> None:
        unique: dict[str, Term] = {}
        for term in terms:
            if term.text.strip():
                unique.setdefault(term.text.strip().casefold(), term)
        # Longest first, so "Dana Smith" is replaced as one before "Dana" could match alone.
        self._terms = sorted(unique.values(), key=lambda term: -len(term.text))
        alternatives = [f"(?P<t{i}>{_whole_words(term.text.strip())})" for i, term in enumerate(self._terms)]
        if patterns:
            alternatives += [f"(?P<p{i}>{pattern})" for i, pattern in enumerate(_PATTERNS.values())]
        self._regex = re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None
        self._seen: dict[Hashable, str] = {}

    def report(self) -> dict[str, int]:
        """Label → occurrences replaced so far, most frequent first."""
        counts: dict[str, int] = {}
        for label in self._seen.values():
            counts[label] = counts.get(label, 0) + 1
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold())))

    def text(self, text: str | None, source: Hashable) -> str | None:
        """`text` with every match replaced; `source` names where it comes from (for counting once)."""
        if text is None or self._regex is None:
            return text
        pieces, last = [], 0
        for match in self._regex.finditer(text):
            replacement, label = self._describe(match)
            self._seen[(source, match.start())] = label
            pieces += [text[last : match.start()], replacement]
            last = match.end()
        return "".join(pieces) + text[last:]

    def words(self, words: Sequence[Word], source: Hashable) -> tuple[list[str], list[tuple[int, int]]]:
        """The text of each word after redaction ("" for a word swallowed by a match over several words,
        whose first word holds the replacement), and the (start_ms, end_ms) stretches of the replaced
        words, for muting audio. Give a whole channel's words at once so a term split across two
        segments is still found."""
        texts = [word.text for word in words]
        if self._regex is None or not words:
            return texts, []
        joined, starts = "", []
        for word in words:
            starts.append(len(joined) + (1 if joined else 0))
            joined = f"{joined} {word.text}" if joined else word.text
        muted: list[tuple[int, int]] = []
        for match in reversed(list(self._regex.finditer(joined))):  # from the end: earlier offsets stay valid
            replacement, label = self._describe(match)
            touched = [
                i
                for i, start in enumerate(starts)
                if start < match.end() and start + len(words[i].text) > match.start()
            ]
            first, last = touched[0], touched[-1]
            self._seen[(source, words[first].start_ms)] = label
            head = texts[first][: max(match.start() - starts[first], 0)]
            tail = texts[last][match.end() - starts[last] :]
            for i in touched:
                texts[i] = ""
            texts[first] = head + replacement + tail
            muted.append((words[first].start_ms, words[last].end_ms))
        return texts, sorted(muted)

    def _describe(self, match: re.Match) -> tuple[str, str]:
        name = match.lastgroup or ""
        if name.startswith("t"):
            term = self._terms[int(name[1:])]
            return term.replacement, term.label or term.text.strip()
        label = list(_PATTERNS)[int(name[1:])]
        return f"[{label.split()[0]}]", label


def _whole_words(text: str) -> str:
    """A regex for `text` that does not match inside a longer word; any run of spaces matches a space."""
    body = r"\s+".join(re.escape(part) for part in text.split())
    head = r"(?<!\w)" if text[0].isalnum() or text[0] == "_" else ""
    tail = r"(?!\w)" if text[-1].isalnum() or text[-1] == "_" else ""
    return f"{head}{body}{tail}"


def parse_terms(lines: Iterable[str]) -> list[str]:
    """Terms as a user lists them, one per line; blank lines and duplicates dropped, order kept."""
    unique: dict[str, str] = {}
    for line in lines:
        term = line.strip()
        if term:
            unique.setdefault(term.casefold(), term)
    return list(unique.values())
