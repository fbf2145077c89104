"""A labelled corpus interview spoken by two eSpeak NG voices into one channel, as the demo call is made
(`resources/demo/make_demo.py`; espeak-ng is installed by `packaging/dev.sh`): a one-channel recording of
a call, with the real place of every turn so suggestions on the audio can be scored against the labels."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest
import soundfile

from app.media.decode import WHISPER_RATE, decode_for_whisper

# The demo's two voices (chosen there because tiny.en transcribes them well), a little faster.
VOICES = {
    "interviewer": ["-v", "en-us", "-s", "165"],
    "customer": ["-v", "en-us+f5", "-s", "165"],
}
GAP_MS = 400
LEAD_MS = 500


def synthesise_interview(document: dict, audio: Path) -> list[tuple[int, int]]:
    """Write the interview's turns, one voice per speaker, one after the other into a mono 16 kHz FLAC;
    returns each turn's (start ms, end ms) in it."""
    if shutil.which("espeak-ng") is None:
        pytest.fail("espeak-ng is not installed: run packaging/dev.sh (it installs the test packages).")
    gap = np.zeros(WHISPER_RATE * GAP_MS // 1000, dtype=np.float32)
    pieces, spans = [np.zeros(WHISPER_RATE * LEAD_MS // 1000, dtype=np.float32)], []
    clock = LEAD_MS
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "turn.wav"
        for turn in document["turns"]:
            subprocess.run(["espeak-ng", *VOICES[turn["speaker"]], "-w", str(wav), turn["text"]], check=True)
            speech = decode_for_whisper(wav, split_stereo=False)[0]
            length_ms = len(speech) * 1000 // WHISPER_RATE
            spans.append((clock, clock + length_ms))
            pieces.extend([speech, gap])
            clock += length_ms + GAP_MS
    samples = np.concatenate(pieces)
    soundfile.write(
        audio, 0.7 * samples / max(float(np.abs(samples).max()), 1e-9), WHISPER_RATE, subtype="PCM_16"
    )
    return spans
