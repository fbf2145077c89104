"""Write a guide as YAML in the documented layout (docs/GUIDES.md), as a person would write it by hand, so
an exported or stored guide reads back (`loader.load_guide`) as the same guide."""

from __future__ import annotations

import yaml

from app.guides.model import Guide, Question, Tag


def dump_guide(guide: Guide, version: int | None = None) -> str:
    """The guide as YAML in the documented layout; `load_guide(dump_guide(g)) == g` for a loaded guide.

    Empty optional fields are left out, so a dumped guide reads like one written by hand. `version`, when
    given, is written instead of the guide's own: the library numbers the editions it keeps.
    """
    data: dict[str, object] = {"slug": guide.slug, "name": guide.name, "version": version or guide.version}
    for name in ("purpose", "participants", "consent"):
        if value := getattr(guide, name):
            data[name] = value
    if guide.universal_probes:
        data["universal_probes"] = list(guide.universal_probes)
    data["sections"] = [
        {"title": section.title, "questions": [_question_data(q) for q in section.questions]}
        for section in guide.sections
    ]
    if guide.tags:
        data["tags"] = [_tag_data(tag) for tag in guide.tags]
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def _question_data(question: Question) -> dict[str, object]:
    data: dict[str, object] = {"key": question.key, "text": question.text}
    if question.probes:
        data["probes"] = list(question.probes)
    return data


def _tag_data(tag: Tag) -> dict[str, object]:
    data: dict[str, object] = {"name": tag.name, "colour": tag.colour}
    if tag.definition:
        data["definition"] = tag.definition
    return data


class _Dumper(yaml.SafeDumper):
    """Indents lists under their field (`sections:\\n  - title:`), as people write YAML by hand."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)
