"""How long a full conversation pack takes: 12 interviews, 100 quotes, every format; then large packs.

Builds a library of 12 interviews on the demo call's real two-channel audio (transcripts stored as the
worker stores them, the recent-buyer guide, 100 tagged quotes), then times building the pack and writing it
in every format (HTML with 100 clips, PDF, Word, CSV, Markdown, REFI-QDA, per-interview TXT/SRT/VTT), plain
and anonymised. Targets: ≤ 10 s for all formats, HTML ≤ 25 MB.

Then the web page (the format with a clip per quote) of packs of 1,000 and 5,000 quotes (whole customer
turns, ~6 s each, over the same 12 interviews): time to build and write it, the file's size, and the peak
memory of a fresh process doing only that (the library is made by another process, so its cost is not
counted). That a large pack's last clip plays is tested in Chromium (tests/export/test_large_pack.py).

Run:  python bench/export_pack.py [--repetitions 3] [--large 1000 5000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.cli.offscreen_qt import start_offscreen_qt  # noqa: E402
from app.export.pack.formats import FORMATS  # noqa: E402
from app.export.pack.writer import export_pack  # noqa: E402
from app.library import Library  # noqa: E402
from app.services.packs import PackRequest, build_pack  # noqa: E402
from app.services.tagging import Tagger  # noqa: E402
from tests.export.conftest import (  # noqa: E402 - the tests' real fixture
    PEOPLE,
    QUOTED_TURNS,
    add_interview,
    demo_turns,
)

INTERVIEWS, QUOTES = 12, 100
EXTRA_TURNS = {13: ("why_us", ("DecisionReason",)), 15: ("word_of_mouth", ("WordOfMouth",))}


def make_library(root: Path, quotes: int = QUOTES) -> tuple[Library, list[int]]:
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
    customer_turns = [(index, turns[index]) for index in (*QUOTED_TURNS, *EXTRA_TURNS)]
    for n in range(quotes - QUOTES):  # a large pack: the customer's turns again, round the interviews
        index, turn = customer_turns[n % len(customer_turns)]
        question, tags = {**QUOTED_TURNS, **EXTRA_TURNS}[index]
        tagger.add_quote(ids[n % INTERVIEWS], turn["start_ms"], turn["end_ms"], question, tags, channel=1)
    count = len(library.quotes.for_interviews(ids))
    assert count == quotes, count
    return library, ids


def large_pack(quotes: int, folder: Path) -> dict:
    """Make the library in one process, then build and write the HTML pack in a fresh one and measure it."""
    root = folder / f"library-{quotes}"
    subprocess.run([sys.executable, __file__, "--make-library", str(root), str(quotes)], check=True)
    out = subprocess.run(
        [sys.executable, __file__, "--export-html", str(root), str(folder / f"out-{quotes}")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.splitlines()[-1])


def _resident_kib() -> int:
    """The memory the process holds now (Linux), not the peak of the imports before it."""
    status = Path("/proc/self/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))


def export_html(root: Path, folder: Path) -> dict:
    """In a fresh process: build the pack of every interview and write its web page; time, size, memory."""
    library = Library.open(root)
    ids = [summary.interview.id for summary in library.interviews.summaries()]
    before = _resident_kib()
    started, started_cpu = time.perf_counter(), time.process_time()
    pack = build_pack(library, PackRequest(tuple(ids)))
    [html] = export_pack(pack, folder, "Pack", ["html"])
    seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {
        "quotes": len(pack.quotes),
        "seconds": seconds,
        "cpu": cpu,
        "bytes": html.stat().st_size,
        "peak_kib": peak,
        "before_kib": before,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--large", type=int, nargs="*", default=[1_000, 5_000], metavar="QUOTES")
    parser.add_argument("--make-library", nargs=2, metavar=("ROOT", "QUOTES"), help=argparse.SUPPRESS)
    parser.add_argument("--export-html", nargs=2, metavar=("ROOT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make_library:
        make_library(Path(args.make_library[0]), int(args.make_library[1]))[0].close()
        return
    if args.export_html:
        print(json.dumps(export_html(Path(args.export_html[0]), Path(args.export_html[1]))))
        return
    start_offscreen_qt()  # the PDF is laid out by Qt's text engine, as `earful export` starts it
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
        for quotes in args.large:
            result = large_pack(quotes, folder)
            print(
                f"{result['quotes']:>6,} quotes, web page only: {result['seconds']:.1f} s to build and write "
                f"(CPU time {result['cpu']:.1f} s), "
                f"{result['bytes'] / 1e6:.1f} MB, peak memory {result['peak_kib'] / 1024:.0f} MB "
                f"(the process held {result['before_kib'] / 1024:.0f} MB before; load average {os.getloadavg()[0]:.1f})"
            )


if __name__ == "__main__":
    main()
