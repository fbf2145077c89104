"""Long calls transcribed whole and fast: decoding strategies on 10, 30 and 60 minutes of real speech.

Each recording is built from distinct real utterances (`tests/longform.py`, never a looped clip). Per
strategy: pooled WER (normalised) against the concatenated references, coverage (the share of speech
stretches of ≥ 2 s that hold words, after the pass and after the coverage repair, with what stayed
untranscribed), wall and CPU time, and each strategy's time against today's sequential beam 5 (no repair).
Targets for the default: coverage 100 %, WER ≤ today's + 0.005, time ≤ 0.5 × today's.

Run:  python bench/longform.py [--minutes 10 30 60] [--strategies default today]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from app.domain.timecode import clock  # noqa: E402
from app.domain.transcript import MIXDOWN, Segment  # noqa: E402
from app.media.decode import decode_for_whisper  # noqa: E402
from app.transcription.coverage import find_holes, repair_holes, speech_spans, speech_stretches  # noqa: E402
from app.transcription.engine import (  # noqa: E402
    lanes_for,
    load_model,
    transcribe_in_lanes,
    transcribe_samples,
)
from app.transcription.models import resolve_model  # noqa: E402
from app.transcription.options import TranscriptionOptions  # noqa: E402
from tests.longform import build_recording  # noqa: E402
from tests.wer import wer  # noqa: E402

WER_MARGIN = 0.005
TIME_TARGET = 0.5


@dataclass(frozen=True, slots=True)
class Strategy:
    name: str
    options: TranscriptionOptions
    repair: bool


STRATEGIES = {
    "today": Strategy("sequential beam 5 (today)", TranscriptionOptions(lanes=1), repair=False),
    "greedy": Strategy(
        "greedy, no previous text + repair", TranscriptionOptions(batch_size=0, beam_size=1), True
    ),
    "default": Strategy("default (as TranscriptionOptions())", TranscriptionOptions(), True),
    "sequential": Strategy("sequential beam 5 + repair", TranscriptionOptions(lanes=1), True),
    "lanes2": Strategy("2 lanes beam 5 + repair", TranscriptionOptions(lanes=2), True),
    "lanes2greedy": Strategy("2 lanes greedy + repair", TranscriptionOptions(lanes=2, beam_size=1), True),
    "batched8": Strategy("batched 8 + repair", TranscriptionOptions(batch_size=8), True),
    "batched16": Strategy("batched 16 + repair", TranscriptionOptions(batch_size=16), True),
    "batched4": Strategy("batched 4 + repair", TranscriptionOptions(batch_size=4), True),
}


@dataclass(frozen=True, slots=True)
class Result:
    strategy: Strategy
    wer: float
    speech_ms: int
    """VAD speech in stretches of ≥ 2 s."""
    missing_by_pass_ms: int
    """Speech (≥ 2 s at a time) without words after the pass alone."""
    missing_ms: int
    shown_ms: int
    """Missing speech inside an untranscribed span: shown to the user, not hidden."""
    untranscribed: list[tuple[int, int]]
    loops: int
    wall: float
    cpu: float


def run(model_path: str, samples, stretches, reference: str, strategy: Strategy) -> Result:
    """One strategy as the worker runs a pass and its coverage check: models that have not sampled yet
    (CTranslate2 seeds a thread's sampler at its first draw), the VAD beside the pass (lanes wait for it to
    cut their chunks), and the repair reading the same VAD."""
    lanes = lanes_for(strategy.options, len(samples) * 1000 // 16_000, 0)
    models = [load_model(model_path, threads=1 if lanes > 1 else 0) for _ in range(lanes)]
    wall, cpu = time.perf_counter(), time.process_time()
    spans: list = []
    vad = threading.Thread(target=lambda: spans.extend(speech_spans(samples)))
    if strategy.repair or lanes > 1:
        vad.start()
    if lanes > 1:
        vad.join()
        raw = list(transcribe_in_lanes(models, samples, strategy.options, MIXDOWN, 0, spans))
    else:
        raw = list(transcribe_samples(models[0], samples, strategy.options, MIXDOWN))
    segments = [_stored(index, segment) for index, segment in enumerate(raw, start=1)]
    holes = find_holes(stretches, segments)
    untranscribed: list[tuple[int, int]] = []
    if strategy.repair:
        vad.join()
        for repair in repair_holes(models[0], samples, strategy.options, MIXDOWN, segments, spans=spans):
            segments = [s for s in segments if s.id not in repair.hole.loops]
            segments += [_stored(-len(segments), s) for s in repair.segments]
            untranscribed += [(span.start_ms, span.end_ms) for span in repair.untranscribed]
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    segments.sort(key=lambda s: s.start_ms)
    empty = [piece for hole in find_holes(stretches, segments) for piece in hole.stretches]
    return Result(
        strategy,
        wer(reference, " ".join(s.text for s in segments)),
        _length(stretches),
        _length([piece for hole in holes for piece in hole.stretches]),
        _length(empty),
        _length([(a, b) for a, b in empty if any(s <= a and b <= e for s, e in untranscribed)]),
        untranscribed,
        sum(len(hole.loops) for hole in holes),
        wall,
        cpu,
    )


def _length(spans: list[tuple[int, int]]) -> int:
    return sum(end - start for start, end in spans)


def _stored(segment_id: int, segment) -> Segment:
    return Segment(segment_id, 0, segment.start_ms, segment.end_ms, segment.text, None, segment.words, None)


def lines(minutes: float, seconds: float, results: list[Result]) -> list[str]:
    today = next((r for r in results if r.strategy is STRATEGIES["today"]), None)
    out = [f"{minutes:g} minutes ({seconds / 60:.1f} min of audio):"]
    for r in results:
        ratio = f", {r.wall / today.wall:.2f}× today's time ({r.cpu / today.cpu:.2f}× CPU)" if today else ""
        spans = ", ".join(f"{clock(s)}–{clock(e)}" for s, e in r.untranscribed) or "none"
        out.append(
            f"  {r.strategy.name:<34} WER {r.wer:.3f}  coverage {1 - r.missing_ms / r.speech_ms:.1%} "
            f"(+ {r.shown_ms / r.speech_ms:.1%} shown untranscribed; pass alone "
            f"{1 - r.missing_by_pass_ms / r.speech_ms:.1%}, {r.loops} loops; untranscribed: {spans})  "
            f"wall {r.wall:.1f} s, CPU {r.cpu:.1f} s{ratio}"
        )
    chosen = next((r for r in results if r.strategy is STRATEGIES["default"]), None)
    if chosen and today:
        ok = (
            chosen.missing_ms <= chosen.shown_ms,
            chosen.wer <= today.wer + WER_MARGIN,
            chosen.wall <= TIME_TARGET * today.wall,
        )
        verdicts = ", ".join(
            f"{name} {'ok' if good else 'MISSED'}"
            for name, good in zip(("coverage", "WER", "time"), ok, strict=True)
        )
        out.append(
            f"  default against today: time {chosen.wall / today.wall:.2f}× (target ≤ {TIME_TARGET}), "
            f"WER {chosen.wer - today.wer:+.3f} (target ≤ +{WER_MARGIN}) — {verdicts}"
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, nargs="+", default=[10, 30, 60])
    parser.add_argument(
        "--strategies", nargs="+", choices=STRATEGIES, default=["today", "sequential", "lanes2", "default"]
    )
    args = parser.parse_args()
    model_path = str(resolve_model(TranscriptionOptions().model).path)
    summary: list[str] = []
    with tempfile.TemporaryDirectory(prefix="earful-longform-") as temporary:
        for minutes in args.minutes:
            try:
                recording = build_recording(minutes, Path(temporary) / f"{minutes:g}.wav")
            except ValueError as error:
                summary.append(f"{minutes:g} minutes: not built: {error}")
                print(summary[-1], flush=True)
                continue
            samples = decode_for_whisper(recording.path, split_stereo=False)[0]
            stretches = speech_stretches(samples)
            results = []
            for key in args.strategies:
                results.append(run(model_path, samples, stretches, recording.reference, STRATEGIES[key]))
                print(lines(minutes, recording.seconds, results)[len(results)], flush=True)
            summary += lines(minutes, recording.seconds, results)
    print("\n" + "\n".join(summary))


if __name__ == "__main__":
    main()
