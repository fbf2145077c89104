"""Voices mapped onto the interview's speakers: who is the interviewer, and names the user gave are kept.

The interviewer is the voice that asks more questions (turns ending in "?"); on a tie, the one heard first.
When the stage runs again (say with another speaker count), each voice takes over the existing speaker
whose words it shares most, named speakers first: "once the user names a speaker, keep it".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from app.domain.transcript import Speaker, SpeakerRole
from app.speakers.attribution import Turn

ONE_VOICE_LABEL = "Speaker 1"
"""What a one-channel recording's only speaker is called (as before any labelling)."""


def role_labels(roles: list[SpeakerRole]) -> list[str]:
    """'Interviewer' and 'Customer'; numbered when several share a role ('Customer 1', 'Customer 2')."""
    labels = []
    for index, role in enumerate(roles):
        label = role.value.capitalize()
        labels.append(f"{label} {roles[: index + 1].count(role)}" if roles.count(role) > 1 else label)
    return labels


def interviewer_voice(turns: list[Turn]) -> int:
    """The voice with the most questions; the first voice heard when no voice asks more."""
    questions = Counter(turn.voice for turn in turns if turn.text.rstrip().endswith("?"))
    heard = list(dict.fromkeys(turn.voice for turn in sorted(turns, key=lambda turn: turn.start_ms)))
    if not heard:
        return 0
    return max(heard, key=lambda voice: (questions[voice], -heard.index(voice)))


def voice_speakers(
    turns: list[Turn], voices: int, existing: list[Speaker], interview_id: int
) -> list[Speaker]:
    """One speaker per voice (index = voice). Existing speakers keep their id; id 0 means a new one.

    A speaker the user named keeps its name and role; the others get roles from `interviewer_voice` and
    labels from their roles.
    """
    shared = Counter()
    for turn in turns:
        if turn.source.speaker_id is not None:
            shared[turn.voice, turn.source.speaker_id] += max(len(turn.words), 1)
    by_id = {speaker.id: speaker for speaker in existing}
    chosen: dict[int, Speaker] = {}
    for named_first in (True, False):
        pairs = sorted(
            (
                (-count, voice, speaker_id)
                for (voice, speaker_id), count in shared.items()
                if bool(by_id.get(speaker_id) and by_id[speaker_id].display_name) == named_first
            ),
        )
        for _count, voice, speaker_id in pairs:
            if voice not in chosen and speaker_id not in {s.id for s in chosen.values()}:
                chosen[voice] = by_id[speaker_id]
    interviewer = interviewer_voice(turns) if voices > 1 else None
    roles = [
        chosen[voice].role
        if voice in chosen and chosen[voice].display_name
        else _role(voice, interviewer, chosen.get(voice))
        for voice in range(voices)
    ]
    labels = role_labels(roles) if voices > 1 else [ONE_VOICE_LABEL]
    speakers = [
        replace(chosen[voice], role=roles[voice], label=labels[voice])
        if voice in chosen
        else Speaker(0, interview_id, labels[voice], roles[voice], None, None)
        for voice in range(voices)
    ]
    return _unique_labels(speakers, [s for s in existing if s.display_name and s not in chosen.values()])


def _role(voice: int, interviewer: int | None, previous: Speaker | None) -> SpeakerRole:
    if interviewer is None:  # one voice: keep the role it had (e.g. chosen at import)
        return previous.role if previous else SpeakerRole.OTHER
    return SpeakerRole.INTERVIEWER if voice == interviewer else SpeakerRole.CUSTOMER


def _unique_labels(speakers: list[Speaker], kept: list[Speaker]) -> list[Speaker]:
    """Labels are unique per interview; a clash with a kept (named, now silent) speaker gets a number."""
    taken = {speaker.label for speaker in kept}
    unique = []
    for speaker in speakers:
        label, number = speaker.label, 2
        while label in taken:
            label, number = f"{speaker.label} ({number})", number + 1
        taken.add(label)
        unique.append(replace(speaker, label=label))
    return unique
