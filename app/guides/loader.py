"""Read guides from YAML, refusing mistakes with the line they are on (`dumping` writes them).

Guides are written by hand, by marketers rather than programmers, so every mistake is reported as
`file, line N: what is wrong` instead of a traceback or, worse, a silently ignored field. To know the line
of a nested value we do not let PyYAML build Python objects: `yaml.compose` gives the node tree, where
every node keeps its start mark, and we build the guide from the nodes ourselves.

The pure-Python SafeLoader is used on purpose (not the libyaml one): guides are small, and its error
messages and marks are then the same on every machine, which the tests rely on.
"""

from __future__ import annotations

import difflib
import functools
import re
from pathlib import Path
from typing import NoReturn

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import CollectionEndEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import ReaderError

from app.domain.text import CONTROL_CHARACTER
from app.guides.model import Guide, Question, Section, Tag
from app.resources import resource_path

# The fields each part of a guide may have, in the order `dump_guide` (`dumping.py`) writes them.
GUIDE_FIELDS = (
    "slug",
    "name",
    "version",
    "purpose",
    "participants",
    "consent",
    "universal_probes",
    "sections",
    "tags",
)
SECTION_FIELDS = ("title", "questions")
QUESTION_FIELDS = ("key", "text", "probes")
TAG_FIELDS = ("name", "colour", "definition")

PRIMARY_GUIDE = "recent-buyer-roadmap"  # listed first: the method Earful is built around

_SLUG = re.compile(r"[a-z0-9-]+")
_KEY = re.compile(r"[a-z0-9_-]+")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")

_YAML_TAG = "tag:yaml.org,2002:"
_STR, _NULL, _INT, _FLOAT, _BOOL = (_YAML_TAG + name for name in ("str", "null", "int", "float", "bool"))
_EXAMPLE_COLOUR = '"#4e79a7"'
_MAX_NESTING = 8
"""A guide nests 5 deep (guide, sections, a section, its questions, a question's probes); PyYAML builds
nested nodes by recursion, so a file nested hundreds deep would end in a RecursionError."""
_MAX_VERSION = 1_000_000


class GuideError(ValueError):
    """A guide cannot be used; `str()` gives `source, line N: problem`, ready to show the user."""

    def __init__(self, source: str, line: int, problem: str) -> None:
        super().__init__(source, line, problem)  # all three in args, so the error pickles across processes
        self.source = source
        self.line = line
        self.problem = problem

    def __str__(self) -> str:
        return f"{self.source}, line {self.line}: {self.problem}"


# Cached: the board and tagging read the same stored document again and again, and parsing it with the
# pure-Python loader takes ~15 ms; a Guide is frozen, so sharing one is safe. Errors are never cached.
@functools.lru_cache(maxsize=32)
def load_guide(text: str, source: str = "<guide>") -> Guide:
    """The guide written in `text`; `source` (usually the file name) starts every error message."""
    return _Reader(source).guide(_compose(text, source))


