"""Two capture streams on one timeline: a lost stretch becomes silence, a stalled source is filled, and the
customer's channel is kept in line with yours (the pieces `Recorder` relies on, fed real numbers)."""

from __future__ import annotations

import numpy as np

from app.media.channel_alignment import MAX_SKEW_S, Timeline

RATE = 1000
BLOCK = 20  # frames


def _block(value: int) -> np.ndarray:
    return np.full((BLOCK, 1), value, np.int16)


def _taken(timeline: Timeline) -> np.ndarray:
    _first, frames = timeline.take_ready()
    return np.zeros((0, len(timeline.sources))) if frames is None else frames


def test_blocks_are_placed_by_their_capture_time_and_a_lost_stretch_is_silence():
    timeline = Timeline([1], RATE)
    timeline.accept(0, _block(1), 10.0)
    timeline.accept(0, _block(2), 10.0 + BLOCK / RATE)
    timeline.accept(0, _block(3), 10.0 + 12 * BLOCK / RATE)  # an overflow lost ten blocks (200 ms)
    column = _taken(timeline)[:, 0]
    assert list(column[::BLOCK]) == [1, 2, *[0] * 10, 3]
    assert timeline.sources[0].padded == 10 * BLOCK


def test_jitter_in_the_capture_times_is_not_taken_for_a_gap():
    timeline = Timeline([1], RATE)
    for n, jitter in enumerate([0, 0.03, -0.02, 0.04, 0]):
        timeline.accept(0, _block(n + 1), 10.0 + n * BLOCK / RATE + jitter)
    assert list(_taken(timeline)[::BLOCK, 0]) == [1, 2, 3, 4, 5]
    assert timeline.sources[0].padded == 0


def test_the_customer_starting_later_is_padded_to_where_their_sound_belongs():
    timeline = Timeline([1, 1], RATE)
    for n in range(10):
        timeline.accept(0, _block(1), 5.0 + n * BLOCK / RATE)
    for n in range(5):
        timeline.accept(1, _block(2), 5.0 + (5 + n) * BLOCK / RATE)
    frames = _taken(timeline)
    assert len(frames) == 10 * BLOCK
    assert (frames[: 5 * BLOCK, 1] == 0).all() and (frames[5 * BLOCK :, 1] == 2).all()
    assert (frames[:, 0] == 1).all()


def test_a_source_that_stops_delivering_is_filled_rather_than_holding_the_other_back():
    timeline = Timeline([1, 1], RATE)
    timeline.accept(1, _block(2), 1.0)
    blocks = round(2 * MAX_SKEW_S * RATE / BLOCK)
    for n in range(blocks):
        timeline.accept(0, _block(1), 1.0 + n * BLOCK / RATE)
    assert timeline.take_ready()[1] is not None  # the first block of each
    timeline.pad_stalled_sources(final=False)
    _first, frames = timeline.take_ready()
    assert frames is not None and len(frames) >= (blocks * BLOCK - MAX_SKEW_S * RATE) - BLOCK
    timeline.pad_stalled_sources(final=True)
    _taken(timeline)
    assert timeline.sources[0].end == timeline.sources[1].end


def test_a_customer_clock_that_drifts_is_moved_back_in_line():
    timeline = Timeline([1, 1], RATE)
    drift = 0.0005  # the customer's device reports times running 0.05 % late
    for n in range(2000):
        at = 1.0 + n * BLOCK / RATE
        timeline.accept(0, _block(1), at)
        timeline.accept(1, _block(2), at * (1 + drift))
    assert timeline.realignments >= 1
    skew = timeline.sources[1].offset_frames - timeline.sources[0].offset_frames
    assert abs(skew) <= 0.1 * RATE
