"""Speaker windows: short overlapping stretches of speech and their embeddings (see `embedding`).

Windows are 1 s long every 0.5 s. Measured on ami_dev00 against its reference turns: 1.5 s windows blur
the turn boundaries (93 % of words right), 1 s windows keep them (98 %) and cost a third less to embed.
Light (numpy only): the GUI's and CLI's process import it; the model and its libraries stay in the worker.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.speakers.embedder import EMBEDDING_SIZE

WINDOW_MS = 1000
HOP_MS = 500
CHUNK_MS = 5 * 60 * 1000
"""How much audio the worker embeds between two commits: bounds memory and what a crash can lose."""


@dataclass(frozen=True, slots=True)
class SpeakerWindows:
    """Embeddings of windows starting at `starts_ms` (each WINDOW_MS long), in time order."""

    starts_ms: np.ndarray
    """int64 (n,)"""
    embeddings: np.ndarray
    """float32 (n, 192)"""

    @classmethod
    def empty(cls) -> SpeakerWindows:
        return cls(np.zeros(0, dtype=np.int64), np.zeros((0, EMBEDDING_SIZE), dtype=np.float32))

    @classmethod
    def joined(cls, parts: list[SpeakerWindows]) -> SpeakerWindows:
        if not parts:
            return cls.empty()
        return cls(
            np.concatenate([part.starts_ms for part in parts]),
            np.concatenate([part.embeddings for part in parts]),
        )

    def __len__(self) -> int:
        return len(self.starts_ms)

    @property
    def centres_ms(self) -> np.ndarray:
        return self.starts_ms + WINDOW_MS // 2
