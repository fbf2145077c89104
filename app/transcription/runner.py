"""The caller's handle on the worker process: start it once, stream its messages, cancel by terminating."""

from __future__ import annotations

import contextlib
import multiprocessing
import threading
from collections.abc import Iterator

from app.transcription.messages import (
    LiveDone,
    LiveFinish,
    LiveRequest,
    LoadModel,
    PassDone,
    PassFailed,
    StageDone,
    StageRequest,
    TranscribeRequest,
    WorkerMessage,
)
from app.transcription.worker import worker_main

_STOP_GRACE_S = 0.5


class TranscriptionCancelled(Exception):
    """The user cancelled; what was already delivered stays valid."""


class WorkerCrashed(Exception):
    """The worker process died without saying why (e.g. killed, or a native crash)."""


class TranscriptionWorker:
    """One spawned worker process, reused across requests so the model stays loaded.

    `run` is called from one thread; `cancel` may be called from any other (or from a signal handler).
    `niceness` lowers the process's CPU priority (Unix nice), for work that must give way to a recording
    and the window on the same cores.
    """

    def __init__(self, niceness: int = 0) -> None:
        self._niceness = niceness
        self._context = multiprocessing.get_context("spawn")
        self._process: multiprocessing.process.BaseProcess | None = None
        self._connection = None
        self._cancelled = threading.Event()
        self._lock = threading.Lock()

    def preload(self, model_path: str) -> None:
        """Start the process and load the model in the background, so that is done by the first request."""
        with contextlib.suppress(OSError):
            self._ensure_started().send(LoadModel(model_path))

    def begin_job(self) -> None:
        """Forget an earlier cancel. A cancel holds until then, so one landing between two requests of the
        same job (e.g. between a call's two channels) still stops the job."""
        self._cancelled.clear()

    def run(self, request: TranscribeRequest | StageRequest | LiveRequest) -> Iterator[WorkerMessage]:
        """Yield the worker's messages for `request` up to and including PassDone, StageDone, LiveDone or
        PassFailed."""
        if self._cancelled.is_set():
            raise TranscriptionCancelled()
        connection = self._ensure_started()
        try:
            connection.send(request)
            while True:
                message = connection.recv()
                yield message
                if isinstance(message, PassDone | PassFailed | StageDone | LiveDone):
                    return
        except (EOFError, OSError, BrokenPipeError) as error:
            self._forget_process()
            if self._cancelled.is_set():
                raise TranscriptionCancelled() from None
            raise WorkerCrashed("The transcription process stopped unexpectedly.") from error

    def finish_live(self, frames: int) -> None:
        """Tell the LiveRequest being run (from another thread) that the recording ended after `frames`."""
        with self._lock:
            connection = self._connection
        if connection is not None:
            with contextlib.suppress(OSError):
                connection.send(LiveFinish(frames))

    def cancel(self) -> None:
        """Stop the current job now: the process is terminated (and started afresh after `begin_job`)."""
        self._cancelled.set()
        with self._lock:
            process = self._process
        if process is not None and process.is_alive():
            process.terminate()
            process.join(_STOP_GRACE_S)
            if process.is_alive():
                process.kill()
                process.join()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def close(self) -> None:
        with self._lock:
            process, connection = self._process, self._connection
            self._process = self._connection = None
        if process is None:
            return
        with contextlib.suppress(OSError):
            connection.send(None)
        process.join(_STOP_GRACE_S * 4)
        if process.is_alive():
            process.kill()
            process.join()
        connection.close()

    def __enter__(self) -> TranscriptionWorker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _ensure_started(self):
        with self._lock:
            if self._process is None or not self._process.is_alive():
                ours, theirs = self._context.Pipe(duplex=True)
                process = self._context.Process(
                    target=worker_main, args=(theirs, self._niceness), name="earful-transcriber"
                )
                process.daemon = True
                process.start()
                theirs.close()
                self._process, self._connection = process, ours
            return self._connection

    def _forget_process(self) -> None:
        with self._lock:
            process, self._process = self._process, None
            connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()
        if process is not None:
            process.join(_STOP_GRACE_S)
