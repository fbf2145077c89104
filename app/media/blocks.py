"""A recording's mixdown as a stream of 16 kHz int16 blocks, decoded as the caller goes.

`app.media.decode` returns the whole recording at once, as transcription needs it bit-identical to
faster-whisper; the speaker stage and the pack's copy of a whole recording only need a few seconds at a
time, and holding a 2-hour call (and its copy while the decoded pieces are joined) would cost them
hundreds of megabytes they do not need.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np

from app.media.decode import WHISPER_RATE
from app.media.errors import MediaError

BLOCK_SAMPLES = 10 * WHISPER_RATE


def mono_blocks(path: Path) -> Iterator[np.ndarray]:
    """Consecutive int16 blocks (about 10 s each) of the whole recording, channels mixed down.

    A file that breaks off mid-stream ends where decoding stopped, as `app.media.decode` treats it.
    """
    resampler = av.AudioResampler(format="s16", layout="mono", rate=WHISPER_RATE)
    pending: list[np.ndarray] = []
    held = 0
    decoded_any = False
    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            for frame in container.decode(audio=0):
                for out in resampler.resample(frame):
                    pending.append(out.to_ndarray().reshape(-1))
                    held += out.samples
                if held >= BLOCK_SAMPLES:
                    decoded_any = True
                    yield np.concatenate(pending)
                    pending, held = [], 0
    except (av.FFmpegError, EOFError) as error:
        if not decoded_any and not pending:
            raise MediaError(path, f"could not be decoded ({error}).") from error
    pending.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(None))
    if pending:
        yield np.concatenate(pending)
