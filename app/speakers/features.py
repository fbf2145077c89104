"""The log-mel filterbank CAM++ was trained on, computed by kaldi-native-fbank (Kaldi's own algorithm).

CAM++ was trained on `torchaudio.compliance.kaldi.fbank` features; kaldi-native-fbank computes the same
thing without torch, so we do not write (and get subtly wrong) our own.
"""

from __future__ import annotations

import kaldi_native_fbank as knf
import numpy as np

from app.media.decode import WHISPER_RATE

MEL_BINS = 80
FRAME_SHIFT_MS = 10


def _options() -> knf.FbankOptions:
    options = knf.FbankOptions()
    options.frame_opts.samp_freq = WHISPER_RATE
    options.frame_opts.dither = 0.0  # deterministic: the same call gives the same speakers every time
    options.mel_opts.num_bins = MEL_BINS
    return options


def fbank(samples: np.ndarray) -> np.ndarray:
    """(frames, 80) float32 log-mel energies of int16 16 kHz `samples`, one frame every 10 ms.

    Kaldi works on int16-scaled values; each window's mean is subtracted later, so the scale cancels out.
    """
    computer = knf.OnlineFbank(_options())
    computer.accept_waveform(WHISPER_RATE, samples.astype(np.float32))
    computer.input_finished()
    frames = computer.num_frames_ready
    if frames == 0:
        return np.zeros((0, MEL_BINS), dtype=np.float32)
    return np.stack([computer.get_frame(index) for index in range(frames)]).astype(np.float32, copy=False)
