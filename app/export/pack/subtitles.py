"""Each conversation of a pack as SRT, WebVTT or plain text, through the same code as single transcripts
(`app.export.transcript_formats`), fed from the pack so anonymised names and redactions carry over."""

from __future__ import annotations

from app.domain.interview import Interview
from app.domain.transcript import Segment, Speaker, SpeakerRole
from app.export.pack.model import Pack, PackInterview
from app.export.pack.plain import file_name
from app.export.transcript_formats import FORMATS


def render_transcripts(pack: Pack, stem: str, kind: str) -> dict[str, bytes]:
    """`kind` is "txt", "srt" or "vtt"; one file per conversation that has a transcript."""
    return {
        file_name(interview, stem, kind): FORMATS[kind](*_as_domain(interview)).encode("utf-8")
        for interview in pack.interviews
        if interview.lines
    }


def _as_domain(interview: PackInterview) -> tuple[Interview, list[Segment], list[Speaker]]:
    names = list(dict.fromkeys(line.speaker for line in interview.lines))
    speakers = [
        Speaker(number, interview.number, name, SpeakerRole.OTHER, None, None)
        for number, name in enumerate(names, start=1)
    ]
    ids = {speaker.label: speaker.id for speaker in speakers}
    segments = [
        Segment(n, interview.number, line.start_ms, line.end_ms, line.text, ids[line.speaker], (), None)
        for n, line in enumerate(interview.lines, start=1)
    ]
    header = Interview(interview.number, interview.heading, *([None] * 8), created_at="", updated_at="")
    return header, segments, speakers
