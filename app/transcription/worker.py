"""The worker process: keeps a model loaded and answers transcription requests one at a time.

It runs in a *spawned* process (never forked: forking a process that holds Qt or CTranslate2 threads is
unsafe), so cancelling is a terminate and a native crash in CTranslate2 ends only this process.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path

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


def worker_main(connection: Connection, niceness: int = 0) -> None:
    """Serve requests until the caller sends None or goes away, at `niceness` below the caller's priority
    (set first, so every thread the model starts inherits it; Linux gives each thread its own)."""
    # Ctrl-C reaches the whole terminal process group; the caller decides what it means.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if niceness and hasattr(os, "nice"):  # not on Windows
        os.nice(niceness)
    _thread_locks_for_progress_bars()
    models, speech = _Models(), _PassSpeech()
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
                _serve_coverage(request, models, speech, connection)
            elif isinstance(request, LiveRequest):
                _serve_live(request, models, connection)
            else:
                _serve(request, models, speech, connection)
        except (BrokenPipeError, EOFError, OSError):
            return  # the caller is gone: nobody to report to


def _thread_locks_for_progress_bars() -> None:
    """faster-whisper opens a (hidden) tqdm progress bar per pass, and tqdm guards its bars with a
    multiprocessing lock: a named semaphore, which a worker ended by Cancel (a terminate) leaves registered,
    so Python warns of a "leaked semaphore" on the user's terminal at exit. This process's bars are only
    ever drawn from its own threads: a thread lock does."""
    from tqdm import tqdm

    tqdm.set_lock(threading.RLock())


class _Models:
    """The models kept in memory between requests: one, or one per lane (`engine.transcribe_in_lanes`).

    CTranslate2 seeds a thread's sampler once, at its first draw (`set_random_seed` only reaches threads
    that have not drawn yet), and Whisper's temperature fallback samples. So each pass gets models that have
    not decoded yet: loaded afresh (from the page cache, about a second) if the kept ones have, and the
    pass gives the same text as a bare faster-whisper run in a new process (#12 item 8). A coverage check
    goes on with its pass's first model."""

    def __init__(self) -> None:
        self._key: tuple[str, int] | None = None
        self._models: list[object] = []
        self._decoded = False

    def get(
        self, model_path: str, fresh: bool = False, decoding: bool = True, lanes: int = 0
    ) -> list[object]:
        """The models for `model_path`; `fresh`: ones that have not decoded yet; `decoding`: the caller will
        decode with them (a preload will not); `lanes`: one single-threaded model per lane (0: whichever
        are loaded, else one model with a thread per core)."""
        from app.transcription.engine import load_model

        key = (model_path, lanes or (self._key[1] if self._key and self._key[0] == model_path else 1))
        if key != self._key or (fresh and self._decoded):
            self._models = []  # free the old ones before loading
            count = key[1]
            self._models = [load_model(model_path, threads=1 if count > 1 else 0) for _ in range(count)]
            self._key, self._decoded = key, False
        self._decoded = self._decoded or decoding
        return self._models


class _PassSpeech:
    """The speech the VAD hears in the last pass's channel, found beside Whisper on the samples the pass
    decoded, and kept with them for the coverage check that follows (which then does not decode the file
    again). Long passes in lanes wait for it: their chunks are cut at its pauses. Otherwise it runs at the
    lowest priority, and the check waits for it only while it gets CPU time: on a machine busy with other
    programs it may hardly run at all, and the check then finds the speech itself."""

    def __init__(self) -> None:
        self._key: tuple[str, int] | None = None
        self._samples: object = None
        self._found: _Found | None = None

    def start(self, audio_path: str, channel: int, samples: object, awaited: bool) -> None:
        """Find the speech in a thread; `awaited`: the pass waits for it before decoding (lanes), else it
        runs on the CPU time the decoding leaves idle."""
        from app.transcription.coverage import speech_spans

        found = _Found(awaited)
        self._key, self._samples, self._found = (audio_path, channel), samples, found

        def find() -> None:
            if not awaited:
                _yield_to_the_pass()
            with contextlib.suppress(Exception):  # the check finds them itself if this failed
                found.spans = speech_spans(samples)
            found.done.set()

        found.thread = threading.Thread(target=find, name="earful-pass-speech", daemon=True)
        found.thread.start()

    def spans(self) -> list[tuple[int, int]] | None:
        """The speech found (waited for), or None if the VAD failed."""
        assert self._found is not None
        self._found.done.wait()
        return self._found.spans

    def take(self, audio_path: str, channel: int) -> tuple[object, list[tuple[int, int]] | None] | None:
        """The samples of this pass and the speech found in them (None if not found, or left behind at the
        lowest priority), then forgotten; None if the last pass was another."""
        found = self._found
        if self._key != (audio_path, channel) or found is None:
            return None
        waited = found.awaited or found.thread is None or _join_while_it_runs(found.thread)
        kept = (self._samples, self.spans() if waited else None)
        self._key, self._samples, self._found = None, None, None
        return kept


class _Found:
    """One pass's speech, written by its own VAD thread (which may outlive the pass at the lowest priority)."""

    def __init__(self, awaited: bool) -> None:
        self.awaited = awaited
        self.spans: list[tuple[int, int]] | None = None
        self.done = threading.Event()
        self.thread: threading.Thread | None = None


def _serve(request: TranscribeRequest, models: _Models, speech: _PassSpeech, connection: Connection) -> None:
    # Imported here, in the worker process: the caller imports this module only to name `worker_main`,
    # and should not pay for PyAV and faster-whisper itself.
    from app.media.decode import WHISPER_RATE
    from app.transcription.engine import lanes_for, transcribe_in_lanes, transcribe_samples

    loading = _load_while_decoding(models, request)
    samples = _samples(request, connection)
    early_failure = loading.exception()  # waited for: the models are not touched from two threads
    if samples is None:
        return
    duration_ms = len(samples) * 1000 // WHISPER_RATE
    lanes = lanes_for(request.options, duration_ms, request.start_ms)
    try:
        if early_failure is not None:
            raise early_failure
        loaded = models.get(request.model_path, fresh=True, lanes=lanes)  # loaded already, unless short
    except Exception as error:
        connection.send(PassFailed(f"Could not start transcription: {error}"))
        return
    speech.start(request.audio_path, request.channel, samples, awaited=lanes > 1)
    send = _locked(connection.send)
    alongside = _Alongside(request.alongside, send)
    end: PassDone | PassFailed = PassDone(duration_ms)
    try:
        send(PassStarted(duration_ms))
        spans = speech.spans() if lanes > 1 else None  # None also if the VAD failed: one decoder then
        if spans is not None:
            segments = transcribe_in_lanes(
                loaded, samples, request.options, request.channel, request.start_ms, spans
            )
        else:
            segments = transcribe_samples(
                loaded[0], samples, request.options, request.channel, request.start_ms
            )
        for segment in segments:
            send(SegmentReady(segment, duration_ms))
    except (BrokenPipeError, EOFError):
        raise
    except Exception as error:
        end = PassFailed(f"Transcription failed: {error}")
    finally:
        alongside.end()  # nothing of it follows the pass's last message, which ends the caller's reading
    send(end)


def _load_while_decoding(models: _Models, request: TranscribeRequest) -> Future:
    """Load the pass's models in a thread while its audio decodes (each takes a few tenths of a second, and
    a second core is there): as many lanes as the options ask for, which the pass confirms once it knows
    the audio's length (`engine.lanes_for`; a short one gets its single model then)."""
    lanes = 1 if request.options.batch_size else max(request.options.lanes, 1)
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="earful-model-load")
    # Not yet `decoding`: the pass's own `get` then finds models that have not decoded and keeps them.
    loading = pool.submit(models.get, request.model_path, fresh=True, decoding=False, lanes=lanes)
    pool.shutdown(wait=False)  # its thread ends with the load
    return loading


