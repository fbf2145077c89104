"""The demo interview, so a newcomer sees Earful work before importing anything of their own."""

from __future__ import annotations

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
        segment="Mid-market logistics",
        outcome="won",
        notes="A synthetic interview (eSpeak NG voices) that ships with Earful.",
    )
    return result.interview
