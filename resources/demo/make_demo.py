"""Build Earful's demo customer-interview recording from ``script.txt``.

Why this exists: Earful needs a short customer interview it can ship, show
and test against without anyone's consent or licence getting in the way.
Real interviews are private, and recordings found online belong to someone
else.  So the text in ``script.txt`` was written for Earful (a fictional
buyer interview in the style of Kristin Zhivago's "Roadmap" interviews), and
the voices are synthesised locally with eSpeak NG.  Everything produced here
can be redistributed under the project's licence.

The output imitates a call recorded as "microphone + other party":

* ``interview.flac``     -- 16 kHz, 16-bit stereo; LEFT = interviewer only,
                            RIGHT = customer only, turns in sequence with a
                            short gap and each turn silent on the other channel.
* ``interview.ref.json`` -- reference turns with the real placement of each
                            turn: ``[{"speaker", "start_ms", "end_ms", "text"}]``.

Run from anywhere (needs ``espeak-ng`` on PATH, numpy and soundfile)::

    python resources/demo/make_demo.py

The result is deterministic for a given eSpeak NG version: the faint
background noise uses a fixed random seed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "script.txt"
OUT_AUDIO = HERE / "interview.flac"
OUT_REF = HERE / "interview.ref.json"

SAMPLE_RATE = 16_000
GAP_S = 0.4          # silence between turns
LEAD_S = 0.5         # silence before the first and after the last turn
PEAK = 0.7           # per-turn peak level (about -3 dBFS)
NOISE_DBFS = -60.0   # RMS level of the faint background room tone
NOISE_POLE = 0.97    # one-pole low-pass: rumble-like, and cheap for FLAC
NOISE_SEED = 20240601

# speaker tag -> (name in the reference, channel index, espeak-ng arguments)
# Voices and speed were picked by checking that Whisper tiny.en transcribes
# each channel well (en-us+m3/f3 and en-gb/en+f4 did noticeably worse).
SPEAKERS = {
    "I": ("interviewer", 0, ["-v", "en-us", "-s", "150"]),     # male
    "C": ("customer", 1, ["-v", "en-us+f5", "-s", "150"]),     # female
}


def read_script(path: Path) -> list[tuple[str, str]]:
    turns = []
    for n, raw in enumerate(path.read_text(encoding="ascii").splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        tag, sep, text = line.partition(":")
        if not sep or tag.strip() not in SPEAKERS or not text.strip():
            sys.exit(f"{path.name}:{n}: expected 'I: text' or 'C: text'")
        turns.append((tag.strip(), text.strip()))
    return turns


def resample(x: np.ndarray, sr_in: int, sr_out: int) -> np.ndarray:
    """Band-limited resampling via the FFT (clips are short, so this is fine)."""
    if sr_in == sr_out:
        return x
    pad = sr_in // 10  # zero padding keeps circular wrap-around out of the speech
    xp = np.concatenate([np.zeros(pad), x, np.zeros(pad)])
    n_out = int(round(len(xp) * sr_out / sr_in))
    spec = np.fft.rfft(xp)
    keep = n_out // 2 + 1
    spec = spec[:keep] if len(spec) >= keep else np.pad(spec, (0, keep - len(spec)))
    y = np.fft.irfft(spec, n_out) * (n_out / len(xp))
    p = int(round(pad * sr_out / sr_in))
    return y[p:len(y) - p]


def trim(x: np.ndarray, sr: int, thresh: float = 1e-3) -> np.ndarray:
    """Cut leading/trailing silence that espeak-ng adds, keeping 20 ms margins."""
    idx = np.flatnonzero(np.abs(x) > thresh)
    if idx.size == 0:
        return x[:0]
    margin = int(0.02 * sr)
    return x[max(idx[0] - margin, 0):idx[-1] + margin + 1]


def synthesise(text: str, args: list[str], tmp: Path) -> np.ndarray:
    wav = tmp / "turn.wav"
    subprocess.run(["espeak-ng", *args, "-w", str(wav), text], check=True)
    audio, sr = sf.read(wav, dtype="float64", always_2d=True)
    audio = trim(resample(audio[:, 0], sr, SAMPLE_RATE), SAMPLE_RATE)
    return audio * (PEAK / max(np.max(np.abs(audio)), 1e-9))


def main() -> None:
    if shutil.which("espeak-ng") is None:
        sys.exit("espeak-ng not found on PATH (apt install espeak-ng)")
    turns = read_script(SCRIPT)

    clips = []
    with tempfile.TemporaryDirectory() as tmp:
        for tag, text in turns:
            clips.append(synthesise(text, SPEAKERS[tag][2], Path(tmp)))

    gap, lead = int(GAP_S * SAMPLE_RATE), int(LEAD_S * SAMPLE_RATE)
    total = 2 * lead + sum(len(c) for c in clips) + gap * (len(clips) - 1)
    out = np.zeros((total, 2))
    ref = []
    pos = lead
    for (tag, text), clip in zip(turns, clips):
        name, channel, _ = SPEAKERS[tag]
        out[pos:pos + len(clip), channel] = clip
        ref.append({
            "speaker": name,
            "start_ms": round(pos * 1000 / SAMPLE_RATE),
            "end_ms": round((pos + len(clip)) * 1000 / SAMPLE_RATE),
            "text": text,
        })
        pos += len(clip) + gap

    # Faint low-frequency room tone on both channels, so the "silent" channel
    # is not digital zero, as in a real call.  Kept at -60 dBFS and low-passed
    # because broadband noise is incompressible and would double the FLAC size.
    rng = np.random.default_rng(NOISE_SEED)
    spec = np.fft.rfft(rng.standard_normal((total, 2)), axis=0)
    freqs = np.fft.rfftfreq(total, 1 / SAMPLE_RATE)
    spec /= np.abs(1 - NOISE_POLE * np.exp(-2j * np.pi * freqs / SAMPLE_RATE))[:, None]
    noise = np.fft.irfft(spec, total, axis=0)
    noise *= 10 ** (NOISE_DBFS / 20) / noise.std()
    out = out + noise
    out = np.clip(out, -1.0, 1.0)

    sf.write(OUT_AUDIO, out, SAMPLE_RATE, format="FLAC", subtype="PCM_16",
             compression_level=1.0)
    OUT_REF.write_text(json.dumps(ref, indent=2) + "\n", encoding="ascii")
    print(f"wrote {OUT_AUDIO.name} ({total / SAMPLE_RATE:.1f} s, "
          f"{OUT_AUDIO.stat().st_size / 1e6:.2f} MB) and {OUT_REF.name} "
          f"({len(ref)} turns)")


if __name__ == "__main__":
    main()
