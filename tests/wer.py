"""Word error rate after the normalisation MANIFEST.md asks for (case, punctuation, numbers, fillers)."""

from __future__ import annotations

import re

import jiwer

_FILLERS = {"uh", "um", "er", "ah", "hmm", "mm", "yknow"}
_DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def normalise(text: str) -> list[str]:
    text = text.lower().replace("y'know", "yknow").replace("you know", "yknow")
    text = re.sub(r"\d", lambda m: f" {_DIGITS[int(m.group())]} ", text)
    words = re.findall(r"[a-z']+", text)
    return ["zero" if w == "oh" else w.replace("'", "") for w in words if w not in _FILLERS]


def wer(reference: str, hypothesis: str) -> float:
    return jiwer.wer(" ".join(normalise(reference)), " ".join(normalise(hypothesis)) or "<empty>")


def lost(reference: str, hypothesis: str) -> float:
    """Words of `reference` missing from `hypothesis`, as a share of the reference's words (normalised as
    `wer`): speech dropped, whatever else was decoded differently or added."""
    measures = jiwer.process_words(
        " ".join(normalise(reference)), " ".join(normalise(hypothesis)) or "<empty>"
    )
    return measures.deletions / max(len(normalise(reference)), 1)


def lost_or_added(reference: str, hypothesis: str) -> float:
    """Words missing or extra in `hypothesis`, as a share of the reference's words (normalised as `wer`).

    Where two decodings of the same audio may differ in word choice (other context, another CPU's int8
    kernels), this still catches speech dropped or repeated: substitutions do not count.
    """
    measures = jiwer.process_words(
        " ".join(normalise(reference)), " ".join(normalise(hypothesis)) or "<empty>"
    )
    return (measures.deletions + measures.insertions) / max(len(normalise(reference)), 1)
