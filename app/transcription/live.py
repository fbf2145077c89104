"""Live transcription in the worker process: follow a recording's WAV as it grows, cut each channel into
utterances at pauses and transcribe each as soon as it ends.

Why utterances rather than a rolling window: whisper_streaming's LocalAgreement (Macháček et al. 2023)
re-decodes a growing window every second and commits the prefix two decodings agree on; it shows words
sooner, but decodes each stretch of audio several times. On two cores shared by recording, a GUI and
two channels, tiny.en has no CPU for that (bench/live.py measures both). A pause closes an utterance,
which is decoded once, with the library's options and vocabulary, as a file is; its segments are final.

The audio comes from the file the recorder writes (never from the recorder's own thread), so the recorder
cannot wait for transcription: when the machine cannot keep up, this falls behind and says so
(`LiveProgress`), reading the backlog from disk in bounded pieces.

Silero VAD (the one faster-whisper ships) finds the pauses. An utterance ends at a pause of `PAUSE_MS`, or
is cut after `MAX_UTTERANCE_S` at its last pause (Whisper's own window is 30 s).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from app.domain.transcript import TranscribedSegment, Word
from app.media.decode import WHISPER_RATE, to_float
from app.media.wav_writer import read_wav_frames, wav_format, wav_frames_on_disk
from app.transcription.engine import transcribe_samples
from app.transcription.messages import LiveDone, LiveFinish, LiveProgress, LiveRequest, LiveSegment
from app.transcription.options import TranscriptionOptions

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from faster_whisper import WhisperModel

PAUSE_MS = 500
MAX_UTTERANCE_S = 30
_PAD_MS = 200
_STEP_S = 0.25
"""How often the file is looked at when it has nothing new: the lag a line can have on top of its pause."""
_READ_S = 10
"""At most this much audio is read at a time, so a backlog never fills memory."""
_QUIET_KEEP_S = 1.0
"""Audio without speech is dropped, except this much at the end (an utterance may be starting in it)."""


class UtteranceCutter:
    """One channel's audio since its last utterance; hands out each utterance once a pause ends it."""

    def __init__(self, channel: int) -> None:
        self.channel = channel
        self.start = 0  # sample (16 kHz) where `samples` begins
        self.samples = np.zeros(0, np.int16)

    @property
    def start_ms(self) -> int:
        return self.start * 1000 // WHISPER_RATE

    def feed(self, samples: np.ndarray) -> None:
        self.samples = np.concatenate([self.samples, samples])

    def utterances(self, final: bool) -> list[tuple[int, np.ndarray]]:
        """(start sample, int16 samples) of each utterance the audio so far has ended (all, when `final`)."""
        from faster_whisper.vad import VadOptions, get_speech_timestamps

        if len(self.samples) < WHISPER_RATE and not final:
            return []
        vad = VadOptions(
            min_silence_duration_ms=PAUSE_MS, max_speech_duration_s=MAX_UTTERANCE_S, speech_pad_ms=_PAD_MS
        )
        speech = get_speech_timestamps(to_float(self.samples), vad) if len(self.samples) else []
        size = len(self.samples)
        if not speech:
            self._drop(size if final else max(0, size - round(_QUIET_KEEP_S * WHISPER_RATE)))
            return []
        settled = size - round((PAUSE_MS - _PAD_MS) * WHISPER_RATE / 1000) // 2
        ended = [chunk for chunk in speech if final or chunk["end"] < settled]
        if ended:
            cut = size if final else ended[-1]["end"]
        elif size >= MAX_UTTERANCE_S * WHISPER_RATE:
            # No pause yet: cut before the speech still going on, or (one long stretch) where it stands.
            cut = speech[-1]["start"] if speech[-1]["start"] > WHISPER_RATE else size
        else:
            return []
        utterance = (self.start, self.samples[:cut])
        self._drop(cut)
        return [utterance]

    def _drop(self, count: int) -> None:
        self.samples = self.samples[count:]
        self.start += count


def transcribe_utterance(
    model: WhisperModel, start: int, samples: np.ndarray, options: TranscriptionOptions, channel: int
) -> Iterator[TranscribedSegment]:
    """The segments of one utterance, in recording time: decoded as a file of its own would be."""
    offset_ms = start * 1000 // WHISPER_RATE
    for segment in transcribe_samples(model, samples, options, channel):
        yield replace(
            segment,
            start_ms=segment.start_ms + offset_ms,
            end_ms=segment.end_ms + offset_ms,
            words=tuple(_shifted(word, offset_ms) for word in segment.words),
        )


def serve_live(request: LiveRequest, model: WhisperModel, connection: Connection) -> None:
    """Transcribe the recording at `request.wav_path` as it grows, until a LiveFinish says where it ends."""
    import av

    rate, file_channels = wav_format(Path(request.wav_path))
    channels = request.channels
    cutters = [UtteranceCutter(channel) for channel in channels]
    resampler = av.AudioResampler(
        format="s16", layout="stereo" if file_channels == 2 else "mono", rate=WHISPER_RATE
    )
    read, ends_at, reported = 0, None, None
    send: Callable[[object], None] = connection.send
    while True:
        while connection.poll():
            message = connection.recv()
            if isinstance(message, LiveFinish):
                ends_at = message.frames
        on_disk = wav_frames_on_disk(Path(request.wav_path), file_channels) if ends_at is None else ends_at
        count = min(on_disk - read, _READ_S * rate)
        if count > 0:
            frames = read_wav_frames(Path(request.wav_path), file_channels, read, count)
            read += len(frames)
            _feed(cutters, resampler, frames, rate, file_channels)
        final = ends_at is not None and read >= ends_at
        if final:
            _feed(cutters, resampler, None, rate, file_channels)
        ready = sorted(
            (start, index, samples)
            for index, cutter in enumerate(cutters)
            for start, samples in cutter.utterances(final)
        )
        for start, index, samples in ready:
            for segment in transcribe_utterance(model, start, samples, request.options, channels[index]):
                send(LiveSegment(segment))
        progress = LiveProgress(on_disk * 1000 // rate, read * 1000 // rate)
        if progress != reported:
            send(progress)
            reported = progress
        if final:
            send(LiveDone(read * 1000 // rate))
            return
        if count < _READ_S * rate and not ready:
            connection.poll(_STEP_S)  # nothing left to catch up on: wait for sound, or the finish


def _feed(
    cutters: list[UtteranceCutter], resampler, frames: np.ndarray | None, rate: int, file_channels: int
) -> None:
    """Resample to 16 kHz as faster-whisper's decoder does (PyAV, s16), and give each cutter its channel."""
    import av

    frame = None
    if frames is not None:
        frame = av.AudioFrame.from_ndarray(
            np.ascontiguousarray(frames).reshape(1, -1),
            format="s16",
            layout="stereo" if file_channels == 2 else "mono",
        )
        frame.sample_rate = rate
    for out in resampler.resample(frame):
        samples = out.to_ndarray().reshape(-1)
        if file_channels == 2:
            for cutter in cutters:
                cutter.feed(samples[cutter.channel :: 2])
        else:
            cutters[0].feed(samples)


def _shifted(word: Word, offset_ms: int) -> Word:
    return replace(word, start_ms=word.start_ms + offset_ms, end_ms=word.end_ms + offset_ms)
