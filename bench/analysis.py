"""Earful's interview analysis scored on a labelled corpus, and timed.

For every interview of a folder in the corpus format (default: the shared Shiftwise corpus, see its
README), Earful's own analysis predicts which guide questions each interviewer turn asks, which question
each customer turn answers, and groups the answers to each question into themes across the interviews of a
guide. The predictions are written in the same format (same turns, same order) and scored by the folder's
`score.py`, whose summary is printed.

With --ceiling, how far the theme grouping could get with its sentence model: the grouping is scored
again at the cut that does best on each question after seeing the labels, both on the answers Earful found
and on the true answers. No rule for placing the cut can do better.

Then the speed lines (on this machine, real models): what the job's embedding stage adds to transcribing a
call (a corpus interview spoken by two eSpeak NG voices, transcribed by the real worker; target ≤ 3 %),
suggestions for a 45-minute interview once its
embeddings exist (target ≤ 2 s), themes for 1,000 quotes (≤ 1 s), search by meaning p50 over the
1,000-interview library of `bench/library_scale.py` (≤ 50 ms) and how much that library grows with its
segments' vectors (≤ 25 %). Embedding the scale library's ~390,000 segments would take about an hour
here, so its vectors are random unit vectors: they cost the same to store and to search.

Run:  python bench/analysis.py [DIR] [--predictions OUT] [--skip-speed] [--ceiling] [--interviews 1000]
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
sys.path.insert(0, str(REPO / "bench"))

from app.analysis.embedder import SentenceEmbedder  # noqa: E402
from app.analysis.questions import guide_vectors  # noqa: E402
from app.analysis.sentences import sentences  # noqa: E402
from app.analysis.suggestions import Utterance, suggest  # noqa: E402
from app.analysis.themes import group_quotes  # noqa: E402
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
        self.embedder = SentenceEmbedder()
        self._known: dict[str, object] = {}

    def __call__(self, texts: list[str]):
        import numpy as np

        missing = sorted({text for text in texts if text not in self._known})
        if missing:
            self._known.update(zip(missing, self.embedder.embed(missing), strict=True))
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self._known[text] for text in texts])


def predict(documents: list[dict], embed) -> list[dict]:
    """Predictions in the corpus format. As in a library, each interview is read twice: once on its own,
    then with what the other interviews of its guide answered to each question (their first reading,
    never the labels) as evidence of where its topics change. Then themes per guide question."""
    guides = {guide.slug: guide for guide in builtin_guides()}
    alone = [_predict_one(document, guides[document["guide"]], embed, None) for document in documents]
    predictions = [
        _predict_one(document, guides[document["guide"]], embed, _examples(alone, document, embed))
        for document in documents
    ]
    add_themes(predictions, embed)
    return predictions


def _examples(predictions: list[dict], document: dict, embed) -> dict:
    """Sentences the other interviews of the same guide answered each question with, embedded."""
    found: dict[str, list[str]] = {}
    for other in predictions:
        if other["id"] != document["id"] and other["guide"] == document["guide"]:
            for turn in other["turns"]:
                if turn["answers"]:
                    found.setdefault(turn["answers"], []).extend(sentences(turn["text"]))
    return {key: embed(texts) for key, texts in found.items()}


def _predict_one(document: dict, guide, embed, examples: dict | None) -> dict:
    utterances = [Utterance(turn["speaker"], turn["text"]) for turn in document["turns"]]
    found = suggest(utterances, guide_vectors(guide, embed), embed, examples)
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
    return {**document, "turns": turns}


def add_themes(predictions: list[dict], embed) -> None:
    """Group every guide question's answering turns across the interviews of its guide, as the library
    groups a question's quotes: a turn joins each theme it falls in."""
    answering: dict[tuple[str, str], list[tuple[str, dict]]] = {}
    for document in predictions:
        for turn in document["turns"]:
            if turn["answers"]:
                answering.setdefault((document["guide"], turn["answers"]), []).append((document["id"], turn))
    for (_, key), found in answering.items():
        interviews = [interview for interview, _ in found]
        themes = group_quotes([turn["text"] for _, turn in found], interviews, embed)
        for number, theme in enumerate(themes):
            for member in theme.members:
                found[member][1]["themes"].append(f"{key}-{number}")


