"""The speaker stage: words on the right speaker, its real-time factor in a real job, its memory.

0. Accuracy: every one-channel recording of the shared speech (plus the demo call mixed to one channel,
   and conversations of 2, 3 and 4 different shared speakers built from `longform/`, a whole utterance per
   turn with 0.5–2 s of silence between turns) transcribed and labelled by a real job with no speaker
   count given: how many voices the stage found, and the share of words on the right speaker (each
   reference speaker mapped onto the found speaker that gets most words right; a one-speaker recording
   can score no better than the share of its words on its largest speaker).
1. A job on real speech (default 10 minutes of the shared clips, several voices): the Whisper passes and
   then the speaker stage, both run by Earful's own `Transcriber` and worker process, timed separately.
   The stage's time covers everything it does: decoding, speech detection, filterbank, CAM++ embeddings
   (the model loaded on first use), clustering, labelling every word and rewriting the segments.
2. A 60-minute recording through the worker half of the stage, in a fresh process brought to the state a
   job leaves the worker in (Whisper loaded, the hour decoded and a 5-minute window transcribed, the
   samples released): the stage's memory is its peak resident size (the kernel's VmHWM) minus the resident
   size before it started (target: adds ≤ 300 MB), and how far it lifts the worker's peak. Then the
   clustering of all its windows, which runs in the caller.

Run:  python bench/diarization.py [--job-minutes 10] [--skip-accuracy] [--skip-job] [--skip-memory]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from transcribe_overhead import (  # noqa: E402
    background_share,
    cpu_snapshot,
    load_clips,
    tree_pids,
    write_speech,
)

SPEECH = Path(os.environ.get("EARFUL_SHARED", REPO.parent / "shared")) / "data" / "speech"
LONGFORM = SPEECH.parent / "longform"
ONE_VOICE = (
    "jfk.flac",
    "librispeech_2412-153948-0000.flac",
    "mfa_acoustic_corpus.wav",
    "digits_10001-90210-01803.wav",
)
CONVERSATION_VOICES = (2, 2, 3, 3, 4)
TURNS_PER_VOICE = 3
RTF_TARGET = 0.1
QUIET_WHISPER_RTF = 0.079  # tiny.en on this machine with nothing else running (bench/transcribe_overhead.py)
ADDED_MEMORY_TARGET = 300e6
MEMORY_MINUTES = 60

# Runs in a fresh process: the worker's situation (Whisper model loaded), then the stage's worker half.
WORKER_HALF = """
import gc, json, sys, time
from pathlib import Path

def memory():
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return int(fields["VmRSS"].split()[0]) * 1024, int(fields["VmHWM"].split()[0]) * 1024

from app.media.decode import decode_for_whisper
from app.resources import resource_path
from app.speakers.clustering import voice_scores
from app.speakers.embedder import MODEL_RESOURCE
from app.speakers.stage import EmbedRequest, embed_recording
from app.speakers.windows import SpeakerWindows
from app.transcription.engine import WINDOW_MS, load_model, transcribe_samples
from app.transcription.options import TranscriptionOptions
from app.transcription.models import resolve_model

# The worker as a job leaves it for the stage: the hour decoded and transcribed window by window (one
# window here: the windowed engine's memory does not grow with the length), then the samples let go.
whisper = load_model(str(resolve_model("tiny.en").path))
[samples] = decode_for_whisper(Path(sys.argv[1]), split_stereo=False)
duration_ms = len(samples) * 1000 // 16_000
window = samples[: WINDOW_MS * 16]
list(transcribe_samples(whisper, window, TranscriptionOptions(), -1))
del samples, window
gc.collect()
before, transcription_peak = memory()
chunks = []
start = time.perf_counter()
cpu = time.process_time()
request = EmbedRequest(sys.argv[1], str(resource_path(MODEL_RESOURCE)), 0, duration_ms)
embed_recording(request, chunks.append)
embedded = time.perf_counter() - start
embedded_cpu = time.process_time() - cpu
_, peak = memory()
windows = SpeakerWindows.joined([chunk.windows for chunk in chunks])
start = time.perf_counter()
voice_scores(windows.embeddings, 2)
clustered = time.perf_counter() - start
print(json.dumps({"before": before, "transcription_peak": transcription_peak, "peak": peak,
                  "embedded": embedded, "embedded_cpu": embedded_cpu, "clustered": clustered,
                  "windows": len(windows), "chunks": len(chunks)}))
