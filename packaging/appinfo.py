"""Names the packaging files share; the desktop entry, metainfo, Info.plist and Inno Setup script repeat
them as text, and tests/packaging checks that they agree."""

APP_ID = "io.github.earful.Earful"
"""Reverse-DNS id: the AppStream id, the installed .desktop name and the macOS bundle identifier."""
NAME = "Earful"
EXECUTABLE = "earful"
