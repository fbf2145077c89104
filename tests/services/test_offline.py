"""Import and transcription never touch the network: interviews are personal data and laptops go offline."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

# Loaded into every Python process of the run (and its spawned workers) through PYTHONPATH: any attempt to
# reach a non-loopback address, or to look up a host name, is written down and refused before a packet leaves.
NETWORK_GUARD = """
import os, socket

_log = os.environ["EARFUL_NETWORK_LOG"]
_local = ("127.", "::1", "localhost", "0.0.0.0")

def _record(what):
    with open(_log, "a") as handle:
        handle.write(f"{os.getpid()} {what}\\n")
    raise OSError("network use blocked by the test guard")

def _checked(original):
    def connect(self, address, *args):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not str(address[0]).startswith(_local):
            _record(f"connect {address}")
        return original(self, address, *args)
    return connect

socket.socket.connect = _checked(socket.socket.connect)
socket.socket.connect_ex = _checked(socket.socket.connect_ex)
_getaddrinfo = socket.getaddrinfo

def getaddrinfo(host, *args, **kwargs):
    if host is not None and not str(host).startswith(_local):
        _record(f"lookup {host}")
    return _getaddrinfo(host, *args, **kwargs)

socket.getaddrinfo = getaddrinfo
"""


@pytest.fixture
def guarded_env(tmp_path: Path) -> tuple[dict, Path]:
    guard_dir = tmp_path / "guard"
    guard_dir.mkdir()
    (guard_dir / "sitecustomize.py").write_text(NETWORK_GUARD)
    log = tmp_path / "network.log"
    log.touch()
    env = {**os.environ, "PYTHONPATH": f"{guard_dir}{os.pathsep}{REPO}", "EARFUL_NETWORK_LOG": str(log)}
    # No HF_HUB_OFFLINE here: Earful must stay offline on its own, not because the environment says so.
    env.pop("HF_HUB_OFFLINE", None)
    return env, log


def _without_network(command: list[str]) -> list[str]:
    """Also run in a network namespace with no interfaces, where the system allows it."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-rn", "true"], capture_output=True).returncode == 0:
        return [unshare, "-rn", *command]
    return command


def test_the_guard_catches_a_connection_attempt(guarded_env):
    env, log = guarded_env
    code = "import urllib.request\ntry:\n    urllib.request.urlopen('http://198.51.100.7/', timeout=1)\nexcept OSError:\n    pass"
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    assert "198.51.100.7" in log.read_text()


def test_import_and_transcribe_succeed_with_no_connection_attempt(guarded_env, tmp_path: Path, speech: Path):
    env, log = guarded_env
    library = tmp_path / "library"
    for args in (["import", str(speech / "jfk.flac")], ["transcribe"], ["show", "1", "--format", "json"]):
        command = _without_network([sys.executable, "-m", "app", "--library", str(library), *args])
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr
    # The text across segments: one voice is labelled as two until the user says one person speaks.
    text = " ".join(segment["text"] for segment in json.loads(result.stdout)["segments"])
    assert "ask not what your country can do for you" in text.lower().replace(",", "")
    # The job's last stage ran the sentence model too, under the same guard.
    with sqlite3.connect(library / "library.db") as db:
        assert db.execute("SELECT COUNT(*) FROM segment_embeddings").fetchone()[0] == len(
            json.loads(result.stdout)["segments"]
        )
    assert log.read_text() == ""
