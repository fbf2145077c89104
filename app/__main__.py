"""Entry point for `earful` and `python -m app`."""

import multiprocessing
import sys


def main() -> int:
    # The transcription worker is a spawned process; inside a PyInstaller bundle it re-enters here.
    multiprocessing.freeze_support()
    from app.cli import main as cli_main

    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
