"""How long a full conversation pack takes: 12 interviews, 100 quotes, every format.

Builds a library of 12 interviews on the demo call's real two-channel audio (transcripts stored as the
worker stores them, the recent-buyer guide, 100 tagged quotes), then times building the pack and writing it
in every format (HTML with 100 clips, PDF, Word, CSV, Markdown, REFI-QDA, per-interview TXT/SRT/VTT), plain
and anonymised. Targets: ≤ 10 s for all formats, HTML ≤ 25 MB.

Run:  python bench/export_pack.py [--repetitions 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.export.pack.formats import FORMATS  # noqa: E402
from app.export.pack.writer import export_pack  # noqa: E402
from app.library import Library  # noqa: E402
from app.services.packs import PackRequest, build_pack  # noqa: E402
from app.services.tagging import Tagger  # noqa: E402
from tests.export.conftest import PEOPLE, add_interview, demo_turns  # noqa: E402 - the tests' real fixture

INTERVIEWS, QUOTES = 12, 100
EXTRA_TURNS = {13: ("why_us", ("DecisionReason",)), 15: ("word_of_mouth", ("WordOfMouth",))}


def make_library(root: Path) -> tuple[Library, list[int]]:
    library = Library.open(root)
    ids: list[int] = []
    for n in range(INTERVIEWS):
        person = replace(
            PEOPLE[n % len(PEOPLE)],
            title=f"Interview {n + 1}",
            quoted=(1, 3, 5, 7, 9, 11),
            customer_name=f"Person {n}",
        )
        audio = None if not ids else library.recordings.path(library.recordings.for_interview(ids[0]))
        ids.append(add_interview(library, person, audio))
    tagger, turns = Tagger(library), demo_turns()
    for interview_id in ids:
        for index, (question, tags) in EXTRA_TURNS.items():
            turn = turns[index]
            tagger.add_quote(interview_id, turn["start_ms"], turn["end_ms"], question, tags, channel=1)
    for interview_id in ids[: QUOTES - INTERVIEWS * 8]:  # top up to 100 with the second half of a turn
        turn = turns[3]
        middle = (turn["start_ms"] + turn["end_ms"]) // 2
        tagger.add_quote(interview_id, middle, turn["end_ms"], "goal", ("Goal",), channel=1)
    count = len(library.quotes.for_interviews(ids))
    assert count == QUOTES, count
    return library, ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        library, ids = make_library(folder / "library")
        cpu_before, wall_before = os.times(), time.perf_counter()
        for anonymise in (False, True):
            timings, cpu, size = [], [], 0
            for repetition in range(args.repetitions):
                started, started_cpu = time.perf_counter(), time.process_time()
                pack = build_pack(library, PackRequest(tuple(ids), anonymise=anonymise))
                files = export_pack(pack, folder / f"out-{anonymise}-{repetition}", "Pack", list(FORMATS))
                timings.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
                size = next(path for path in files if path.suffix == ".html").stat().st_size
            label = "anonymised" if anonymise else "plain"
            print(
                f"{label:>10}: {len(pack.interviews)} interviews, {len(pack.quotes)} quotes, {len(files)} files; "
                f"all formats median {statistics.median(timings):.2f} s (target ≤ 10 s; runs "
                f"{', '.join(f'{t:.2f}' for t in timings)}; CPU time median {statistics.median(cpu):.2f} s); HTML {size / 1e6:.1f} MB (target ≤ 25 MB)"
            )
        cpu_after, wall = os.times(), time.perf_counter() - wall_before
        used = (cpu_after.user + cpu_after.system) - (cpu_before.user + cpu_before.system)
        print(
            f"this process used {used / wall:.0%} of one core while it ran; load average {os.getloadavg()[0]:.1f}"
        )
        library.close()


if __name__ == "__main__":
    main()
