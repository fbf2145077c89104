"""Reading back what a pack wrote, the way its reader would: text of every file, clips of the HTML."""

from __future__ import annotations

import base64
import re
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import av
import numpy as np


def text_of(path: Path) -> str:
    """All the text a person (or a search) could find in one file of a pack."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        return unicodedata.normalize("NFKC", text)  # the layout engine sets "fi" as one ligature glyph
    if suffix in (".docx", ".qdpx"):
        with zipfile.ZipFile(path) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", errors="replace")
                for name in archive.namelist()
                if name.endswith((".xml", ".qde", ".txt", ".rels"))
            )
    text = path.read_text(encoding="utf-8-sig")
    return re.sub(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+", "data:", text)  # clips are audio, not text


def html_clips(html: Path) -> dict[str, bytes]:
    """Quote anchor → the clip bytes embedded in its player."""
    source = html.read_text(encoding="utf-8")
    found = re.findall(
        r'<figure class="quote" id="([^"]+)">.*?data-clip="data:audio/mp4;base64,([^"]+)"', source, re.S
    )
    return {anchor: base64.b64decode(data) for anchor, data in found}


def decode_clip(data: bytes, rate: int = 16_000) -> np.ndarray:
    """Mono float samples of an encoded clip."""
    import io

    resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
    chunks = []
    with av.open(io.BytesIO(data)) as container:
        for frame in container.decode(audio=0):
            chunks += [out.to_ndarray().reshape(-1) for out in resampler.resample(frame)]
    chunks += [out.to_ndarray().reshape(-1) for out in resampler.resample(None)]
    return np.concatenate(chunks)