def load_guide_file(path: Path) -> Guide:
    """The guide in a UTF-8 file, with errors naming the file."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise GuideError(path.name, line, "the file is not UTF-8 text; save it as UTF-8") from None
    return load_guide(text, path.name)


def builtin_guides() -> list[Guide]:
    """The templates shipped in `resources/guides`, the Roadmap guide first, then by file name."""
    return list(_builtin_guides())


@functools.cache
def _builtin_guides() -> tuple[Guide, ...]:
    # Cached: the files cannot change while Earful runs, and every "new interview" dialog asks for them.
    guides = [load_guide_file(path) for path in sorted(resource_path("guides").glob("*.yaml"))]
    guides.sort(key=lambda guide: guide.slug != PRIMARY_GUIDE)  # stable, so the rest keep file order
    return tuple(guides)


def _compose(text: str, source: str) -> Node:
    try:
        _check_events(text, source)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise GuideError(source, mark.line + 1 if mark else 1, _yaml_problem(exc)) from None
    except ReaderError as exc:  # a control character; position counts characters of `text`
        line = text[: exc.position].count("\n") + 1
        character = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        raise GuideError(
            source, line, f"the file contains a character YAML does not allow ({character})"
        ) from None
    except yaml.YAMLError as exc:
        raise GuideError(source, 1, f"this is not valid YAML: {exc}") from None
    if root is None:
        raise GuideError(source, 1, "the guide is empty")
    return root


def _check_events(text: str, source: str) -> None:
    """Refuse, before any node is built, nesting no guide needs and control characters in any text (YAML's
    "\\e" escapes let an ESC sequence into a name, which would then drive the terminal it is printed on)."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > _MAX_NESTING:
                raise GuideError(
                    source,
                    event.start_mark.line + 1,
                    f"lists and fields are nested more than {_MAX_NESTING} deep here; a guide needs 5 "
                    "(sections, their questions, a question's probes)",
                )
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
        elif isinstance(event, ScalarEvent) and (control := CONTROL_CHARACTER.search(event.value)):
            raise GuideError(
                source,
                event.start_mark.line + 1,
                f"the text contains a control character (U+{ord(control.group()):04X}); remove it",
            )


# PyYAML's wording for the mistakes people make most when writing YAML by hand, and what to do about each.
_YAML_ADVICE = (
    ("mapping values are not allowed", "a value that contains ': ' must be in quotes"),
    ("expected <block end>", "this line is not indented in step with the lines above it"),
    ("could not find expected ':'", "a line is missing its ':' or a quote is not closed"),
    ("found character '\\t'", "indent with spaces, not tabs"),
    ("but got '?'", 'inside [ ] put items containing "?" in quotes: ["Why?", "What else?"]'),
    ("but found another document", "a guide file holds one guide; remove the '---' line"),
)


def _yaml_problem(exc: yaml.MarkedYAMLError) -> str:
    raw = exc.problem or exc.context or "unreadable"
    mark = exc.problem_mark
    if exc.context and exc.problem and exc.context_mark and mark and exc.context_mark.line < mark.line:
        # e.g. an unclosed quote is only noticed at the end of the file: point back to where it opened
        raw += f", {exc.context} at line {exc.context_mark.line + 1}"
    advice = next((advice for words, advice in _YAML_ADVICE if words in str(exc.problem)), None)
    return f"this is not valid YAML ({raw}): {advice}" if advice else f"this is not valid YAML: {raw}"


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == _NULL


def _kind(node: Node) -> str:
    """How to name what the user wrote, in an error message."""
    if isinstance(node, SequenceNode):
        return "a list"
    if isinstance(node, MappingNode):
        return "a set of fields"
    if node.tag in (_INT, _FLOAT):
        return f"the number {node.value}"
    if node.tag == _BOOL:
        return f"{node.value} (which YAML reads as true/false)"
    if node.tag == _NULL:
        return "empty"
    if node.tag == _STR:
        return "text"
    return f"{node.value!r} (which YAML reads as {node.tag.removeprefix(_YAML_TAG)})"


def _quote_hint(node: Node) -> str:
    if isinstance(node, ScalarNode) and (node.tag in (_INT, _FLOAT, _BOOL) or node.tag.endswith("timestamp")):
        return f'; put it in quotes if you meant it as text: "{node.value}"'
    return ""


