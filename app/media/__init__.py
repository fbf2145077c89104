"""Audio in and out of files and devices: probing what a file holds and decoding it the way Whisper expects
(`probe`, `decode`, `blocks`, `wav_header`), waveform peaks (`peaks`), and recording a call from PortAudio
devices (`devices`, `recorder`)."""
