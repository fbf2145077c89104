"""Live transcription while recording: 10 minutes of a two-party call played through null sinks.

A call is built from distinct real read utterances (`tests/recording/calls.py`: the interviewer and the
customer are two LibriSpeech readers taking turns) and played into two PulseAudio null sinks at once, one
track per side, while the Record-a-call window (offscreen) records both monitors with the live transcript
on. Reported:

- lag from the end of each utterance to its committed (journalled) line: p50 / p95 (targets 3 s / 6 s);
- time from Stop to the complete stored transcript: the window's import, then the interview's job run as
  the window's queue runs it (only what the live transcript left, coverage, speakers) (target ≤ 10 s);
- dropped and overflowed blocks (target 0) and how far behind the live transcript fell;
- the GUI thread's worst event-loop stall during recording + live transcription (a 10 ms timer's
  lateness, target ≤ 50 ms), and the same less the time the thread waited for a CPU (the machine's load:
  the rest is the window's own work, or the GIL, a lock or the disk holding it up); with `--watch`, each
  stall over 40 ms with the threads' stacks and CPU (`bench/stall_watch.py`);
- live WER against a whole-file pass of the same recording (pooled over both channels, normalised);
- CPU of recording + live transcription (this process and the live worker) as a share of the 2 cores.

With `--rolling`, first the decoding policy: one decode per utterance against a rolling window re-decoded
every second (whisper_streaming's LocalAgreement, Macháček et al. 2023, whose final text is that of the last
decode), CPU time on five real utterances in this process.

Run:  python bench/live.py [--minutes 10] [--rolling] [--watch]   (about 1.5× the call's length, plus a whole-file pass)
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import soundfile  # noqa: E402
from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from stall_watch import StallWatch, stolen_ms  # noqa: E402
from stall_watch import report as stall_report  # noqa: E402

from app.library import Library  # noqa: E402
from app.media.devices import find_input_device, list_input_devices  # noqa: E402
from app.services.live_transcript import LiveLine  # noqa: E402
from app.services.transcribing import Transcriber, library_options  # noqa: E402
from app.transcription.options import TranscriptionOptions  # noqa: E402
from app.transcription.runner import TranscriptionWorker  # noqa: E402
from app.ui.record_panel import RecordDialog  # noqa: E402
from tests.recording.calls import build_call  # noqa: E402
from tests.recording.conftest import onset_s  # noqa: E402
from tests.recording.pulse import PulseServer  # noqa: E402
from tests.wer import wer  # noqa: E402

TICK_MS = 10
BASELINE_S = 30
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--rolling", action="store_true", help="compare decoding policies first")
    parser.add_argument(
        "--watch", action="store_true", help="list each stall with the threads' stacks (bench/stall_watch.py)"
    )
    args = parser.parse_args()
    if args.rolling:
        compare_rolling()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="earful-live-") as temp:
        folder = Path(temp)
        call = build_call(args.minutes * 60, folder / "call")
        server = PulseServer(folder / "pulse").start()
        os.environ.update(server.env)
        try:
            run(app, call, folder, server, args.watch)
        finally:
            server.stop()


def run(app: QApplication, call, folder: Path, server: PulseServer, watch: bool = False) -> None:
    list_input_devices(refresh=True)
    you, customer = find_input_device("you.monitor"), find_input_device("customer.monitor")
    library = Library.open(folder / "library")
    queue_worker = TranscriptionWorker()  # the window's queue keeps one, model loaded, for the job after Stop
    queue_worker.preload(_model_path(library))
    dialog = RecordDialog(library, devices=list_input_devices())
    dialog.sides.you.setCurrentIndex(dialog.sides.you.findData(you.key))
    dialog.sides.customer.setCurrentIndex(dialog.sides.customer.findData(customer.key))
    dialog.show()

    committed: list[tuple[float, LiveLine]] = []
    dialog._relay.line.connect(
        lambda line: committed.append((time.monotonic(), line)), Qt.ConnectionType.DirectConnection
    )
    behind: list[int] = []
    dialog._relay.progress.connect(lambda p: behind.append(p.behind_ms), Qt.ConnectionType.DirectConnection)
    recorded: list[int] = []
    dialog.recorded.connect(recorded.append)

    idle = _StallMeter(app)  # the same window, not recording: the baseline of this process on this machine
    idle.start()
    watchdog = StallWatch() if watch else None
    if watchdog:
        watchdog.start()
    _wait(app, lambda: False, BASELINE_S, expected=True)
    idle.stop()
    watched = {"idle window": watchdog.stop()} if watchdog else {}
    stall = _StallMeter(app)
    watchdog = StallWatch() if watch else None
    if watchdog:
        watchdog.start()
    dialog._start()
    _wait(app, lambda: dialog._session is not None and dialog._session.recorder.capturing, 30)
    if watchdog:
        watched["Record pressed -> capturing"] = watchdog.stop()
    session = dialog._session
    live_pid = _live_worker_pid(session)
    cpu_start = time.process_time(), _process_cpu(live_pid), time.monotonic()

    players = [server.play("you", call.tracks[0]), server.play("customer", call.tracks[1])]
    played_at = time.monotonic()
    position_at_play = session.recorder.position_ms() / 1000
    # Read before the meter starts: reading the whole track here, on the GUI thread, was itself a stall
    # the meter counted (196 ms for a 1.4-minute call in bench/stall_watch.py's stacks).
    played_s = soundfile.info(str(call.tracks[0])).duration
    stall.start()
    watchdog = StallWatch(pids=(live_pid,) if live_pid else ()) if watch else None
    if watchdog:
        watchdog.start()
    _wait(
        app,
        lambda: all(p.poll() is not None for p in players),
        played_s * 2,
    )
    stall.stop()
    if watchdog:
        watched["recording + live"] = watchdog.stop()
    cpu = (time.process_time() - cpu_start[0] + _process_cpu(live_pid) - cpu_start[1]) / (
        time.monotonic() - cpu_start[2]
    )

    stopping = _StallMeter(app)
    stopping.start()
    watchdog = StallWatch() if watch else None
    if watchdog:
        watchdog.start()
    stopped_at = time.monotonic()
    QTimer.singleShot(0, dialog._stop)  # from the event loop, as the button's click: the meter sees it
    _wait(app, lambda: bool(recorded) or dialog.problem.text() != "", 600)
    imported_at = time.monotonic()
    stopping.stop()
    if watchdog:
        watched["Stop -> saved"] = watchdog.stop()
    interview = recorded[0]
    stats = session.recorder.stats  # the recorder keeps its counts after Stop
    transcriber = Transcriber(library, queue_worker)
    job = transcriber.queue([interview], library_options(library)).queued[0]
    final = transcriber.run(job)
    done_at = time.monotonic()
    stored_text = _pooled(library.transcripts.segments(interview))  # live lines plus what the job added

    audio, rate = soundfile.read(library.recordings.path(library.recordings.for_interview(interview)))
    track, _ = soundfile.read(call.tracks[0])
    lead_s = onset_s(audio[:, 0], track)  # where the tracks start in the recording
    wall_of = lambda recording_s: played_at - position_at_play + recording_s  # noqa: E731
    lags = []
    for utterance in call.utterances:
        end_ms = (lead_s + utterance.end_s) * 1000
        times = [
            at
            for at, line in committed
            if line.segment.channel == utterance.channel
            and line.segment.start_ms < end_ms
            and line.segment.end_ms >= end_ms - 1500
        ]
        if times:
            lags.append(min(times) - wall_of(lead_s + utterance.end_s))
    live_text = _pooled(line.segment for _at, line in committed)
    reference = f"{call.reference(0)} {call.reference(1)}"

    whole_started = time.monotonic()
    redo = transcriber.queue([interview], library_options(library), redo=True).queued[0]
    transcriber.run(redo)
    whole_s = time.monotonic() - whole_started
    whole_text = _pooled(library.transcripts.segments(interview))
    queue_worker.close()

    load = os.getloadavg()
    quantiles = statistics.quantiles(lags, n=20) if len(lags) > 1 else [float("nan")] * 19
    print(
        f"Live transcription of a {len(audio) / rate / 60:.1f}-minute two-party call ({len(call.utterances)} utterances, "
        f"both sides through PulseAudio null sinks), tiny.en, 2 cores"
    )
    print(
        f"  lag, utterance end -> committed line: p50 {statistics.median(lags):.2f} s, p95 {quantiles[18]:.2f} s, "
        f"max {max(lags):.2f} s ({len(lags)} of {len(call.utterances)} utterances matched)   targets 3 s / 6 s"
    )
    print(
        f"  Stop -> complete stored transcript: {done_at - stopped_at:.1f} s (Stop + import {imported_at - stopped_at:.1f} s, "
        f"then the job {done_at - imported_at:.1f} s, {final.state.value})   target 10 s; a whole-file pass took {whole_s:.1f} s"
    )
    print(f"  GUI event-loop stall from Stop to saved: {stopping.summary()}")
    print(
        f"  blocks dropped {stats.dropped_blocks}, overflowed {stats.overflows}   target 0; "
        f"live transcript at most {max(behind, default=0) / 1000:.1f} s behind"
    )
    print(
        f"  GUI event-loop stall during recording + live: {stall.summary()}   target 50 ms\n"
        f"    (the idle window before, {BASELINE_S} s, not recording: {idle.summary()})"
    )
    print(
        f"  WER pooled: live {wer(reference, live_text):.4f}, stored after Stop {wer(reference, stored_text):.4f}, "
        f"whole-file pass {wer(reference, whole_text):.4f}"
    )
    print(f"  CPU while recording + live: {cpu * 100:.0f} % of one core ({cpu * 50:.0f} % of the 2 cores)")
    for title, stalls in watched.items():
        print("\n".join(stall_report(stalls, title)))
    print(
        f"  machine load average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} (2 cores; shared with other work)"
    )


def compare_rolling() -> None:
    """CPU of one decode per utterance against re-decoding the growing utterance every second."""
    from app.transcription.engine import decode, load_model
    from tests.recording.calls import LONGFORM

    options = TranscriptionOptions()
    model = load_model(_model_path_for(options))
    names = ["5652-19215-0000", "5652-19215-0001", "5652-19215-0002", "4088-158077-0000", "4088-158077-0001"]
    once = rolling = seconds = 0.0
    errors: list[tuple[float, float]] = []
    for name in names:
        audio, rate = soundfile.read(LONGFORM / f"{name}.flac", dtype="float32")
        reference = (LONGFORM / f"{name}.ref.txt").read_text()
        seconds += len(audio) / rate
        started = time.process_time()
        whole = " ".join(segment.text for segment in decode(model, audio, options))
        once += time.process_time() - started
        started = time.process_time()
        for end in range(rate, len(audio) + rate, rate):
            last = " ".join(segment.text for segment in decode(model, audio[:end], options))
        rolling += time.process_time() - started
        errors.append((wer(reference, whole), wer(reference, last)))
    print(
        f"Decoding policy on {len(names)} real utterances ({seconds:.0f} s): one decode per utterance "
        f"{once:.1f} CPU s (RTF {once / seconds:.3f}); rolling window re-decoded every second {rolling:.1f} CPU s "
        f"(RTF {rolling / seconds:.3f}, {rolling / once:.1f}x); mean WER {statistics.mean(e[0] for e in errors):.3f} "
        f"against {statistics.mean(e[1] for e in errors):.3f}"
    )


def _model_path_for(options: TranscriptionOptions) -> str:
    from app.services.transcribing import check_options

    return str(check_options(options).path)


def _pooled(segments) -> str:
    return " ".join(s.text for s in sorted(segments, key=lambda s: (s.channel, s.start_ms)))


def _model_path(library: Library) -> str:
    return _model_path_for(library_options(library))


def _live_worker_pid(session) -> int | None:
    process = session.live._worker._process if session.live is not None else None
    return process.pid if process is not None else None


def _process_cpu(pid: int | None) -> float:
    """CPU seconds a child process has used so far (user + system), from /proc."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS


