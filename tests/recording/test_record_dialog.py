"""The Record dialog on real devices (PulseAudio null sinks): meters move, keys stamp markers, Stop saves."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


import pytest
from PySide6.QtCore import QSettings, Qt

from app.guides import builtin_guides
from app.library.markers import MarkerKind
from app.ui.call_sides import CUSTOMER_DEVICE, YOU_DEVICE
from app.ui.record_panel import RecordDialog
from app.ui.settings import AppSettings


@pytest.fixture
def settings(tmp_path) -> AppSettings:
    return AppSettings(QSettings(str(tmp_path / "earful.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def guide():
    return builtin_guides()[0]


@pytest.fixture
def dialog(qtbot, library, settings, guide, you, customer):
    settings.set(YOU_DEVICE, you.key)
    settings.set(CUSTOMER_DEVICE, customer.key)
    dialog = RecordDialog(library, [guide], settings)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitExposed(dialog)
    return dialog


def test_the_meter_of_the_device_being_tested_moves_before_recording(
    qtbot, dialog, pulse, clips, screenshots
):
    assert dialog.sides.you.currentData() == "pulse:you.monitor"
    assert dialog.sides.customer.currentData() == "pulse:customer.monitor"
    player = pulse.play("you", clips["jfk"])
    qtbot.waitUntil(lambda: dialog.sides.you_meter.value() > 30, timeout=15_000)
    assert dialog.sides.customer_meter.value() == 0
    dialog.grab().save(str(screenshots / "record_dialog_ready.png"))
    player.kill()


def test_keys_and_buttons_stamp_markers_that_are_saved_with_the_interview(
    qtbot, dialog, library, pulse, clips, guide, screenshots
):
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    assert dialog._session is not None
    qtbot.waitUntil(lambda: dialog._session.recorder.capturing, timeout=15_000)
    qtbot.mouseClick(dialog.consent_button, Qt.MouseButton.LeftButton)
    player = pulse.play("customer", clips["libri"])
    qtbot.waitUntil(lambda: dialog.sides.customer_meter.value() > 30, timeout=15_000)
    qtbot.keyClick(dialog, Qt.Key.Key_1)
    qtbot.keyClick(dialog, Qt.Key.Key_B)
    qtbot.keyClick(dialog, Qt.Key.Key_3)
    assert dialog.markers.count() == 4
    dialog.grab().save(str(screenshots / "record_dialog_recording.png"))
    player.wait()
    with qtbot.waitSignal(dialog.recorded, timeout=30_000) as saved:
        qtbot.mouseClick(dialog.stop_button, Qt.MouseButton.LeftButton)

    markers = library.markers.of_interview(saved.args[0])
    assert [m.kind for m in markers] == [
        MarkerKind.CONSENT,
        MarkerKind.QUESTION,
        MarkerKind.BOOKMARK,
        MarkerKind.QUESTION,
    ]
    assert [m.question for m in markers if m.kind is MarkerKind.QUESTION] == [
        guide.questions[0].key,
        guide.questions[2].key,
    ]
    recording = library.recordings.for_interview(saved.args[0])
    assert all(0 <= m.at_ms <= recording.duration_ms for m in markers)
    assert library.guides.of_interview(saved.args[0]).slug == guide.slug
