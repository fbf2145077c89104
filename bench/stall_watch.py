"""A watchdog for the GUI thread's event loop: when it stalls, what held it up, with the Python stacks.

A 10 ms timer on the GUI thread stamps a heartbeat; a watchdog thread looks every 5 ms and, whenever the
heartbeat is more than 40 ms old, samples every Python thread's stack (`sys._current_frames`) until the
loop ticks again. Each stall is then reported with:

- the GUI thread's stack as most often sampled during it (a stack ending in the event loop's `exec` means
  the thread was inside Qt's C++ code, or waiting for the GIL to call into Python);
- how long the GUI thread ran on a CPU, waited for one, or neither (blocked: on the GIL, a lock, the disk),
  from `/proc/self/task/<tid>/schedstat`;
- the CPU every other thread of this process and of its child processes (the transcription workers) ran
  and waited for meanwhile (Python threads by name, with their stack; native ones by their kernel name),
  and how late the watchdog itself woke: a Python thread can only wake when it gets the GIL, so a late
  watchdog while the GUI thread was blocked is GIL contention. A stall in which the watchdog could not run
  at all (the whole process had no CPU) is still listed, from the GUI thread's own ticks, unsampled.

A development tool for `bench/`; nothing in `app/` imports it.
"""

from __future__ import annotations

import collections
import gc
import os
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Qt, QTimer

TICK_MS = 10
STALL_MS = 40
LOOK_S = 0.005
_FRAMES_SHOWN = 6


def _schedstat(tid: int, pid: str = "self") -> tuple[int, int]:
    """(ns on a CPU, ns waiting for one) of a thread of process `pid` since it started; (0, 0) once gone."""
    try:
        with open(f"/proc/{pid}/task/{tid}/schedstat", "rb") as handle:
            ran, waited, _slices = handle.read().split()
    except (OSError, ValueError):
        return 0, 0
    return int(ran), int(waited)


def stolen_ms() -> float:
    """CPU time the hypervisor has taken from this virtual machine's CPUs, all of them together, so far
    (`steal` in /proc/stat, in 10 ms ticks). Threads wait for a CPU then, whatever runs in the machine."""
    with open("/proc/stat") as handle:
        fields = handle.readline().split()
    return int(fields[8]) * 1000 / os.sysconf("SC_CLK_TCK")


_CHILDREN: dict[str, object] = {"at": 0.0, "pids": set()}


def _children() -> set[int]:
    """This process's child processes (the transcription workers, a bystander), looked up once a second."""
    if time.perf_counter() - _CHILDREN["at"] > 1:
        me, found = str(os.getpid()), set()
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/stat") as handle:
                    if handle.read().rsplit(")", 1)[1].split()[1] == me:
                        found.add(int(pid))
            except (OSError, IndexError):
                continue
        _CHILDREN.update(at=time.perf_counter(), pids=found)
    return _CHILDREN["pids"]


def _all_threads(pids: tuple[int, ...] = ()) -> dict[int, tuple[int, int]]:
    """Every thread of this process, of its children and of `pids`: its CPU so far."""
    found = {int(tid): _schedstat(int(tid)) for tid in os.listdir("/proc/self/task")}
    for pid in {*pids, *_children()}:
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        found.update({int(tid): _schedstat(int(tid), str(pid)) for tid in tids})
    return found


def _task_name(tid: int) -> str:
    try:
        with open(f"/proc/{tid}/comm") as handle:  # any thread's, of any process, by its id
            return handle.read().strip()
    except OSError:
        return "?"


_SYSCALLS = {
    "0": "read",
    "1": "write",
    "7": "poll",
    "74": "fsync",
    "75": "fdatasync",
    "202": "futex",
    "232": "epoll_wait",
    "270": "pselect6",
    "271": "ppoll",
    "230": "clock_nanosleep",
    "23": "select",
}


def _kernel_state(tid: int) -> str:
    """What a thread is doing as the kernel sees it: R (running or runnable), or the syscall it sleeps in
    (futex: a lock such as the GIL; poll/read/write/fsync: waiting on a file or a socket)."""
    try:
        with open(f"/proc/self/task/{tid}/stat") as handle:
            state = handle.read().rsplit(")", 1)[1].split()[0]
        if state == "R":
            return "R"
        with open(f"/proc/self/task/{tid}/syscall") as handle:
            number = handle.read().split()[0]
    except (OSError, IndexError):
        return "?"
    return f"{state} in {_SYSCALLS.get(number, 'syscall ' + number)}"


