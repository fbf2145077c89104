"""One interview's transcript as plain text, SRT, WebVTT or JSON."""

from __future__ import annotations

import json
from collections.abc import Callable

from app.domain.interview import Interview
from app.domain.timecode import clock, subtitle
from app.domain.transcript import Segment, Speaker


def _speaker_names(speakers: list[Speaker]) -> dict[int, str]:
    return {speaker.id: speaker.name for speaker in speakers}


def as_text(interview: Interview, segments: list[Segment], speakers: list[Speaker]) -> str:
    """Like a script: timestamp, speaker, words; a speaker's consecutive segments share one heading."""
    names = _speaker_names(speakers)
    lines = [interview.title, ""]
    previous: int | None = None
    for segment in segments:
        name = names.get(segment.speaker_id, "Unknown")
        speaker = f"{name}:" if segment.speaker_id != previous else " " * (len(name) + 1)
        lines.append(f"[{clock(segment.start_ms)}] {speaker} {segment.text}")
        previous = segment.speaker_id
    return "\n".join(lines) + "\n"


def as_srt(interview: Interview, segments: list[Segment], speakers: list[Speaker]) -> str:
    names = _speaker_names(speakers)
    blocks = [
        f"{number}\n{subtitle(s.start_ms, ',')} --> {subtitle(s.end_ms, ',')}\n"
        f"{names.get(s.speaker_id, 'Unknown')}: {s.text}\n"
        for number, s in enumerate(segments, start=1)
    ]
    return "\n".join(blocks)


def as_vtt(interview: Interview, segments: list[Segment], speakers: list[Speaker]) -> str:
    names = _speaker_names(speakers)
    blocks = [
        f"{subtitle(s.start_ms, '.')} --> {subtitle(s.end_ms, '.')}\n<v {names.get(s.speaker_id, 'Unknown')}>{s.text}\n"
        for s in segments
    ]
    return "WEBVTT\n\n" + "\n".join(blocks)


def as_json(interview: Interview, segments: list[Segment], speakers: list[Speaker]) -> str:
    return (
        json.dumps(
            {
                "interview": {"id": interview.id, "title": interview.title},
                "speakers": [
                    {"id": s.id, "label": s.label, "name": s.name, "role": s.role.value, "channel": s.channel}
                    for s in speakers
                ],
                "segments": [
                    {
                        "id": s.id,
                        "start_ms": s.start_ms,
                        "end_ms": s.end_ms,
                        "speaker_id": s.speaker_id,
                        "text": s.text,
                        "words": [[w.start_ms, w.end_ms, w.text, w.probability] for w in s.words],
                    }
                    for s in segments
                ],
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )


FORMATS: dict[str, Callable[[Interview, list[Segment], list[Speaker]], str]] = {
    "txt": as_text,
    "srt": as_srt,
    "vtt": as_vtt,
    "json": as_json,
}
