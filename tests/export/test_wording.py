"""What the export preview and the pack say in words: titles true to the selection, counts of one in the
singular, no separator left hanging where an interview has no details."""

from __future__ import annotations

import html
import re
from dataclasses import replace

from app.export.pack.writer import export_pack
from app.services.packs import PackRequest, build_pack
from app.ui.export_dialog import preview_html
from tests.export.conftest import PEOPLE, fill
from tests.export.pack_files import text_of
from tests.services.test_tagging import make_interview

GUIDE_NAME = "Recent buyer – Roadmap interview"


def test_the_default_title_names_the_guide_only_for_those_that_followed_it(pack_library):
    library, ids = pack_library
    assert build_pack(library, PackRequest(tuple(ids))).title == f"{GUIDE_NAME}: 3 customer conversations"
    library.db.execute("DELETE FROM interview_guides WHERE interview_id != ?", [ids[0]])
    pack = build_pack(library, PackRequest(tuple(ids)))
    assert pack.title == f"3 customer conversations, 1 following {GUIDE_NAME}"
    assert f"<h3>{html.escape(pack.title)}</h3>" in preview_html(pack)


def test_one_conversation_with_one_quote_is_counted_in_the_singular(library):
    [interview_id] = fill(library, (replace(PEOPLE[2], quoted=(1,)),))
    pack = build_pack(library, PackRequest((interview_id,)))
    assert "<p>1 conversation · 1 quote</p>" in preview_html(pack)
    assert pack.facts.startswith("1 conversation · ") and " · 1 quote · " in pack.facts
    assert pack.title == f"{GUIDE_NAME}: 1 customer conversation"


def test_an_interview_without_details_shows_its_length_alone(library, tmp_path):
    interview_id = make_interview(library, "Call with no details")
    pack = build_pack(library, PackRequest((interview_id,)))
    assert pack.interviews[0].meta == ("0:20",)
    html_file, pdf = export_pack(pack, tmp_path, "pack", ["html", "pdf"])
    [meta] = re.findall(r'<span class="meta">(.*?)</span>', html_file.read_text(encoding="utf-8"))
    assert re.sub("<[^>]+>", "", meta) == "0:20"
    assert not re.search(r"(^|\n)\s*· 0:20", text_of(pdf)), "no separator before the length"


def test_the_board_counts_one_following_interview_in_the_singular(library, qtbot):
    from app.ui.board_view import BoardView

    fill(library, PEOPLE[:1])
    view = BoardView(library.root)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.model.board is not None)
    assert view.bar.status.text().startswith(f"1 interview following {GUIDE_NAME}")


def test_tags_read_with_spaces_in_the_preview_and_every_pack_format(pack_library, tmp_path):
    """A guide names tags in one word for YAML ("DecisionReason"); an executive reads "Decision reason"."""
    from app.services.tagging import Tagger

    library, ids = pack_library
    answer = library.transcripts.segments(ids[0])[7]
    Tagger(library).add_quote(
        ids[0], answer.start_ms, answer.end_ms, "criteria", ("DecisionReason", "WordOfMouth"), channel=1
    )
    pack = build_pack(library, PackRequest(tuple(ids)))
    preview = preview_html(pack)
    assert "Decision reason" in preview and "DecisionReason" not in preview
    written = export_pack(pack, tmp_path, "pack", ["html", "pdf", "docx", "csv", "md", "qdpx"])
    assert {path.suffix for path in written} == {".html", ".pdf", ".docx", ".csv", ".md", ".qdpx"}
    for path in written:
        text = text_of(path)
        assert "Decision reason" in text and "Word of mouth" in text, path.name
        assert "DecisionReason" not in text and "WordOfMouth" not in text, path.name
