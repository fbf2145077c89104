"""A job's speaker stage: who speaks when. Two-channel calls keep a speaker per channel, corrected for echo
by loudness; one-channel calls are told apart by voice (embeddings computed in the worker, alongside
Whisper where they can be), and the segments are cut into turns with their speakers in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from app.domain.interview import Recording, TranscriptionJob
from app.domain.quote import main_speaker
from app.domain.transcript import MIXDOWN, Speaker
from app.library import Library
from app.library.transactions import writing
from app.resources import resource_path
from app.services.job_progress import JobProgress, Progress, report
from app.speakers.attribution import Turn, segments_from_turns, turns
from app.speakers.clustering import voice_scores
from app.speakers.echo import ChannelLevels, channel_turns
from app.speakers.embedder import MODEL_RESOURCE
from app.speakers.naming import voice_speakers
from app.speakers.stage import EmbedRequest, LevelsRequest, WindowsReady, embed_recording, measure_levels
from app.speakers.windows import WINDOW_MS, SpeakerWindows
from app.transcription.messages import PassFailed, StageRequest
from app.transcription.runner import TranscriptionWorker


class SpeakerStage:
    """The stage for one library and worker; `Transcriber` runs it after a job's passes."""

    def __init__(self, library: Library, worker: TranscriptionWorker) -> None:
        self._library = library
        self._worker = worker

    def alongside(self, job: TranscriptionJob, recording: Recording, channel: int) -> StageRequest | None:
        """The speaker embeddings to compute while the mixdown is transcribed, if the stage needs them."""
        request = self._embed_request(job, recording) if channel == MIXDOWN else None
        return None if request is None else StageRequest(embed_recording, replace(request, threads=1))

    def _embed_request(self, job: TranscriptionJob, recording: Recording) -> EmbedRequest | None:
        """What the one-channel speaker stage still has to embed: None when nothing (done, or the user
        said one person speaks, or the windows are stored up to the end)."""
        library = self._library
        stage = library.jobs.speaker_stage(job.id)
        # Windows are stored up to the cursor; less than a window's length after it holds none.
        if (
            stage is None
            or stage.done
            or recording.split_channels
            or library.transcripts.speaker_count(job.interview_id) == 1
            or stage.cursor_ms >= recording.duration_ms - WINDOW_MS
        ):
            return None
        return EmbedRequest(
            str(library.recordings.path(recording)),
            str(resource_path(MODEL_RESOURCE)),
            stage.cursor_ms,
            recording.duration_ms,
        )

    def run(
        self,
        job: TranscriptionJob,
        recording: Recording,
        progress: Progress,
        on_progress: Callable[[JobProgress], None] | None,
    ) -> str | None:
        """Label every word with its speaker and cut segments into turns; returns a failure message, or None.

        Two-channel calls keep one speaker per channel, corrected for echo by loudness (no model). One-channel
        calls are told apart by voice unless the user said one person speaks.
        """
        library = self._library
        audio_path = str(library.recordings.path(recording))
        segments = library.transcripts.segments(job.interview_id)
        speakers = library.transcripts.speakers(job.interview_id)
        if recording.split_channels:
            levels = self._stage_result(
                StageRequest(measure_levels, LevelsRequest(audio_path)), ChannelLevels
            )
            if isinstance(levels, str):
                return levels
            by_channel = {speaker.channel: speaker.id for speaker in speakers if speaker.channel is not None}
            channels = {channel: channel for channel in by_channel}  # a channel's voice is its speaker
            self._apply_turns(job, channel_turns(segments, levels), by_channel, channels, progress)
        else:
            chosen = library.transcripts.speaker_count(job.interview_id)
            request = self._embed_request(job, recording)  # what the transcription left to embed
            if request is not None:
                failure = self._embed_windows(job, request, progress, on_progress)
                if failure is not None:
                    return failure
            windows = (
                SpeakerWindows(*library.jobs.speaker_windows(job.id))
                if chosen != 1
                else SpeakerWindows.empty()
            )
            scores = voice_scores(windows.embeddings, chosen)  # chosen None: as many as are heard
            plan = turns(segments, windows, scores)
            self._apply_turns(
                job, plan, voice_speakers(plan, scores.shape[1], speakers, job.interview_id), None, progress
            )
        report(on_progress, job, progress)
        return None

    def _embed_windows(
        self,
        job: TranscriptionJob,
        request: EmbedRequest,
        progress: Progress,
        on_progress: Callable[[JobProgress], None] | None,
    ) -> str | None:
        """Stream window embeddings from the worker into the library; returns a failure message, or None."""
        for message in self._worker.run(StageRequest(embed_recording, request)):
            if isinstance(message, WindowsReady):
                self.commit_windows(job, message, progress, on_progress)
            elif isinstance(message, PassFailed):
                return message.message
        return None

    def commit_windows(
        self,
        job: TranscriptionJob,
        message: WindowsReady,
        progress: Progress,
        on_progress: Callable[[JobProgress], None] | None,
    ) -> None:
        """Store one chunk's windows with the stage's cursor, so a stopped stage resumes after them."""
        progress.stage = message.progress
        self._library.jobs.commit_speaker_windows(
            job.id, message.windows.starts_ms, message.windows.embeddings, message.cursor_ms, progress.overall
        )
        report(on_progress, job, progress)

    def _stage_result(self, request: StageRequest, kind: type) -> object:
        """The one `kind` value a stage request sends back, or its failure message."""
        result: object = "The worker sent no result."
        for message in self._worker.run(request):
            if isinstance(message, kind | PassFailed):
                result = message.message if isinstance(message, PassFailed) else message
        return result

    def _apply_turns(
        self,
        job: TranscriptionJob,
        plan: list[Turn],
        speakers: dict[int, int] | list[Speaker],
        channels: dict[int, int] | None,
        progress: Progress,
    ) -> None:
        """Write the turns, their speakers and the stage's end in one transaction.

        `speakers` maps each voice to a stored speaker's id, or lists the speaker of each voice (saved here:
        new ones created, unnamed ones no voice took removed).
        """
        library = self._library
        with writing(library.db):
            if isinstance(speakers, list):
                speakers = dict(enumerate(library.transcripts.save_speakers(job.interview_id, speakers)))
            remove, add = segments_from_turns(plan, speakers, channels)
            library.transcripts.replace_segments(remove, add)
            self._attribute_quotes(job.interview_id)
            progress.stage = 1.0
            library.jobs.finish_speaker_stage(job.id, progress.overall)

    def _attribute_quotes(self, interview_id: int) -> None:
        """Each quote is said by whoever says most of its words now that the words have new speakers (a
        removed speaker's quotes would otherwise be left saying nobody's)."""
        library = self._library
        segments = library.transcripts.segments(interview_id)
        for quote in library.quotes.for_interview(interview_id):
            speaker_id = main_speaker(segments, quote.start_ms, quote.end_ms, quote.channel)
            if speaker_id != quote.speaker_id:
                library.quotes.update(quote.id, speaker_id=speaker_id)