def _stack(frame, frames: int = _FRAMES_SHOWN) -> str:
    """The innermost `frames` frames, outermost first, as file:line function."""
    summary = traceback.extract_stack(frame)[-frames:]
    return " > ".join(f"{os.path.basename(f.filename)}:{f.lineno} {f.name}" for f in summary)


@dataclass(slots=True)
class Stall:
    started: float
    """perf_counter of the last tick before it."""
    ended: float = 0.0
    gui_samples: collections.Counter = field(default_factory=collections.Counter)
    gui_states: collections.Counter = field(default_factory=collections.Counter)
    """The GUI thread's kernel state at each sample: R, or the syscall it slept in."""
    other_samples: dict[str, collections.Counter] = field(default_factory=dict)
    gui_ran_ms: float = 0.0
    gui_waited_ms: float = 0.0
    threads_ran_ms: dict[str, tuple[float, float]] = field(default_factory=dict)
    """Per other thread: ms it ran on a CPU and ms it waited for one during the stall (from up to 20 ms
    before it). A thread that waited for a CPU while holding the GIL holds up the GUI thread too."""
    watchdog_late_ms: float = 0.0
    stolen_ms: float = 0.0
    """CPU time the hypervisor took from the machine's CPUs during the stall (`stolen_ms`)."""
    collections_ms: list[str] = field(default_factory=list)
    """Python's garbage collections that overlapped the stall: the GIL is held throughout one."""
    """The longest the watchdog woke late during the stall (it needs the GIL to wake)."""

    @property
    def ms(self) -> float:
        return (self.ended - self.started) * 1000 - TICK_MS

    def verdict(self) -> str:
        blocked = self.ms - self.gui_ran_ms - self.gui_waited_ms
        if self.gui_ran_ms >= max(self.gui_waited_ms, blocked):
            return "GUI-thread work"
        if self.gui_waited_ms >= blocked:
            return "no CPU for the GUI thread (machine load)"
        return "GUI thread blocked (GIL contention, a lock or I/O)"

    def lines(self) -> list[str]:
        out = [
            f"{self.ms:.0f} ms stall: {self.verdict()}; GUI thread ran {self.gui_ran_ms:.0f} ms, waited for a "
            f"CPU {self.gui_waited_ms:.0f} ms, blocked {self.ms - self.gui_ran_ms - self.gui_waited_ms:.0f} ms; "
            f"watchdog woke up to {self.watchdog_late_ms:.0f} ms late; the hypervisor took "
            f"{self.stolen_ms:.0f} ms of the CPUs' time"
        ]
        states = ", ".join(f"{state} ×{count}" for state, count in self.gui_states.most_common(3))
        out.append(f"    GUI thread as the kernel saw it: {states}")
        if self.collections_ms:
            out.append(f"    garbage collections meanwhile: {', '.join(self.collections_ms)}")
        for stack, count in self.gui_samples.most_common(2):
            out.append(f"    GUI stack ({count} samples): {stack}")
        busy = sorted(self.threads_ran_ms.items(), key=lambda item: -sum(item[1]))
        out.append(
            "    other threads meanwhile (ran/waited for a CPU): "
            + (
                ", ".join(
                    f"{name} {ran:.0f}/{waited:.0f} ms" for name, (ran, waited) in busy if ran + waited >= 1
                )
                or "none"
            )
        )
        for name, (ran, waited) in busy:
            samples = self.other_samples.get(name)
            if ran + waited >= 1 and samples:
                stack, count = samples.most_common(1)[0]
                out.append(f"    {name} ({count} samples): {stack}")
        return out


