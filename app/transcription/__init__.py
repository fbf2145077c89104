"""Speech to text with faster-whisper, run in a spawned worker process so cancel is instant and a native
crash cannot take the caller down."""
