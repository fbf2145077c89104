"""`earful --self-check`: does this installation work on this computer?

Meant for a support call or the end of a build: it runs the parts an interview goes through, in the way the
app runs them (the model in the spawned worker process, the library on disk, PortAudio for recording), from
whatever is installed (a checkout, a wheel or the frozen bundle). Every check runs even when an earlier one
fails, so one report shows everything that is wrong. Nothing touches the network or the user's library.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app import __version__
from app.domain.transcript import MIXDOWN
from app.library import Library
from app.media.devices import AudioUnavailable, list_input_devices, sounddevice
from app.resources import resource_path
from app.transcription.messages import PassFailed, SegmentReady, TranscribeRequest
from app.transcription.models import BUNDLED_MODEL, resolve_model
from app.transcription.options import TranscriptionOptions
from app.transcription.runner import TranscriptionWorker

# 2.5 s cut from the demo interview's first line (left channel, from 0.3 s).
SPEECH_CLIP = "selfcheck/speech.flac"
SPEECH_WORDS = ("thanks", "for", "your", "time", "dana")


class CheckFailed(Exception):
    """A check ran but what it found is wrong; the message says what."""


@dataclass(frozen=True, slots=True)
class CheckResult:
    name: str
    passed: bool
    detail: str


def self_check() -> int:
    """Run every check in a temporary folder, print the report; 0 when all pass, 1 otherwise."""
    with tempfile.TemporaryDirectory(prefix="earful-self-check-") as folder:
        results = run_checks(Path(folder))
    print(report(results), flush=True)
    return 0 if all(result.passed for result in results) else 1


def run_checks(work_dir: Path) -> list[CheckResult]:
    return [_run(name, check, work_dir) for name, check in CHECKS]


def report(results: list[CheckResult]) -> str:
    where = f"bundle in {Path(sys.executable).parent}" if getattr(sys, "frozen", False) else sys.executable
    lines = [f"Earful {__version__} self-check ({where})"]
    width = max(len(result.name) for result in results)
    for result in results:
        first, *more = result.detail.splitlines() or [""]
        lines.append(f"  {'ok  ' if result.passed else 'FAIL'}  {result.name:<{width}}  {first}")
        lines.extend(f"  {'':4}  {'':<{width}}  {line}" for line in more)
    failed = sum(not result.passed for result in results)
    lines.append(
        f"{failed} of {len(results)} checks failed." if failed else f"All {len(results)} checks passed."
    )
    return "\n".join(lines)


def _run(name: str, check: Callable[[Path], str], work_dir: Path) -> CheckResult:
    try:
        return CheckResult(name, True, check(work_dir))
    except Exception as error:  # the report names every failure instead of stopping at the first
        detail = str(error) if isinstance(error, CheckFailed) else f"{type(error).__name__}: {error}"
        return CheckResult(name, False, detail)


def check_library(work_dir: Path) -> str:
    root = work_dir / "library"
    with Library.open(root) as library:
        library.settings.set("self_check", __version__)
    with Library.open(root, create=False) as library:
        if library.settings.get("self_check") != __version__:
            raise CheckFailed(f"A value written to the library in {root} did not read back.")
    return f"created, written and reopened in {root}"


def check_model(work_dir: Path) -> str:
    model = resolve_model(BUNDLED_MODEL, work_dir / "models")  # a fresh folder: the checksum is computed
    return f"{model.name} in {model.path}, checksum verified"


def check_transcription(work_dir: Path) -> str:
    model = resolve_model(BUNDLED_MODEL, work_dir / "models")
    request = TranscribeRequest(
        audio_path=str(resource_path(SPEECH_CLIP)),
        model_path=str(model.path),
        channel=MIXDOWN,
        start_ms=0,
        options=TranscriptionOptions(),
    )
    started = time.perf_counter()
    with TranscriptionWorker() as worker:
        messages = list(worker.run(request))
    seconds = time.perf_counter() - started
    failure = next((message for message in messages if isinstance(message, PassFailed)), None)
    if failure is not None:
        raise CheckFailed(f"The worker process failed: {failure.message}")
    text = " ".join(message.segment.text.strip() for message in messages if isinstance(message, SegmentReady))
    heard = set(re.findall(r"[a-z']+", text.lower()))
    missing = [word for word in SPEECH_WORDS if word not in heard]
    if len(missing) * 2 > len(SPEECH_WORDS):
        raise CheckFailed(f"Heard {text!r} in {SPEECH_CLIP}; expected the words {' '.join(SPEECH_WORDS)}.")
    return f"heard {text!r} in a worker process ({seconds:.1f} s with starting it and loading the model)"


def check_audio_input(work_dir: Path) -> str:
    sounddevice()  # PortAudio itself must load: without it nothing can ever be recorded
    try:
        devices = list_input_devices()
    except AudioUnavailable as error:  # a computer with no microphone is not a broken installation
        return f"PortAudio works, but there is nothing to record from: {error}"
    return "\n".join(str(device) for device in devices)


CHECKS: tuple[tuple[str, Callable[[Path], str]], ...] = (
    ("library", check_library),
    ("model", check_model),
    ("transcription", check_transcription),
    ("audio input", check_audio_input),
)
