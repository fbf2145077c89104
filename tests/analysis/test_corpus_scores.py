"""Earful's analysis scored on the labelled corpus by its own scorer: floors below the bench's targets so
noise cannot fail them, high above what trivial answers score (word overlap ≈ 0.5 question F1, one group
per question 0.34 theme F1, nothing answered 0.16 accuracy)."""

from __future__ import annotations

import re
import subprocess
import sys

from bench.analysis import CachedEmbedder, load_corpus, predict, write
from tests.analysis.corpus import CORPUS


def test_questions_answers_and_themes_clear_their_floors_on_the_labelled_corpus(tmp_path):
    predictions = predict(load_corpus(CORPUS), CachedEmbedder())
    write(predictions, tmp_path)
    summary = subprocess.run(
        [sys.executable, str(CORPUS / "score.py"), str(tmp_path), str(CORPUS)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    scores = {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", summary.split("SUMMARY")[1])}
    assert scores["question_f1"] >= 0.87
    assert scores["answer_acc"] >= 0.87
    assert scores["theme_pairwise_f1"] >= 0.40
    assert scores["n_of_n_mae"] <= 0.9
