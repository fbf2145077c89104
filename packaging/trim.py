"""Leave out of the bundle what Earful never loads, and the shared libraries only those parts needed.

PyInstaller's Qt hooks collect every plugin of each imported Qt module, and the binary analysis then pulls in
whatever those plugins link against: the GTK 3 theme brings GTK, Cairo and Pango; the virtual keyboard
brings QML and Qt Quick; the PDF image format brings QtPdf. Dropping a plugin is not enough, so `trim`
also drops each library that only dropped parts link to (a library any kept part needs stays).
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Iterable
from pathlib import PurePath

# Destinations in the bundle (forward slashes), as shell patterns, with the reason each is not needed.
UNUSED = {
    "PySide6/*translations/*": "Qt's own translations: Earful's interface is English only",
    "PySide6/*plugins/platformthemes/*gtk3*": "GTK 3 theme: the Fusion style and the portal theme remain",
    "PySide6/*plugins/platforminputcontexts/*virtualkeyboard*": "on-screen keyboard (QML, Qt Quick)",
    "PySide6/*plugins/imageformats/*pdf*": "PDF pages as images (QtPdf)",
    "PySide6/*plugins/egldeviceintegrations/*": "full-screen embedded displays (EGLFS)",
    "PySide6/*plugins/generic/*": "raw input devices for embedded displays",
    "PySide6/*plugins/platforms/*eglfs*": "embedded displays; desktops use xcb, wayland or cocoa/windows",
    "PySide6/*plugins/platforms/*linuxfb*": "framebuffer consoles",
    "PySide6/*plugins/platforms/*vnc*": "serving the window over VNC",
    "PySide6/*plugins/platforms/*vkkhrdisplay*": "Vulkan direct-to-display",
    "PySide6/*plugins/platforms/*minimalegl*": "embedded displays",
}

Entry = tuple  # PyInstaller TOC entry: (destination, source, typecode)


def is_unused(destination: str) -> bool:
    path = PurePath(destination).as_posix()
    return any(fnmatch.fnmatch(path, pattern) for pattern in UNUSED)


def trim(
    binaries: list[Entry], datas: list[Entry], imports: Callable[[str], Iterable[str]]
) -> tuple[list[Entry], list[Entry], list[str]]:
    """The binaries and datas to keep, and the destinations left out.

    `imports(source)` names the libraries a binary links against (file names; transitive or direct).
    """
    files = [entry for entry in binaries if entry[2] != "SYMLINK"]
    by_name: dict[str, list[Entry]] = {}
    for entry in files:
        by_name.setdefault(PurePath(entry[0]).name, []).append(entry)

    def reach(roots: Iterable[Entry]) -> set[str]:
        """Destinations of `roots` and of every bundled library they link against, directly or not."""
        seen: set[str] = set()
        pending = list(roots)
        while pending:
            destination, source, _ = pending.pop()
            if destination in seen:
                continue
            seen.add(destination)
            for name in imports(source):
                pending.extend(by_name.get(PurePath(name).name, ()))
        return seen

    only_theirs = reach(entry for entry in files if is_unused(entry[0]))
    still_needed = reach(entry for entry in files if entry[0] not in only_theirs)
    left_out = only_theirs - still_needed

    for entry in datas:
        if is_unused(entry[0]):
            left_out.add(entry[0])

    def kept(entry: Entry) -> bool:
        destination, source, typecode = entry
        if typecode == "SYMLINK":  # `source` is the link's target, relative to the link's folder
            return os.path.normpath(os.path.join(os.path.dirname(destination), source)) not in left_out
        return destination not in left_out

    # PyInstaller puts links to libraries in sub-folders (e.g. libQt6Pdf.so.6 at the top) among the datas.
    return [e for e in binaries if kept(e)], [e for e in datas if kept(e)], sorted(left_out)