class StallWatch(QObject):
    """Start on the GUI thread; `stop` returns the stalls seen in between."""

    def __init__(self, pids: tuple[int, ...] = ()) -> None:
        """`pids`: other processes whose threads' CPU to report too (children are found by themselves)."""
        super().__init__()
        self._pids = pids
        self._timer = QTimer(self, interval=TICK_MS, timerType=Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        self._gui = threading.get_ident()
        self._gui_tid = threading.get_native_id()
        self._beat = time.perf_counter()
        self._beat_stat = _schedstat(self._gui_tid)
        self._beat_steal = stolen_ms()
        self._running = False
        self._thread: threading.Thread | None = None
        self.stalls: list[Stall] = []
        self._gaps: list[Stall] = []
        """Stalls the GUI thread itself saw between two ticks: the watchdog misses those in which it could
        not run either (the whole process had no CPU), so they are added unsampled."""

    def start(self) -> None:
        self._collections: list[tuple[float, float, int, str]] = []
        self._collecting = 0.0
        gc.callbacks.append(self._on_collection)
        self._tick()
        self._running = True
        self._timer.start()
        self._thread = threading.Thread(target=self._watch, name="stall-watchdog", daemon=True)
        self._thread.start()

    def stop(self) -> list[Stall]:
        self._timer.stop()
        self._running = False
        if self._thread is not None:
            self._thread.join()
        gc.callbacks.remove(self._on_collection)
        sampled = {stall.started for stall in self.stalls}
        self.stalls += [gap for gap in self._gaps if gap.started not in sampled]
        for stall in self.stalls:
            stall.collections_ms = [
                f"generation {generation} on {thread} {(end - start) * 1000:.0f} ms"
                for start, end, generation, thread in self._collections
                if start < stall.ended and end > stall.started and end - start >= 0.005
            ]
        return self.stalls

    def _on_collection(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._collecting = time.perf_counter()
        else:
            now = time.perf_counter()
            self._collections.append(
                (self._collecting, now, info["generation"], threading.current_thread().name)
            )

    def _tick(self) -> None:
        stat, steal, now = _schedstat(self._gui_tid), stolen_ms(), time.perf_counter()
        if self._running and (now - self._beat) * 1000 - TICK_MS > STALL_MS:
            gap = Stall(self._beat, now)
            gap.gui_ran_ms = (stat[0] - self._beat_stat[0]) / 1e6
            gap.gui_waited_ms = (stat[1] - self._beat_stat[1]) / 1e6
            gap.stolen_ms = steal - self._beat_steal
            gap.gui_states["not sampled: the watchdog could not run either"] += 1
            self._gaps.append(gap)
        self._beat_stat, self._beat_steal, self._beat = stat, steal, now

    def _watch(self) -> None:
        stall: Stall | None = None
        before: dict[int, tuple[int, int]] = {}
        gui_before, steal_before = (0, 0), 0.0
        woke = time.perf_counter()
        snapshots: collections.deque = collections.deque(maxlen=4)  # every thread's CPU, every 20 ms
        looks = 0
        while self._running:
            time.sleep(LOOK_S)
            now = time.perf_counter()
            late_ms = (now - woke - LOOK_S) * 1000
            woke, looks = now, looks + 1
            beat = self._beat
            if stall is not None and beat > stall.started:
                self._close(stall, before, gui_before, beat)
                stall.stolen_ms = self._beat_steal - steal_before
                stall = None
            if stall is None and (now - beat) * 1000 > STALL_MS:
                stall = Stall(beat)
                gui_before, steal_before = self._beat_stat, self._beat_steal
                taken = [snapshot for at, snapshot in snapshots if at <= beat]
                before = taken[-1] if taken else _all_threads(self._pids)
            if stall is not None:
                stall.watchdog_late_ms = max(stall.watchdog_late_ms, late_ms)
                self._sample(stall)
            elif looks % 4 == 0:
                snapshots.append((now, _all_threads(self._pids)))

    def _sample(self, stall: Stall) -> None:
        stall.gui_states[_kernel_state(self._gui_tid)] += 1
        names = {thread.ident: thread.name for thread in threading.enumerate()}
        for ident, frame in sys._current_frames().items():
            if ident == self._gui:
                stall.gui_samples[_stack(frame)] += 1
            elif ident != threading.get_ident():
                name = names.get(ident, str(ident))
                stall.other_samples.setdefault(name, collections.Counter())[_stack(frame, 4)] += 1

    def _close(self, stall: Stall, before: dict[int, tuple[int, int]], gui_before, beat: float) -> None:
        stall.ended = beat
        gui_after = self._beat_stat
        stall.gui_ran_ms = (gui_after[0] - gui_before[0]) / 1e6
        stall.gui_waited_ms = (gui_after[1] - gui_before[1]) / 1e6
        python_names = {thread.native_id: thread.name for thread in threading.enumerate()}
        me = threading.get_native_id()
        mine = {int(tid) for tid in os.listdir("/proc/self/task")}
        for tid, (ran, waited) in _all_threads(self._pids).items():
            if tid in (self._gui_tid, me):
                continue
            name = (
                python_names.get(tid)
                or f"{_task_name(tid)} ({'native' if tid in mine else 'other process'} {tid})"
            )
            ran_before, waited_before = before.get(tid, (ran, waited))
            stall.threads_ran_ms[name] = ((ran - ran_before) / 1e6, (waited - waited_before) / 1e6)
        self.stalls.append(stall)


def report(stalls: list[Stall], title: str, shown: int = 8) -> list[str]:
    """The worst `shown` stalls, longest first, each with what held the GUI thread up."""
    lines = [f"{title}: {len(stalls)} stalls over {STALL_MS} ms"]
    for stall in sorted(stalls, key=lambda s: -s.ms)[:shown]:
        lines += ["  " + line for line in stall.lines()]
    return lines
