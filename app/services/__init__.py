"""The use cases the CLI and the GUI share: import → transcribe → (tag → export, in later layers)."""