"""


def job_stage(work: Path, clips, minutes: float) -> list[str]:
    from app.domain.interview import JobState
    from app.library import Library
    from app.services.importing import import_recording
    from app.services.transcribing import Transcriber
    from app.transcription.options import TranscriptionOptions
    from app.transcription.runner import TranscriptionWorker

    audio = work / "job.wav"
    seconds, count = write_speech(clips, minutes * 60, audio)
    options = TranscriptionOptions()
    with Library.open(work / "library") as library, TranscriptionWorker() as worker:
        recording = import_recording(library, audio).recording
        transcriber = Transcriber(library, worker, work / "models")
        # The passes as a job without a stage, then the same job given its stage: two timings, one job.
        job = library.jobs.create(
            recording.interview_id, recording.id, options.model, options.to_dict(), [-1], speaker_stage=False
        )
        machine_before, own_before = cpu_snapshot()[0], tree_cpu()
        start = time.perf_counter()
        assert transcriber.run(job).state is JobState.DONE
        whisper = time.perf_counter() - start
        library.jobs.add_speaker_stage(job.id)
        start, start_cpu = time.perf_counter(), tree_cpu()
        assert transcriber.run(library.jobs.get(job.id)).state is JobState.DONE
        stage, stage_cpu = time.perf_counter() - start, tree_cpu() - start_cpu
        # The worker is alive, so its CPU is not in cpu_snapshot's own share: count this process tree.
        busy = background_share(
            (machine_before, own_before), (cpu_snapshot()[0], tree_cpu()), whisper + stage
        )
        speakers = library.transcripts.speakers(recording.interview_id)
        segments = library.transcripts.segments(recording.interview_id)
    rtf = stage / seconds
    return [
        f"job on {seconds / 60:.1f} min of real speech ({count} clips): Whisper passes {whisper:.1f} s "
        f"(RTF {whisper / seconds:.3f}), speaker stage {stage:.1f} s",
        f"speaker stage RTF {rtf:.3f} (target ≤ {RTF_TARGET}) {'ok' if rtf <= RTF_TARGET else 'MISSED'}; "
        f"in CPU time (this process and the worker) {stage_cpu / seconds:.3f} s per second of audio",
        f"stage/Whisper time {stage / whisper:.2f} (the progress bar gives the stage {_share():.0%} of a job); "
        f"at Whisper's quiet-machine RTF of {QUIET_WHISPER_RTF} that ratio puts the stage at RTF "
        f"{stage / whisper * QUIET_WHISPER_RTF:.3f}",
        f"{len(speakers)} speakers, {len(segments)} segments after the stage",
        f"other processes used {busy:.0%} of the machine's CPU during the job (noisier timings if high)",
    ]


def accuracy(work: Path) -> list[str]:
    """Per recording: reference voices, voices found, and words on the right speaker."""
    import numpy as np

    from app.domain.interview import JobState
    from app.library import Library
    from app.media.decode import WHISPER_RATE, decode_for_whisper
    from app.resources import resource_path
    from app.services.importing import import_recording
    from app.services.transcribing import Transcriber
    from app.transcription.options import TranscriptionOptions
    from app.transcription.runner import TranscriptionWorker

    def wav(path: Path, samples: np.ndarray) -> Path:
        import soundfile

        soundfile.write(path, samples, WHISPER_RATE, subtype="PCM_16")
        return path

    recordings: list[tuple[str, Path, list[tuple[str, int, int]]]] = []
    ami = [line.split() for line in (SPEECH / "ami_dev00.rttm").read_text().splitlines()]
    recordings.append(
        (
            "ami_dev00.wav",
            SPEECH / "ami_dev00.wav",
            [(f[7], round(float(f[3]) * 1000), round((float(f[3]) + float(f[4])) * 1000)) for f in ami],
        )
    )
    recordings += [(name, SPEECH / name, [("one", 0, 10**9)]) for name in ONE_VOICE]
    left, right = decode_for_whisper(resource_path("demo/interview.flac"), split_stereo=True)
    demo = json.loads(resource_path("demo/interview.ref.json").read_text())
    recordings.append(
        (
            "demo call, one channel",
            wav(work / "demo.wav", ((left.astype(np.int32) + right) // 2).astype(np.int16)),
            [(turn["speaker"], turn["start_ms"], turn["end_ms"]) for turn in demo],
        )
    )
    rng = random.Random(0)
    by_speaker: dict[str, list[str]] = {}
    for row in csv.DictReader((LONGFORM / "MANIFEST.tsv").open(), delimiter="\t"):
        by_speaker.setdefault(row["speaker_id"], []).append(row["file"])
    for number, voices in enumerate(CONVERSATION_VOICES):
        speakers = rng.sample(sorted(by_speaker), voices)
        files = {speaker: rng.sample(by_speaker[speaker], TURNS_PER_VOICE) for speaker in speakers}
        parts, turns, at = [], [], 0
        for turn in range(TURNS_PER_VOICE):
            for speaker in speakers:
                [samples] = decode_for_whisper(LONGFORM / files[speaker][turn], split_stereo=False)
                pause = np.zeros(rng.randint(WHISPER_RATE // 2, 2 * WHISPER_RATE), dtype=np.int16)
                turns.append((speaker, at, at + len(samples) * 1000 // WHISPER_RATE))
                parts += [samples, pause]
                at += (len(samples) + len(pause)) * 1000 // WHISPER_RATE
        name = f"conversation {number + 1}: {', '.join(speakers)}"
        recordings.append((name, wav(work / f"conversation{number}.wav", np.concatenate(parts)), turns))

    lines = []
    with Library.open(work / "accuracy") as library, TranscriptionWorker() as worker:
        transcriber = Transcriber(library, worker, work / "models")
        for name, path, reference in recordings:
            interview_id = import_recording(library, path).interview.id
            job = transcriber.queue([interview_id], TranscriptionOptions()).queued[0]
            assert transcriber.run(job).state is JobState.DONE
            found = len(library.transcripts.speakers(interview_id))
            pairs = [
                (inside[0], segment.speaker_id)
                for segment in library.transcripts.segments(interview_id)
                for word in segment.words
                if len(
                    inside := [
                        r for r, start, end in reference if start <= (word.start_ms + word.end_ms) // 2 <= end
                    ]
                )
                == 1
            ]
            voices = len({r for r, _, _ in reference})
            lines.append(
                f"{name}: {voices} voice(s), {found} found, {_best_share(pairs):.0%} of {len(pairs)} words "
                "on the right speaker"
            )
            print(lines[-1], flush=True)
    return lines


def _best_share(pairs: list[tuple[str, int]]) -> float:
    """Share of words right when each reference speaker maps onto a distinct found speaker, best mapping."""
    from scipy.optimize import linear_sum_assignment

    references = sorted({r for r, _ in pairs})
    found = sorted({h for _, h in pairs})
    counts = [[sum(1 for pair in pairs if pair == (r, h)) for h in found] for r in references]
    rows, columns = linear_sum_assignment(counts, maximize=True)
    return sum(counts[r][c] for r, c in zip(rows, columns, strict=True)) / max(len(pairs), 1)


def tree_cpu() -> float:
    """CPU seconds used so far by this process and its live children (the worker process)."""
    total = 0.0
    for pid in tree_pids(os.getpid()):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def stage_memory(work: Path, clips) -> list[str]:
    audio = work / "hour.wav"
    seconds, _count = write_speech(clips, MEMORY_MINUTES * 60, audio)
    print(f"Wrote {seconds / 60:.1f} min of speech; running the stage on it…", flush=True)
    before = cpu_snapshot()
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", WORKER_HALF, str(audio)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"the stage failed:\n{result.stderr[-4000:]}")
    busy = background_share(before, cpu_snapshot(), time.perf_counter() - start)
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    added = figures["peak"] - figures["before"]
    raised = max(figures["peak"] - figures["transcription_peak"], 0)
    rtf = (figures["embedded"] + figures["clustered"]) / seconds
    return [
        f"{seconds / 60:.0f}-minute recording: the stage adds {added / 1e6:.0f} MB to the worker's resident "
        f"{figures['before'] / 1e6:.0f} MB (target ≤ {ADDED_MEMORY_TARGET / 1e6:.0f} MB) "
        f"{'ok' if added <= ADDED_MEMORY_TARGET else 'MISSED'}; worker peak {figures['peak'] / 1e9:.2f} GB, "
        f"{raised / 1e6:.0f} MB above its transcription peak ({figures['transcription_peak'] / 1e9:.2f} GB)",
        f"  worker half {figures['embedded']:.1f} s (CPU {figures['embedded_cpu']:.1f} s) for "
        f"{figures['windows']} windows in {figures['chunks']} chunks; clustering {figures['clustered']:.2f} s; "
        f"RTF {rtf:.3f}, in CPU time {figures['embedded_cpu'] / seconds:.3f}",
        f"  other processes used {busy:.0%} of the machine's CPU meanwhile",
    ]


def _share() -> float:
    from app.services.transcribing import SPEAKER_SHARE

    return SPEAKER_SHARE


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--job-minutes", type=float, default=10.0)
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-job", action="store_true")
    parser.add_argument("--skip-accuracy", action="store_true")
    args = parser.parse_args()
    clips = load_clips()
    with tempfile.TemporaryDirectory(prefix="earful-bench-") as folder:
        work = Path(folder)
        if not args.skip_accuracy:
            print("\n".join(accuracy(work)), flush=True)
        if not args.skip_job:
            print("\n".join(job_stage(work, clips, args.job_minutes)), flush=True)
        if not args.skip_memory:
            print("\n".join(stage_memory(work, clips)))


if __name__ == "__main__":
    main()