def _locked(send: Callable[[object], None]) -> Callable[[object], None]:
    """`send` made safe to call from the transcription and the stage running alongside it."""
    lock = threading.Lock()

    def locked_send(message: object) -> None:
        with lock:
            send(message)

    return locked_send


STARVED_CHECK_S = 0.5
"""How often the pass, once over, looks whether the stages beside it still get CPU time."""
STARVED_SHARE = 0.1
"""Below this share of a core, a stage is left behind: alone after the pass it gets a whole one (the
lowest priority only gives way to other work), so this much less means other programs keep it from
running at all (two busy programs on two cores left it under 1 %)."""


class _Alongside:
    """Stages run in turn in a thread beside the pass, at the lowest priority (CTranslate2 and onnxruntime
    release the GIL while they compute). When the pass ends it waits for them while they get on with their
    work, as they do on the CPU time the pass leaves. But on a machine kept busy by other programs a thread
    at the lowest priority hardly runs at all (and its priority cannot be raised again), so a stage that
    gets almost no CPU time is left behind: the caller finishes it at normal priority (the speaker stage
    from its last commit, the sentence model loads on its first use), nothing more of it is sent, and its
    thread stops at its next message or stage. A failure ends only its stage: what it sent stays valid."""

    def __init__(self, stages: tuple[StageRequest, ...], send: Callable[[object], None]) -> None:
        self._send = send
        self._lock = threading.Lock()
        self._over = False
        self._thread: threading.Thread | None = None
        if stages:
            self._thread = threading.Thread(
                target=self._run, args=(stages,), name="earful-stage-alongside", daemon=True
            )
            self._thread.start()

    def end(self) -> None:
        """The pass is over: wait while the stages run, then nothing more of them is sent."""
        if self._thread is not None:
            _join_while_it_runs(self._thread)
        with self._lock:
            self._over = True

    def _run(self, stages: tuple[StageRequest, ...]) -> None:
        _yield_to_the_pass()
        for stage in stages:
            if self._over:
                return
            with contextlib.suppress(Exception):  # _PassOver included: the stage stops there
                stage.stage(stage.payload, self._send_while_the_pass_runs)

    def _send_while_the_pass_runs(self, message: object) -> None:
        with self._lock:
            if self._over:
                raise _PassOver
            self._send(message)


