"""Entry point for `earful` and `python -m app`: a subcommand runs headless, no subcommand opens the window."""

import multiprocessing
import sys
from pathlib import Path


def main() -> int:
    # The transcription worker is a spawned process; inside a PyInstaller bundle it re-enters here.
    multiprocessing.freeze_support()
    from app import cli

    args = cli.parse(sys.argv[1:])
    if args.self_check:
        from app.services.selfcheck import self_check

        return self_check()
    if args.command:
        return cli.run(args)
    from app.ui.application import main as open_window  # Qt is imported only for the window

    return open_window(Path(args.library) if args.library else None)


if __name__ == "__main__":
    sys.exit(main())
