"""Transcript corrections as undoable edits, each written to the library the moment it is made.

An `Edit` holds the affected rows before and after; applying or reverting it writes one side in a single
transaction. The GUI wraps edits in QUndoCommands; a crash right after an edit loses nothing, and ids stay
stable across undo/redo, so what is read through a segment (a quote's words and text) stays attached.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from app.domain import editing
from app.domain.quote import Quote, quoted_words
from app.domain.transcript import Segment, Speaker, SpeakerRole
from app.library import Library, LibraryError
from app.library.transactions import writing
from app.services.tagging import restore_quote


@dataclass(frozen=True, slots=True)
class Edit:
    description: str
    interview_id: int
    segments_before: tuple[Segment, ...] = field(default_factory=tuple)
    segments_after: tuple[Segment, ...] = field(default_factory=tuple)
    speakers_before: tuple[Speaker, ...] = field(default_factory=tuple)
    speakers_after: tuple[Speaker, ...] = field(default_factory=tuple)
    quotes_removed: tuple[Quote, ...] = field(default_factory=tuple)
    """Quotes left with no words by the edit: deleted with it, put back by its undo."""


class TranscriptEditor:
    def __init__(self, library: Library) -> None:
        self._library = library

    # Segment edits -------------------------------------------------------------------------------------

    def correct_text(self, segment_id: int, text: str) -> Edit:
        segment = self._segment(segment_id)
        return self._commit("Edit text", segment.interview_id, [segment], [editing.corrected(segment, text)])

    def split(self, segment_id: int, word_index: int) -> Edit:
        segment = self._segment(segment_id)
        return self._commit(
            "Split segment", segment.interview_id, [segment], list(editing.split(segment, word_index))
        )

    def merge_with_next(self, segment_id: int) -> Edit:
        segment = self._segment(segment_id)
        segments = self._library.transcripts.segments(segment.interview_id)
        index = next(i for i, s in enumerate(segments) if s.id == segment_id)
        if index + 1 >= len(segments):
            raise editing.EditError("This is the last segment; there is nothing to merge it with.")
        following = segments[index + 1]
        return self._commit(
            "Merge segments", segment.interview_id, [segment, following], [editing.merged(segment, following)]
        )

    def quotes_emptied_by_deleting(self, segment_id: int) -> list[Quote]:
        """The quotes that hold only this segment's words: deleting the segment deletes them too (a quote
        with no words would be an empty box on the board). Asked first, so the user can be told."""
        segment = self._segment(segment_id)
        remaining = [
            s for s in self._library.transcripts.segments(segment.interview_id) if s.id != segment_id
        ]
        return [
            quote
            for quote in self._library.quotes.for_interview(segment.interview_id)
            if quoted_words([segment], quote.start_ms, quote.end_ms, quote.channel)
            and not quoted_words(remaining, quote.start_ms, quote.end_ms, quote.channel)
        ]

    def delete_segment(self, segment_id: int) -> Edit:
        """Remove a segment (e.g. small talk, or words from a recording left running), and with it the quotes
        it alone held, in one transaction."""
        segment = self._segment(segment_id)
        emptied = self.quotes_emptied_by_deleting(segment_id)
        edit = Edit("Delete segment", segment.interview_id, (segment,), (), quotes_removed=tuple(emptied))
        self.apply(edit)
        return edit

    def reassign(self, segment_id: int, speaker_id: int) -> Edit:
        segment = self._segment(segment_id)
        speaker = self._library.transcripts.speaker(speaker_id)
        if speaker.interview_id != segment.interview_id:
            raise LibraryError("That speaker belongs to another interview.")
        return self._commit(
            f"Assign to {speaker.name}",
            segment.interview_id,
            [segment],
            [replace(segment, speaker_id=speaker_id)],
        )

    def reassign_words(self, words: list[tuple[int, int]], speaker_id: int) -> Edit:
        """Give selected words, as (segment id, word index), to another speaker: each segment they touch is
        cut around them, so a turn the model split wrongly is mended without retyping anything."""
        if not words:
            raise editing.EditError("Select the words first.")
        speaker = self._library.transcripts.speaker(speaker_id)
        chosen: dict[int, list[int]] = {}
        for segment_id, index in words:
            chosen.setdefault(segment_id, []).append(index)
        before = [self._segment(segment_id) for segment_id in chosen]
        if any(segment.interview_id != speaker.interview_id for segment in before):
            raise LibraryError("That speaker belongs to another interview.")
        after = [
            piece
            for segment in before
            for piece in editing.reassigned_words(
                segment, min(chosen[segment.id]), max(chosen[segment.id]), speaker_id
            )
        ]
        return self._commit(f"Give words to {speaker.name}", speaker.interview_id, before, after)

    # Speaker edits -------------------------------------------------------------------------------------

    def merge_speakers(self, source_id: int, target_id: int) -> Edit:
        """Everything `source` said becomes `target`'s (the model heard one person as two voices)."""
        source = self._library.transcripts.speaker(source_id)
        target = self._library.transcripts.speaker(target_id)
        if source.interview_id != target.interview_id or source.id == target.id:
            raise LibraryError("Merge two different speakers of the same interview.")
        before = [
            s for s in self._library.transcripts.segments(source.interview_id) if s.speaker_id == source_id
        ]
        if not before:
            raise editing.EditError(f"{source.name} says nothing in this transcript.")
        after = [replace(segment, speaker_id=target_id) for segment in before]
        return self._commit(f"Merge {source.name} into {target.name}", source.interview_id, before, after)

    def rename_speaker(self, speaker_id: int, name: str) -> Edit:
        speaker = self._library.transcripts.speaker(speaker_id)
        renamed = replace(speaker, display_name=" ".join(name.split()) or None)
        return self._commit_speakers(f"Rename {speaker.name}", [speaker], [renamed])

    def set_role(self, speaker_id: int, role: SpeakerRole) -> Edit:
        speaker = self._library.transcripts.speaker(speaker_id)
        return self._commit_speakers(
            f"{speaker.name} is {role.value}", [speaker], [replace(speaker, role=role)]
        )

    def swap_speakers(self, first_id: int, second_id: int) -> Edit:
        """The model (or the channel order) attached each name to the wrong voice: exchange the names, labels
        and roles, so every segment of one voice now shows the other's name."""
        first = self._library.transcripts.speaker(first_id)
        second = self._library.transcripts.speaker(second_id)
        if first.interview_id != second.interview_id or first.id == second.id:
            raise LibraryError("Swap two different speakers of the same interview.")

        def named_as(speaker: Speaker, other: Speaker) -> Speaker:
            return replace(speaker, label=other.label, role=other.role, display_name=other.display_name)

        return self._commit_speakers(
            f"Swap {first.name} and {second.name}",
            [first, second],
            [named_as(first, second), named_as(second, first)],
        )

    # Undo / redo ---------------------------------------------------------------------------------------

    def apply(self, edit: Edit) -> None:
        """Redo: write the `after` side."""
        with writing(self._library.db):
            self._write(edit.segments_before, edit.segments_after, edit.speakers_after)
            for quote in edit.quotes_removed:
                self._library.quotes.delete(quote.id)

    def revert(self, edit: Edit) -> None:
        """Undo: write the `before` side."""
        with writing(self._library.db):
            self._write(edit.segments_after, edit.segments_before, edit.speakers_before)
            for quote in edit.quotes_removed:
                restore_quote(self._library, quote)

    def _write(
        self, remove: tuple[Segment, ...], add: tuple[Segment, ...], speakers: tuple[Speaker, ...]
    ) -> None:
        if remove or add:
            self._library.transcripts.replace_segments(list(remove), list(add))
        if speakers:
            self._library.transcripts.write_speakers(list(speakers))

    def _commit(
        self, description: str, interview_id: int, before: list[Segment], after: list[Segment]
    ) -> Edit:
        stored = self._library.transcripts.replace_segments(before, after)
        return Edit(description, interview_id, tuple(before), tuple(stored))

    def _commit_speakers(self, description: str, before: list[Speaker], after: list[Speaker]) -> Edit:
        self._library.transcripts.write_speakers(after)
        return Edit(
            description, before[0].interview_id, speakers_before=tuple(before), speakers_after=tuple(after)
        )

    def _segment(self, segment_id: int) -> Segment:
        return self._library.transcripts.segment(segment_id)
