"""Who is heard on which channel of a call: you (left) and the customer (right), each with its level meter.

Before recording, each chosen device is opened for its level only (`LevelProbe`), so the marketer sees the
meters move when each side speaks and knows the call's sound is coming in; the recorder opens the devices
itself once it starts, so the probes are closed first. The choice is remembered for the next call.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QGroupBox, QLabel, QWidget

from app.media.devices import AudioUnavailable, InputDevice, LevelProbe
from app.ui.level_meter import LevelMeter
from app.ui.settings import AppSettings, Setting

YOU_DEVICE = Setting[str]("recording/you", "", str)
CUSTOMER_DEVICE = Setting[str]("recording/customer", "", str)
NO_CUSTOMER = "None – in person, or only my side"


class CallSides(QGroupBox):
    changed = Signal()
    """Another device was chosen for a side."""

    def __init__(
        self, devices: list[InputDevice], settings: AppSettings | None, parent: QWidget | None = None
    ) -> None:
        super().__init__("Who is heard", parent)
        self._devices = devices
        self._settings = settings
        self._probes: dict[str, LevelProbe | None] = {"you": None, "customer": None}
        self.you, self.customer = QComboBox(), QComboBox()
        self.customer.addItem(NO_CUSTOMER, None)
        for device in devices:
            self.you.addItem(_device_label(device), device.key)
            self.customer.addItem(_device_label(device), device.key)
        self._select(self.you, YOU_DEVICE, default=next((d.key for d in devices if d.is_default), None))
        self._select(self.customer, CUSTOMER_DEVICE, default=None)
        self.you_meter, self.customer_meter = LevelMeter(), LevelMeter()
        grid = QGridLayout(self)
        for row, (text, combo, meter, hint) in enumerate(
            (
                ("You", self.you, self.you_meter, "your microphone or headset: the left channel"),
                (
                    "Customer",
                    self.customer,
                    self.customer_meter,
                    "the call's sound, e.g. “Monitor of …”: right",
                ),
            )
        ):
            label = QLabel(f"<b>{text}</b>")
            label.setToolTip(hint)
            combo.setToolTip(hint)
            grid.addWidget(label, row, 0)
            grid.addWidget(combo, row, 1)
            grid.addWidget(meter, row, 2)
            combo.currentIndexChanged.connect(self.changed)
        grid.setColumnStretch(1, 1)

    def chosen(self) -> tuple[InputDevice | None, InputDevice | None]:
        """The devices for you and for the customer (None: no device, or only your side)."""
        return self._device(self.you), self._device(self.customer)

    def set_choosable(self, choosable: bool) -> None:
        """Devices are chosen before recording; the meters go on showing levels while it runs."""
        self.you.setEnabled(choosable)
        self.customer.setEnabled(choosable)

    def remember(self) -> None:
        """Keep the choice for the next call (once recording has started with it)."""
        if self._settings is not None:
            you, customer = self.chosen()
            self._settings.set(YOU_DEVICE, you.key if you else "")
            self._settings.set(CUSTOMER_DEVICE, customer.key if customer else "")

    def test_devices(self) -> list[str]:
        """Open the chosen devices for their levels; returns why any could not be opened."""
        self.stop_testing()
        problems = []
        for side, device in zip(("you", "customer"), self.chosen(), strict=True):
            if device is None:
                continue
            try:
                self._probes[side] = LevelProbe(device)
            except AudioUnavailable as error:
                problems.append(str(error))
        return problems

    def stop_testing(self) -> None:
        for side, probe in self._probes.items():
            if probe is not None:
                probe.close()
            self._probes[side] = None

    def show_tested_levels(self) -> None:
        for side, meter in (("you", self.you_meter), ("customer", self.customer_meter)):
            probe = self._probes[side]
            meter.show_level(probe.take_level() if probe is not None else 0.0)

    def show_levels(self, levels: list[float]) -> None:
        """The recorder's levels, by channel."""
        self.you_meter.show_level(levels[0])
        self.customer_meter.show_level(levels[1] if len(levels) > 1 else 0.0)

    def _select(self, combo: QComboBox, setting: Setting[str], default: str | None) -> None:
        remembered = self._settings.get(setting) if self._settings else ""
        index = combo.findData(remembered or default)
        if index >= 0:
            combo.setCurrentIndex(index)

    def _device(self, combo: QComboBox) -> InputDevice | None:
        key = combo.currentData()
        return next((device for device in self._devices if device.key == key), None)


def _device_label(device: InputDevice) -> str:
    kind = "  – system audio" if device.is_monitor else ""
    return f"{device.name}{kind}"
