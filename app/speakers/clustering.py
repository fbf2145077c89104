"""Windows grouped into a chosen number of voices: k-means on cosine similarity, in numpy.

From measuring CAM++ on real calls (see the model's provenance): subtract the recording's mean embedding
first (it carries the room and the microphone, which every voice shares), and fix the number of voices
rather than guess it from a similarity threshold, which does not tell one speaker from two.
"""

from __future__ import annotations

import numpy as np

_ITERATIONS = 50
# Cosine similarity of the two voices' mean embeddings (before the recording's mean is taken away) above
# which they are one person: one-speaker clips measured 0.83–0.91 (jfk, LibriSpeech, MFA, digits), two
# speakers 0.63 (AMI meeting) and 0.72 (the demo call mixed to one channel).
SAME_PERSON = 0.78


def voice_scores(embeddings: np.ndarray, voices: int) -> np.ndarray:
    """(n, voices) cosine similarity of each window to each voice's centre; voice 0 is the first heard.

    Deterministic: the first centre is the window farthest from the mean, each next one the window
    farthest from the centres so far, then k-means refines them.
    """
    if voices < 1:
        raise ValueError("There must be at least one speaker.")
    if len(embeddings) == 0:
        return np.zeros((0, voices), dtype=np.float32)
    points = _unit(embeddings - embeddings.mean(axis=0) if voices > 1 else embeddings)
    centres = _farthest_first(points, min(voices, len(points)))
    for _ in range(_ITERATIONS):
        nearest = np.argmax(points @ centres.T, axis=1)
        moved = _unit(
            np.stack(
                [
                    points[nearest == voice].mean(axis=0) if np.any(nearest == voice) else centres[voice]
                    for voice in range(len(centres))
                ]
            )
        )
        if np.allclose(moved, centres):
            break
        centres = moved
    scores = points @ centres.T
    nearest = np.argmax(scores, axis=1)
    first_heard = [
        np.flatnonzero(nearest == voice)[0] if np.any(nearest == voice) else len(points)
        for voice in range(len(centres))
    ]
    scores = scores[:, np.argsort(first_heard, kind="stable")]
    if scores.shape[1] < voices:  # fewer windows than voices: the missing voices match nothing
        scores = np.pad(scores, ((0, 0), (0, voices - scores.shape[1])), constant_values=-1.0)
    return scores.astype(np.float32)


def likely_voices(embeddings: np.ndarray) -> int:
    """2, or 1 when splitting the windows in two leaves two halves that sound like the same person.

    The default when the user has not said how many people speak: an interview has two, but a recorded
    monologue or dictation must not be cut into two made-up speakers. A user's count always wins.
    """
    if len(embeddings) < 2:
        return 1
    nearest = np.argmax(voice_scores(embeddings, 2), axis=1)
    if nearest.min() == nearest.max():
        return 1
    centres = _unit(np.stack([_unit(embeddings[nearest == voice]).mean(axis=0) for voice in (0, 1)]))
    return 1 if float(centres[0] @ centres[1]) >= SAME_PERSON else 2


def _farthest_first(points: np.ndarray, count: int) -> np.ndarray:
    chosen = [int(np.argmin(points @ _unit(points.mean(axis=0, keepdims=True))[0]))]
    while len(chosen) < count:
        closeness = np.max(points @ points[chosen].T, axis=1)
        chosen.append(int(np.argmin(closeness)))
    return points[chosen]


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)