def _wait(app: QApplication, done, timeout_s: float, expected: bool = False) -> None:
    """Run the real event loop until `done()` (checked every 50 ms); `expected`: the timeout is the point."""
    loop, deadline = QEventLoop(), time.monotonic() + timeout_s
    check = QTimer(interval=50, timeout=lambda: (done() or time.monotonic() > deadline) and loop.quit())
    check.start()
    if not done():
        loop.exec()
    check.stop()
    if not done() and not expected:
        raise TimeoutError("gave up waiting")


class _StallMeter:
    """The lateness of a 10 ms timer on the GUI thread: how long the event loop could not answer.

    Each tick also reads how long the thread has waited for a CPU (/proc/thread-self/schedstat): a late tick
    spent waiting is the machine's load; the rest of it (the thread busy, or blocked on the GIL, a lock or
    the disk) is the window's own stall. And it reads the time the hypervisor took from this virtual
    machine's CPUs meanwhile (`steal` in /proc/stat, in 10 ms ticks): a thread waits for a CPU then even
    when nothing in the machine competes for one.
    """

    def __init__(self, app: QApplication) -> None:
        self._timer = QTimer(interval=TICK_MS, timeout=self._tick)
        self._clock = QElapsedTimer()
        self._late: list[float] = []
        self._own: list[float] = []
        self._stolen: list[float] = []
        self._waited_ns = 0
        self._steal_ms = 0.0

    def start(self) -> None:
        self._waited_ns, self._steal_ms = _waited_for_cpu_ns(), stolen_ms()
        self._clock.start()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        late = max(0, self._clock.restart() - TICK_MS)
        waited_ns, self._waited_ns = self._waited_ns, _waited_for_cpu_ns()
        steal_ms, self._steal_ms = self._steal_ms, stolen_ms()
        self._stolen.append(self._steal_ms - steal_ms)
        self._late.append(late)
        self._own.append(max(0.0, late - (self._waited_ns - waited_ns) / 1e6))

    @property
    def worst_ms(self) -> float:
        return max(self._late, default=0.0)

    @property
    def p99_ms(self) -> float:
        return statistics.quantiles(self._late, n=100)[98] if len(self._late) > 100 else self.worst_ms

    @property
    def worst_own_ms(self) -> float:
        """The worst lateness less the time the GUI thread waited for a CPU meanwhile."""
        return max(self._own, default=0.0)

    def summary(self) -> str:
        worst = max(range(len(self._late)), key=self._late.__getitem__, default=None)
        stolen = (
            f" (the hypervisor took {self._stolen[worst]:.0f} ms of the CPUs' time meanwhile)"
            if worst is not None
            else ""
        )
        return (
            f"worst {self.worst_ms:.0f} ms{stolen}, p99 {self.p99_ms:.0f} ms; without the waits for a CPU "
            f"(machine load): worst {self.worst_own_ms:.0f} ms"
        )


def _waited_for_cpu_ns() -> int:
    with open("/proc/thread-self/schedstat", "rb") as handle:
        return int(handle.read().split()[1])


if __name__ == "__main__":
    main()
