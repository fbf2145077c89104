"""Reading audio: probing what a file holds and decoding it the way Whisper expects."""
