"""What the user can choose about a transcription, as one plain value shared by CLI, GUI and worker."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from app.transcription.models import BUNDLED_MODEL


class OptionsError(ValueError):
    """An option value is not usable; the message says which and why."""


@dataclass(frozen=True, slots=True)
class TranscriptionOptions:
    model: str = BUNDLED_MODEL
    language: str | None = "en"
    beam_size: int = 5
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
        if self.language is not None and not (
            isinstance(self.language, str) and 2 <= len(self.language) <= 3
        ):
            raise OptionsError(
                "language must be a language code such as 'en' or 'de', or empty to detect it."
            )

    def whisper_kwargs(self) -> dict:
        """Keyword arguments for `WhisperModel.transcribe` (the bare-call equivalent of these options)."""
        return {
            "language": self.language,
            "beam_size": self.beam_size,
            "vad_filter": self.vad_filter,
            "word_timestamps": self.word_timestamps,
            "hotwords": self.vocabulary or None,
        }