def _join_while_it_runs(thread: threading.Thread) -> bool:
    """Wait for a thread at the lowest priority for as long as it gets CPU time; whether it ended."""
    while thread.is_alive():
        before = _cpu_seconds(thread)
        thread.join(STARVED_CHECK_S)
        after = _cpu_seconds(thread)
        if before is not None and after is not None and after - before < STARVED_SHARE * STARVED_CHECK_S:
            return False
    return True


def _cpu_seconds(thread: threading.Thread) -> float | None:
    """The CPU time `thread` has used, where the system says (Linux: /proc); None elsewhere or once it ended,
    and there the pass just waits (no priority was lowered there)."""
    try:
        stat = Path(f"/proc/self/task/{thread.native_id}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # after the thread's name, which may hold spaces
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


class _PassOver(Exception):
    """Raised in a stage alongside the pass, at its next message, once the pass has ended."""


def _yield_to_the_pass() -> None:
    """Lower the calling thread's priority as far as it goes, so it runs on the CPU time Whisper's decoding
    leaves idle instead of slowing it down (#12 item 9). Linux only: there each thread has its own nice
    value (elsewhere the call would reach the whole process, or another one)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)


def _serve_coverage(
    request: CoverageRequest, models: _Models, speech: _PassSpeech, connection: Connection
) -> None:
    from app.media.decode import WHISPER_RATE
    from app.transcription.coverage import repair_holes

    kept = speech.take(request.audio_path, request.channel)
    samples, spans = kept if kept is not None else (_samples(request, connection), None)
    if samples is None:
        return
    try:
        model = models.get(request.model_path)[0]
        for repair in repair_holes(
            model,
            samples,
            request.options,
            request.channel,
            request.segments,
            request.known,
            request.retrying,
            spans,
        ):
            connection.send(HoleRepaired(repair))
    except (BrokenPipeError, EOFError):
        raise
    except Exception as error:
        connection.send(PassFailed(f"Checking the transcript for missed speech failed: {error}"))
        return
    connection.send(PassDone(len(samples) * 1000 // WHISPER_RATE))


def _serve_live(request: LiveRequest, models: _Models, connection: Connection) -> None:
    from app.transcription.live import serve_live

    try:
        serve_live(request, models.get(request.model_path)[0], connection)
    except (BrokenPipeError, EOFError):
        raise
    except Exception as error:
        connection.send(PassFailed(f"Live transcription failed: {error}"))


def _samples(request: TranscribeRequest | CoverageRequest, connection: Connection) -> object:
    """The pass's int16 samples; None after reporting a failure."""
    from app.media.decode import decode_for_whisper

    try:
        channels = decode_for_whisper(request.audio_path, split_stereo=request.channel != MIXDOWN)
    except MediaError as error:
        connection.send(PassFailed(str(error)))
        return None
    except Exception as error:
        connection.send(PassFailed(f"Could not start transcription: {error}"))
        return None
    return channels[0] if request.channel == MIXDOWN else channels[request.channel]


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
