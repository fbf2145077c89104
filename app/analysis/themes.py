"""Grouping answers to one question by meaning across interviews, and naming each group in its own words.

The number of themes is not known in advance, so quotes are grouped by agglomerative clustering (scipy,
average linkage on cosine distance) cut at a distance rather than at a count. Two observations about
interviews shape it: a customer's turn makes one point (in the labelled corpus 193 of 194 themed turns carry
one theme), and one interview rarely makes the same point twice under one question, since the interviewer's
"what else?" asks for a different one. So whole quotes are grouped, two quotes of one interview never in one
group, and the cut is where groups stop being closer than answers to that question are on average: a scale
read from the quotes themselves, not a constant fitted to some corpus. A long answer can still make a second
point in passing: a sentence that says nearly what sentences of other interviews say forms a narrower group
with them, so its quote sits in both.
A group's label is its most distinctive words (class-based TF-IDF: frequent in the group, rare in the other
groups); no language model.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from app.analysis.sentences import sentences

QUOTE_CUT = 1.0
"""Where quote groups stop merging, as a share of the average distance between quotes of different
interviews: groups closer than answers to the question are on average."""
SENTENCE_CUT = 0.7
"""Where sentence groups stop merging, as a share of the average distance between sentences of different
interviews: well inside the quote groups' cut, so only near restatements join.
Measured on the labelled corpus (bench/analysis.py): 0.65–0.8 trade grouping F1 against "n of N" error
within ±0.03."""
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
    """The sentences a point made in passing is looked for in, and the quote each comes from; a quote with
    no sentence long enough counts as one."""
    pieces: list[str] = []
    owners: list[int] = []
    for index, text in enumerate(texts):
        long = [sentence for sentence in sentences(text) if len(sentence.split()) >= MIN_SENTENCE_WORDS]
        for piece in long or [text]:
            pieces.append(piece)
            owners.append(index)
    return pieces, owners


def group_quotes(
    texts: Sequence[str], interviews: Sequence[Hashable], embed: Callable[[list[str]], np.ndarray]
) -> list[Theme]:
    """Themes among one question's quotes (their texts and the interview each comes from), largest first;
    every quote is in one theme of quotes alike as a whole (alone if like none) and in any narrower theme
    one of its sentences forms with sentences of other interviews. Quotes and sentences are embedded in one
    call to `embed`."""
    if not texts:
        return []
    pieces, owners = theme_sentences(list(texts))
    vectors = embed(list(texts) + pieces)
    whole = _clusters(vectors[: len(texts)], list(interviews), share=QUOTE_CUT)
    groups = [tuple(members) for members in whole]
    labelled = [[texts[member] for member in members] for members in whole]
    known = {frozenset(group) for group in groups}
    piece_interviews = [interviews[owner] for owner in owners]
    for members in _clusters(vectors[len(texts) :], piece_interviews, share=SENTENCE_CUT):
        quotes = tuple(sorted({owners[member] for member in members}))
        if len({interviews[quote] for quote in quotes}) > 1 and frozenset(quotes) not in known:
            known.add(frozenset(quotes))
            groups.append(quotes)
            labelled.append([pieces[member] for member in members])
    order = sorted(range(len(groups)), key=lambda index: (-len(groups[index]), groups[index]))
    labels = distinctive_words([labelled[index] for index in order])
    return [Theme(label=label, members=groups[index]) for label, index in zip(labels, order, strict=True)]


def _clusters(vectors: np.ndarray, interviews: list[Hashable], share: float) -> list[list[int]]:
    """Average-linkage groups of unit vectors (centred on their mean), two of one interview never together,
    cut at `share` of the average distance between vectors of different interviews (of all pairs, when
    they all come from one interview)."""
    if len(vectors) < 2:
        return [[index] for index in range(len(vectors))]
    from scipy.cluster.hierarchy import fcluster, linkage

    centred = _centred(vectors)
    # Cosine distances by one matrix product (scipy's pdist computes them pair by pair, 5x slower).
    distances = np.clip(1.0 - centred @ centred.T, 0.0, 2.0)
    numbers: dict[Hashable, int] = {}
    codes = np.array([numbers.setdefault(interview, len(numbers)) for interview in interviews])
    apart = codes[:, None] != codes[None, :]
    if apart.any():
        scale = distances[apart].mean()
        # Two groups holding such a pair are at least n² / (n²/4) = 4 apart on average, beyond any cut
        # (cosine distances are at most 2): average linkage never joins them.
        distances = np.where(apart, distances, float(len(vectors)) ** 2)
    else:
        scale = distances[np.triu_indices(len(vectors), k=1)].mean()
    rows, columns = np.triu_indices(len(vectors), k=1)
    tree = linkage(distances[rows, columns], method="average")
    clusters = fcluster(tree, t=share * scale, criterion="distance")
    members: dict[int, list[int]] = {}
    for index, cluster in enumerate(clusters):
        members.setdefault(int(cluster), []).append(index)
    return list(members.values())


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
