"""Whether the window keeps up while a long recording transcribes, and how fast it opens on a big library.

Two things a user feels:
1. While a recording transcribes and its transcript fills in live, the window must not freeze: the GUI
   thread's event loop may never be held up longer than 50 ms. A 10 ms timer on that thread measures it:
   how late each tick comes is how long the loop was busy (or not given a CPU).
2. With 1,000 interviews in the library, Earful's window must be painted at most 1.5× as long after launch
   as an empty PySide6 window: Python and Qt starting up are the baseline, what Earful adds is measured.

Run:  python bench/gui_responsiveness.py [--repetitions 5] [--skip-live] [--live-minutes 3]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication
from transcribe_overhead import CLIPS, background_share, cpu_snapshot, load_clips, write_speech

from app.domain.interview import JobState
from app.domain.transcript import MIXDOWN, SpeakerRole, TranscribedSegment, Word
from app.library import Library
from app.services.editing import TranscriptEditor
from app.services.importing import import_recording
from app.services.transcribing import library_options
from app.transcription.options import TranscriptionOptions
from app.ui.main_window import MainWindow
from app.ui.player import Player
from app.ui.settings import AppSettings
from app.ui.transcription_queue import TranscriptionQueue
from app.ui.workspace import Workspace

REPO = Path(__file__).resolve().parent.parent
WINDOW_SIZE = (1400, 860)
TICK_MS = 10
STALL_TARGET_MS = 50
LIVE_TIMEOUT_MS = 30 * 60 * 1000
SETTLE_MS = 500
MIN_SPAN_S = 0.001
WORST_SHOWN = 5
INTERVIEW_COUNT = 1000
LIBRARY_SEED = 2024
RATIO_TARGET = 1.5
LAUNCH_TIMEOUT_S = 120

# ---------------------------------------------------------------------------------------------- live


@dataclass(frozen=True, slots=True)
class Span:
    """Some work the GUI thread did, in perf_counter seconds."""

    start: float
    end: float
    label: str

    @property
    def ms(self) -> float:
        return (self.end - self.start) * 1000


class TimedApplication(QApplication):
    """Records every event the GUI thread spends ≥ 1 ms on, so a stall can be pinned on what ran in it.

    Only outermost events count: a nested one (a paint inside an update request) is inside its parent's
    span. Events on other threads (the transcription thread's whole job is one) are left alone.
    """

    def __init__(self, argv: list[str]) -> None:
        super().__init__(argv)
        self.spans: list[Span] = []
        self._gui_thread = threading.get_ident()
        self._inside = False

    def notify(self, receiver: QObject, event: QEvent) -> bool:
        if self._inside or threading.get_ident() != self._gui_thread:
            return super().notify(receiver, event)
        kind = event.type()  # read now: a posted event is deleted once delivered
        self._inside = True
        start = time.perf_counter()
        try:
            return super().notify(receiver, event)
        finally:
            end = time.perf_counter()
            self._inside = False
            if end - start >= MIN_SPAN_S:
                self.spans.append(Span(start, end, f"{type(receiver).__name__} {kind.name}"))


# Sleeps 10 ms at a time and prints when it wakes, like the GUI's timer but in a process of its own.
BYSTANDER = """
import time
while True:
    print(time.perf_counter(), flush=True)
    time.sleep(0.01)
"""


@contextmanager
def bystander(log: Path) -> Iterator[list[float]]:
    """Run an idle process that ticks every 10 ms; its ticks are in the list once the block ends.

    It shares nothing with Earful (no GIL, no event loop, no library), so a stall that holds it up at the
    same moment as the GUI thread is the machine's: other load, or the hypervisor pausing the VM.
    """
    ticks: list[float] = []
    with open(log, "w") as out:
        process = subprocess.Popen([sys.executable, "-c", BYSTANDER], stdout=out)
        try:
            yield ticks
        finally:
            process.terminate()
            process.wait()
    ticks.extend(float(line) for line in log.read_text().split())


class StallClock(QObject):
    """Ticks every 10 ms on the GUI thread: how late each tick comes is how long the event loop was stuck.

    Each tick also reads from /proc how long the thread has so far run on a CPU and waited for one. A stall
    in which it did neither was spent blocked (on the GIL, which Qt must take to call into Python, on a
    lock or on the disk) or in a pause of the whole VM, which the bystander process then suffers too.
    """

    def __init__(self) -> None:
        super().__init__()
        self.ticks: list[float] = []
        self.cpu_ns: list[tuple[int, int]] = []
        """Per tick: nanoseconds the thread has run on a CPU, and waited for one, since it started."""
        self._schedstat = os.open("/proc/thread-self/schedstat", os.O_RDONLY)
        self._timer = QTimer(self, interval=TICK_MS, timerType=Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.ticks, self.cpu_ns = [], []
        self._tick()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        os.close(self._schedstat)

    def lateness_ms(self) -> np.ndarray:
        """Per tick: the interval since the previous tick less the 10 ms asked for."""
        return np.diff(self.ticks) * 1000 - TICK_MS

    def cpu_ms(self) -> np.ndarray:
        """Per tick: (ran, waited for a CPU) in milliseconds since the previous tick."""
        return np.diff(np.array(self.cpu_ns), axis=0) / 1e6

    def _tick(self) -> None:
        self.ticks.append(time.perf_counter())
        ran, waited, _slices = os.pread(self._schedstat, 64, 0).split()
        self.cpu_ns.append((int(ran), int(waited)))


@contextmanager
def timed_refreshes(spans: list[Span]) -> Iterator[None]:
    """Time every Workspace._refresh_transcript (the live re-render) of windows built inside the block.

    Patched on the class, not an instance: the window connects its refresh timer to the bound method
    while it is built.
    """
    original = Workspace._refresh_transcript

    def refresh(workspace: Workspace) -> None:
        start = time.perf_counter()
        original(workspace)
        spans.append(Span(start, time.perf_counter(), "Workspace._refresh_transcript"))

    Workspace._refresh_transcript = refresh
    try:
        yield
    finally:
        Workspace._refresh_transcript = original


@dataclass(frozen=True, slots=True)
class LiveRun:
    audio_seconds: float
    clip_count: int
    seconds: float
    ticks: list[float]
    lateness_ms: np.ndarray
    cpu_ms: np.ndarray
    """Per tick: (ran, waited for a CPU) in milliseconds."""
    segment_times: list[float]
    """When each committed segment reached the GUI thread."""
    refreshes: list[Span]
    """_refresh_transcript calls while transcribing."""
    spans: list[Span]
    """GUI-thread events of ≥ 1 ms while transcribing."""
    bystander_ticks: np.ndarray
    busy: float


def run_event_loop(ms: int) -> None:
    """Let the window show itself and go idle before the measurement starts."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def open_window(library: Library, interview_id: int, work: Path) -> Workspace:
    """The window as the application builds it, on settings in a temporary INI file, showing the interview."""
    settings = AppSettings(QSettings(str(work / "earful.ini"), QSettings.Format.IniFormat))
    frame = MainWindow(settings)
    window = frame.attach(library, TranscriptionQueue(library.root), TranscriptEditor(library), Player())
    frame.resize(*WINDOW_SIZE)
    frame.show()
    window.open_interview(interview_id)
    run_event_loop(SETTLE_MS)
    return window


def transcribe(window: Workspace, interview_id: int) -> None:
    """Enqueue the interview in the window's own queue and run the event loop until its job ends."""
    loop = QEventLoop()
    outcome: list[tuple[str, str]] = []

    def finished(_interview_id: int, state: str, error: str) -> None:
        outcome.append((state, error))
        loop.quit()

    window.queue.job_finished.connect(finished)
    QTimer.singleShot(LIVE_TIMEOUT_MS, loop.quit)
    window.queue.enqueue([interview_id])
    loop.exec()
    if not outcome or outcome[0][0] != JobState.DONE.value:
        sys.exit(f"The live transcription did not finish: {outcome or 'timed out'}")


def measure_live(work: Path, app: TimedApplication, minutes: float) -> LiveRun:
    """Transcribe `minutes` of speech in a real window showing it, timing the GUI thread all along."""
    audio = work / "speech.wav"
    audio_seconds, clip_count = write_speech(load_clips(), minutes * 60, audio)
    print(f"Wrote {audio_seconds:.1f} s of speech ({clip_count} clips); transcribing it live…", flush=True)
    refreshes: list[Span] = []
    with (
        Library.open(work / "live-library") as library,
        timed_refreshes(refreshes),
        bystander(work / "bystander.log") as bystander_ticks,
    ):
        interview_id = import_recording(library, audio, title=f"{minutes:g} minutes of speech").interview.id
        window = open_window(library, interview_id, work)
        segment_times: list[float] = []
        window.queue.segment_committed.connect(lambda _id: segment_times.append(time.perf_counter()))
        clock = StallClock()
        before, start = cpu_snapshot(), time.perf_counter()
        clock.start()
        transcribe(window, interview_id)
        seconds = time.perf_counter() - start
        run_event_loop(SETTLE_MS)  # the job's end refreshed the transcript once more: that stall counts too
        clock.stop()
        window.window.close()  # joins the worker process, so its CPU time counts as the bench's own below
    busy = background_share(before, cpu_snapshot(), time.perf_counter() - start)
    first, last = clock.ticks[0], clock.ticks[-1]
    return LiveRun(
        audio_seconds,
        clip_count,
        seconds,
        clock.ticks,
        clock.lateness_ms(),
        clock.cpu_ms(),
        segment_times,
        [span for span in refreshes if first <= span.start <= last],
        [span for span in app.spans if first <= span.start <= last],
        np.array(bystander_ticks),
        busy,
    )


def held_up_ms(ticks: np.ndarray, start: float, end: float) -> float:
    """The largest lateness among the 10 ms ticks in `ticks` whose intervals overlap [start, end]."""
    first = max(int(np.searchsorted(ticks, start, side="right")) - 1, 0)
    last = int(np.searchsorted(ticks, end))
    intervals = np.diff(ticks[first : last + 1])
    return intervals.max() * 1000 - TICK_MS if len(intervals) else float("nan")


def worst_stall_lines(run: LiveRun) -> list[str]:
    """The worst stalls, each with the GUI-thread work that overlapped it, longest first."""
    lines = []
    work = [*run.refreshes, *run.spans]
    for tick in np.argsort(run.lateness_ms)[::-1][:WORST_SHOWN]:
        start, end = run.ticks[tick], run.ticks[tick + 1]
        during = sorted((s for s in work if s.start < end and s.end > start), key=lambda s: -s.ms)
        causes = ", ".join(f"{span.label} {span.ms:.0f} ms" for span in during[:3])
        lines.append(
            f"  {run.lateness_ms[tick]:.0f} ms at {start - run.ticks[0]:.1f} s: "
            f"{causes or 'no GUI-thread work of ≥ 1 ms'}; the thread ran {run.cpu_ms[tick][0]:.0f} ms, "
            f"waited {run.cpu_ms[tick][1]:.0f} ms for a CPU; a bystander process was held up "
            f"{held_up_ms(run.bystander_ticks, start, end):.0f} ms meanwhile"
        )
    return lines


def refresh_line(run: LiveRun) -> str:
    """How long the live re-renders took. The last (when the job ends) covers the whole transcript, so its
    cost per segment says how the stall grows with a longer recording."""
    durations = [span.ms for span in run.refreshes]
    last = run.refreshes[-1]
    shown = sum(1 for moment in run.segment_times if moment < last.start)
    per_100 = last.ms / max(shown, 1) * 100
    return (
        f"{len(run.segment_times)} segments committed; Workspace._refresh_transcript ran {len(durations)} "
        f"times: max {max(durations):.1f} ms, median {statistics.median(durations):.1f} ms; the last, over "
        f"all {shown} segments, took {last.ms:.1f} ms ({per_100:.0f} ms per 100 segments)"
    )


def live_lines(run: LiveRun) -> tuple[list[str], str]:
    """The detailed report and the summary line."""
    late = run.lateness_ms
    worst, p99, median = late.max(), np.percentile(late, 99), np.median(late)
    own = np.clip(late - run.cpu_ms[:, 1], 0, None).max()  # less the waits for a CPU: the window's own
    over = int((late > STALL_TARGET_MS).sum())
    verdict = "met" if worst <= STALL_TARGET_MS else "MISSED"
    lines = [
        f"audio: {run.audio_seconds:.1f} s of real speech ({run.clip_count} clips, {len(CLIPS)} different), "
        f"transcribed live in {run.seconds:.1f} s",
        f"lateness of a {TICK_MS} ms timer on the GUI thread: worst {worst:.1f} ms, p99 {p99:.1f} ms, "
        f"median {median:.1f} ms; {len(late)} ticks, {over} over {STALL_TARGET_MS} ms; less the time the thread "
        f"waited for a CPU (machine load): worst {own:.1f} ms",
        refresh_line(run),
        "worst stalls and the GUI-thread work during them:",
        *worst_stall_lines(run),
        f"other processes used {run.busy:.0%} of the machine's CPU meanwhile (longer stalls if high)",
    ]
    summary = (
        f"live transcription of {run.audio_seconds:.0f} s: worst event-loop stall {worst:.0f} ms "
        f"(p99 {p99:.0f} ms; {len(late)} ticks, {len(run.segment_times)} segments; {own:.0f} ms without the "
        f"waits for a CPU) — "
        f"target ≤ {STALL_TARGET_MS} ms: {verdict}"
    )
    return lines, summary


# ---------------------------------------------------------------------------------------------- library

FIRST_NAMES = ("Dana", "Priya", "Marco", "Aisha", "Tom", "Lena", "Kenji", "Sofia", "Omar", "Grace")
LAST_NAMES = ("Okafor", "Lindqvist", "Brennan", "Nakamura", "Haddad", "Moreau", "Patel", "Kowalski", "Reyes")
COMPANIES = (
    "Northwind Clinics",
    "Bluebird Cafés",
    "Harbor Logistics",
    "Pinecrest Dental",
    "Alder & Co",
    "Summit Fitness",
    "Riverbend Hotels",
    "Copperleaf Retail",
    "Fieldstone Farms",
    "Larkspur Legal",
    "Meridian Care",
    "Oakridge Schools",
)
ROLES = ("Operations manager", "Founder", "Office manager", "CFO", "Shift supervisor", "HR lead", "IT admin")
SEGMENTS = ("SMB", "Mid-market", "Enterprise", "Healthcare", "Hospitality", "Retail")
KINDS = ("discovery call", "win interview", "churn interview", "onboarding feedback", "pricing conversation")
OUTCOMES = ("won", "lost", "churned", "no-decision", None)
NOTES = (
    None,
    "Compared us with two spreadsheets and a paper rota.",
    "Wants a mobile app for staff before renewing.",
    "Price was fine; setup took too long.",
    "Referred by another customer in the same group.",
)
SENTENCES = (
    "We were doing the schedule in a spreadsheet and it broke every other week.",
    "Honestly the price was not the problem, it was how long it took to set up.",
    "Our managers wanted to swap shifts from their phones without calling me.",
    "I looked at three tools and yours was the only one that handled split shifts.",
    "The first month was rough because nobody knew where the time off requests went.",
    "What would make me recommend it is if payroll exports just worked.",
    "We have about forty people across two sites and a lot of part timers.",
    "Can you tell me more about how you decided who should be involved?",
    "So what happened after the trial ended?",
    "My boss signed off once she saw the overtime report.",
    "The support team answered within the hour, which surprised me.",
    "If I had a magic wand I would connect it to our point of sale system.",
    "How did you handle that before you had a tool for it?",
    "We almost went with the cheaper option but it had no audit trail.",
    "People mostly use it to check when they work next week.",
    "The notifications were too noisy at first so we turned half of them off.",
    "What was the moment you realised it was not working for you?",
    "Renewal came up and finance asked whether we really used all the seats.",
)


def make_library(root: Path, count: int) -> None:
    """A library of `count` transcribed interviews with varied metadata, always the same for one seed."""
    rng = random.Random(LIBRARY_SEED)
    with Library.open(root) as library:
        options = library_options(library)
        for _ in range(count):
            with library.db.atomic():
                add_interview(library, rng, options)


def add_interview(library: Library, rng: random.Random, options: TranscriptionOptions) -> None:
    """One interview as a finished transcription leaves it: metadata, a recording row, a done job and
    about 30 segments with word times. The audio file itself is not written: starting the window reads
    only the database."""
    company, kind = rng.choice(COMPANIES), rng.choice(KINDS)
    title = f"{company} — {kind}"
    interview = library.interviews.create(
        title,
        customer_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        company=company,
        role=rng.choice(ROLES),
        persona_segment=rng.choice(SEGMENTS),
        outcome=rng.choice(OUTCOMES),
        interview_date=(date(2024, 1, 1) + timedelta(days=rng.randrange(730))).isoformat(),
        notes=rng.choice(NOTES),
    )
    two_channel = rng.random() < 0.6
    segments = transcript_segments(rng, rng.randint(24, 36), two_channel)
    sha256 = f"{rng.getrandbits(256):064x}"
    recording = library.recordings.add(
        interview.id,
        file=f"{sha256}.m4a",
        original_name=f"{title}.m4a",
        sha256=sha256,
        duration_ms=segments[-1].end_ms + 2000,
        sample_rate=48_000,
        channels=2 if two_channel else 1,
        channel_roles=(SpeakerRole.INTERVIEWER, SpeakerRole.CUSTOMER) if two_channel else None,
        truncated=False,
    )
    speakers = add_speakers(library, interview.id, two_channel)
    passes = [0, 1] if two_channel else [MIXDOWN]
    job = library.jobs.create(interview.id, recording.id, options.model, options.to_dict(), passes)
    for number, segment in enumerate(segments, 1):
        library.jobs.commit_segment(job, segment, speakers[segment.channel], number / len(segments))
    for channel in passes:
        library.jobs.finish_pass(job.id, channel, 1.0)
    library.jobs.set_state(job.id, JobState.DONE)


def add_speakers(library: Library, interview_id: int, two_channel: bool) -> dict[int | None, int]:
    """Speaker ids by segment channel, labelled as the transcriber labels them."""
    ensure = library.transcripts.ensure_speaker
    if two_channel:
        return {
            0: ensure(interview_id, "Interviewer", SpeakerRole.INTERVIEWER, 0),
            1: ensure(interview_id, "Customer", SpeakerRole.CUSTOMER, 1),
        }
    return {None: ensure(interview_id, "Speaker 1", SpeakerRole.OTHER, None)}


def transcript_segments(rng: random.Random, count: int, two_channel: bool) -> list[TranscribedSegment]:
    """Turns of one or two sentences (alternating channels on a two-channel call), words ~350 ms apart."""
    segments, cursor = [], rng.randrange(500, 3000)
    for turn in range(count):
        text = " ".join(rng.sample(SENTENCES, rng.randint(1, 2)))
        words = []
        for token in text.split():
            length = rng.randrange(250, 450)
            words.append(Word(cursor, cursor + length - 40, token, round(rng.uniform(0.6, 1.0), 3)))
            cursor += length
        channel = turn % 2 if two_channel else None
        segments.append(TranscribedSegment(words[0].start_ms, words[-1].end_ms, text, tuple(words), channel))
        cursor += rng.randrange(300, 1500)
    return segments


# ---------------------------------------------------------------------------------------------- cold start

# Each child prints `phase <perf_counter>` lines. perf_counter is CLOCK_MONOTONIC on Linux, one clock for
# every process, so the parent subtracts the moment it started the child. The last mark comes from a
# zero timer queued at the window's first paint event: it runs once that whole paint pass is done.
PAINT_PROBE = """
import os, sys, time

def mark(phase):
    print(phase, time.perf_counter(), flush=True)

mark("python")
from PySide6.QtCore import QEvent, QObject, QTimer

class FirstPaint(QObject):
    exit_when_painted = True

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.painted)
        return False

    def painted(self):
        mark("painted")
        if self.exit_when_painted:
            os._exit(0)
"""
EMPTY_WINDOW = f"""{PAINT_PROBE}
from PySide6.QtWidgets import QApplication, QMainWindow
mark("imported")
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1400, 860)
probe = FirstPaint()
window.installEventFilter(probe)
mark("built")
window.show()
app.exec()
"""
# As app.ui.application.main starts, less the welcome dialog (shown only on a first run).
EARFUL_WINDOW = f"""{PAINT_PROBE}
from pathlib import Path
from app.ui.application import EarfulApplication, start
mark("imported")
app = EarfulApplication(sys.argv[:1])
window = start(app, Path(sys.argv[1]))
probe = FirstPaint()
probe.exit_when_painted = False
window.installEventFilter(probe)
mark("built")

def when_usable():
    if window.workspace is not None:  # attached: the interview list is filled
        window.repaint()
        mark("usable")
        os._exit(0)

poll = QTimer(interval=1)
poll.timeout.connect(when_usable)
poll.start()
app.exec()
"""
PHASES = ("python", "imported", "built", "painted", "usable")


def launch(script: str, args: list[str], log: Path) -> dict[str, float]:
    """Seconds from starting a fresh process to each phase it marks, the last being its first paint."""
    start = time.perf_counter()
    with open(log, "w") as stderr:
        done = subprocess.run(
            [sys.executable, "-c", script, *args],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            timeout=LAUNCH_TIMEOUT_S,
        )
    phases = {
        name: float(stamp) - start for name, stamp in (line.split() for line in done.stdout.splitlines())
    }
    if "painted" not in phases:
        sys.exit(f"The window was never painted ({done.returncode}):\n{log.read_text()[-4000:]}")
    return phases


def phase_line(label: str, runs: list[dict[str, float]], first: dict[str, float]) -> str:
    phases = ", ".join(
        f"{name} {statistics.median(run[name] for run in runs):.2f}" for name in PHASES if name in runs[0]
    )
    each = ", ".join(f"{run['painted']:.2f}" for run in runs)
    return (
        f"{label}: median {painted(runs):.2f} s to first paint (runs: {each}; first launch, not counted: "
        f"{first['painted']:.2f}); median s since start at: {phases}"
    )


def painted(runs: list[dict[str, float]]) -> float:
    return statistics.median(run["painted"] for run in runs)


def big_library(work: Path) -> Path:
    root = work / "big-library"
    start = time.perf_counter()
    make_library(root, INTERVIEW_COUNT)
    size = sum(file.stat().st_size for file in root.glob("library.db*")) / 1e6
    made = time.perf_counter() - start
    print(f"Made a library of {INTERVIEW_COUNT} interviews ({size:.1f} MB) in {made:.0f} s", flush=True)
    return root


def measure_cold_start(work: Path, repetitions: int) -> tuple[list[str], str]:
    """Fresh processes, alternating, after one unrecorded launch of each to bring files into the cache."""
    contenders = {"empty": (EMPTY_WINDOW, []), "earful": (EARFUL_WINDOW, [str(big_library(work))])}
    first = {name: launch(script, args, work / f"{name}.log") for name, (script, args) in contenders.items()}
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in contenders}
    before, start = cpu_snapshot(), time.perf_counter()
    for _ in range(repetitions):
        for name, (script, args) in contenders.items():
            runs[name].append(launch(script, args, work / f"{name}.log"))
    busy = background_share(before, cpu_snapshot(), time.perf_counter() - start)
    earful, empty = painted(runs["earful"]), painted(runs["empty"])
    verdict = "met" if earful / empty <= RATIO_TARGET else "MISSED"
    lines = [
        phase_line("empty PySide6 window", runs["empty"], first["empty"]),
        phase_line(f"earful, {INTERVIEW_COUNT:,} interviews", runs["earful"], first["earful"]),
        f"other processes used {busy:.0%} of the machine's CPU meanwhile (noisier timings if high)",
    ]
    summary = (
        f"cold start, {INTERVIEW_COUNT:,} interviews: earful {earful:.2f} s vs empty PySide6 window "
        f"{empty:.2f} s → ratio {earful / empty:.2f} (target ≤ {RATIO_TARGET}): {verdict}"
    )
    return lines, summary