def theme_ceiling(documents: list[dict], answered: list[dict], embed, corpus: Path) -> tuple[float, float]:
    """How well Earful's grouping can do at best with its sentence model, grouping the customer turns as
    `answered` assigns them to questions: at its own cuts, and at the cuts that score best on each question
    after seeing the labels (both cuts scaled together, from 0.6 to 1.4 times their values). No rule for
    placing the cut can beat the second figure; it bounds what tuning the cut could ever reach. Returns
    both pairwise F1 (micro-averaged, as the scorer's summary)."""
    import copy
    import importlib.util

    from app.analysis import themes

    spec = importlib.util.spec_from_file_location("corpus_score", scorer_of(corpus))
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    gold = {document["id"]: document for document in documents}
    own = (themes.QUOTE_CUT, themes.SENTENCE_CUT)
    best: dict[tuple[str, str], tuple[float, dict]] = {}
    at_own: dict[tuple[str, str], dict] = {}
    try:
        for twentieths in range(12, 29):
            themes.QUOTE_CUT, themes.SENTENCE_CUT = (cut * twentieths / 20 for cut in own)
            predictions = copy.deepcopy(answered)
            for document in predictions:
                for turn in document["turns"]:
                    turn["themes"] = []
            add_themes(predictions, embed)
            found = scorer.theme_grouping(scorer.align(gold, {d["id"]: d for d in predictions}))
            for question, counts in found.items():
                f1 = scorer.pair_prf(counts["tp"], counts["pred_pairs"], counts["gold_pairs"])[2]
                if question not in best or f1 > best[question][0]:
                    best[question] = (f1, counts)
                if twentieths == 20:
                    at_own[question] = counts
    finally:
        themes.QUOTE_CUT, themes.SENTENCE_CUT = own

    def micro(rows) -> float:
        tp = sum(row["tp"] for row in rows)
        return scorer.pair_prf(
            tp, sum(row["pred_pairs"] for row in rows), sum(row["gold_pairs"] for row in rows)
        )[2]

    return micro(at_own.values()), micro([counts for _, counts in best.values()])


def scorer_of(corpus: Path) -> Path:
    """The corpus's own scorer, or the shared corpus's for a folder without one."""
    scorer = corpus / "score.py"
    return scorer if scorer.is_file() else DEFAULT_CORPUS / "score.py"


