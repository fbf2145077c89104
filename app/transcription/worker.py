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
    CoverageRequest,
    HoleRepaired,
    LiveRequest,
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
    models = _Models()
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        if isinstance(request, LoadModel):
            models.get(request.model_path, decoding=False)
            continue
        try:
            if isinstance(request, StageRequest):
                _serve_stage(request, connection)
            elif isinstance(request, CoverageRequest):
                _serve_coverage(request, models, connection)
            elif isinstance(request, LiveRequest):
                _serve_live(request, models, connection)
            else:
                _serve(request, models, connection)
        except (BrokenPipeError, EOFError, OSError):
            return  # the caller is gone: nobody to report to


class _Models:
    """The one model kept in memory between requests.

    CTranslate2 seeds a thread's sampler once, at its first draw (`set_random_seed` only reaches threads
    that have not drawn yet), and Whisper's temperature fallback samples. So each pass gets a model that has
    not decoded yet: one loaded afresh (from the page cache, about a second) if the kept one has, and the
    pass gives the same text as a bare faster-whisper run in a new process (#12 item 8). A coverage check
    goes on with its pass's model."""

    def __init__(self) -> None:
        self._path: str | None = None
        self._model: object = None
        self._decoded = False

    def get(self, model_path: str, fresh: bool = False, decoding: bool = True) -> object:
        """The model for `model_path`; `fresh`: one that has not decoded yet; `decoding`: the caller will
        decode with it (a preload will not)."""
        from app.transcription.engine import load_model

        if model_path != self._path or (fresh and self._decoded):
            self._model = None  # free the old one before loading
            self._model, self._path, self._decoded = load_model(model_path), model_path, False
        self._decoded = self._decoded or decoding
        return self._model


def _serve(request: TranscribeRequest, models: _Models, connection: Connection) -> None:
    # Imported here, in the worker process: the caller imports this module only to name `worker_main`,
    # and should not pay for PyAV and faster-whisper itself.
    from app.transcription.engine import transcribe_samples

    loaded = _load(request, models, connection)
    if loaded is None:
        return
    model, samples, duration_ms = loaded
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


def _serve_coverage(request: CoverageRequest, models: _Models, connection: Connection) -> None:
    from app.transcription.coverage import repair_holes

    loaded = _load(request, models, connection)
    if loaded is None:
        return
    model, samples, duration_ms = loaded
    try:
        for repair in repair_holes(
            model,
            samples,
            request.options,
            request.channel,
            request.segments,
            request.known,
            request.retrying,
        ):
            connection.send(HoleRepaired(repair))
    except (BrokenPipeError, EOFError):
        raise
    except Exception as error:
        connection.send(PassFailed(f"Checking the transcript for missed speech failed: {error}"))
        return
    connection.send(PassDone(duration_ms))


def _serve_live(request: LiveRequest, models: _Models, connection: Connection) -> None:
    from app.transcription.live import serve_live

    try:
        serve_live(request, models.get(request.model_path), connection)
    except (BrokenPipeError, EOFError):
        raise
    except Exception as error:
        connection.send(PassFailed(f"Live transcription failed: {error}"))


def _load(
    request: TranscribeRequest | CoverageRequest, models: _Models, connection: Connection
) -> tuple[object, object, int] | None:
    """The model and the pass's int16 samples with their duration; None after reporting a failure."""
    from app.media.decode import WHISPER_RATE, decode_for_whisper

    try:
        model = models.get(request.model_path, fresh=isinstance(request, TranscribeRequest))
        channels = decode_for_whisper(request.audio_path, split_stereo=request.channel != MIXDOWN)
    except MediaError as error:
        connection.send(PassFailed(str(error)))
        return None
    except Exception as error:
        connection.send(PassFailed(f"Could not start transcription: {error}"))
        return None
    samples = channels[0] if request.channel == MIXDOWN else channels[request.channel]
    return model, samples, len(samples) * 1000 // WHISPER_RATE


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
