"""Notes are written in Markdown; in a pack they become HTML that can carry no script and load nothing.

markdown-it-py renders with raw HTML switched off (so `<script>` in a note stays text), and nh3 then keeps
only text-formatting tags: no images (an <img> would make the offline pack fetch from the network), no
iframes, no style, no event attributes.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_ALLOWED_TAGS = {"p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr", "del"}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def markdown_to_html(text: str | None) -> str:
    """Safe HTML for a note; empty for no note."""
    if not text:
        return ""
    return nh3.clean(
        _renderer.render(text),
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