def score(predictions_dir: Path, corpus: Path) -> str:
    result = subprocess.run(
        [sys.executable, str(scorer_of(corpus)), str(predictions_dir), str(corpus)],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def write(predictions: list[dict], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for document in predictions:
        (folder / f"{document['id']}.json").write_text(json.dumps(document, indent=1), encoding="utf-8")


def analyst_guide_wording(library, interview_id: int) -> list[str]:
    """A guide's wording is embedded once per library (the first suggestion pays for it)."""
    from app.services.tagging import Tagger

    guide = Tagger(library).guide_of(interview_id)[1]
    return [text for q in guide.questions for text in (q.text, *q.probes)] + list(guide.universal_probes)


def _compact(library) -> None:
    """VACUUM and fold the write-ahead log into the file, so its size is what the library takes."""
    library.db.conn.execute("VACUUM")
    library.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def embedding_stage_share() -> None:
    """Transcribe a synthesised call as the app does (worker, coverage, speakers, then the embedding
    stage) and time the embedding stage against the rest of the same job, in the same process."""
    from app.library import Library
    from app.services import transcribing
    from app.services.importing import import_recording
    from app.transcription.options import TranscriptionOptions
    from app.transcription.runner import TranscriptionWorker
    from tests.analysis.corpus import corpus_document
    from tests.analysis.synthesis import synthesise_interview

    stage_seconds: list[float] = []
    original = transcribing.embed_transcript

    def timed(*args) -> None:
        started = time.perf_counter()
        original(*args)
        stage_seconds.append(time.perf_counter() - started)

    transcribing.embed_transcript = timed
    try:
        with tempfile.TemporaryDirectory() as temporary, TranscriptionWorker() as worker:
            audio = Path(temporary) / "roadmap-05.flac"
            spans = synthesise_interview(corpus_document("roadmap-05"), audio)
            with Library.open(Path(temporary) / "library") as library:
                interview_id = import_recording(library, audio).interview.id
                transcriber = transcribing.Transcriber(library, worker, Path(temporary) / "models")
                job = transcriber.queue([interview_id], TranscriptionOptions()).queued[0]
                started = time.perf_counter()
                transcriber.run(job)
                total = time.perf_counter() - started
                segments = len(library.transcripts.segments(interview_id))
    finally:
        transcribing.embed_transcript = original
    stage = stage_seconds[0]
    print(
        f"embedding stage for a {spans[-1][1] / 60_000:.0f}-minute call ({segments} segments, model load "
        f"included): {stage:.1f} s in the worker after {total - stage:.1f} s of transcription and speakers: "
        f"+{100 * stage / (total - stage):.1f} % (target ≤ 3 %)"
    )


def speed(embed: CachedEmbedder, interviews: int) -> None:
    import random
    import statistics

    import numpy as np
    from library_scale import generate

    from app.library import Library
    from app.library.analysis import AnalysisRepository
    from app.services.analysis import Analyst
    from tests.analysis.corpus import corpus_document, store_interview

    with tempfile.TemporaryDirectory() as temporary:
        long_root = Path(temporary) / "long"
        with Library.open(long_root) as library:
            document = corpus_document("roadmap-01")
            names = [f"roadmap-0{n}" for n in range(1, 8)]
            document["turns"] = [turn for name in names for turn in corpus_document(name)["turns"]]
            interview_id, _ = store_interview(library, document)
            minutes = library.db.execute("SELECT MAX(end_ms) FROM segments").fetchone()[0] / 60_000
            _compact(library)
            before = (long_root / "library.db").stat().st_size
            analyst = Analyst(library, embed.embedder)
            started = time.perf_counter()
            count = analyst.embed_interview(interview_id)
            embedding = time.perf_counter() - started
            analyst.embed([text for text in analyst_guide_wording(library, interview_id)])
            _compact(library)
            after = (long_root / "library.db").stat().st_size
            suggesting = []
            for _ in range(3):
                started = time.perf_counter()
                analyst.suggest(interview_id)
                suggesting.append(time.perf_counter() - started)
        print(
            f"embeddings for a {minutes:.0f}-minute interview ({count} segments and its question clauses): "
            f"{embedding:.1f} s; its library grows {before / 1e6:.2f} → {after / 1e6:.2f} MB "
            f"(+{100 * (after - before) / before:.1f} %)"
        )
        print(
            f"suggestions for that interview once embedded: median {statistics.median(suggesting):.2f} s "
            "(target ≤ 2 s)"
        )

        # 1,000 quotes: the corpus's customer turns and their sentences of three words or more ("It was
        # cheap."), as quotes of every length (longer sentences alone made only 751).
        found = [
            (document["id"], text)
            for document in load_corpus(DEFAULT_CORPUS)
            for turn in document["turns"]
            if turn["speaker"] == "customer"
            for text in [turn["text"], *(s for s in sentences(turn["text"]) if len(s.split()) >= 3)]
        ][:1000]
        sources, quotes = [one for one, _ in found], [text for _, text in found]
        group_quotes(quotes, sources, embed)  # embeds, as the library stores vectors; not timed
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            groups = group_quotes(quotes, sources, embed)
            timings.append(time.perf_counter() - started)
        print(
            f"themes for {len(quotes)} quotes from {len(set(sources))} interviews: median "
            f"{statistics.median(timings):.2f} s ({len(groups)} groups; target ≤ 1 s)"
        )

        rng = random.Random(15)
        root = Path(temporary) / "scale"
        library = generate(root, interviews, 7000, rng)
        _compact(library)
        before = (root / "library.db").stat().st_size
        store = AnalysisRepository(library.db)
        generator = np.random.default_rng(15)
        for interview in range(1, interviews + 1):
            ids = [
                row[0]
                for row in library.db.execute("SELECT id FROM segments WHERE interview_id = ?", [interview])
            ]
            vectors = generator.standard_normal((len(ids), 384)).astype(np.float32)
            store.store_segment_embeddings(embed.embedder.model_id, ids, vectors)
        _compact(library)
        after = (root / "library.db").stat().st_size
        print(
            f"library of {interviews} interviews: {before / 1e6:.0f} MB, with segment vectors {after / 1e6:.0f} MB "
            f"(+{100 * (after - before) / before:.1f} %; target ≤ 25 %)"
        )
        analyst = Analyst(library, embed.embedder)
        queries = [
            "the price was too steep",
            "it has to talk to our payroll",
            "staff could swap shifts on their phone",
            "we looked at reviews online",
            "onboarding was quick",
            "reports are thin",
        ]
        analyst.search_meaning(queries[0])  # reads the index once
        times = []
        for _ in range(5):
            for query in queries:
                started = time.perf_counter()
                analyst.search_meaning(query)
                times.append(time.perf_counter() - started)
        print(
            f"search by meaning over {interviews} interviews: p50 {1000 * statistics.median(times):.0f} ms, "
            f"max {1000 * max(times):.0f} ms (target p50 ≤ 50 ms)"
        )
        library.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument(
        "--predictions", type=Path, help="folder for the predicted files (default: temporary)"
    )
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument(
        "--ceiling", action="store_true", help="also measure the best theme grouping any cut could reach"
    )
    parser.add_argument("--interviews", type=int, default=1000, help="size of the library for search speed")
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
    if options.ceiling:
        for answered, answers in ((predictions, "the answers Earful found"), (documents, "the true answers")):
            own, best = theme_ceiling(documents, answered, embed, options.corpus)
            print(
                f"theme grouping on {answers}: pairwise F1 {own:.3f} at Earful's cuts, {best:.3f} at the best "
                "of 17 cuts (0.6-1.4 times Earful's) for each question, chosen from the labels"
            )
    if not options.skip_speed:
        embedding_stage_share()
        speed(embed, options.interviews)


if __name__ == "__main__":
    main()
