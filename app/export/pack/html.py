"""The pack as one self-contained HTML file: styles inline, quote clips as data: URIs, one small script.

The script (`resources/pack/player.js`) is the pack's player: a page may hold only about a thousand media
players in Chromium, so each clip is a button carrying its audio, and one <audio> element is made when a
clip is first played and reused for every other. The Content-Security-Policy allows that script by its
hash and nothing else; all user text is escaped by the template.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator, Mapping

from markupsafe import Markup

from app.export.pack.clips import MIME
from app.export.pack.model import Pack
from app.export.pack.templating import environment, stylesheet
from app.resources import resource_path


def render_html(pack: Pack, clips: Mapping[int, bytes]) -> Iterator[str]:
    """The page in pieces, as the template renders it: a pack of 5,000 quotes is a ~150 MB page, which
    should not be held whole in memory (twice, as text and as bytes) on its way to the disk. `clips` maps a
    quote id to its encoded audio; quotes without one get no play button."""
    player = resource_path("pack/player.js").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(player.encode("utf-8")).digest()).decode("ascii")
    template = environment().get_template("pack.html.j2")
    return template.generate(
        pack=pack,
        clips=clips,
        # Each clip is base64-encoded when the template reaches it, and that piece is written and dropped.
        clip_uri=lambda quote_id: _data_uri(clips[quote_id]),
        css=stylesheet("pack.css"),
        player=Markup(player),  # ours, not user text
        player_hash=f"sha256-{digest}",
    )


def _data_uri(data: bytes) -> str:
    return f"data:{MIME};base64,{base64.b64encode(data).decode('ascii')}"
