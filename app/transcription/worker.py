"""The worker process: keeps a model loaded and answers transcription requests one at a time.

It runs in a *spawned* process (never forked: forking a process that holds Qt or CTranslate2 threads is
unsafe), so cancelling is a terminate and a native crash in CTranslate2 ends only this process.
"""

from __future__ import annotations

import signal
from multiprocessing.connection import Connection

from app.domain.transcript import MIXDOWN
from app.media.decode import WHISPER_RATE, decode_for_whisper
from app.media.errors import MediaError
from app.transcription.engine import load_model, transcribe_samples
from app.transcription.messages import PassDone, PassFailed, PassStarted, SegmentReady, TranscribeRequest


def worker_main(connection: Connection) -> None:
    """Serve requests until the caller sends None or goes away."""
    # Ctrl-C reaches the whole terminal process group; the caller decides what it means.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    models: dict[str, object] = {}
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        try:
            _serve(request, models, connection)
        except (BrokenPipeError, EOFError, OSError):
            return  # the caller is gone: nobody to report to


def _serve(request: TranscribeRequest, models: dict[str, object], connection: Connection) -> None:
    try:
        model = models.get(request.model_path)
        if model is None:
            models.clear()  # one model in memory at a time
            model = models[request.model_path] = load_model(request.model_path)
        channels = decode_for_whisper(request.audio_path, split_stereo=request.channel != MIXDOWN)
    except MediaError as error:
        connection.send(PassFailed(str(error)))
        return
    except Exception as error:
        connection.send(PassFailed(f"Could not start transcription: {error}"))
        return
    samples = channels[0] if request.channel == MIXDOWN else channels[request.channel]
    duration_ms = len(samples) * 1000 // WHISPER_RATE
    del channels
    connection.send(PassStarted(duration_ms))
    try:
        for segment in transcribe_samples(model, samples, request.options, request.channel, request.start_ms):
            connection.send(SegmentReady(segment, duration_ms))
    except (BrokenPipeError, EOFError):
        raise
    except Exception as error:
        connection.send(PassFailed(f"Transcription failed: {error}"))
        return
    connection.send(PassDone(duration_ms))
