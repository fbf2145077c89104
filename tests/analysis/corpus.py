"""The labelled Shiftwise interviews (../shared/data/interviews) as a real library: each turn stored as the
transcription worker stores segments (one per sentence, with word times), the speakers' roles set."""

from __future__ import annotations

import json
import os
from pathlib import Path

from app.analysis.sentences import sentences
from app.domain.transcript import SpeakerRole
from app.guides.loader import builtin_guides
from app.library import Library
from app.services.tagging import Tagger

CORPUS = Path(os.environ.get("EARFUL_SHARED", "/work/shared")) / "data" / "interviews"
WORD_MS = 300


def corpus_document(name: str) -> dict:
    return json.loads((CORPUS / f"{name}.json").read_text(encoding="utf-8"))


def store_interview(library: Library, document: dict, guide: bool = True) -> tuple[int, list[int]]:
    """The interview's id and each turn's start in ms."""
    interview = library.interviews.create(document["id"])
    db = library.db
    with db.atomic():
        db.execute(
            "INSERT INTO recordings (interview_id, file, original_name, sha256, duration_ms, sample_rate, "
            "channels, imported_at) VALUES (?, 'x.flac', 'x.flac', ?, 3600000, 16000, 1, 'now')",
            [interview.id, f"sha-{document['id']}"],
        )
        recording_id = db.execute("SELECT last_insert_rowid()").fetchone()[0]
        speakers = {
            role: library.transcripts.ensure_speaker(interview.id, role.value.title(), role, None)
            for role in (SpeakerRole.INTERVIEWER, SpeakerRole.CUSTOMER)
        }
        clock, starts, rows = 0, [], []
        for turn in document["turns"]:
            starts.append(clock)
            for sentence in sentences(turn["text"]):
                tokens = sentence.split()
                words = [
                    [clock + i * WORD_MS, clock + i * WORD_MS + 250, token, 0.9]
                    for i, token in enumerate(tokens)
                ]
                end = clock + len(tokens) * WORD_MS
                rows.append(
                    (
                        interview.id,
                        recording_id,
                        clock,
                        end,
                        speakers[SpeakerRole(turn["speaker"])],
                        sentence,
                        json.dumps(words),
                    )
                )
                clock = end + 200
        db.conn.executemany(
            "INSERT INTO segments (interview_id, recording_id, start_ms, end_ms, speaker_id, text, words) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    if guide:
        by_slug = {g.slug: g for g in builtin_guides()}
        Tagger(library).use_guide(interview.id, by_slug[document["guide"]])
    return interview.id, starts