class _Fields:
    """The fields of one YAML mapping, each with its node, so a problem can point at its own line."""

    def __init__(self, reader: _Reader, node: Node, what: str, allowed: tuple[str, ...]) -> None:
        if not isinstance(node, MappingNode):
            reader.fail(node, f"{what} must be a set of fields ({', '.join(allowed)}), not {_kind(node)}")
        self.reader = reader
        self.node = node
        self.what = what
        self.allowed = allowed
        self.values: dict[str, Node] = {}
        names: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if not (isinstance(key_node, ScalarNode) and key_node.tag == _STR):
                reader.fail(key_node, f"field names in {what} must be words, not {_kind(key_node)}")
            name = key_node.value
            if name in names:
                reader.fail(
                    key_node, f'{what} has the field "{name}" twice (first at line {_line(names[name])})'
                )
            names[name] = key_node
            self.values[name] = value_node
        self.names = names

    def identify(self, name: str, describe: str) -> str:
        """Read the field that names this part and call the part by it (`question "trigger"`) from then on.

        Unknown fields are checked before a missing name is reported, so `tilte:` is pointed out as a
        typo rather than as a section with no title.
        """
        value = self.text(name)
        if value:
            self.what = describe.format(value)
        self.reject_unknown()
        return value or self.text(name, required=True)

    def reject_unknown(self) -> None:
        """Typo protection: a misspelt field would otherwise vanish without a word."""
        for name, key_node in self.names.items():
            if name not in self.allowed:
                close = difflib.get_close_matches(name, self.allowed, n=1, cutoff=0.6)
                suggestion = f' (did you mean "{close[0]}"?)' if close else ""
                self.reader.fail(
                    key_node,
                    f'{self.what} has an unknown field "{name}"{suggestion}; '
                    f"allowed fields: {', '.join(self.allowed)}",
                )

    def line_of(self, name: str) -> int:
        return _line(self.names[name]) if name in self.names else _line(self.node)

    def node_of(self, name: str) -> Node | None:
        """The value node of a field, or None when the field is absent or left empty."""
        node = self.values.get(name)
        return None if node is None or _is_null(node) else node

    def text(self, name: str, *, required: bool = False) -> str:
        node = self.node_of(name)
        value = ""
        if node is not None:
            if not (isinstance(node, ScalarNode) and node.tag == _STR):
                self.reader.fail(
                    node, f"{name} of {self.what} must be text, not {_kind(node)}{_quote_hint(node)}"
                )
            value = node.value.strip()
        if required and not value:
            self.reader.fail(node or self.values.get(name) or self.node, f"{self.what} has no {name}")
        return value

    def texts(self, name: str, example: str) -> tuple[str, ...]:
        node = self.node_of(name)
        if node is None:
            return ()
        if not isinstance(node, SequenceNode):
            self.reader.fail(
                node,
                f"{name} of {self.what} must be a list of text, not {_kind(node)}; for example {example}",
            )
        values = []
        for number, item in enumerate(node.value, start=1):
            if not (isinstance(item, ScalarNode) and item.tag == _STR):
                self.reader.fail(
                    item,
                    f"item {number} of {name} in {self.what} must be text, "
                    f"not {_kind(item)}{_quote_hint(item)}",
                )
            if not item.value.strip():
                self.reader.fail(item, f"item {number} of {name} in {self.what} is empty")
            values.append(item.value.strip())
        return tuple(values)

    def items(self, name: str, singular: str, *, required: bool) -> list[Node]:
        """The entries of a list of parts (sections, questions, tags)."""
        node = self.node_of(name)
        if node is None:
            if required:
                self.reader.fail(self.values.get(name) or self.node, f"{self.what} has no {name}")
            return []
        if not isinstance(node, SequenceNode):
            self.reader.fail(
                node,
                f"{name} of {self.what} must be a list (one '- ' entry per {singular}), not {_kind(node)}",
            )
        if required and not node.value:
            self.reader.fail(node, f"{self.what} has no {name}: the list is empty")
        return list(node.value)


