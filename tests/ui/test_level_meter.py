"""The Record dialog's level meters: they show each side's level, and moving them never makes the GUI
thread wait for other threads (a Fusion QProgressBar did, and stalled the window while recording)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from app.ui.level_meter import LevelMeter


@pytest.fixture
def meter(qtbot) -> LevelMeter:
    meter = LevelMeter()
    meter.resize(300, 12)
    qtbot.addWidget(meter)
    meter.show()
    qtbot.waitExposed(meter)
    return meter


def _filled_share(meter: LevelMeter) -> float:
    """The share of the meter's middle row painted in the highlight colour, as a user sees it."""
    image = meter.grab().toImage()
    highlight = meter.palette().color(QPalette.ColorRole.Highlight).rgb()
    row = image.height() // 2
    return sum(image.pixel(x, row) == highlight for x in range(image.width())) / image.width()


def test_the_meter_fills_with_the_level_in_decibels(meter):
    meter.show_level(1.0)  # full scale
    assert meter.value() == meter.maximum()
    assert _filled_share(meter) > 0.95
    meter.show_level(0.1)  # -20 dB: two thirds of the way from the -60 dB floor
    assert _filled_share(meter) == pytest.approx(2 / 3, abs=0.03)
    meter.show_level(0.0)  # silence
    assert meter.value() == 0
    assert _filled_share(meter) == 0


def _pool_runs() -> dict[str, int]:
    """Times each of Qt's pool threads in this process has been given a CPU so far (Linux)."""
    runs = {}
    for task in Path("/proc/self/task").iterdir():
        if (task / "comm").read_text().strip() == "Thread (pooled)":
            runs[task.name] = int((task / "schedstat").read_text().split()[2])
    return runs


@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="reads Linux's per-thread counters")
def test_moving_the_meter_hands_no_work_to_other_threads(meter):
    before = _pool_runs()
    for step in range(60):
        meter.show_level(10 ** (-step / 20))  # 0 dB down to -59 dB, a new length each time
        QApplication.processEvents()  # the paint
    after = _pool_runs()
    assert sum(count - before.get(task, 0) for task, count in after.items()) == 0
