"""Take debug symbols out of the bundle's Linux libraries, where that leaves them loadable.

Symbols are most of some libraries (ctranslate2's extension is 66 MB, 1.3 MB stripped; libpython 22 MB, 6 MB).
PyInstaller's own `strip=True` cannot be used: on libraries that auditwheel rewrote with patchelf (numpy's
OpenBLAS, for one), `strip` writes a file the loader refuses ("ELF load command address/offset not
page-aligned"). So each library is stripped into a copy, and the copy is used only if every loadable segment
still starts on a page boundary relative to its address, which is what the loader checks.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from pathlib import Path

Entry = tuple  # PyInstaller TOC entry: (destination, source, typecode)

_PT_LOAD = 1
_PAGE = os.sysconf("SC_PAGE_SIZE")


def stripped(binaries: list[Entry], cache: Path) -> list[Entry]:
    """`binaries` with each shared library or extension replaced by a stripped copy when that is safe."""
    if shutil.which("strip") is None:
        raise SystemExit("`strip` not found: install binutils before building.")
    result = []
    for destination, source, typecode in binaries:
        if typecode in ("BINARY", "EXTENSION") and _loadable(Path(source)):
            copy = cache / destination
            if not copy.exists() or copy.stat().st_mtime < Path(source).stat().st_mtime:
                copy.parent.mkdir(parents=True, exist_ok=True)
                done = subprocess.run(["strip", "-o", str(copy), source], capture_output=True)
                if done.returncode != 0:
                    copy.unlink(missing_ok=True)
            if copy.exists() and _loadable(copy) and copy.stat().st_size < Path(source).stat().st_size:
                source = str(copy)
        result.append((destination, source, typecode))
    return result


def _loadable(path: Path) -> bool:
    """A 64-bit little-endian ELF file whose PT_LOAD segments satisfy the loader's alignment check."""
    with open(path, "rb") as file:
        header = file.read(64)
        if len(header) < 64 or header[:4] != b"\x7fELF" or header[4] != 2 or header[5] != 1:
            return False
        (phoff,) = struct.unpack_from("<Q", header, 0x20)
        phentsize, phnum = struct.unpack_from("<HH", header, 0x36)
        file.seek(phoff)
        table = file.read(phentsize * phnum)
    for index in range(phnum):
        kind, _flags, offset, address = struct.unpack_from("<IIQQ", table, index * phentsize)
        if kind == _PT_LOAD and (address - offset) % _PAGE:
            return False
    return len(table) == phentsize * phnum
