"""The worker process: keeps a model loaded and answers transcription requests one at a time.

It runs in a *spawned* process (never forked: forking a process that holds Qt or CTranslate2 threads is
unsafe), so cancelling is a terminate and a native crash in CTranslate2 ends only this process.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection

from app.domain.transcript import MIXDOWN
from app.media.errors import MediaError
from app.transcription.messages import (
    LoadModel,
    PassDone,
    PassFailed,
    PassStarted,
    SegmentReady,
    StageDone,
    StageRequest,
    TranscribeRequest,
)


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
        if isinstance(request, LoadModel):
            _model(request.model_path, models)
            continue
        try:
            if isinstance(request, StageRequest):
                _serve_stage(request, connection)
            else:
                _serve(request, models, connection)
        except (BrokenPipeError, EOFError, OSError):
            return  # the caller is gone: nobody to report to


def _model(model_path: str, models: dict[str, object]) -> object:
    """The loaded model for `model_path`, loading it (and dropping any other) the first time."""
    from app.transcription.engine import load_model

    if model_path not in models:
        models.clear()  # one model in memory at a time
        models[model_path] = load_model(model_path)
    return models[model_path]


def _serve(request: TranscribeRequest, models: dict[str, object], connection: Connection) -> None:
    # Imported here, in the worker process: the caller imports this module only to name `worker_main`,
    # and should not pay for PyAV and faster-whisper itself.
    from app.media.decode import WHISPER_RATE, decode_for_whisper
    from app.transcription.engine import transcribe_samples

    try:
        model = _model(request.model_path, models)
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
    send = _locked(connection.send)
    alongside = _start_alongside(request.alongside, send)
    end: PassDone | PassFailed = PassDone(duration_ms)
    try:
        send(PassStarted(duration_ms))
        for segment in transcribe_samples(model, samples, request.options, request.channel, request.start_ms):
            send(SegmentReady(segment, duration_ms))
    except (BrokenPipeError, EOFError):
        raise
    except Exception as error:
        end = PassFailed(f"Transcription failed: {error}")
    finally:
        if alongside is not None:
            alongside.join()  # its messages come before the pass's last one, which ends the caller's reading
    send(end)


def _locked(send: Callable[[object], None]) -> Callable[[object], None]:
    """`send` made safe to call from the transcription and the stage running alongside it."""
    lock = threading.Lock()

    def locked_send(message: object) -> None:
        with lock:
            send(message)

    return locked_send


def _start_alongside(stage: StageRequest | None, send: Callable[[object], None]) -> threading.Thread | None:
    """Run `stage` in a thread (CTranslate2 and onnxruntime release the GIL while they compute). A failure
    ends only the thread: what it sent stays valid, and the caller finishes the stage after the pass."""
    if stage is None:
        return None

    def run() -> None:
        with contextlib.suppress(Exception):
            stage.stage(stage.payload, send)

    thread = threading.Thread(target=run, name="earful-stage-alongside", daemon=True)
    thread.start()
    return thread


def _serve_stage(request: StageRequest, connection: Connection) -> None:
    try:
        request.stage(request.payload, connection.send)
    except (BrokenPipeError, EOFError, ConnectionError):
        raise
    except MediaError as error:
        connection.send(PassFailed(str(error)))
        return
    except Exception as error:
        connection.send(PassFailed(f"Telling the speakers apart failed: {error}"))
        return
    connection.send(StageDone())
