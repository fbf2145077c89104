"""Grouping answers to one question by meaning across interviews, and naming each group in its own words.

The number of themes is not known in advance, so quotes are grouped by agglomerative clustering (scipy,
average linkage on cosine distance) cut at a distance rather than at a count. A group's label is its most
distinctive words (class-based TF-IDF: frequent in the group, rare in the other groups); no language model.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from app.analysis.sentences import sentences

THEME_DISTANCE = 0.9
"""Cosine distance (between sentences centred on their mean) at which two groups stop merging, average
linkage. Chosen on the labelled corpus for all questions alike (0.8–1.0 all score within 0.03)."""
MIN_SENTENCE_WORDS = 4
"""Shorter sentences ("Yeah.", "Oh, totally.") carry no theme of their own."""
LABEL_WORDS = 3

_WORD = re.compile(r"[a-z][a-z'-]+")
# Function words and transcript fillers: never what a theme is about.
_STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "like",
        "me",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yeah",
        "um",
        "uh",
        "oh",
        "okay",
        "ok",
        "know",
        "mean",
        "really",
        "kind",
        "sort",
        "thing",
        "things",
        "got",
        "get",
        "gets",
        "go",
        "going",
        "went",
        "gonna",
        "actually",
        "basically",
        "honestly",
        "pretty",
        "lot",
        "little",
        "bit",
        "just",
        "well",
        "right",
        "said",
        "say",
        "says",
        "one",
        "two",
        "three",
        "first",
        "also",
        "maybe",
        "yes",
        "sure",
        "guess",
        "think",
        "thought",
        "i'm",
        "it's",
        "that's",
        "we're",
        "they're",
        "don't",
        "didn't",
        "was",
        "wasn't",
        "there's",
        "you're",
        "i've",
        "we've",
        "i'd",
        "we'd",
        "us",
        "much",
        "way",
        "even",
        "still",
        "back",
        "something",
        "anything",
        "everything",
    ]
)


@dataclass(frozen=True, slots=True)
class Theme:
    """A group of quotes that say the same thing: their positions in the input, and a short label."""

    label: str
    members: tuple[int, ...]


def theme_sentences(texts: list[str]) -> tuple[list[str], list[int]]:
    """The sentences themes are found in, and the quote each comes from. A long answer often says two
    things (price *and* payroll), so quotes are grouped by their sentences and may join several themes;
    a quote with no sentence long enough counts as one."""
    pieces: list[str] = []
    owners: list[int] = []
    for index, text in enumerate(texts):
        long = [sentence for sentence in sentences(text) if len(sentence.split()) >= MIN_SENTENCE_WORDS]
        for piece in long or [text]:
            pieces.append(piece)
            owners.append(index)
    return pieces, owners


def group_quotes(vectors: np.ndarray, pieces: list[str], owners: list[int]) -> list[Theme]:
    """Themes among quotes from their sentences (`theme_sentences`, then embedded): each sentence group
    becomes a theme of the quotes its sentences come from, labelled by the sentences' own words."""
    themes = []
    for group in group_themes(vectors, pieces):
        members = tuple(sorted({owners[member] for member in group.members}))
        themes.append(Theme(label=group.label, members=members))
    return themes


def group_themes(vectors: np.ndarray, texts: list[str], distance: float = THEME_DISTANCE) -> list[Theme]:
    """Themes among quotes (unit vectors and their words), largest first; a quote alone is its own theme."""
    if len(vectors) == 0:
        return []
    if len(vectors) == 1:
        clusters = np.array([1])
    else:
        from scipy.cluster.hierarchy import fcluster, linkage

        centred = _centred(vectors)
        # Cosine distances by one matrix product (scipy's pdist computes them pair by pair, 5x slower).
        rows, columns = np.triu_indices(len(centred), k=1)
        distances = np.clip(1.0 - (centred @ centred.T)[rows, columns], 0.0, 2.0)
        tree = linkage(distances, method="average")
        clusters = fcluster(tree, t=distance, criterion="distance")
    members: dict[int, list[int]] = {}
    for index, cluster in enumerate(clusters):
        members.setdefault(int(cluster), []).append(index)
    groups = sorted(members.values(), key=lambda group: (-len(group), group[0]))
    labels = distinctive_words([[texts[index] for index in group] for group in groups])
    return [Theme(label=label, members=tuple(group)) for label, group in zip(labels, groups, strict=True)]


def _centred(vectors: np.ndarray) -> np.ndarray:
    """Answers to one question all share the question's subject; subtracting their mean leaves what tells
    them apart (as the speaker stage subtracts a recording's mean voice)."""
    centred = vectors.astype(np.float64) - vectors.mean(axis=0)
    return centred / np.maximum(np.linalg.norm(centred, axis=1, keepdims=True), 1e-9)


def distinctive_words(groups: list[list[str]], count: int = LABEL_WORDS) -> list[str]:
    """Each group's label: its `count` words with the highest class-based TF-IDF, in order of weight."""
    counts = [Counter(word for text in group for word in _words(text)) for group in groups]
    spread = Counter(word for counter in counts for word in counter.elements())
    average = sum(spread.values()) / max(len(groups), 1)
    labels = []
    for counter in counts:
        total = sum(counter.values()) or 1
        weight = {
            word: (times / total) * math.log(1 + average / spread[word]) for word, times in counter.items()
        }
        top = sorted(weight, key=lambda word: (-weight[word], word))[:count]
        labels.append(", ".join(top))
    return labels


def _words(text: str) -> list[str]:
    return [word for word in _WORD.findall(text.lower().replace("’", "'")) if word not in _STOPWORDS]
