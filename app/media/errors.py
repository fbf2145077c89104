"""Why a file cannot be used, in words a user can act on."""

from pathlib import Path


class MediaError(Exception):
    """A file cannot be imported or decoded; the message names the file and the reason."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{Path(path).name}: {reason}")
        self.path = Path(path)
        self.reason = reason