class _Reader:
    """Builds a guide from the node tree; the first problem found stops it with a GuideError."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.question_lines: dict[str, int] = {}
        self.tag_lines: dict[str, int] = {}

    def fail(self, node: Node, problem: str) -> NoReturn:
        raise GuideError(self.source, _line(node), problem)

    def guide(self, root: Node) -> Guide:
        fields = _Fields(self, root, "the guide", GUIDE_FIELDS)
        fields.reject_unknown()
        name = fields.text("name", required=True)
        return Guide(
            slug=self.slug(fields, name),
            name=name,
            version=self.version(fields),
            purpose=fields.text("purpose"),
            consent=fields.text("consent"),
            participants=fields.text("participants"),
            universal_probes=fields.texts("universal_probes", '["Why?", "What else?"]'),
            sections=tuple(
                self.section(node, number)
                for number, node in enumerate(fields.items("sections", "section", required=True), start=1)
            ),
            tags=tuple(
                self.tag(node, number)
                for number, node in enumerate(fields.items("tags", "tag", required=False), 1)
            ),
        )

    def slug(self, fields: _Fields, name: str) -> str:
        slug = fields.text("slug")
        if not slug:  # optional: made from the name, so a first guide needs only a name and questions
            slug = _NOT_SLUG.sub("-", name.lower()).strip("-")
            if not slug:
                self.fail(
                    fields.node,
                    'the guide has no slug and none can be made from its name; add e.g. "slug: my-guide"',
                )
            return slug
        if not _SLUG.fullmatch(slug):
            self.fail(
                fields.values["slug"],
                f'slug "{slug}" may contain only lowercase letters, digits and hyphens, e.g. "recent-buyer"',
            )
        return slug

    def version(self, fields: _Fields) -> int:
        node = fields.node_of("version")
        if node is None:
            return 1
        value = SafeConstructor().construct_object(node) if node.tag == _INT else None
        if not isinstance(value, int) or not 1 <= value <= _MAX_VERSION:
            self.fail(node, f"version must be a whole number from 1 to {_MAX_VERSION:,}, not {_kind(node)}")
        return value

    def section(self, node: Node, number: int) -> Section:
        fields = _Fields(self, node, f"section {number}", SECTION_FIELDS)
        title = fields.identify("title", 'section "{}"')
        questions = fields.items("questions", "question", required=True)
        return Section(title, tuple(self.question(item, n, title) for n, item in enumerate(questions, 1)))

    def question(self, node: Node, number: int, section: str) -> Question:
        fields = _Fields(self, node, f'question {number} of section "{section}"', QUESTION_FIELDS)
        key = fields.identify("key", 'question "{}"')
        if not _KEY.fullmatch(key):
            self.fail(
                fields.values["key"],
                f'question key "{key}" may contain only lowercase letters, digits, "_" and "-", '
                'e.g. "first_steps"',
            )
        if key in self.question_lines:
            self.fail(
                fields.values["key"],
                f'question key "{key}" is used twice (first at line {self.question_lines[key]}); '
                "keys must be unique",
            )
        self.question_lines[key] = fields.line_of("key")
        text = fields.text("text", required=True)
        return Question(key, text, fields.texts("probes", '["Why?", "What else?"]'))

    def tag(self, node: Node, number: int) -> Tag:
        fields = _Fields(self, node, f"tag {number}", TAG_FIELDS)
        name = fields.identify("name", 'tag "{}"')
        folded = name.casefold()  # "trigger" and "Trigger" would look like one tag in every list
        if folded in self.tag_lines:
            self.fail(
                fields.values["name"],
                f'tag "{name}" is defined twice (first at line {self.tag_lines[folded]})',
            )
        self.tag_lines[folded] = fields.line_of("name")
        colour_node = fields.node_of("colour")
        if colour_node is None:
            # The usual cause: `colour: #4e79a7` unquoted, where YAML reads # as the start of a comment.
            self.fail(
                fields.values.get("colour") or fields.node,
                f'tag "{name}" has no colour; write it in quotes as "#rrggbb", '
                f"e.g. colour: {_EXAMPLE_COLOUR}",
            )
        colour = fields.text("colour")
        if not _COLOUR.fullmatch(colour):
            self.fail(
                colour_node,
                f'tag "{name}" has colour "{colour}"; write colours as "#rrggbb" in quotes, '
                f"e.g. {_EXAMPLE_COLOUR}",
            )
        return Tag(name, colour.lower(), fields.text("definition"))
