"""Earful's interview analysis scored on a labelled corpus, and timed.

For every interview of a folder in the corpus format (default: the shared Shiftwise corpus, see its
README), Earful's own analysis predicts which guide questions each interviewer turn asks, which question
each customer turn answers, and groups the answers to each question into themes across the interviews of a
guide. The predictions are written in the same format (same turns, same order) and scored by the folder's
`score.py`, whose summary is printed.

Run:  python bench/analysis.py [DIR] [--predictions OUT] [--leave-one-out]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from app.analysis.embedder import SentenceEmbedder  # noqa: E402
from app.analysis.questions import guide_vectors  # noqa: E402
from app.analysis.suggestions import Utterance, suggest  # noqa: E402
from app.analysis.themes import group_themes  # noqa: E402
from app.guides.loader import builtin_guides  # noqa: E402

DEFAULT_CORPUS = Path("/work/shared/data/interviews")


def load_corpus(folder: Path) -> list[dict]:
    documents = []
    for path in sorted(folder.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(document, dict) and "turns" in document:
            documents.append(document)
    return documents


class CachedEmbedder:
    """The real embedder, remembering texts it has seen (the bench embeds the same guide many times)."""

    def __init__(self) -> None:
        self._embedder = SentenceEmbedder()
        self._known: dict[str, object] = {}

    def __call__(self, texts: list[str]):
        import numpy as np

        missing = sorted({text for text in texts if text not in self._known})
        if missing:
            self._known.update(zip(missing, self._embedder.embed(missing), strict=True))
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self._known[text] for text in texts])


def predict(documents: list[dict], embed) -> list[dict]:
    """Predictions in the corpus format: asks and answers per interview, then themes per guide question."""
    guides = {guide.slug: guide for guide in builtin_guides()}
    predictions = []
    for document in documents:
        vectors = guide_vectors(guides[document["guide"]], embed)
        utterances = [Utterance(turn["speaker"], turn["text"]) for turn in document["turns"]]
        found = suggest(utterances, vectors, embed)
        turns = [
            {
                "speaker": turn["speaker"],
                "text": turn["text"],
                "asks": list(asks),
                "answers": answer,
                "themes": [],
            }
            for turn, asks, answer in zip(document["turns"], found.asks, found.answers, strict=True)
        ]
        predictions.append({**document, "turns": turns})
    add_themes(predictions, embed)
    return predictions


def add_themes(predictions: list[dict], embed) -> None:
    """Group every guide question's answering turns across the interviews of its guide."""
    answering: dict[tuple[str, str], list[dict]] = {}
    for document in predictions:
        for turn in document["turns"]:
            if turn["answers"]:
                answering.setdefault((document["guide"], turn["answers"]), []).append(turn)
    for (_, key), turns in answering.items():
        texts = [turn["text"] for turn in turns]
        for number, theme in enumerate(group_themes(embed(texts), texts)):
            for member in theme.members:
                turns[member]["themes"] = [f"{key}-{number}"]


def score(predictions_dir: Path, corpus: Path) -> str:
    scorer = corpus / "score.py"
    if not scorer.is_file():
        scorer = DEFAULT_CORPUS / "score.py"
    result = subprocess.run(
        [sys.executable, str(scorer), str(predictions_dir), str(corpus)],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def write(predictions: list[dict], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for document in predictions:
        (folder / f"{document['id']}.json").write_text(json.dumps(document, indent=1), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument(
        "--predictions", type=Path, help="folder for the predicted files (default: temporary)"
    )
    options = parser.parse_args()
    embed = CachedEmbedder()
    documents = load_corpus(options.corpus)
    started = time.perf_counter()
    predictions = predict(documents, embed)
    print(
        f"analysed {len(documents)} interviews in {time.perf_counter() - started:.1f} s (embedding included)"
    )
    with tempfile.TemporaryDirectory() as temporary:
        folder = options.predictions or Path(temporary)
        write(predictions, folder)
        print(score(folder, options.corpus))


if __name__ == "__main__":
    main()
