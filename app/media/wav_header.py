"""The length a WAV file's header declares.

FFmpeg (and libsndfile) quietly shorten a WAV's length to what the file holds, so a recording cut off by a
crash would look complete; the `data` chunk's size in the header still tells the length it should have.
"""

from __future__ import annotations

import struct
from pathlib import Path


def declared_wav_ms(path: Path) -> int | None:
    """Milliseconds of audio the header promises, or None if this is not a plain RIFF/WAVE file."""
    try:
        with open(path, "rb") as handle:
            if handle.read(12)[:4] != b"RIFF":
                return None
            block_align = rate = None
            while header := handle.read(8):
                if len(header) < 8:
                    return None
                chunk_id, size = header[:4], struct.unpack("<I", header[4:])[0]
                if chunk_id == b"fmt ":
                    fmt = handle.read(size)
                    rate, _byte_rate, block_align = struct.unpack("<IIH", fmt[4:14])
                    handle.seek(size % 2, 1)
                elif chunk_id == b"data":
                    if (
                        not block_align or not rate or size == 0xFFFFFFFF
                    ):  # 0xFFFFFFFF: streamed, length unknown
                        return None
                    return size // block_align * 1000 // rate
                else:
                    handle.seek(size + size % 2, 1)
    except (OSError, struct.error):
        return None
    return None
