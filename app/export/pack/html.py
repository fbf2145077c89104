"""The pack as one self-contained HTML file: styles inline, quote clips as data: URIs, no script."""

from __future__ import annotations

import base64
from collections.abc import Mapping

from app.export.pack.clips import MIME
from app.export.pack.model import Pack
from app.export.pack.templating import environment, stylesheet


def render_html(pack: Pack, clips: Mapping[int, bytes]) -> str:
    """`clips` maps a quote id to its encoded audio; quotes without one get no player."""
    sources = {
        quote_id: f"data:{MIME};base64,{base64.b64encode(data).decode('ascii')}"
        for quote_id, data in clips.items()
    }
    return (
        environment()
        .get_template("pack.html.j2")
        .render(pack=pack, clips=sources, css=stylesheet("pack.css"))
    )
