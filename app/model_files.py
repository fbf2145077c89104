"""Where Earful keeps model files, and proof that a model file is the one we shipped.

Outside the layers (like `app/resources.py`) because both the transcription model (`transcription/models.py`)
and the sentence-embedding model (`analysis/embedder.py`) are checked the same way, and those packages may
not import each other.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import platformdirs

MODELS_ENV = "EARFUL_MODELS_DIR"


class ChecksumMismatch(ValueError):
    """A model file's content is not what Earful shipped; the message says so and what to do."""


def default_models_dir() -> Path:
    configured = os.environ.get(MODELS_ENV)
    if configured:
        return Path(configured).expanduser()
    return Path(platformdirs.user_data_dir("Earful", appauthor=False)) / "models"


def verify_sha256(file: Path, expected: str, cache_dir: Path) -> None:
    """Refuse a model file whose content is not what we shipped.

    Hashing 75+ MB on every start would be wasted time, so a verified file is remembered by size and
    modification time (a change to either hashes it again).
    """
    stat = file.stat()
    stamp = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": expected}
    cache = cache_dir / "verified.json"
    try:
        verified = json.loads(cache.read_text())
    except (OSError, ValueError):
        verified = {}
    if verified.get(str(file)) == stamp:
        return
    digest = hashlib.sha256()
    with open(file, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            digest.update(block)
    if digest.hexdigest() != expected:
        raise ChecksumMismatch(
            f"The model file {file} is not the one Earful expects (checksum mismatch): it may be damaged or "
            "tampered with. Reinstall Earful or the model package."
        )
    verified[str(file)] = stamp
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        temporary = cache.with_suffix(".tmp")
        temporary.write_text(json.dumps(verified))
        temporary.replace(cache)
    except OSError:
        pass  # remembering is an optimisation; a read-only home still works
