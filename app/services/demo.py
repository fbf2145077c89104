"""The demo interview, so a newcomer sees Earful work before importing anything of their own."""

from __future__ import annotations

import hashlib
from functools import cache

from app.domain.interview import Interview
from app.domain.transcript import SpeakerRole
from app.library import Library
from app.resources import resource_path
from app.services.importing import import_recording

DEMO_AUDIO = "demo/interview.flac"


def ensure_demo_interview(library: Library) -> Interview:
    """Import the demo interview unless the library has it already (the same audio is never stored twice)."""
    result = import_recording(
        library,
        resource_path(DEMO_AUDIO),
        title="Demo: Northwind Freight – operations lead",
        channel_roles=(SpeakerRole.INTERVIEWER, SpeakerRole.CUSTOMER),
        customer_name="Dana",
        company="Northwind Freight",
        role="Operations lead",
        persona_segment="Mid-market logistics",
        outcome="won",
        notes="A synthetic interview (eSpeak NG voices) that ships with Earful.",
    )
    return result.interview


def demo_interview_id(library: Library) -> int | None:
    """The demo interview's id in `library`, if it holds the demo (known by its audio, whatever its title)."""
    recording = library.recordings.by_sha256(_demo_sha256())
    return None if recording is None else recording.interview_id


@cache
def _demo_sha256() -> str:
    return hashlib.sha256(resource_path(DEMO_AUDIO).read_bytes()).hexdigest()
