"""Windows grouped into voices: how many people speak, then k-means on cosine similarity, in numpy.

From measuring CAM++ on real calls (see the model's provenance): subtract the recording's mean embedding
before k-means (it carries the room and the microphone, which every voice shares). How many voices there
are when the user has not said: two are looked for (an interview has two people), and more when
average-linkage clustering of the windows (as pyannote and 3D-Speaker count speakers) leaves more than two
groups, each holding a fair share of the speech.

Two-means always splits, even one person's monologue (into two halves of one voice: 53–70 % of its words
on one side). So a two-way split counts only when its voices stand apart (`_APART_SIMILARITY`); when they
do not, the second voice is only the windows that sound like nobody else (`_stray_scores`): a real single
talker keeps nearly all words, and a second party whose voice differs is still found.
"""

from __future__ import annotations

import numpy as np

MIN_VOICES = 2
"""Voices looked for on a one-channel recording until the user says how many people speak."""
MAX_VOICES = 6
_ITERATIONS = 50
# Average-linkage groups are merged while their mean cosine distance is below this. Measured on the shared
# read speech mixed into 2–5-voice conversations (1 s windows): 0.45–0.55 counted 48–52 of 54 right,
# 0.4 split single voices, 0.6 merged different ones.
_SAME_VOICE_DISTANCE = 0.5
# A group counts as a voice with at least this share of the windows and 2 s of speech: smaller groups are
# stray windows (a cough, a laugh, two voices at once), whose windows then go to the nearest voice.
_MIN_SHARE = 0.05
# Two voices stand apart when the centres of their windows (embeddings as they are, unit length) are less
# cosine-similar than this. Measured on every recording bench/diarization.py covers: different people
# 0.53–0.72 (the AMI meeting 0.63, the demo call mixed down 0.72, mixes of shared speakers 0.53–0.59), the
# two halves two-means cuts one talker into 0.83–0.91 (jfk, librispeech, mfa, digits): the midpoint.
_APART_SIMILARITY = 0.775
_MIN_WINDOWS = 4
# Average linkage keeps a matrix of all pairs: a long call is counted on this many windows, evenly spread.
_MOST_COUNTED = 1000


def voice_scores(embeddings: np.ndarray, voices: int | None = None) -> np.ndarray:
    """(n, voices) cosine similarity of each window to each voice's centre; voice 0 is the first heard.

    `voices` None: as many as `heard_voices` finds (at least MIN_VOICES looked for; one column when no
    window stands apart from the one voice heard, see the module's docstring). Deterministic: k-means
    starts from the groups heard, or from farthest-first centres (the window farthest from the mean, each
    next one the window farthest from the centres so far).
    """
    if voices is not None and voices < 1:
        raise ValueError("There must be at least one speaker.")
    counted = voices is None
    groups = heard_voices(embeddings) if counted else None
    voices = MIN_VOICES if voices is None else voices
    if len(embeddings) == 0:
        return np.zeros((0, voices if groups is None else len(groups)), dtype=np.float32)
    points = _unit(embeddings - embeddings.mean(axis=0) if voices > 1 else embeddings)
    if groups is not None:
        centres = _unit(np.stack([points[group].mean(axis=0) for group in groups]))
        voices = len(groups)
    else:
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
    if counted and len(centres) == 2 and not _stand_apart(embeddings, np.argmax(scores, axis=1)):
        scores = _stray_scores(embeddings)
        voices = scores.shape[1]
    nearest = np.argmax(scores, axis=1)
    first_heard = [
        np.flatnonzero(nearest == voice)[0] if np.any(nearest == voice) else len(points)
        for voice in range(scores.shape[1])
    ]
    scores = scores[:, np.argsort(first_heard, kind="stable")]
    if scores.shape[1] < voices:  # fewer windows than voices: the missing voices match nothing
        scores = np.pad(scores, ((0, 0), (0, voices - scores.shape[1])), constant_values=-1.0)
    return scores.astype(np.float32)


def heard_voices(embeddings: np.ndarray) -> list[np.ndarray] | None:
    """The windows (indices) of each voice that stands apart, largest first (2 to MAX_VOICES groups), or
    None when fewer than two do (then MIN_VOICES are looked for: see the module's docstring).

    Average linkage on cosine distance of the embeddings as they are (not centred: with one voice, the
    centred windows would be nothing but noise, spread in every direction).
    """
    counted = np.linspace(0, len(embeddings) - 1, min(len(embeddings), _MOST_COUNTED)).round().astype(int)
    labels = _average_linkage(_unit(embeddings[counted]), 1 - _SAME_VOICE_DISTANCE)
    sizes = np.bincount(labels)
    smallest = max(_MIN_WINDOWS, _MIN_SHARE * len(counted))
    large = [label for label in np.argsort(-sizes, kind="stable") if sizes[label] >= smallest]
    if len(large) < MIN_VOICES:
        return None
    return [counted[labels == label] for label in large[:MAX_VOICES]]


def _stand_apart(embeddings: np.ndarray, labels: np.ndarray) -> bool:
    """Whether the two groups of windows `labels` (0 and 1) make two voices, not one voice cut in two."""
    if not (np.any(labels == 0) and np.any(labels == 1)):
        return False
    points = _unit(embeddings)
    first, second = (_unit(points[labels == voice].mean(axis=0)) for voice in (0, 1))
    return float(first @ second) < _APART_SIMILARITY


def _stray_scores(embeddings: np.ndarray) -> np.ndarray:
    """Scores for one voice and, if any window sounds unlike it, a second voice of just those windows.

    Column 0 is the cosine similarity to the one voice's centre (re-centred on its own windows); column 1,
    when there is one, is the same-voice similarity itself, so a window (or a word's windows together)
    goes to the second voice only when it is farther from the one voice than one voice's windows lie.
    """
    points = _unit(embeddings)
    own = np.ones(len(points), dtype=bool)
    for _ in range(_ITERATIONS):
        similarity = points @ _unit(points[own].mean(axis=0))
        still = similarity >= 1 - _SAME_VOICE_DISTANCE
        if np.array_equal(still, own) or not np.any(still):
            break
        own = still
    if np.all(own):
        return similarity[:, None]
    return np.stack([similarity, np.full(len(points), 1 - _SAME_VOICE_DISTANCE)], axis=1)


def _average_linkage(points: np.ndarray, min_similarity: float) -> np.ndarray:
    """A group label per point: groups merged, most similar first (mean pairwise cosine similarity), while
    that similarity is at least `min_similarity`. O(n²) memory, n merges of O(n²) search each."""
    count = len(points)
    similarity = points @ points.T
    np.fill_diagonal(similarity, -np.inf)
    sizes = np.ones(count)
    labels = np.arange(count)
    for _ in range(count - 1):
        a, b = divmod(int(np.argmax(similarity)), count)
        if similarity[a, b] < min_similarity:
            break
        merged = (sizes[a] * similarity[a] + sizes[b] * similarity[b]) / (sizes[a] + sizes[b])
        similarity[a], similarity[:, a] = merged, merged
        similarity[a, a] = -np.inf
        similarity[b], similarity[:, b] = -np.inf, -np.inf
        sizes[a] += sizes[b]
        labels[labels == b] = a
    return np.unique(labels, return_inverse=True)[1]


def _farthest_first(points: np.ndarray, count: int) -> np.ndarray:
    chosen = [int(np.argmin(points @ _unit(points.mean(axis=0, keepdims=True))[0]))]
    while len(chosen) < count:
        closeness = np.max(points @ points[chosen].T, axis=1)
        chosen.append(int(np.argmin(closeness)))
    return points[chosen]


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)