# ---------------------------------------------------------------------------------------------- main


def isolate(work: Path) -> None:
    """This process and its children use settings, data and caches in `work`, never the user's."""
    os.environ.update(
        QT_QPA_PLATFORM="offscreen",
        HOME=str(work / "home"),
        XDG_CONFIG_HOME=str(work / "config"),
        XDG_DATA_HOME=str(work / "data"),
        XDG_CACHE_HOME=str(work / "cache"),
        HF_HUB_OFFLINE="1",
    )
    for name in ("EARFUL_LIBRARY", "EARFUL_MODELS_DIR"):
        os.environ.pop(name, None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=5, help="launches of each window (default 5)")
    parser.add_argument("--skip-live", action="store_true", help="only the cold start (~1 minute)")
    parser.add_argument(
        "--live-minutes",
        type=float,
        default=3,
        help="minutes of speech transcribed live (default 3); more show how the live re-render grows",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="earful-gui-bench-") as temporary:
        work = Path(temporary)
        isolate(work)
        app = TimedApplication(sys.argv[:1])
        report, summary = [], []
        if not args.skip_live:
            lines, line = live_lines(measure_live(work, app, args.live_minutes))
            report += lines
            summary.append(line)
        lines, line = measure_cold_start(work, args.repetitions)
        report += lines
        summary.append(line)
    print("\n" + "\n".join(report) + "\n\n" + "\n".join(summary))


if __name__ == "__main__":
    main()
