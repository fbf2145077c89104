"""Build Earful as an app people install without Python: `python packaging/build.py [--dist DIR]`.

1. PyInstaller builds the one-folder bundle from `packaging/earful.spec` (model, resources, Qt, PortAudio).
2. On Linux the bundle gets the desktop entry, AppStream metainfo, icons and `install.sh`, and is packed as
   `earful-<version>-linux-<machine>.tar.gz`. On Windows and macOS the next step (Inno Setup, a zip of
   Earful.app) is printed instead; those two are not built or tested in CI.
3. Prints the sizes, unpacked and packed, and what takes the room.

Needs the Python environment Earful runs in, with PyInstaller, at the versions of `packaging/requirements.lock`
(`bash packaging/dev.sh test` makes it; `--unlocked` builds from whatever is installed), and on Linux the
system PortAudio (`libportaudio2`) and `binutils` (PyInstaller reads libraries with objdump and strip).
"""

from __future__ import annotations

import argparse
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from collections import Counter
from pathlib import Path

PACKAGING = Path(__file__).resolve().parent
REPO = PACKAGING.parent
sys.path[:0] = [str(REPO), str(PACKAGING)]

from appinfo import APP_ID, EXECUTABLE  # noqa: E402
from lock import strays  # noqa: E402
from render_icons import SIZES, png_path  # noqa: E402

from app import __version__  # noqa: E402

MB = 1_000_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=REPO / "dist", help="where the bundle and archive go")
    parser.add_argument("--work", type=Path, help="PyInstaller's build folder (default: DIST/build)")
    parser.add_argument("--unlocked", action="store_true", help="build even where packages differ from the lock")
    args = parser.parse_args(argv)
    if (differing := strays()) and not args.unlocked:
        print(
            "This environment differs from packaging/requirements.lock, so the bundle would not be the tested one:\n  "
            + "\n  ".join(differing)
            + "\nRun `bash packaging/dev.sh test` (or pass --unlocked).",
            file=sys.stderr,
        )
        return 1
    dist = args.dist.resolve()
    started = time.perf_counter()
    bundle = build_bundle(dist, (args.work or dist / "build").resolve())
    print(f"Built {bundle} in {time.perf_counter() - started:.0f} s")
    if sys.platform.startswith("linux"):
        add_desktop_files(bundle)
        started = time.perf_counter()
        archive = make_tarball(bundle, dist / f"{bundle.name}.tar.gz")
        print(f"Packed {archive} in {time.perf_counter() - started:.0f} s")
    else:
        archive = None
        print(next_step(bundle))
    print(size_report(bundle, archive))
    return 0


def build_bundle(dist: Path, work: Path) -> Path:
    """Run PyInstaller; the bundle is renamed `earful-<version>-<system>-<machine>`."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level=WARN",
            f"--distpath={dist}",
            f"--workpath={work}",
            str(PACKAGING / "earful.spec"),
        ],
        check=True,
    )
    system = {"linux": "linux", "darwin": "macos", "win32": "windows"}.get(sys.platform, sys.platform)
    named = dist / f"{EXECUTABLE}-{__version__}-{system}-{platform.machine().lower()}"
    shutil.rmtree(named, ignore_errors=True)
    return (dist / EXECUTABLE).rename(named)


def add_desktop_files(bundle: Path) -> None:
    """The files a Linux desktop needs, laid out as under /usr/share, for install.sh to copy."""
    share = bundle / "share"
    _copy(PACKAGING / "linux" / "earful.desktop", share / "applications" / f"{APP_ID}.desktop")
    _copy(PACKAGING / "linux" / f"{APP_ID}.metainfo.xml", share / "metainfo" / f"{APP_ID}.metainfo.xml")
    icons = share / "icons" / "hicolor"
    _copy(REPO / "resources" / "icons" / "earful.svg", icons / "scalable" / "apps" / f"{APP_ID}.svg")
    for size in SIZES:
        _copy(png_path(size), icons / f"{size}x{size}" / "apps" / f"{APP_ID}.png")
    _copy(PACKAGING / "linux" / "install.sh", bundle / "install.sh")


def make_tarball(bundle: Path, archive: Path) -> Path:
    with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=bundle.name)
    return archive


def next_step(bundle: Path) -> str:
    if sys.platform == "win32":
        return (
            "Next, make the installer with Inno Setup:\n"
            f'  iscc /DAppVersion={__version__} /DBundleDir="{bundle}" packaging\\windows\\earful.iss'
        )
    return f"Next, sign and notarise {bundle.parent / 'Earful.app'}, then zip it: ditto -c -k --keepParent"


def size_report(bundle: Path, archive: Path | None, top: int = 12) -> str:
    """Total size and the largest parts, grouped by the package (or library) they come from."""
    parts: Counter[str] = Counter()
    internal = bundle / "_internal"
    for path in bundle.rglob("*"):
        if path.is_file() and not path.is_symlink():
            relative = path.relative_to(internal if path.is_relative_to(internal) else bundle)
            parts[_part_name(relative)] += path.stat().st_size
    lines = [f"Unpacked: {sum(parts.values()) / MB:.0f} MB in {bundle}"]
    if archive is not None:
        lines.append(f"Packed:   {archive.stat().st_size / MB:.0f} MB in {archive}")
    lines.append("Largest parts (MB):")
    lines += [f"  {size / MB:6.1f}  {name}" for name, size in parts.most_common(top)]
    return "\n".join(lines)


def _part_name(relative: Path) -> str:
    """What a file belongs to: its top folder, or for PySide6 the Qt library or plugin group."""
    top = relative.parts[0]
    if top == "PySide6" and len(relative.parts) > 3 and relative.parts[1] == "Qt":
        return "PySide6: " + (
            "/".join(relative.parts[2:4]) if relative.parts[2] == "plugins" else relative.name
        )
    if len(relative.parts) == 1:
        return "libraries at the top (Python, system libraries)"
    return top


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)  # keeps install.sh executable


if __name__ == "__main__":
    sys.exit(main())
