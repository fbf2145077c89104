"""Importing files a user may really drop on Earful: refused ones leave the library exactly as it was."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import wave
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
import soundfile as sf

from app.domain.transcript import SpeakerRole
from app.library import Library, LibraryError
from app.media.decode import WHISPER_RATE, decode_for_whisper
from app.media.errors import MediaError
from app.services.importing import import_recording

REPO = Path(__file__).resolve().parents[2]
COUNTED_TABLES = ("interviews", "recordings", "segments")


def _snapshot(library: Library) -> tuple[dict[str, int], frozenset[str]]:
    """Row counts and the files in audio/: what a refused import must leave untouched."""
    counts = {
        table: library.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in COUNTED_TABLES
    }
    return counts, frozenset(path.name for path in library.audio_dir.iterdir())


def _assert_refused_without_trace(library: Library, source: Path, reason: str, **kwargs) -> MediaError:
    before = _snapshot(library)
    with pytest.raises(MediaError) as caught:
        import_recording(library, source, **kwargs)
    message = str(caught.value)
    assert source.name in message
    assert reason in message
    assert _snapshot(library) == before
    return caught.value


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def seeded(library: Library, speech: Path) -> Library:
    """A library that already holds one interview, so "unchanged" means more than "still empty"."""
    import_recording(library, speech / "digits_10001-90210-01803.wav")
    return library


def _video_codec() -> str:
    for codec in ("mpeg4", "libx264"):
        if codec in av.codecs_available:
            return codec
    pytest.skip("PyAV has neither the mpeg4 nor the libx264 encoder to make a test video")


def _write_video(path: Path, seconds: int, audio: np.ndarray | None = None, audio_rate: int = 0) -> Path:
    """A tiny mp4: grey frames at 10 fps, plus an AAC track of int16 mono `audio` when given."""
    with av.open(str(path), "w") as container:
        video = container.add_stream(_video_codec(), rate=10)
        video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"
        sound = None
        if audio is not None:
            sound = container.add_stream("aac", rate=audio_rate)
            sound.layout = "mono"
        for index in range(seconds * 10):
            image = np.full((48, 64, 3), index * 20 % 256, dtype=np.uint8)
            for packet in video.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                container.mux(packet)
        for packet in video.encode():
            container.mux(packet)
        if sound is not None:
            for start in range(0, len(audio), 1024):
                frame = av.AudioFrame.from_ndarray(audio[start : start + 1024].reshape(1, -1), "s16", "mono")
                frame.sample_rate, frame.pts, frame.time_base = audio_rate, start, Fraction(1, audio_rate)
                for packet in sound.encode(frame):
                    container.mux(packet)
            for packet in sound.encode():
                container.mux(packet)
    return path


def _resampled_mono(source: Path, target: Path, rate: int) -> int:
    """Write `source` resampled by FFmpeg to `rate` Hz mono 16-bit; returns the samples written."""
    resampler = av.AudioResampler(format="s16", layout="mono", rate=rate)
    chunks: list[np.ndarray] = []
    with av.open(str(source)) as container:
        for frame in container.decode(audio=0):
            chunks += [out.to_ndarray() for out in resampler.resample(frame)]
    chunks += [out.to_ndarray() for out in resampler.resample(None)]
    samples = np.concatenate(chunks, axis=1).reshape(-1)
    sf.write(str(target), samples, rate, subtype="PCM_16")
    return len(samples)


# --- files that are not usable audio ---------------------------------------------------------------------


def test_empty_mp3_is_refused_and_nothing_changes(seeded: Library, tmp_path: Path) -> None:
    empty = tmp_path / "call.mp3"
    empty.write_bytes(b"")
    _assert_refused_without_trace(seeded, empty, "empty")


def test_text_file_named_mp3_is_refused_and_nothing_changes(seeded: Library, tmp_path: Path) -> None:
    notes = tmp_path / "notes.mp3"
    notes.write_text("Call with Acme, 3 March.\nThey want SSO before renewing.\n", encoding="utf-8")
    _assert_refused_without_trace(seeded, notes, "not an audio or video file")


def test_video_without_audio_track_is_refused_and_nothing_changes(seeded: Library, tmp_path: Path) -> None:
    silent_video = _write_video(tmp_path / "screen recording.mp4", seconds=1)
    _assert_refused_without_trace(seeded, silent_video, "video with no audio track")


def test_wav_with_zero_samples_is_refused_and_nothing_changes(seeded: Library, tmp_path: Path) -> None:
    hollow = tmp_path / "hollow.wav"
    with wave.open(str(hollow), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(16_000)
        writer.writeframes(b"")
    _assert_refused_without_trace(seeded, hollow, "no audio")


def test_random_bytes_named_m4a_are_refused_and_nothing_changes(seeded: Library, tmp_path: Path) -> None:
    noise = tmp_path / "voice memo.m4a"
    noise.write_bytes(np.random.default_rng(7).integers(0, 256, 64_000, dtype=np.uint8).tobytes())
    _assert_refused_without_trace(seeded, noise, "not an audio or video file")


def test_missing_file_is_refused_and_nothing_changes(seeded: Library, tmp_path: Path) -> None:
    _assert_refused_without_trace(seeded, tmp_path / "gone.flac", "cannot be read")


@pytest.mark.parametrize(
    ("clip", "roles"),
    [
        ("digits_10001-90210-01803.wav", (SpeakerRole.INTERVIEWER, SpeakerRole.CUSTOMER)),
        ("stereo_diarization.wav", (SpeakerRole.INTERVIEWER, SpeakerRole.CUSTOMER, SpeakerRole.OTHER)),
    ],
    ids=["two-roles-for-mono", "three-roles-for-stereo"],
)
def test_channel_roles_not_matching_the_channels_are_refused_and_nothing_changes(
    seeded: Library, speech: Path, clip: str, roles: tuple[SpeakerRole, ...]
) -> None:
    _assert_refused_without_trace(seeded, speech / clip, "channel", channel_roles=roles)


def test_bad_metadata_on_a_good_file_leaves_no_copy_behind(seeded: Library, speech: Path) -> None:
    before = _snapshot(seeded)
    with pytest.raises(LibraryError, match="maybe"):
        import_recording(seeded, speech / "jfk.flac", outcome="maybe")
    assert _snapshot(seeded) == before


# --- the disk fills up during the copy -------------------------------------------------------------------


def test_full_disk_refuses_with_a_clear_message_and_frees_the_partial_copy(
    one_mib_disk: Path, speech: Path
) -> None:
    big = speech / "ami_dev00.wav"
    with Library.open(one_mib_disk / "library") as library:
        assert shutil.disk_usage(one_mib_disk).free < big.stat().st_size
        error = _assert_refused_without_trace(library, big, "the disk is full")
        assert "copied" in str(error)
        # The partial copy's space came back: a small recording still fits afterwards.
        assert not import_recording(library, speech / "digits_10001-90210-01803.wav").duplicate


_IMPORT_UNDER_FILE_SIZE_LIMIT = """
import resource, signal, sys
from pathlib import Path
from app.library import Library
from app.media.errors import MediaError
from app.services.importing import import_recording

signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # so a write past the limit fails with EFBIG, not a kill
root, source, limit = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
with Library.open(root) as library:
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    try:
        import_recording(library, source)
    except MediaError as error:
        print(error)
        sys.exit(3)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE and SIGXFSZ behave this way on Linux")
def test_file_too_large_for_the_drive_refuses_with_a_clear_message_and_leaves_nothing(
    seeded: Library, speech: Path
) -> None:
    """EFBIG is what a FAT32 drive (4 GiB limit) or a file-size quota gives, rather than ENOSPC."""
    big = speech / "ami_dev00.wav"
    before = _snapshot(seeded)
    child = subprocess.run(
        [sys.executable, "-c", _IMPORT_UNDER_FILE_SIZE_LIMIT, str(seeded.root), str(big), str(512 * 1024)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == 3, child.stderr
    message = child.stdout.strip()
    assert big.name in message
    assert "could not be copied into the library" in message
    assert "too large" in message.lower()
    assert _snapshot(seeded) == before


# --- unusual files that must import ----------------------------------------------------------------------


@pytest.fixture
def librispeech(speech: Path) -> Path:
    return speech / "librispeech_2412-153948-0000.flac"


def _original_ms(path: Path) -> int:
    info = sf.info(str(path))
    return info.frames * 1000 // info.samplerate


def test_flac_cut_off_mid_stream_imports_what_decodes_and_says_so(
    library: Library, librispeech: Path, tmp_path: Path
) -> None:
    cut = tmp_path / "cut.flac"
    whole = librispeech.read_bytes()
    cut.write_bytes(whole[: len(whole) * 6 // 10])

    result = import_recording(library, cut)

    recording = result.recording
    assert recording.truncated is True
    assert any("cut off" in note for note in result.notes)
    assert abs(recording.duration_ms - _original_ms(librispeech) * 0.6) < 1000
    # The stored duration is exactly the audio that will reach Whisper.
    stored_samples = len(decode_for_whisper(library.recordings.path(recording), split_stereo=False)[0])
    assert recording.duration_ms == stored_samples * 1000 // WHISPER_RATE


def test_wav_cut_off_mid_stream_imports_what_decodes_and_says_so(
    library: Library, librispeech: Path, tmp_path: Path
) -> None:
    """The header still declares the full length, as a recorder that crashed mid-call leaves it."""
    full = tmp_path / "full.wav"
    samples, rate = sf.read(str(librispeech), dtype="int16")
    sf.write(str(full), samples, rate, subtype="PCM_16")
    whole = full.read_bytes()
    with wave.open(str(full)) as header:
        assert header.getnframes() == len(samples)
    data_start = whole.index(b"data") + 8
    cut = tmp_path / "cut.wav"
    cut.write_bytes(whole[: len(whole) * 6 // 10])
    samples_kept = (len(whole) * 6 // 10 - data_start) // 2
    with wave.open(str(cut)) as header:
        assert header.getnframes() == len(samples)  # the header still claims the whole recording

    result = import_recording(library, cut)

    recording = result.recording
    assert recording.duration_ms == samples_kept * 1000 // rate
    assert abs(recording.duration_ms - _original_ms(librispeech) * 0.6) < 1000
    assert recording.truncated is True
    assert any("cut off" in note for note in result.notes)


def test_unicode_folder_and_file_names_import_byte_identical(
    library: Library, speech: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "Интервью – café 客户"
    folder.mkdir()
    source = folder / "通话 ünïcødé.flac"
    shutil.copyfile(speech / "jfk.flac", source)

    result = import_recording(library, source)

    stored = library.recordings.path(result.recording)
    assert stored.is_file()
    assert _sha256(stored) == _sha256(source)
    assert result.recording.original_name == "通话 ünïcødé.flac"
    assert result.interview.title == "通话 ünïcødé"


def test_importing_the_same_audio_twice_keeps_one_recording(
    library: Library, speech: Path, tmp_path: Path
) -> None:
    first = import_recording(library, speech / "jfk.flac")
    after_first = _snapshot(library)
    renamed = tmp_path / "same call, other name.flac"
    shutil.copyfile(speech / "jfk.flac", renamed)

    again = import_recording(library, speech / "jfk.flac")
    under_other_name = import_recording(library, renamed)

    assert first.duplicate is False
    assert again.duplicate is True
    assert under_other_name.duplicate is True
    assert again.recording.id == under_other_name.recording.id == first.recording.id
    assert _snapshot(library) == after_first
    assert after_first[0]["recordings"] == 1
    assert len(after_first[1]) == 1


@pytest.mark.parametrize(("rate", "suffix"), [(11_025, ".wav"), (22_050, ".flac"), (48_000, ".wav")])
def test_odd_sample_rates_import_with_their_rate_and_duration(
    library: Library, speech: Path, tmp_path: Path, rate: int, suffix: str
) -> None:
    source = tmp_path / f"jfk at {rate}{suffix}"
    written = _resampled_mono(speech / "jfk.flac", source, rate)

    recording = import_recording(library, source).recording

    assert recording.sample_rate == rate
    assert recording.channels == 1
    assert abs(recording.duration_ms - written * 1000 / rate) <= 50
    assert abs(recording.duration_ms - 11_000) <= 50


def test_stereo_with_identical_channels_is_not_split(library: Library, speech: Path) -> None:
    result = import_recording(library, speech / "jfk.flac")
    assert result.recording.channels == 2
    assert result.recording.channel_roles is None
    assert result.recording.split_channels is False


def test_two_party_stereo_call_gets_interviewer_left_and_customer_right(
    library: Library, speech: Path
) -> None:
    result = import_recording(library, speech / "stereo_diarization.wav")
    assert result.recording.channel_roles == (SpeakerRole.INTERVIEWER, SpeakerRole.CUSTOMER)
    assert result.recording.split_channels is True
    assert any("left = interviewer" in note for note in result.notes)


def test_video_with_an_audio_track_imports_as_audio(library: Library, speech: Path, tmp_path: Path) -> None:
    samples, rate = sf.read(str(speech / "jfk.flac"), dtype="int16")
    speech_3s = np.ascontiguousarray(samples[: rate * 3, 0])
    video = _write_video(tmp_path / "zoom call.mp4", seconds=3, audio=speech_3s, audio_rate=rate)

    recording = import_recording(library, video).recording

    assert recording.sample_rate == rate
    assert recording.channels == 1
    assert abs(recording.duration_ms - 3000) <= 50
    heard = decode_for_whisper(library.recordings.path(recording), split_stereo=False)[0]
    assert abs(len(heard) - 3 * WHISPER_RATE) <= WHISPER_RATE // 20
    assert np.sqrt(np.mean(heard.astype(np.float64) ** 2)) > 100  # speech, not silence
