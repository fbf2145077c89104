"""Start-up recovery: what a killed recording left is imported with its markers; a live one is left alone."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap

import pytest

from app.library import Library
from app.library.markers import MarkerKind
from app.services.recording import IN_PROGRESS_DIR, recover_recordings, start_recording, unfinished_recordings
from tests.wer import wer

# Records, stamps markers as the window would, then dies without any chance to clean up.
_DIES_MID_CALL = textwrap.dedent(
    """
    import json, os, signal, sys, time
    from pathlib import Path
    from app.guides import builtin_guides
    from app.library import Library
    from app.media.devices import find_input_device
    from app.services.recording import start_recording

    library = Library.open(Path(sys.argv[1]))
    guide = builtin_guides()[0]
    session = start_recording(library, find_input_device("you.monitor"), title="Acme", guide=guide)
    while session.recorder.position_ms() < 1500:
        time.sleep(0.01)
    stamped = [session.mark("consent"), session.mark("question", question=guide.questions[1].key)]
    while session.recorder.position_ms() < 3000:
        time.sleep(0.01)
    print(json.dumps([m.at_ms for m in stamped]), flush=True)
    time.sleep(1.5)  # the header is patched once a second: make sure it is stale when we die
    os.kill(os.getpid(), signal.SIGKILL)
    """
)


def test_markers_stamped_before_a_crash_come_back_with_the_recovered_interview(pulse, tmp_path):
    root = tmp_path / "library"
    died = subprocess.run([sys.executable, "-c", _DIES_MID_CALL, str(root)], capture_output=True, text=True)
    assert died.returncode == -signal.SIGKILL, died.stderr
    stamped = json.loads(died.stdout)

    with Library.open(root) as library:
        [recovered] = recover_recordings(library).interviews
        assert recovered.interview.title == "Acme (recovered)"
        assert [(m.kind, m.at_ms) for m in recovered.markers] == list(
            zip([MarkerKind.CONSENT, MarkerKind.QUESTION], stamped, strict=True)
        )
        assert recovered.markers[1].question is not None
        assert library.guides.of_interview(recovered.interview.id) is not None
        assert recovered.recording.duration_ms >= stamped[-1]
        assert not any((root / IN_PROGRESS_DIR).iterdir())


def test_recovery_leaves_a_recording_that_is_still_running_alone(library, you):
    session = start_recording(library, you)
    try:
        with Library.open(library.root) as other_window:
            assert unfinished_recordings(other_window) == []
            assert recover_recordings(other_window).interviews == []
    finally:
        session.discard()
    assert not any((library.root / IN_PROGRESS_DIR).iterdir())


def test_a_recording_that_died_before_any_sound_is_removed_quietly(library):
    folder = library.root / IN_PROGRESS_DIR
    folder.mkdir()
    (folder / "20260101-120000-deadbeef.wav").write_bytes(b"")  # killed right after creating its file
    (folder / "20260101-120000-deadbeef.json").write_text("{}")
    recovery = recover_recordings(library)
    assert (recovery.interviews, recovery.problems) == ([], [])
    assert not any(folder.iterdir())


# Records live, quotes the first line the transcript keeps under a stamped question, then dies at once.
_QUOTES_LIVE_THEN_DIES = textwrap.dedent(
    """
    import json, os, queue, signal, sys
    from pathlib import Path
    from app.guides import builtin_guides
    from app.library import Library
    from app.media.devices import find_input_device
    from app.services.recording import start_recording

    library = Library.open(Path(sys.argv[1]))
    guide = builtin_guides()[0]
    lines = queue.Queue()
    you, customer = find_input_device("you.monitor"), find_input_device("customer.monitor")
    session = start_recording(library, you, customer, title="Acme", guide=guide, live=True, on_line=lines.put)
    session.mark("question", question=guide.questions[2].key)
    print("recording", flush=True)
    line = lines.get(timeout=120).segment
    quote = session.file_quote(line.words[0].start_ms, line.words[-1].end_ms, line.channel)
    print(json.dumps({"question": quote.question, "channel": quote.channel, "text": line.text}), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
    """
)


@pytest.mark.slow
def test_a_quote_filed_on_the_live_transcript_survives_a_crash(pulse, clips, tmp_path):
    root = tmp_path / "library"
    dies = subprocess.Popen(
        [sys.executable, "-c", _QUOTES_LIVE_THEN_DIES, str(root)], stdout=subprocess.PIPE, text=True
    )
    assert dies.stdout.readline() == "recording\n"
    pulse.play("you", clips["jfk"]).wait()
    filed = json.loads(dies.stdout.readline())
    assert dies.wait(timeout=60) == -signal.SIGKILL

    with Library.open(root) as library:
        [recovered] = recover_recordings(library).interviews
        assert recovered.quotes == 1
        [quote] = library.quotes.for_interview(recovered.interview.id)
        assert (quote.question_key, quote.channel) == (filed["question"], filed["channel"]) != (None, None)
        assert wer(filed["text"], quote.text) == 0, (filed["text"], quote.text)
