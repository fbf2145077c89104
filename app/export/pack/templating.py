"""The Jinja2 environment packs are rendered with: templates from `resources/pack`, autoescape always on."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from app.domain.timecode import clock
from app.domain.wording import counted
from app.export.pack.markup import markdown_to_html
from app.export.pack.plain import isolated
from app.resources import resource_path


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(resource_path("pack")),
        autoescape=True,  # every template, whatever its name: all text in a pack came from a user or a model
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["clock"] = clock
    env.filters["counted"] = counted
    env.filters["isolated"] = isolated  # for Qt's rich text (the PDF), which has no <bdi>
    env.filters["markdown"] = lambda text: Markup(markdown_to_html(text))  # sanitised by nh3
    return env


def stylesheet(name: str) -> Markup:
    """A CSS file of ours to inline in a <style> element (ours, not user text, so not escaped)."""
    return Markup(resource_path(f"pack/{name}").read_text(encoding="utf-8"))
