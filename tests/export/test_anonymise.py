"""An anonymised pack names nobody, in any format, and the clips are silent where a name was spoken."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pytest

from app.export.pack.formats import FORMATS
from app.export.pack.redaction import Redactor, Term
from app.export.pack.writer import export_pack
from app.services.packs import PackRequest, build_pack, redaction_terms, set_redaction_terms
from tests.export.conftest import PEOPLE, fill
from tests.export.pack_files import decode_clip, html_clips, text_of

EMAIL, PHONE, PERSON_MENTIONED, PRODUCT_CODE = (
    "gregor@northwind.example",
    "+44 20 7946 0958",
    "Gregor Novak",
    "TX-42",
)
SEEDED = (
    # In the quoted trigger turn: a person mentioned, an email and a phone number.
    ("Friday,", f"Friday, ask {PERSON_MENTIONED} at {EMAIL} or {PHONE},"),
    ("mentioned you.", "mentioned you, like Northwind did."),  # the company, inside a quote
    ("Mobile access", f"Mobile access on {PRODUCT_CODE}"),
    ("What made you start", "I'm Sam Carter. What made you start"),  # the interviewer names themself
)


@pytest.fixture
def seeded(library):
    people = (replace(PEOPLE[0], replace=SEEDED, notes=f"Dana asked us to mail {EMAIL}."), *PEOPLE[1:])
    ids = fill(library, people)
    set_redaction_terms(library, [PERSON_MENTIONED, PRODUCT_CODE, "  ", PRODUCT_CODE.lower()])
    return library, ids


def secrets() -> list[str]:
    names = [part for person in PEOPLE for part in person.customer_name.split()]
    companies = [person.company for person in PEOPLE] + ["Northwind"]
    return [
        *names,
        *companies,
        EMAIL,
        PHONE,
        PERSON_MENTIONED,
        "Gregor",
        "Novak",
        PRODUCT_CODE,
        "Sam",
        "Carter",
    ]


def test_terms_are_stored_per_library_cleaned(seeded):
    library, _ids = seeded
    assert redaction_terms(library) == [PERSON_MENTIONED, PRODUCT_CODE]


def test_no_format_names_anyone_and_the_report_counts_each_replacement(seeded, tmp_path):
    library, ids = seeded
    pack = build_pack(library, PackRequest(tuple(ids), anonymise=True))
    files = export_pack(pack, tmp_path / "out", "pack", list(FORMATS))
    assert {path.suffix for path in files} >= {".html", ".csv"}
    for path in files:
        text = text_of(path)
        leaked = [s for s in secrets() if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text, re.IGNORECASE)]
        assert leaked == [], f"{path.name} still says {leaked}"
    # "Dana" twice in each transcript's opening line is one replacement per interview. The notes are never
    # in an anonymised pack, so nothing in them is redacted or counted.
    assert pack.redactions[PERSON_MENTIONED] == 1
    assert pack.redactions[PRODUCT_CODE] == 1
    assert pack.redactions["email address"] == 1  # the transcript
    assert pack.redactions["phone number"] == 1
    assert pack.redactions["Dana Whitfield"] == 3  # "Dana" opens each of the 3 calls
    assert pack.redactions["Northwind Freight"] == 1
    assert pack.redactions["Sam Carter"] == 1


def test_the_same_pack_without_anonymising_keeps_names(seeded, tmp_path):
    library, ids = seeded
    pack = build_pack(library, PackRequest(tuple(ids)))
    [html] = export_pack(pack, tmp_path / "out", "pack", ["html"])
    assert PEOPLE[0].customer_name in text_of(html) and EMAIL in text_of(html)
    assert pack.redactions == {}


def test_clips_are_silent_where_redacted_words_were_spoken(seeded, tmp_path):
    library, ids = seeded
    pack = build_pack(library, PackRequest(tuple(ids), anonymise=True))
    [html] = export_pack(pack, tmp_path / "out", "pack", ["html"])
    clips = html_clips(html)
    muted_quotes = [quote for quote in pack.quotes if quote.clip.muted]
    assert len(muted_quotes) == 3, "the trigger quote has the name, email and phone; two other quotes a term"
    for quote in muted_quotes:
        samples = decode_clip(clips[quote.anchor])
        spoken = np.ones(len(samples), dtype=bool)
        for start_ms, end_ms in quote.clip.muted:
            lo, hi = ((t - quote.clip.start_ms) * 16 for t in (start_ms, end_ms))
            stretch = samples[max(lo, 0) : hi]
            assert len(stretch) > 1000
            assert np.abs(stretch).max() < 0.01, f"{quote.anchor}: speech left in {start_ms}–{end_ms} ms"
            spoken[max(lo - 1600, 0) : hi + 1600] = False
        rest = samples[spoken]
        assert np.sqrt(np.mean(rest**2)) > 0.01, "the customer's voice is still there around the muted words"


def test_a_term_spanning_two_words_and_punctuation_is_replaced_whole():
    from app.domain.transcript import Word

    words = [
        Word(i * 100, i * 100 + 90, text, 1.0)
        for i, text in enumerate(["ask", "Gregor", "Novak,", "or", "mail", "g@x.io."])
    ]
    redactor = Redactor([Term("Gregor Novak")])
    texts, muted = redactor.words(words, "call")
    assert texts == ["ask", "[redacted],", "", "or", "mail", "[email]."]
    assert muted == [(100, 290), (500, 590)]
    assert redactor.report() == {"Gregor Novak": 1, "email address": 1}
