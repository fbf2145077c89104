"""Millisecond times as people and subtitle formats write them."""

import re


def clock(ms: int) -> str:
    """12:41 or 1:02:03 — the form used in transcripts and attributions."""
    seconds = max(ms, 0) // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def subtitle(ms: int, separator: str) -> str:
    """00:01:02,345 (SRT, separator ',') or 00:01:02.345 (WebVTT, separator '.')."""
    ms = max(ms, 0)
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


_CLOCK = re.compile(r"(?:(\d{1,4}):)?(?:(\d{1,4}):)?(\d{1,6}(?:\.\d{1,3})?)")


def parse_clock(text: str) -> int:
    """Parse 'SS', 'MM:SS' or 'HH:MM:SS' (seconds may have up to three decimals) into milliseconds.

    Only digits are accepted, so 'nan', '1e309' or '-5' are refused with the same message as any typo.
    """
    match = _CLOCK.fullmatch(text.strip())
    if not match:
        raise ValueError(f"not a time: {text!r} (use MM:SS or HH:MM:SS, e.g. 12:41)")
    total = 0.0
    for part in match.groups():
        if part is not None:
            total = total * 60 + float(part)
    return round(total * 1000)
