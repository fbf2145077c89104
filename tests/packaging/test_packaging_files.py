"""The files that describe Earful to desktops and installers agree with each other and with the app."""

from __future__ import annotations

import _sqlite3
import configparser
import plistlib
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from app import __version__
from tests.conftest import REPO

PACKAGING = REPO / "packaging"
sys.path.insert(0, str(PACKAGING))
from appinfo import APP_ID, EXECUTABLE, NAME  # noqa: E402
from render_icons import SIZES, png_path  # noqa: E402
from strip import _loadable  # noqa: E402
from trim import trim  # noqa: E402


def test_desktop_entry_names_the_icon_and_program() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(PACKAGING / "linux" / "earful.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]

    assert desktop["Type"] == "Application"
    assert desktop["Name"] == NAME
    assert desktop["Icon"] == APP_ID
    assert desktop["Exec"].split()[0] == EXECUTABLE
    assert desktop["Categories"].endswith(";")


def test_metainfo_matches_the_app_id_and_version() -> None:
    path = PACKAGING / "linux" / f"{APP_ID}.metainfo.xml"
    component = ElementTree.parse(path).getroot()

    assert component.get("type") == "desktop-application"
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable") == f"{APP_ID}.desktop"
    assert component.findtext("provides/binary") == EXECUTABLE
    assert __version__ in [release.get("version") for release in component.iter("release")]


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstreamcli is not installed")
def test_metainfo_is_valid_appstream() -> None:
    path = PACKAGING / "linux" / f"{APP_ID}.metainfo.xml"
    subprocess.run(["appstreamcli", "validate", "--no-net", "--pedantic", str(path)], check=True)


def test_macos_info_plist_asks_for_the_microphone() -> None:
    info = plistlib.loads((PACKAGING / "macos" / "Info.plist").read_bytes())

    assert info["CFBundleIdentifier"] == APP_ID
    assert info["CFBundleExecutable"] == EXECUTABLE
    assert "record" in info["NSMicrophoneUsageDescription"]
    assert info["CFBundleShortVersionString"] == __version__


def test_inno_setup_script_installs_the_bundle_and_both_programs() -> None:
    script = (PACKAGING / "windows" / "earful.iss").read_text(encoding="utf-8")

    assert f'#define AppVersion "{__version__}"' in script
    assert 'Source: "{#BundleDir}\\*"' in script
    assert f"{{app}}\\{EXECUTABLE}.exe" in script


@pytest.mark.parametrize("size", SIZES)
def test_icon_pngs_have_their_sizes(size: int) -> None:
    data = png_path(size).read_bytes()

    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (size, size)


def test_trim_drops_a_plugin_and_what_only_it_needs() -> None:
    binaries = [
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "/src/libqgtk3.so", "BINARY"),
        ("libgtk-3.so.0", "/src/libgtk-3.so.0", "BINARY"),
        ("PySide6/Qt/lib/libQt6Gui.so.6", "/src/libQt6Gui.so.6", "BINARY"),
        ("PySide6/QtGui.abi3.so", "/src/QtGui.abi3.so", "EXTENSION"),
    ]
    datas = [
        ("libgtk-3.so.0.link", "libgtk-3.so.0", "SYMLINK"),
        ("PySide6/Qt/translations/qtbase_de.qm", "/src/qtbase_de.qm", "DATA"),
        ("resources/demo/interview.flac", "/src/interview.flac", "DATA"),
    ]
    # A fake linker: which libraries each file links against.
    links = {
        "/src/libqgtk3.so": ["libgtk-3.so.0", "libQt6Gui.so.6"],
        "/src/QtGui.abi3.so": ["libQt6Gui.so.6"],
    }

    kept_binaries, kept_datas, left_out = trim(binaries, datas, lambda source: links.get(source, []))

    assert [entry[0] for entry in kept_binaries] == ["PySide6/Qt/lib/libQt6Gui.so.6", "PySide6/QtGui.abi3.so"]
    assert [entry[0] for entry in kept_datas] == ["resources/demo/interview.flac"]
    assert "libgtk-3.so.0" in left_out


def test_strip_check_refuses_a_segment_the_loader_would(tmp_path: Path) -> None:
    """What `strip` did to numpy's OpenBLAS: a loadable segment whose file offset and address disagree modulo
    the page size. The loader refuses it ("ELF load command address/offset not page-aligned")."""
    original = Path(_sqlite3.__file__)  # any 64-bit shared library will do
    data = bytearray(original.read_bytes())
    (table,) = struct.unpack_from("<Q", data, 0x20)
    entry_size, count = struct.unpack_from("<HH", data, 0x36)
    for index in range(count):  # move the first loadable segment with a non-zero offset by 8 bytes
        at = table + index * entry_size
        kind, _flags, offset = struct.unpack_from("<IIQ", data, at)
        if kind == 1 and offset:  # PT_LOAD
            struct.pack_into("<Q", data, at + 8, offset + 8)
            break
    damaged = tmp_path / original.name
    damaged.write_bytes(data)

    assert _loadable(original)
    assert not _loadable(damaged)
