"""Earful's transcript colours for a theme: speakers by role, quote tints, the playback highlight.

Three things share the transcript and must never be confused: the word being played, the quotes (tinted in
their question's colour) and the speakers' names. So the playback highlight has a hue of its own (amber,
like a highlighter pen) that no question colour comes near, is much stronger than any tint, and in a dark
theme turns the word's text dark; quote tints stay pale enough that text on them keeps WCAG AA. Speakers
are coloured by role, never by order, so swapping two speakers cannot turn the customer into the
interviewer's colour.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.colours import AA_TEXT, Rgb, contrast, from_hsl, is_dark, mix, readable, strongest_tint
from app.domain.transcript import SpeakerRole

# The playback highlight's hue (amber); question hues keep AVOIDED_HUES (a fraction of the wheel) either
# side of it, so no quote tint is mistaken for the playing word.
PLAYBACK_HUE = 0.12
AVOIDED_HUES = 0.1
# Successive question hues a golden angle apart stay distinct however many questions a guide has; the first
# question is blue.
GOLDEN_TURN = 0.381966
FIRST_QUESTION_HUE = 0.6
# How much of the question's colour shows under its quote's words: pale enough to read through, so text
# keeps AA, and far weaker than the playback highlight.
TINT_STRENGTH_LIGHT, TINT_STRENGTH_DARK = 0.2, 0.3
# The playback highlight over a light base (in a dark theme it is the full amber, under dark text).
PLAYBACK_STRENGTH_LIGHT = 0.7
ROLE_HUES = {SpeakerRole.INTERVIEWER: 0.6, SpeakerRole.CUSTOMER: 0.35, SpeakerRole.OTHER: 0.8}
# Further speakers of role "other" step round the wheel from its hue.
OTHER_STEP = 0.17
# Timestamps are for finding your way, not for reading: faded towards the base they recede (a smaller
# size does the rest), but never below AA.
TIMESTAMP_FADE = 0.45


@dataclass(frozen=True, slots=True)
class ColourScheme:
    """The colours of one theme, from its base (background) and text colours."""

    base: Rgb
    text: Rgb

    @property
    def dark(self) -> bool:
        return is_dark(self.base)

    def _foreground(self, hue: float) -> Rgb:
        """A colour of `hue` for text on the base (names, question numbers), at AA or better."""
        return readable(from_hsl(hue, 0.7, 0.7 if self.dark else 0.4), self.base)

    def speaker(self, role: SpeakerRole, nth_other: int = 0) -> Rgb:
        """The name colour of a speaker with `role`; the `nth_other` speaker of role "other" gets its own."""
        step = nth_other * OTHER_STEP if role is SpeakerRole.OTHER else 0.0
        return self._foreground(ROLE_HUES[role] + step)

    def questions(self, count: int) -> list[Rgb]:
        """A colour per guide question (their swatches, chips and numbers), none near the playback hue."""
        allowed = 1.0 - 2 * AVOIDED_HUES
        first = (FIRST_QUESTION_HUE - PLAYBACK_HUE - AVOIDED_HUES) / allowed
        return [
            self._foreground(PLAYBACK_HUE + AVOIDED_HUES + ((first + turn * GOLDEN_TURN) % 1.0) * allowed)
            for turn in range(count)
        ]

    def tint(self, colour: Rgb) -> Rgb:
        """The background of a quote's words in its question's `colour` (opaque, as drawn)."""
        most = TINT_STRENGTH_DARK if self.dark else TINT_STRENGTH_LIGHT
        return strongest_tint(self.base, colour, self.text, most, AA_TEXT + 0.5)

    @property
    def playback(self) -> Rgb:
        """The background of the word being played."""
        amber = from_hsl(PLAYBACK_HUE, 1.0, 0.55 if self.dark else 0.5)
        return amber if self.dark else mix(self.base, amber, PLAYBACK_STRENGTH_LIGHT)

    @property
    def playback_text(self) -> Rgb:
        """The played word's text: the theme's text or base colour, whichever reads better on amber."""
        return max((self.text, self.base), key=lambda colour: contrast(colour, self.playback))

    @property
    def timestamp(self) -> Rgb:
        return readable(mix(self.text, self.base, TIMESTAMP_FADE), self.base)
