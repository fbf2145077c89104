"""How Earful's library behaves at the size of a busy research programme: 1,000 interviews of ~7,000 words.

Reports search latency (p50/p95, target p50 ≤ 30 ms), the time to build the board of one guide (target
≤ 100 ms) and the time to open one interview, from the library to a filled transcript view (target ≤ 150 ms).
The library is generated with a fixed seed (words drawn from interview-like vocabulary), stored as the
transcription worker stores it, with ~10 tagged quotes per interview.

Run:  python bench/library_scale.py [--interviews 1000] [--words 7000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.domain.transcript import SpeakerRole  # noqa: E402
from app.guides import builtin_guides  # noqa: E402
from app.library import Library, LibraryError  # noqa: E402
from app.library.search import MAX_QUERY_WORDS  # noqa: E402
from app.services.board import build_board  # noqa: E402
from app.services.tagging import Tagger  # noqa: E402

# Speech follows Zipf's law: a few function words everywhere, topic words rarer, most words rare. The
# queries use topic words, as a marketer's searches do.
FUNCTION_WORDS = "the and to a i of it we that was so you in our for just they like then but".split()  # noqa: SIM905 - a sentence reads better than a list
TOPIC_WORDS = (  # noqa: SIM905
    "schedule shift night pricing page spreadsheet payroll support trial roster warehouse driver dock truck "
    "manager budget quote vendor demo email search google peers review onboarding integration mobile floor "
    "staff overtime compliance report export login training rollout contract renewal switched compared"
).split()
RARE_WORDS = [
    f"{stem}{suffix}"
    for stem in ("acme", "nord", "brisk", "tally", "velo", "quint", "sorel", "harbo")
    for suffix in ("an", "ix", "era", "ola", "um", "ent", "ory", "ast", "ive", "ure")
] * 3
SEGMENTS = ["Mid-market logistics", "Manufacturing", "Small clinics", "Retail", "Enterprise"]
OUTCOMES = ["won", "lost", "churned", "no-decision"]
QUERIES = [
    "pricing page",
    "payroll",
    "spreadsheet",
    "night shift",
    '"support trial"',
    "overtime compliance",
    "switched vendor",
    "mobile app",
    "roster",
    "google search",
]
WORDS_PER_SEGMENT = 18


def generate(root: Path, interviews: int, words: int, rng: random.Random) -> Library:
    """A library like the worker would leave it: two speakers per interview, timed words, quotes."""
    library = Library.open(root)
    guide = builtin_guides()[0]
    tagger = Tagger(library)
    keys = [question.key for question in guide.questions]
    tags = [tag.name for tag in guide.tags]
    for number in range(interviews):
        with library.db.atomic():  # one transaction per interview: generation, not the measurement
            _generate_interview(library, tagger, guide, keys, tags, number, words, rng)
    return library


def _generate_interview(
    library: Library,
    tagger: Tagger,
    guide,
    keys: list[str],
    tags: list[str],
    number: int,
    words: int,
    rng: random.Random,
) -> None:
    """One interview with metadata, a stored transcript, the guide and ten tagged quotes."""
    interview = library.interviews.create(
        f"Interview {number + 1}",
        company=f"Company {rng.randrange(400)}",
        persona_segment=rng.choice(SEGMENTS),
        outcome=rng.choice(OUTCOMES),
        interview_date=f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
    )
    _store_transcript(library, interview.id, words, rng)
    tagger.use_guide(interview.id, guide)
    for _ in range(10):
        start = rng.randrange(0, words * 400 - 20_000)
        tagger.add_quote(
            interview.id,
            start,
            start + rng.randint(3_000, 15_000),
            question_key=rng.choice(keys),
            tags=tuple(rng.sample(tags, rng.randint(0, 2))),
        )


def _store_transcript(library: Library, interview_id: int, words: int, rng: random.Random) -> None:
    db = library.db
    with db.atomic():
        db.execute(
            "INSERT INTO recordings (interview_id, file, original_name, sha256, duration_ms, sample_rate, channels, "
            "imported_at) VALUES (?, 'x.flac', 'x.flac', ?, ?, 16000, 1, 'now')",
            [interview_id, f"sha-{interview_id}", words * 400],
        )
        recording_id = db.execute("SELECT last_insert_rowid()").fetchone()[0]
        speakers = [
            library.transcripts.ensure_speaker(interview_id, label, role, None)
            for label, role in (("Interviewer", SpeakerRole.INTERVIEWER), ("Customer", SpeakerRole.CUSTOMER))
        ]
        rows, clock = [], 0
        for index in range(words // WORDS_PER_SEGMENT):
            tokens = [_word(rng) for _ in range(WORDS_PER_SEGMENT)]
            timed = [[clock + i * 400, clock + i * 400 + 350, token, 0.9] for i, token in enumerate(tokens)]
            rows.append(
                (
                    interview_id,
                    recording_id,
                    clock,
                    clock + WORDS_PER_SEGMENT * 400,
                    speakers[index % 2],
                    " ".join(tokens),
                    json.dumps(timed),
                )
            )
            clock += WORDS_PER_SEGMENT * 400
        db.conn.executemany(
            "INSERT INTO segments (interview_id, recording_id, start_ms, end_ms, speaker_id, text, words) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def _word(rng: random.Random) -> str:
    draw = rng.random()
    if draw < 0.55:
        return rng.choice(FUNCTION_WORDS)
    if draw < 0.62:
        return TOPIC_WORDS[min(int(rng.paretovariate(1.2)) - 1, len(TOPIC_WORDS) - 1)]
    return f"{rng.choice(RARE_WORDS)}{rng.randrange(40)}"


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def cpu_timed(action) -> float:
    """CPU time of this process: on a shared machine, wall time also counts the waits for a free core."""
    started = time.process_time()
    action()
    return (time.process_time() - started) * 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(share * len(ordered)), len(ordered) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=1000)
    parser.add_argument("--words", type=int, default=7000)
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="generate the library in DIR and keep it; a later run with the same DIR measures it again "
        "without generating (for repeating the measurement when the machine is quiet)",
    )
    args = parser.parse_args()
    rng = random.Random(20261122)
    with tempfile.TemporaryDirectory(prefix="earful-scale-") as folder:
        root = args.keep or Path(folder) / "library"
        started = time.perf_counter()
        if (root / "library.db").exists():
            library = Library.open(root)
            print(f"reusing the library in {root} ({library.interviews.count()} interviews)")
        else:
            library = generate(root, args.interviews, args.words, rng)
            print(
                f"generated {args.interviews} interviews × {args.words} words in "
                f"{time.perf_counter() - started:.0f} s ({(root / 'library.db').stat().st_size / 1e6:.0f} MB database)"
            )
        measure(library, rng, library.interviews.count())
        library.close()


def measure(library: Library, rng: random.Random, interviews: int) -> None:
    searches = [timed(lambda q=query: library.search(q)) for _ in range(5) for query in QUERIES]
    slug = builtin_guides()[0].slug
    # The board's floor: the same quote rows fetched bare, with no objects built. The ratio to it says what
    # the board's own work costs, whatever the load on the machine.
    bare = [timed(lambda: library.db.conn.execute("SELECT * FROM quotes").fetchall()) for _ in range(5)]
    board = [timed(lambda: build_board(library, slug)) for _ in range(5)]
    board_cpu = [cpu_timed(lambda: build_board(library, slug)) for _ in range(5)]
    opening = open_interview_times(library, rng, interviews)
    longest = longest_search_times(library, rng)
    print(
        f"search: p50 {percentile(searches, 0.5):.1f} ms, p95 {percentile(searches, 0.95):.1f} ms "
        f"({len(searches)} queries) — target p50 ≤ 30 ms"
    )
    print(
        f"board of one guide: median {statistics.median(board):.0f} ms (runs: "
        f"{', '.join(f'{t:.0f}' for t in board)}; the first parses the guide) — target ≤ 100 ms; "
        f"{statistics.median(board) / statistics.median(bare):.1f}× a bare fetch of every quote row "
        f"({statistics.median(bare):.0f} ms in this run); CPU time median {statistics.median(board_cpu):.0f} ms"
    )
    print(
        f"longest search ({MAX_QUERY_WORDS} words): {max(longest['words']):.0f} ms, as a phrase "
        f"{max(longest['phrase']):.0f} ms, of the commonest words {max(longest['common']):.0f} ms "
        f"(as a phrase {max(longest['common phrase']):.0f} ms); "
        f"a 65,000-word query refused in {max(longest['refused']):.0f} ms — target < 1000 ms each"
    )
    print(
        f"open one interview (library → transcript view filled): median {statistics.median(opening):.0f} ms, "
        f"max {max(opening):.0f} ms — target ≤ 150 ms"
    )


def longest_search_times(library: Library, rng: random.Random) -> dict[str, list[float]]:
    """The slowest searches a user can make: as many words as allowed (FTS cost grew faster than the
    query: 65,000 words took 94 s before the cap, #19), as a phrase, of the words in every segment."""
    words = " ".join(rng.choice(TOPIC_WORDS + RARE_WORDS) for _ in range(MAX_QUERY_WORDS))
    common = " ".join(FUNCTION_WORDS[i % len(FUNCTION_WORDS)] for i in range(MAX_QUERY_WORDS))
    huge = " ".join(rng.choice(TOPIC_WORDS) for _ in range(65_000))

    def refused() -> None:
        try:
            library.search(huge)
        except LibraryError:
            return
        raise AssertionError("a 65,000-word query was not refused")

    return {
        "words": [timed(lambda: library.search(words)) for _ in range(3)],
        "phrase": [timed(lambda: library.search(f'"{words}"')) for _ in range(3)],
        "common": [timed(lambda: library.search(common)) for _ in range(3)],
        "common phrase": [timed(lambda: library.search(f'"{common}"')) for _ in range(3)],
        "refused": [timed(refused) for _ in range(3)],
    }


def open_interview_times(library: Library, rng: random.Random, interviews: int) -> list[float]:
    """Load an interview's segments and speakers and render them in the real transcript view."""
    from PySide6.QtWidgets import QApplication

    from app.ui.transcript_view import TranscriptView

    app = QApplication.instance() or QApplication([])
    view = TranscriptView()
    view.resize(900, 700)
    view.show()
    app.processEvents()

    def open_one(interview_id: int) -> None:
        view.set_transcript(
            library.transcripts.segments(interview_id), library.transcripts.speakers(interview_id)
        )
        app.processEvents()

    chosen = [rng.randint(1, interviews) for _ in range(10)]
    return [timed(lambda i=interview_id: open_one(i)) for interview_id in chosen]


if __name__ == "__main__":
    main()
