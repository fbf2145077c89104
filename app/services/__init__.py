"""The use cases the CLI and the GUI share: importing, transcribing (queue, run, coverage, speakers), tagging
and the board, transcript editing, recording, packs, reading by meaning, the demo and the self-check. Each
takes a `Library` and plain values, and none imports Qt."""
