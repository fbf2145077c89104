"""What the user can choose about a transcription, as one plain value shared by CLI, GUI and worker."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from app.transcription.models import BUNDLED_MODEL

# Sequential, as faster-whisper's own default. bench/longform.py on 10 and 30 minutes of real read speech:
# the batched pipeline (8 or 16 at once) with the coverage repair took ~0.8x the CPU time, but its pooled
# WER rose from 0.090 to 0.103. It drops words where a 30 s chunk's decoding stops early (sequential
# decoding resumes where the text ended); the repair finds the longer gaps (the pass alone left 6-9 % of
# the speech without words), not the words lost inside a stretch whose timestamps stretch over them.
DEFAULT_BATCH_SIZE = 0
MAX_BATCH_SIZE = 32
# Chunks of a long recording decoded at once, one single-threaded model each (engine.transcribe_in_lanes).
# One by default. bench/longform.py on 10 and 30 minutes of real read speech against sequential beam 5 (WER
# 0.090 on both): two lanes of beam 5 with the repair gave WER 0.086 and 0.091 and 0.88-0.89x the CPU; the
# wall time was 0.83-0.84x with the shared machine at a load of ~4 on 2 cores, but 1.24x at a load of ~10
# (nothing halves it). And an hour-long call in two lanes peaked at 1.84 GB (bench/transcribe_overhead.py's
# hour, whole job), over the 1.2 GB target: two 5-minute chunks are in faster-whisper at once. With
# 2.5-minute chunks the WER was 0.098 and 0.092. Greedy in lanes took 0.63-0.69x the CPU, WER up to 0.108.
DEFAULT_LANES = 1
MAX_LANES = 4


class OptionsError(ValueError):
    """An option value is not usable; the message says which and why."""


@dataclass(frozen=True, slots=True)
class TranscriptionOptions:
    model: str = BUNDLED_MODEL
    language: str | None = "en"
    beam_size: int = 5
    batch_size: int = DEFAULT_BATCH_SIZE
    """0: decode one 30 s window after another, each conditioned on the text before (Whisper's own way);
    n: decode n chunks of speech at once (faster-whisper's batched pipeline): faster, less accurate (see
    DEFAULT_BATCH_SIZE)."""
    lanes: int = DEFAULT_LANES
    """1: one decoder; n: audio longer than one window is cut at pauses into chunks, n decoded at once
    (see DEFAULT_LANES)."""
    vad_filter: bool = True
    word_timestamps: bool = True
    vocabulary: str | None = None
    """Names and jargon the customer may use (product names, competitors), passed to Whisper as hotwords."""

    @classmethod
    def from_dict(cls, values: dict) -> TranscriptionOptions:
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise OptionsError(f"Unknown transcription option(s): {', '.join(sorted(unknown))}.")
        options = cls(**values)
        options.validate()
        return options

    def to_dict(self) -> dict:
        return asdict(self)

    def validate(self) -> None:
        if not isinstance(self.beam_size, int) or not 1 <= self.beam_size <= 10:
            raise OptionsError("beam_size must be a whole number from 1 to 10.")
        if not isinstance(self.batch_size, int) or not 0 <= self.batch_size <= MAX_BATCH_SIZE:
            raise OptionsError(f"batch_size must be a whole number from 0 (sequential) to {MAX_BATCH_SIZE}.")
        if not isinstance(self.lanes, int) or not 1 <= self.lanes <= MAX_LANES:
            raise OptionsError(f"lanes must be a whole number from 1 to {MAX_LANES}.")
        if self.language is not None and not (
            isinstance(self.language, str) and 2 <= len(self.language) <= 3
        ):
            raise OptionsError(
                "language must be a language code such as 'en' or 'de', or empty to detect it."
            )

    def whisper_kwargs(self) -> dict:
        """Keyword arguments for `WhisperModel.transcribe`, or for `BatchedInferencePipeline.transcribe` when
        `batch_size` is set (the bare-call equivalent of these options).

        faster-whisper's repetition guards were measured (seeded, bench/longform.py and the shared clips) and
        none is added: no loop occurred with or without them; no_repeat_ngram_size=3 and
        repetition_penalty=1.1 raised the clips' pooled WER from 0.023 to 0.031; hallucination_silence_
        threshold=2 changed nothing; condition_on_previous_text=False kept the WER (0.092 against 0.090 on
        10 minutes) for 0.89x the CPU, too little to leave faster-whisper's default. Loops are caught after
        the pass instead (transcription/coverage.py)."""
        kwargs = {
            "language": self.language,
            "beam_size": self.beam_size,
            "vad_filter": self.vad_filter,
            "word_timestamps": self.word_timestamps,
            "hotwords": self.vocabulary or None,
        }
        if self.batch_size:
            # The batched pipeline's default (no timestamp tokens) let tiny.en skip the start of a 30 s chunk
            # packed from several short utterances: the first ~40 words of bench/transcribe_overhead.py's
            # speech were lost. With timestamp tokens the model walks the chunk utterance by utterance.
            kwargs.update(batch_size=self.batch_size, without_timestamps=False)
        return kwargs
